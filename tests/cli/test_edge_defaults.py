"""Issue 12 #7: an edge preset named without input values runs on an input holding the edge it
detects, through every front end (CLI render and explain, the gallery, the Python API); the
output is non-zero exactly along the edge. ``--values random`` keeps random values.

Oracles: scipy.signal.correlate on the input the front end used; where the output must be
non-zero is found with numpy from that input alone: the windows over which the input, read at
the kernel's non-zero weights, is not constant (for these kernels the response is then non-zero,
and zero on a constant neighbourhood).
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from scipy import signal

from cli import cli
from convmath import KERNEL_PRESETS, ConvSpec, random_values

MINUS = "\u2212"
EDGES = ("sobel-x", "sobel-y", "laplacian")
SHAPES = [(6, 6), (7, 7), (8, 6), (5, 9)]


def _num(s: str) -> float:
    return float(s.replace(MINUS, "-"))


def along_the_edge(x: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Valid windows whose cells under a non-zero weight do not all hold the same value."""
    k0, k1 = w.shape
    out = np.zeros((x.shape[0] - k0 + 1, x.shape[1] - k1 + 1), dtype=bool)
    support = w != 0
    for r, c in np.ndindex(*out.shape):
        seen = x[r:r + k0, c:c + k1][support]
        out[r, c] = seen.min() != seen.max()
    return out


def check_edge_output(x: np.ndarray, w: np.ndarray, y: np.ndarray) -> None:
    np.testing.assert_allclose(y, signal.correlate(x, w, mode="valid"), atol=1e-9)
    assert len(np.unique(x)) == 2  # an input with two levels: the edge (or a square)
    edge = along_the_edge(x, w)
    assert edge.any() and not edge.all()  # an edge somewhere, flat ground elsewhere
    np.testing.assert_array_equal(y != 0, edge)


def _explain(args: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(x, w, y)`` as ``convanim explain`` printed them (Markdown tables and the result)."""
    out = CliRunner().invoke(cli, ["explain", *args, "--max-steps", "0"])
    assert out.exit_code == 0, out.output
    md = out.output

    def table(title: str) -> np.ndarray:
        block = md.split(f"### {title}", 1)[1].split("###", 1)[0]
        rows = [ln for ln in block.splitlines() if ln.startswith("| **")]
        return np.array([[_num(c) for c in ln.split("|")[2:-1]] for ln in rows])

    result = md.split("### Result", 1)[1]
    y = np.array([[_num(v) for v in ln.split()] for ln in result.strip().splitlines()
                  if re.match(r"^\s*[−\d]", ln)])
    return table("Input x"), table("Kernel w"), y


@pytest.mark.parametrize("shape", SHAPES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("name", EDGES)
def test_cli_explain_runs_an_edge_preset_on_its_edge(name: str, shape) -> None:
    x, w, y = _explain(["--weights", name, "--input", f"{shape[0]}x{shape[1]}"])
    np.testing.assert_array_equal(w, KERNEL_PRESETS[name])
    assert x.shape == shape
    check_edge_output(x, w, y)


@pytest.mark.parametrize("name", EDGES)
def test_values_random_stays_random(name: str) -> None:
    x, _, _ = _explain(["--weights", name, "--input", "6", "--values", "random"])
    np.testing.assert_array_equal(x, random_values((6, 6), 0))
    x, _, _ = _explain(["--weights", name, "--input", "6", "--values", "random:4"])
    np.testing.assert_array_equal(x, random_values((6, 6), 4))


def test_other_presets_keep_the_seeded_input() -> None:
    x, _, _ = _explain(["--weights", "box-blur", "--input", "6"])
    np.testing.assert_array_equal(x, random_values((6, 6), 0))


@pytest.mark.parametrize("name", EDGES)
@pytest.mark.parametrize("scene", ["sliding", "matrix", "equation"])
def test_the_api_and_the_render_path_use_the_edge_input(name: str, scene: str,
                                                        tmp_path: Path) -> None:
    """scenes.render and convanim render build their inputs through RenderRequest.make."""
    from scenes.pipeline.request import RenderRequest

    spec = ConvSpec((6, 6), 3)
    req = RenderRequest.make(scene, spec, None, KERNEL_PRESETS[name], output=tmp_path / "a.gif")
    x, w = req.inputs.x, req.inputs.w
    from convmath import convolve

    check_edge_output(x, w, convolve(x, w, spec))
    given = np.ones((6, 6))  # given values are never replaced
    req = RenderRequest.make(scene, spec, given, KERNEL_PRESETS[name], output=tmp_path / "b.gif")
    np.testing.assert_array_equal(req.inputs.x, given)


@pytest.mark.parametrize("name", EDGES)
def test_the_gallery_uses_the_edge_input(name: str, tmp_path: Path) -> None:
    from convmath import convolve
    from scenes.gallery import load_gallery
    from scenes.pipeline.request import RenderRequest

    path = tmp_path / "g.toml"
    path.write_text(f'title = "T"\n[[entry]]\nname = "e"\nscene = "sliding"\ninput = "7x7"\n'
                    f'weights = "{name}"\n[[entry]]\nname = "r"\nscene = "sliding"\n'
                    f'input = "7x7"\nweights = "{name}"\nvalues = "random"\n', encoding="utf-8")
    _, (entry, rand) = load_gallery(path)
    req = RenderRequest.make(entry.scene, entry.spec, entry.x, entry.w, output=tmp_path / "e.gif")
    check_edge_output(req.inputs.x, req.inputs.w, convolve(req.inputs.x, req.inputs.w,
                                                           entry.spec))
    np.testing.assert_array_equal(rand.x, random_values((7, 7), 0))


def test_cli_render_draws_the_edge_input(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`convanim render sliding --weights sobel-x` hands the edge input to the renderer."""
    import scenes.pipeline.run as run

    seen = {}

    def fake(request, **kw):
        seen["x"], seen["w"] = request.inputs.x, request.inputs.w
        raise SystemExit(0)

    monkeypatch.setattr(run, "render_request", fake)
    CliRunner().invoke(cli, ["render", "sliding", "--weights", "sobel-x", "--input", "6",
                             "--padding", "0", "-o", str(tmp_path / "s.gif")])
    assert "x" in seen
    from convmath import convolve

    check_edge_output(seen["x"], seen["w"], convolve(seen["x"], seen["w"], ConvSpec((6, 6), 3)))
