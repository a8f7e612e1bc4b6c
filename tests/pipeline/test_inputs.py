"""`scenes.inputs` and the catalog's defaults: one source of what a scene draws by default.

The default arrays are checked against an independent oracle (numpy's seeded generator and the
presets' literal matrices), and the manim path (a scene built with no arguments) against the CLI
path (what ``scenes.render`` hands the scene).
"""

from __future__ import annotations

import subprocess
import sys
from dataclasses import replace
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest

import scenes.pipeline.run as scene_render
from convmath import ConvMathError, ConvSpec
from scenes.catalog import SCENES, entry_for_class, scene_entry
from scenes.inputs import ConvInputs, SceneDefaults

ROOT = Path(__file__).resolve().parents[2]
SOBEL_X = [[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]]


def _oracle_ints(shape: tuple[int, ...], seed: int, low: int, high: int) -> np.ndarray:
    return np.random.default_rng(seed).integers(low, high + 1, size=shape).astype(float)


# --- ConvInputs.make -----------------------------------------------------------------------------


def test_make_fills_missing_arrays_from_the_defaults() -> None:
    spec = ConvSpec((5, 5), 3)
    inputs = ConvInputs.make(spec)
    np.testing.assert_array_equal(inputs.x, _oracle_ints((5, 5), 0, -2, 4))
    np.testing.assert_array_equal(inputs.w, SOBEL_X)
    d = SceneDefaults(ConvSpec((6,), 3), kernel="seed-2d", seed=27)
    one_d = ConvInputs.make(ConvSpec((6,), 3), defaults=d)
    np.testing.assert_array_equal(one_d.x, _oracle_ints((6,), 27, -2, 4))
    # seed-2d is 3x3, the kernel is (3,): seeded small integers with seed + 1.
    np.testing.assert_array_equal(one_d.w, _oracle_ints((3,), 28, -1, 2))


