"""The convanim command line, driven through click's CliRunner (no rendering: a fake encoder).

Bad input must end in exactly one ``Error: …`` line naming the option, the value and what is
allowed, with exit status 2; results are checked against numpy/scipy, not against the engine.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest
from click.testing import CliRunner
from scipy.signal import convolve2d

import scenes.pipeline.run as scene_render
from cli import cli
from convmath import ConvSpec, describe_spec
from convmath.parse import build_conv
from scenes.alt import alt_text
from scenes.catalog import SCENES
from scenes.inputs import ConvInputs

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


# --- help ---------------------------------------------------------------------------------------


COMMANDS = [[], ["render"], ["explain"], ["list"], ["gallery"]]


@pytest.mark.parametrize("args", COMMANDS)
def test_every_help_answers_with_examples(runner: CliRunner, args: list[str]) -> None:
    result = runner.invoke(cli, [*args, "--help"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Usage: ")
    if args != ["list"]:
        assert "Examples:" in result.output
        assert "convanim " in result.output.split("Examples:")[1]


def test_help_does_not_import_manim() -> None:
    code = (
        "import sys\n"
        "from click.testing import CliRunner\n"
        "from cli import cli\n"
        f"for args in {COMMANDS!r}:\n"
        "    r = CliRunner().invoke(cli, [*args, '--help'])\n"
        "    assert r.exit_code == 0, r.output\n"
        "r = CliRunner().invoke(cli, ['list'])\n"
        "assert r.exit_code == 0\n"
        "print('manim' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "False"


def test_version(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["--version"])
    assert result.exit_code == 0
    assert re.fullmatch(r"convanim, version \S+\n", result.output)


# --- one-line errors ----------------------------------------------------------------------------

STRIDE_RULE = "a stride is an integer >= 1 like 2, or one per axis like 2x1"
SIZE_RULE = "a size is an integer >= 1 like 5, or one per axis like 5x7"
PADDING_RULE = (
    "a padding is an integer >= 0 like 1, one per axis like 1x2, before:after per axis like "
    "1:2,0:1, or one of valid, same, full"
)
ARRAY_RULE = (
    "random, random:SEED, inline numbers (1D 2,1,0,1,2 or 2 1 0 1 2; 2D rows 1,2,3;4,5,6 or "
    "1 2 3; 4 5 6 or [[1,2,3],[4,5,6]]), or a .npy, .csv or .txt file"
)

ERRORS = [
    ("--stride 0", f"Invalid value for '--stride': '0' is not allowed: {STRIDE_RULE}"),
    ("--stride 2x1x3", f"Invalid value for '--stride': '2x1x3' is not allowed: {STRIDE_RULE}"),
    ("--stride two", f"Invalid value for '--stride': 'two' is not allowed: {STRIDE_RULE}"),
    ("--dilation 0", "Invalid value for '--dilation': '0' is not allowed: a dilation is an "
     "integer >= 1 like 2, or one per axis like 2x1"),
    ("--input 0", f"Invalid value for '--input': '0' is not allowed: {SIZE_RULE}"),
    ("--input 5x", f"Invalid value for '--input': '5x' is not allowed: {SIZE_RULE}"),
    ("--kernel -3", f"Invalid value for '--kernel': '-3' is not allowed: {SIZE_RULE}"),
    ("--padding foo", f"Invalid value for '--padding': 'foo' is not allowed: {PADDING_RULE}"),
    ("--padding 1:2:3", f"Invalid value for '--padding': '1:2:3' is not allowed: {PADDING_RULE}"),
    ("--padding -1", f"Invalid value for '--padding': '-1' is not allowed: {PADDING_RULE}"),
    ("--padding 1:2,0:1,3:3",
     f"Invalid value for '--padding': '1:2,0:1,3:3' is not allowed: {PADDING_RULE}"),
    ("--padding 1x2 --dims 1", "--padding gives 2 values but --dims is 1: give one value"),
    ("--output-padding 1", "--output-padding 1 needs --transposed: output padding only exists "
     "for transposed convolutions"),
    ("--output-padding -1 --transposed", "Invalid value for '--output-padding': '-1' is not "
     "allowed: an output padding is an integer >= 0 like 1, or one per axis like 1x0"),
    ("--transposed --stride 2 --output-padding 2", "--output-padding=2 is invalid: on "
     "axis 0 it must be smaller than the stride (2) or the dilation (1)"),
    ("--dims 1 --transposed --stride 2 --output-padding 2", "--output-padding=2 is invalid: on "
     "axis 0 it must be smaller than the stride (2) or the dilation (1)"),
    ("--dims 3", "Invalid value for '--dims': '3' is not one of '1', '2'."),
    ("--dims 1 --input 5x7", "--input 5x7 gives 2 values but --dims is 1: give one value"),
    ("--input 3 --kernel 5", "--kernel=5 is invalid with dilation=1: on axis 0 the "
     "kernel spans 5 cells, more than the padded input's 3 (input 3 + padding 0+0); the kernel "
     "must fit inside the padded input"),
    ("--values 1,2;3", "Invalid value for '--values': '1,2;3' has rows of different lengths "
     "(2, 1)"),
    ("--values 1,2,a", f"Invalid value for '--values': '1,2,a' is not one of: {ARRAY_RULE} "
     "('a' is not a number)"),
    ("--values nan,1,2", "Invalid value for '--values': 'nan,1,2' contains NaN or infinite "
     "values"),
    ("--values random:x", "Invalid value for '--values': 'random:x' has an invalid seed: write "
     "random:SEED with SEED an integer >= 0"),
    ("--values missing.npy", "Invalid value for '--values': file 'missing.npy' does not exist"),
    ("--values 1,2,3 --input 4 --dims 1", "--values '1,2,3' has shape 3 but --input is 4: they "
     "must agree (or leave out --input)"),
    ("--dims 2 --values 1,2,3", "--values '1,2,3' is 1D but --dims is 2: give a 2D array (write "
     "2D rows separated by ';', e.g. 1,2;3,4)"),
    ("--values 1,2,3,4,5 --weights 1,1;1,1", "--values is 1D but --weights is 2D: both must "
     "have the same number of dimensions"),
    ("--weights nope", f"Invalid value for '--weights': 'nope' is not one of: {ARRAY_RULE}, or a "
     "preset: identity, box-blur, gaussian, sharpen, sobel-x, sobel-y, laplacian, seed-2d, "
     "difference, counting"),
    ("--weights sobel-x --kernel 2", "--weights 'sobel-x' has shape 3x3 but --kernel is 2x2: "
     "they must agree (or leave out --kernel)"),
    ("--input 101", "--input=101×101 is too large: it has 10201 cells and convanim draws and "
     "explains at most 10000 cells per grid (e.g. 100×100)"),
    ("--input 3 --stride 100 --transposed", "output_shape=203×203 is too large: it has 41209 "
     "cells and convanim draws and explains at most 10000 cells per grid (e.g. 100×100)"),
    ("--max-steps -1", "Invalid value for '--max-steps': -1 is not in the range x>=0."),
    ("--lang fr", "Invalid value for '--lang': 'fr' is not one of 'en', 'es'."),
]


@pytest.mark.parametrize("args, message", ERRORS)
def test_bad_input_is_one_error_line_exit_2(runner: CliRunner, args: str, message: str) -> None:
    result = runner.invoke(cli, ["explain", *args.split()])
    assert result.exit_code == 2
    assert result.stderr == f"Error: {message}\n"
    assert result.stdout == ""


RENDER_ERRORS = [
    ("nope", "Invalid value for 'SCENE': 'nope' is not one of 'sliding', 'matrix', "
     "'connectivity', 'superposition', 'sizes', 'flip'"
     + "".join(f", '{n}'" for n in list(SCENES)[6:]) + "."),
    ("", "Missing argument 'SCENE'. Choose from: sliding, matrix, connectivity, superposition, "
     "sizes, flip" + "".join(f", {n}" for n in list(SCENES)[6:])),
    ("sliding --quality ultra", "Invalid value for '-q' / '--quality': 'ultra' is not one of "
     "'low', "
     "'medium', 'high', '4k', 'l', 'm', 'h', 'k'."),
    ("sliding --format avi", "Invalid value for '--format': 'avi' is not one of 'gif', 'mp4', "
     "'webm', 'png', 'svg', 'pdf'."),
    ("sliding --fps 0 --no-cache", "--fps=0 is invalid: fps must be a number in 1..50 for a "
     "GIF"),
    ("sliding --fps 130 --format mp4", "--fps=130 is invalid: fps must be a number in 1..120"),
    ("sliding --fps inf", "--fps=inf is invalid: fps must be a number in 1..50 for a GIF"),
    ("sliding --fps 2.5x", "Invalid value for '--fps': '2.5x' is not a number"),
    ("sliding --width 5", "--width=5 is invalid: width must be an integer in 64..7680"),
    ("sliding --step-time 0", "--step-time=0 is invalid: it must be a number of seconds in "
     "0.05..10"),
    ("sliding --step-time inf", "--step-time=inf is invalid: it must be a number of seconds in "
     "0.05..10"),
    ("sliding -o .", "--output='.' is invalid: it is a directory, not a file (end the name with "
     "/ to write into it)"),
    ("sliding --output-padding 1", "--output-padding 1 needs --transposed: output padding only "
     "exists for transposed convolutions"),
]


@pytest.mark.parametrize("args, message", RENDER_ERRORS)
def test_bad_render_input(runner: CliRunner, args: str, message: str) -> None:
    result = runner.invoke(cli, ["render", *args.split()])
    assert result.exit_code == 2
    assert result.stderr == f"Error: {message}\n"


def test_unreadable_values_file(runner: CliRunner, tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("1,2\nx,y\n")
    result = runner.invoke(cli, ["explain", "--values", str(bad)])
    assert result.exit_code == 2
    assert result.stderr.startswith(
        f"Error: Invalid value for '--values': file '{bad}' could not be read as numbers ("
    )
    assert result.stderr.count("\n") == 1


# --- explain ------------------------------------------------------------------------------------


def _result_rows(markdown: str) -> np.ndarray:
    block = markdown.split("### ")[-1].splitlines()[1:]
    rows = [line.split() for line in block if line.strip()]
    return np.array([[float(v.replace("\u2212", "-")) for v in r] for r in rows])


SEED_001 = "--dims 1 --input 5 --kernel 2 --values 2,1,0,1,2 --weights 1,-1 --flip"


def test_explain_seed_001_hand_computation(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["explain", *SEED_001.split()])
    assert result.exit_code == 0, result.output
    out = result.output
    expected = np.convolve([2, 1, 0, 1, 2], [1, -1], mode="valid")  # [-1, -1, 1, 1]
    np.testing.assert_array_equal(_result_rows(out)[0], expected)
    assert "`y[0] = (2·(−1)) + (1·1) = −1`" in out
    assert "`y[3] = (1·(−1)) + (2·1) = 1`" in out
    assert "### Worked computation" in out and "### Output size" in out
    spec = ConvSpec((5,), 2, flip=True)
    assert out.startswith(f"**{describe_spec(spec, 'en')}**")
    assert out.startswith("**Convolution of a")


def test_explain_in_spanish(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["explain", *SEED_001.split(), "--lang", "es"])
    assert result.exit_code == 0
    assert "### Cálculo detallado" in result.output
    assert "### Tamaño de salida" in result.output
    assert f"**{describe_spec(ConvSpec((5,), 2, flip=True), 'es')}**" in result.output
    assert result.output.startswith("**Convolución de una entrada")
    np.testing.assert_array_equal(_result_rows(result.output)[0], [-1, -1, 1, 1])


def test_explain_seed_001_2d_against_scipy(runner: CliRunner, tmp_path: Path) -> None:
    x = np.array([[1, 2, 3, 3], [4, 5, 6, 6], [7, 8, 9, 9], [7, 8, 9, 9]])
    np.savetxt(tmp_path / "x.csv", x, delimiter=",", fmt="%d")
    result = runner.invoke(
        cli, ["explain", "--values", str(tmp_path / "x.csv"), "--weights", "seed-2d", "--flip"]
    )
    assert result.exit_code == 0, result.output
    w = np.array([[0, 1, 0], [-1, 1, -1], [0, 1, 0]])
    np.testing.assert_array_equal(_result_rows(result.output), convolve2d(x, w, mode="valid"))


def test_explain_max_steps(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["explain", "--max-steps", "2"])
    assert result.exit_code == 0
    assert result.output.count("- `y[") == 2
    assert "7 more steps" in result.output


def test_explain_same_default_values_as_render() -> None:
    spec = build_conv(dims=None, input=None, kernel=None).spec
    inputs = ConvInputs.make(spec)  # what explain draws, and render for the sliding scene
    x, w = inputs.x, inputs.w
    np.testing.assert_array_equal(w, [[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]])
    assert x.shape == (5, 5) and np.all(x == np.round(x))


# --- list ----------------------------------------------------------------------------------------


def test_list_scenes_and_presets(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["list"])
    assert result.exit_code == 0
    for name in ("sliding", "matrix", "connectivity", "superposition", "sizes", "paddings",
                 "sizes_transposed", "flip"):
        assert re.search(rf"^  {name} +\S", result.output, re.M), name
    for name in ("identity", "box-blur", "gaussian", "sharpen", "sobel-x", "sobel-y", "laplacian"):
        assert f"  {name} (3x3)" in result.output
    assert "    −1   0   1\n    −2   0   2\n    −1   0   1" in result.output.replace("−1  0  1",
                                                                                  "−1   0   1")
    # Fractions exactly (issue 12 #7): the factor pulled out, integer multiples below.
    assert "  box-blur (3x3) = 1/9 ×\n" + "    1  1  1\n" * 3 in result.output
    assert "  gaussian (3x3) = 1/16 ×\n    1  2  1\n    2  4  2\n    1  2  1\n" in result.output
    assert "0.11" not in result.output and "0.06" not in result.output
    es = runner.invoke(cli, ["list", "--lang", "es"])
    assert "filtro" in es.output and es.output != result.output


# --- render (fake encoder: the real one is exercised in test_render.py) -------------------------


class _FakeScene:
    def __init__(self, *args: object, **kwargs: object) -> None:
        self.args, self.kwargs = args, kwargs


def _fake_backend(calls: list[dict]):
    def render_to_file(make_scene, path, **kw):
        scene = make_scene()
        calls.append({"scene": scene, "path": Path(path), **kw})
        for i in range(1, 4):
            if kw.get("progress"):
                kw["progress"](i)
        Path(path).write_bytes(b"GIF89a" + b"\0" * 100)
        return SimpleNamespace(frames=3, duration=1.5, width=96, height=54, fps=2.0)

    return render_to_file


@pytest.fixture
def fake_render(monkeypatch: pytest.MonkeyPatch) -> list[dict]:
    calls: list[dict] = []
    monkeypatch.setattr(scene_render, "_backend", lambda: _fake_backend(calls))
    monkeypatch.setattr(scene_render, "load_scene_class", lambda name: _FakeScene)
    return calls


def test_render_prints_path_size_frames_and_markdown(
    runner: CliRunner, fake_render: list[dict], tmp_path: Path
) -> None:
    out = tmp_path / "a.gif"
    args = ["render", "sliding", "--stride", "2", "--padding", "1", "-o", str(out)]
    result = runner.invoke(cli, args)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == f"Wrote {out}"
    assert lines[1] == "  106 B (106 bytes), 3 frames, 1.5 s, 96×54 px at 2 fps"
    assert lines[2] == (  # the sliding scene's alt text (issue 16), then the configuration
        "![The kernel slides over the input; at each of its 9 positions the products under the "
        "window add up to one output cell. Cross-correlation of a 5×5 input with a 3×3 kernel, "
        f"stride 2, padding 1 → 3×3 output]({out.as_posix()})"
    )
    assert len(fake_render) == 1
    again = runner.invoke(cli, args)
    assert again.stdout.splitlines()[0] == f"Reused (cached) {out}"
    assert len(fake_render) == 1
    forced = runner.invoke(cli, [*args, "--no-cache", "--lang", "es"])
    assert forced.stdout.splitlines()[-1].startswith("![El filtro se desliza sobre la entrada")
    assert forced.stdout.splitlines()[-1].endswith(
        "Correlación cruzada de una entrada 5×5 con un filtro 3×3, paso 2, relleno 1 → "
        f"salida 3×3]({out.as_posix()})"
    )
    assert len(fake_render) == 2


@pytest.mark.parametrize("name", list(SCENES))
def test_render_with_no_shaping_option_draws_the_scene_example(
    runner: CliRunner, fake_render: list[dict], tmp_path: Path, name: str
) -> None:
    """``convanim render NAME`` draws the catalog's example, as ``manim`` and the gallery do
    (it once drew a generic 5×5, stride 1 convolution for every scene)."""
    result = runner.invoke(cli, ["render", name, "--lang", "es", "--theme", "dark",
                                 "-o", str(tmp_path / "a.gif")])
    assert result.exit_code == 0, result.output
    d = SCENES[name].defaults
    spec, x, w = fake_render[0]["scene"].args[:3]
    expected = ConvInputs.make(d.spec, defaults=d)
    assert spec == d.spec
    np.testing.assert_array_equal(x, expected.x)
    np.testing.assert_array_equal(w, expected.w)


@pytest.mark.parametrize(("args", "shape", "kernel", "stride", "w"), [
    # Arrays that fit the example keep it (sliding: 5×5, 3×3 kernel, stride 2, padding 1).
    (["--weights", "box-blur"], (5, 5), (3, 3), (2, 2), np.full((3, 3), 1 / 9)),
    # Any option that shapes the convolution: the generic defaults (stride 1, no padding).
    (["--stride", "1"], (5, 5), (3, 3), (1, 1), None),
    (["--input", "4"], (4, 4), (3, 3), (1, 1), None),
    # Arrays whose shape the example cannot take: their shapes decide.
    (["--weights", "1,-1"], (5,), (2,), (1,), np.array([1.0, -1.0])),
])
def test_render_example_yields_to_what_is_typed(
    runner: CliRunner, fake_render: list[dict], tmp_path: Path, args: list[str],
    shape: tuple, kernel: tuple, stride: tuple, w: np.ndarray | None,
) -> None:
    result = runner.invoke(cli, ["render", "sliding", *args, "-o", str(tmp_path / "a.gif")])
    assert result.exit_code == 0, result.output
    spec, _, drawn_w = fake_render[0]["scene"].args[:3]
    assert (spec.input_shape, spec.kernel_shape, spec.stride) == (shape, kernel, stride)
    assert spec.padding == (((1, 1),) * 2 if stride == (2, 2) else ((0, 0),) * len(shape))
    if w is not None:
        np.testing.assert_allclose(drawn_w, w)


def test_render_passes_options_to_scene_and_encoder(
    runner: CliRunner, fake_render: list[dict], tmp_path: Path
) -> None:
    result = runner.invoke(cli, [
        "render", "flip", "--dims", "1", "--values", "2,1,0,1,2", "--weights", "1,-1", "--flip",
        "--mode", "schematic", "--theme", "dark", "--lang", "es", "--quality", "m",
        "--format", "mp4", "--fps", "7", "--width", "200", "--step-time", "0.5",
        "-o", str(tmp_path / "f.mp4"),
    ])
    assert result.exit_code == 0, result.output
    call = fake_render[0]
    spec, x, w = call["scene"].args
    assert spec.flip and spec.input_shape == (5,) and spec.kernel_shape == (2,)
    np.testing.assert_array_equal(x, [2, 1, 0, 1, 2])
    np.testing.assert_array_equal(w, [1, -1])
    assert call["scene"].kwargs == {"mode": "schematic", "theme": "dark", "lang": "es",
                                    "step_time": 0.5}
    assert (call["fmt"], call["quality"], call["fps"], call["width"]) == ("mp4", "medium", 7, 200)
    alt = alt_text("flip", spec, "es")
    src = (tmp_path / "f.mp4").as_posix()
    assert result.stdout.splitlines()[-1] == (  # the fake encoder wrote no poster
        f'<video controls loop muted playsinline width="96" height="54" aria-label="{alt}">'
        f'<source src="{src}" type="video/mp4"><a href="{src}">{alt}</a></video>'
    )


def test_render_default_name_under_media(
    runner: CliRunner, fake_render: list[dict], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(cli, ["render", "sliding", "--stride", "2", "--padding", "1"])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == "Wrote media/sliding_i5_k3_s2_p1.gif"
    assert (tmp_path / "media" / "sliding_i5_k3_s2_p1.gif").is_file()


def test_unwritable_output(runner: CliRunner, fake_render: list[dict], tmp_path: Path) -> None:
    (tmp_path / "afile").write_text("x")
    result = runner.invoke(cli, ["render", "sliding", "-o", str(tmp_path / "afile" / "x.gif")])
    assert result.exit_code == 2
    assert result.stderr == (f"Error: --output='{tmp_path / 'afile'}' is invalid: "
                             f"'{tmp_path / 'afile'}' is a file, not a folder\n")
    result = runner.invoke(cli, ["gallery", "--preset", "post", "-o", str(tmp_path / "afile")])
    assert result.exit_code == 2
    assert result.stderr == (f"Error: Invalid value for '-o' / '--output': Directory "
                             f"'{tmp_path / 'afile'}' is a file.\n")
    result = runner.invoke(cli, ["gallery", "--preset", "post", "-o",
                                 str(tmp_path / "afile" / "g")])
    assert result.exit_code == 2
    assert result.stderr == (f"Error: --output='{tmp_path / 'afile' / 'g'}' is invalid: "
                             f"'{tmp_path / 'afile'}' is a file, not a folder\n")
    assert fake_render == []


def test_render_failure_is_one_line_exit_1(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    def broken(make_scene, path, **kw):
        Path(path).write_bytes(b"partial")
        raise RuntimeError("cairo exploded\nsecond line")

    monkeypatch.setattr(scene_render, "_backend", lambda: broken)
    monkeypatch.setattr(scene_render, "load_scene_class", lambda name: _FakeScene)
    out = tmp_path / "x.gif"
    result = runner.invoke(cli, ["render", "sliding", "-o", str(out)])
    assert result.exit_code == 1
    m = re.fullmatch(
        r"Error: rendering sliding failed \(RuntimeError: second line\)\. The log is in (\S+)\n",
        result.stderr,
    )
    assert m, result.stderr
    log = Path(m.group(1))
    assert "cairo exploded" in log.read_text()
    assert list(tmp_path.iterdir()) == []
    log.unlink()


# ChannelGroups draws channel blocks, not the input grid: its limit is on channels (below).
@pytest.mark.parametrize("scene", [s for s in SCENES if s != "groups"])
def test_too_large_configuration_is_rejected_before_rendering(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, scene: str
) -> None:
    pytest.importorskip(SCENES[scene].module)
    calls: list[dict] = []
    monkeypatch.setattr(scene_render, "_backend", lambda: _fake_backend(calls))
    # the size scenes that draw rows of cells only (no numbers) take every 2D input up to the
    # engine's cell limit: a long 1D row is what they refuse
    n, dims = {"paddings": ("200", "1"), "sizes_transposed": ("200", "1")}.get(scene,
                                                                              ("60", "2"))
    result = runner.invoke(cli, ["render", scene, "--dims", dims, "--input", n, "-o",
                                 str(tmp_path / "b.gif")])
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: ") and result.stderr.count("\n") == 1
    assert n in result.stderr and "limit" in result.stderr
    assert calls == [] and list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    "args, incomplete, expected",
    [
        (["render"], "s", ["sliding", "superposition", "sizes", "sizes_transposed"]),
        (["render", "sliding", "--weights"], "so", ["sobel-x", "sobel-y"]),
        (["render", "sliding", "--theme"], "", ["light", "dark"]),
        ([], "ex", ["explain"]),
    ],
)
def test_shell_completion(args: list[str], incomplete: str, expected: list[str]) -> None:
    from click.shell_completion import ShellComplete

    comp = ShellComplete(cli, {}, "convanim", "_CONVANIM_COMPLETE")
    words = [c.value for c in comp.get_completions(args, incomplete) if c.type == "plain"]
    assert words == expected


@pytest.mark.parametrize("values", ["[[1,2,0],[3,4,1],[0,1,2]]", "1 2 0; 3 4 1; 0 1 2",
                                    "[[1, 2, 0], [3, 4, 1], [0, 1, 2]]"])
def test_explain_accepts_three_notations(runner: CliRunner, values: str) -> None:
    """Issue 12 #9: the bracket and space notations give the same worked text as 1,2;3,4."""
    base = runner.invoke(cli, ["explain", "--values", "1,2,0;3,4,1;0,1,2",
                               "--weights", "1,0;0,-1"])
    other = runner.invoke(cli, ["explain", "--values", values, "--weights", "[[1,0],[0,-1]]"])
    assert base.exit_code == other.exit_code == 0, other.output
    assert other.output == base.output
    x = np.array([[1, 2, 0], [3, 4, 1], [0, 1, 2]])
    w = np.array([[1, 0], [0, -1]])
    expected = [[(x[r:r + 2, c:c + 2] * w).sum() for c in range(2)] for r in range(2)]
    np.testing.assert_array_equal(_result_rows(other.output), expected)