def test_issue_13_matrix_defaults_are_the_scenes(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """The issue's example: for ConvSpec((6,), 3) the matrix scene draws these arrays, on the
    manim path and the render (CLI) path alike."""
    d = scene_entry("matrix").defaults
    inputs = ConvInputs.make(ConvSpec((6,), 3), defaults=d)
    np.testing.assert_array_equal(inputs.x, [-2, 2, -1, 0, 4, -2])
    np.testing.assert_array_equal(inputs.w, [1, 2, 3])  # issue 15: counting, no zero weight
    x, w = _render_path_arrays("matrix", ConvSpec((6,), 3), tmp_path, monkeypatch)
    np.testing.assert_array_equal(x, inputs.x)
    np.testing.assert_array_equal(w, inputs.w)


def test_make_keeps_given_arrays_as_read_only_floats() -> None:
    spec = ConvSpec((3,), 2)
    given = [1, 2, 3]
    inputs = ConvInputs.make(spec, given, [1, -1])
    assert inputs.x.dtype == np.float64 and inputs.x.tolist() == [1.0, 2.0, 3.0]
    with pytest.raises(ValueError, match="read-only"):
        inputs.x[0] = 5
    given[0] = 9  # a copy, not a view of the caller's data
    assert inputs.x[0] == 1.0


@pytest.mark.parametrize(
    "x, w, param, match",
    [
        (np.ones(4), None, "x",
         r"x has shape \(4,\), which is invalid: spec.input_shape is \(3,\)"),
        (None, np.ones((2, 2)), "w", r"w has shape \(2, 2\), which is invalid"),
        ([1, np.nan, 2], None, "x", "x is invalid: it contains NaN or infinite values"),
        (None, [np.inf, 1], "w", "w is invalid: it contains NaN or infinite values"),
        (["a", "b", "c"], None, "x", "x is invalid: it must be an array of numbers"),
    ],
)
def test_make_rejects_bad_arrays_naming_the_parameter(x, w, param: str, match: str) -> None:
    with pytest.raises(ConvMathError, match=match) as info:
        ConvInputs.make(ConvSpec((3,), 2), x, w)
    assert info.value.param == param


def test_make_rejects_a_non_spec() -> None:
    with pytest.raises(ConvMathError, match="spec=5 is invalid: it must be a ConvSpec") as info:
        ConvInputs.make(5)  # type: ignore[arg-type]
    assert info.value.param == "spec"


@pytest.mark.parametrize(
    "kw, param",
    [({"kernel": "nope"}, "kernel"), ({"seed": -1}, "seed"), ({"seed": True}, "seed"),
     ({"spec": (5,)}, "spec")],
)
def test_scene_defaults_are_checked(kw: dict, param: str) -> None:
    args = {"spec": ConvSpec((5,), 2), **kw}
    with pytest.raises(ConvMathError) as info:
        SceneDefaults(**args)
    assert info.value.param == param


def test_digest_covers_spec_and_both_arrays() -> None:
    spec = ConvSpec((3,), 2)
    base = ConvInputs.make(spec, [1, 2, 3], [1, -1])
    same = ConvInputs.make(spec, np.array([1.0, 2.0, 3.0]), (1, -1))
    assert base.digest() == same.digest() and base == same and hash(base) == hash(same)
    others = [
        ConvInputs.make(spec, [1, 2, 4], [1, -1]),
        ConvInputs.make(spec, [1, 2, 3], [1, -2]),
        ConvInputs.make(ConvSpec((3,), 2, flip=True), [1, 2, 3], [1, -1]),
        ConvInputs.make(ConvSpec((3,), 2, padding=1), [1, 2, 3], [1, -1]),
    ]
    digests = {base.digest(), *(o.digest() for o in others)}
    assert len(digests) == 5 and all(o != base for o in others)
    assert len(base.digest()) == 64


# --- the catalog ---------------------------------------------------------------------------------

#: The defaults the scene classes carried as class attributes (issue 13), stated once more here.
EXPECTED_DEFAULTS = {
    "sliding": (ConvSpec((5, 5), 3, stride=2, padding=1), "sobel-x", 0),
    # Issue 15: the matrix, connectivity and superposition views count their weights 1 … n.
    "matrix": (ConvSpec((6,), 3), "counting", 27),
    "connectivity": (ConvSpec((5,), 3, stride=2, padding=1), "counting", 0),
    "superposition": (ConvSpec((2, 2), 3, stride=2, transposed=True), "counting", 0),
    "sizes": (ConvSpec((6,), 3, stride=2, padding=1), "difference", 0),
    "paddings": (ConvSpec((6,), 3, stride=2, padding=1), "difference", 0),
    "sizes_transposed": (ConvSpec((6,), 3, stride=2, padding=1), "difference", 0),
    "flip": (ConvSpec((5,), 2), "difference", 0),
    "equation": (ConvSpec((5, 5), 3, stride=2, padding=1), "sobel-x", 0),
    "deconv": (ConvSpec((6,), 3, stride=2, padding=1), "sobel-x", 3),
    "receptive": (ConvSpec((19,), 3, stride=2), "sobel-x", 0),  # field 15: cells outside
    "receptive_compare": (ConvSpec((15, 15), 3), "sobel-x", 0),
    # Issue 18: a 3 → 2 channel example, 4 → 8 channels in 2 groups, an image's R, G, B.
    "channels": (ConvSpec((4, 4), 3, in_channels=3, out_channels=2), "sobel-x", 3),
    "groups": (ConvSpec((6, 6), 3, padding=1, in_channels=4, out_channels=8, groups=2),
               "sobel-x", 0),
    "features": (ConvSpec((24, 24), 3, in_channels=3, out_channels=1), "sobel-x", 0),
}


def _default_image_x() -> tuple[float, ...]:
    from scenes.images import default_image, image_grid

    return tuple(image_grid(default_image(), 24).ravel().tolist())


#: Fixed inputs: the flip scene draws seed 001's worked example for its default spec; the
#: features scene the default image drawn in code.
EXPECTED_X = {"flip": (2.0, 1.0, 0.0, 1.0, 2.0), "features": _default_image_x()}
#: Default biases: the channels scene adds one per output channel.
EXPECTED_BIAS = {"channels": (1.0, -1.0)}


@pytest.mark.parametrize("name", list(SCENES))
def test_catalog_defaults(name: str) -> None:
    d = scene_entry(name).defaults
    assert (d.spec, d.kernel, d.seed) == EXPECTED_DEFAULTS[name]
    assert d.x == EXPECTED_X.get(name)
    assert d.bias == EXPECTED_BIAS.get(name)


def test_fixed_default_input_only_for_the_default_spec() -> None:
    d = SceneDefaults(ConvSpec((3,), 2), "difference", 5, x=(7.0, 8.0, 9.0))
    np.testing.assert_array_equal(ConvInputs.make(d.spec, defaults=d).x, [7, 8, 9])
    other = ConvSpec((3,), 2, flip=True)
    np.testing.assert_array_equal(ConvInputs.make(other, defaults=d).x,
                                  _oracle_ints((3,), 5, -2, 4))
    np.testing.assert_array_equal(ConvInputs.make(other, defaults=d).w, [1, -1])
    with pytest.raises(ConvMathError, match="x=.* is invalid: it must hold 3 finite values"):
        SceneDefaults(ConvSpec((3,), 2), x=(1.0, 2.0))


def test_entry_for_class_walks_the_mro() -> None:
    Matrix = type("MatrixView", (), {})
    Mine = type("MyMatrix", (Matrix,), {})
    Deeper = type("Deeper", (Mine,), {})
    assert entry_for_class(Deeper) is SCENES["matrix"]
    assert entry_for_class(Matrix).defaults.seed == 27
    with pytest.raises(ConvMathError, match="scene class 'Stranger' is not in the scene catalog"):
        entry_for_class(type("Stranger", (), {}))


def test_catalog_does_not_import_manim() -> None:
    code = ("import sys, scenes.catalog, scenes.inputs\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] == 'manim'))\n")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                         check=True, timeout=60)
    assert out.stdout.strip() == "[]"


# --- the manim path and the CLI path draw the same arrays ----------------------------------------


class _Capture:
    def __init__(self, *args: object, **kwargs: object) -> None:
        self.args, self.kwargs = args, kwargs


def _render_path_arrays(name: str, spec: ConvSpec, tmp_path: Path,
                        monkeypatch: pytest.MonkeyPatch) -> tuple[np.ndarray, np.ndarray]:
    """The arrays ``scenes.render`` hands the scene class (a fake encoder, nothing drawn)."""
    seen: list[_Capture] = []

    def backend(make_scene, path, **kw):
        seen.append(make_scene())
        Path(path).write_bytes(b"GIF89a")
        return SimpleNamespace(frames=1, duration=0.0, width=64, height=36, fps=1.0)

    monkeypatch.setattr(scene_render, "_backend", lambda: backend)
    monkeypatch.setattr(scene_render, "load_scene_class", lambda n: _Capture)
    scene_render.render_info(name, spec, output=tmp_path / f"{name}.gif", cache=False)
    call = seen[-1]
    return np.asarray(call.args[1]), np.asarray(call.args[2])


@pytest.mark.parametrize("name", list(SCENES))
def test_manim_path_and_cli_path_draw_the_same_arrays(name: str, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    d = scene_entry(name).defaults
    expected = ConvInputs.make(d.spec, defaults=d)
    x, w = _render_path_arrays(name, d.spec, tmp_path, monkeypatch)
    np.testing.assert_array_equal(x, expected.x)
    np.testing.assert_array_equal(w, expected.w)
    # Another spec of the same scene: still that scene's seed and kernel.
    other = replace(d.spec, flip=not d.spec.flip)
    x2, w2 = _render_path_arrays(name, other, tmp_path, monkeypatch)
    np.testing.assert_array_equal(x2, ConvInputs.make(other, defaults=d).x)
    np.testing.assert_array_equal(w2, ConvInputs.make(other, defaults=d).w)


@pytest.mark.parametrize("name", list(SCENES))
def test_scene_built_with_no_arguments_draws_the_catalog_defaults(name: str,
                                                                  tmp_path: Path) -> None:
    """The plain ``manim`` path: the scene class constructed with no spec and no arrays."""
    import importlib

    from manim import tempconfig

    entry = scene_entry(name)
    cls = getattr(importlib.import_module(entry.module), entry.class_name)
    expected = ConvInputs.make(entry.defaults.spec, defaults=entry.defaults)
    with tempconfig({"pixel_width": 160, "pixel_height": 90, "verbosity": "ERROR",
                     "media_dir": str(tmp_path)}):  # never the checkout's media/
        scene = cls()
    inputs = getattr(scene, "inputs", None)
    x, w = (inputs.x, inputs.w) if inputs is not None else (scene.x, scene.w)
    assert scene.spec == entry.defaults.spec
    np.testing.assert_array_equal(x, expected.x)
    np.testing.assert_array_equal(w, expected.w)
    sub = type("MySubclass", (cls,), {})
    assert entry_for_class(sub) is entry


# --- issue 15: the matrix, connectivity and superposition views default to zero-free kernels ---

#: The scenes whose pictures a zero weight misleads (a missing edge, a fake checkerboard).
ZERO_FREE_SCENES = ("matrix", "connectivity", "superposition")


@pytest.mark.parametrize("name", ZERO_FREE_SCENES)
@pytest.mark.parametrize("spec", [
    None,  # the scene's own default spec
    ConvSpec((6,), 2), ConvSpec((6,), 3), ConvSpec((7,), 5, stride=2),
    ConvSpec((3,), 3, stride=2, transposed=True), ConvSpec((4, 4), 3),
    ConvSpec((2, 2), 3, stride=2, transposed=True), ConvSpec((5, 5), (2, 3), padding=1),
], ids=lambda s: "default" if s is None else repr(s.input_shape + s.kernel_shape))
def test_default_kernels_have_no_zero_and_are_not_their_indices(name: str, spec) -> None:
    d = scene_entry(name).defaults
    spec = d.spec if spec is None else spec
    w = ConvInputs.make(spec, defaults=d).w
    assert w.shape == spec.kernel_shape
    assert np.all(w != 0), (name, w)
    assert len(np.unique(w)) == w.size, (name, w)  # every weight can be followed
    if w.ndim == 1:  # the old 1D default [0, 1, 2] read as the weights' own indices
        assert not np.array_equal(w, np.arange(w.size)), (name, w)
