"""Stacks of layers on the command line (``--layer``), in gallery files (``layers``) and in the
API (``scenes.render(..., layers=)``), issue 17.

Oracle for the chained shapes: PyTorch's output-size rule, written here
(``floor((i + p_b + p_a − d·(k − 1) − 1) / s) + 1`` per axis), applied layer after layer.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

import scenes.pipeline.run as scene_render
from cli import cli
from convmath import ConvMathError
from convmath.parse import parse_layer, parse_layers
from scenes.gallery import load_gallery
from scenes.gallery.load import GalleryFileError
from scenes.stack_inputs import LayerStack


def _out(i: int, k: int, s: int = 1, p: tuple[int, int] = (0, 0), d: int = 1) -> int:
    return (i + p[0] + p[1] - d * (k - 1) - 1) // s + 1


def _chain(size: tuple[int, ...], layers: list[dict]) -> list[tuple[int, ...]]:
    """Each layer's input shape, then the top output's, by the rule above."""
    shapes = [size]
    for lay in layers:
        shapes.append(tuple(
            _out(i, lay["k"][a], lay["s"][a], lay["p"][a], lay["d"][a])
            for a, i in enumerate(shapes[-1])))
    return shapes


def _ax(v, n):
    return v if isinstance(v, tuple) and len(v) == n else (v,) * n


# (typed layers, input size, the same layers written out: k, s, (p_before, p_after), d per axis)
STACKS = [
    (["3"], (9,), [dict(k=3, s=1, p=(0, 0), d=1)]),
    (["3", "3,2", "k=3,d=2"], (16,),
     [dict(k=3, s=1, p=(0, 0), d=1), dict(k=3, s=2, p=(0, 0), d=1), dict(k=3, s=1, p=(0, 0),
                                                                         d=2)]),
    (["5,1,2", "3,2,1,1"], (12,), [dict(k=5, s=1, p=(2, 2), d=1), dict(k=3, s=2, p=(1, 1), d=1)]),
    (["kernel=3,stride=2,padding=1", "s=1,k=2"], (10,),
     [dict(k=3, s=2, p=(1, 1), d=1), dict(k=2, s=1, p=(0, 0), d=1)]),
    (["3,1,1:2"], (6,), [dict(k=3, s=1, p=(1, 2), d=1)]),
    (["3x3,2", "3x3,1,same"], (9, 9),
     [dict(k=3, s=2, p=(0, 0), d=1), dict(k=3, s=1, p=(1, 1), d=1)]),
    (["3x2,1,1:2x0:1,1x2"], (8, 8), [dict(k=(3, 2), s=1, p=((1, 2), (0, 1)), d=(1, 2))]),
    ([3, [3, 2], {"kernel": 3, "dilation": 2}], (16,),  # what a TOML file holds
     [dict(k=3, s=1, p=(0, 0), d=1), dict(k=3, s=2, p=(0, 0), d=1), dict(k=3, s=1, p=(0, 0),
                                                                         d=2)]),
]


def _per_axis(layers: list[dict], n: int) -> list[dict]:
    out = []
    for lay in layers:
        p = lay["p"]
        pads = p if isinstance(p[0], tuple) else (p,) * n
        out.append({"k": _ax(lay["k"], n), "s": _ax(lay["s"], n), "p": pads,
                    "d": _ax(lay["d"], n)})
    return out


@pytest.mark.parametrize(("typed", "size", "written"), STACKS)
def test_typed_layers_chain_like_pytorchs_rule(typed, size, written) -> None:
    specs = parse_layers(list(size), typed)
    layers = _per_axis(written, len(size))
    shapes = _chain(size, layers)
    assert [s.input_shape for s in specs] == shapes[:-1]
    assert specs[-1].output_shape == shapes[-1]
    for spec, lay in zip(specs, layers):
        assert spec.kernel_shape == lay["k"] and spec.stride == lay["s"]
        assert spec.pads == lay["p"] and spec.dilation == lay["d"]


BAD_LAYERS = [
    ("3,0", "layer 0 = '3,0': the stride '0' is not allowed: a stride is an integer >= 1"),
    ("3,1,x", "layer 0 = '3,1,x': the padding 'x' is not allowed: a padding is"),
    ("0", "layer 0 = '0': the kernel '0' is not allowed: a kernel size is an integer >= 1"),
    ("3,1,0,0", "the dilation '0' is not allowed"),
    ("q=3", "layer 0 = 'q=3': 'q' is not a layer parameter: a layer is K[,S[,P[,D]]]"),
    ("3,1,0,1,5", "layer 0 = '3,1,0,1,5': a layer is K[,S[,P[,D]]]"),
    ("3,k=2", "layer 0 = '3,k=2': the kernel is given twice"),
    ("k=3,2", "layer 0 = 'k=3,2': a layer is K[,S[,P[,D]]]"),
    ("s=2", "layer 0 = 's=2': the kernel is missing"),
    ("", "layer 0 = '': the kernel is missing"),
    (True, "layer 0 = True: a layer is K[,S[,P[,D]]]"),
    ([3, 1, 0, 1, 1], "layer 0 = [3, 1, 0, 1, 1]: a layer is K[,S[,P[,D]]]"),
    ({"kern": 3}, "'kern' is not a layer parameter"),
]


@pytest.mark.parametrize(("layer", "message"), BAD_LAYERS)
def test_a_bad_layer_names_itself_and_what_is_allowed(layer, message) -> None:
    with pytest.raises(ConvMathError, match=message.replace("[", r"\[").replace("(", r"\(")
                       .replace(")", r"\)").replace("*", r"\*")) as info:
        parse_layer(layer)
    assert info.value.param == "layers"


@pytest.mark.parametrize(("size", "layers", "message"), [
    ("9", ["9", "9"], r"layer 1 \(its input 1\): kernel_shape=9 is invalid"),
    ("5", ["3", "3", "3"], r"layer 2 \(its input 1\)"),
    ("9", [], r"layers=\[\] is invalid: give at least one layer"),
    ("9", "3", r"layers='3' is invalid"),
])
def test_a_stack_that_leaves_no_output_names_the_layer(size, layers, message) -> None:
    with pytest.raises(ConvMathError, match=message) as info:
        parse_layers(size, layers)
    assert info.value.param == "layers"


def test_a_bad_input_size_is_the_inputs_error() -> None:
    with pytest.raises(ConvMathError, match="'0' is not allowed: a size is") as info:
        parse_layers("0", ["3"])
    assert info.value.param == "input"


# --- the command line ---------------------------------------------------------------------------


class _FakeScene:
    def __init__(self, *args: object, **kwargs: object) -> None:
        self.args, self.kwargs = args, kwargs


@pytest.fixture
def fake_render(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    made: list[object] = []

    def backend(make_scene, path, **kw):
        made.append(make_scene())
        Path(path).write_bytes(b"GIF89a" + b"\0" * 100)
        from types import SimpleNamespace

        return SimpleNamespace(frames=3, duration=1.5, width=96, height=54, fps=2.0)

    monkeypatch.setattr(scene_render, "_backend", lambda: backend)
    monkeypatch.setattr(scene_render, "load_scene_class", lambda name: _FakeScene)
    return made


@pytest.mark.parametrize(("args", "size"), [
    (["--layer", "3", "--layer", "3,2", "--layer", "k=3,d=2", "--input", "16"], (16,)),
    (["--layer", "3x3,2", "--layer", "3x3,1,same", "--input", "9x9"], (9, 9)),
    (["--layer", "3", "--layer", "3", "--dims", "2"], (19, 19)),  # the scene's size, 2D
    (["--layer", "3", "--layer", "3,2"], (19,)),
])
def test_render_passes_the_stack_to_the_scene(tmp_path, fake_render, args, size) -> None:
    out = tmp_path / "rf.gif"
    result = CliRunner().invoke(cli, ["render", "receptive", *args, "-o", str(out)])
    assert result.exit_code == 0, result.output
    (scene,) = fake_render
    stack = scene.kwargs["stack"]
    assert isinstance(stack, LayerStack)
    typed = [b for a, b in zip(args, args[1:]) if a == "--layer"]
    assert stack.specs == parse_layers(list(size), typed)
    assert stack.input_shape == size


def test_the_default_name_tells_stacks_apart(tmp_path, fake_render, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    for extra in (["--layer", "3,2"], ["--layer", "3,1,0,2"]):
        result = CliRunner().invoke(cli, ["render", "receptive", "--input", "16",
                                          "--layer", "3", *extra])
        assert result.exit_code == 0, result.output
    names = sorted(p.name for p in (tmp_path / "media").rglob("*.gif"))
    assert names == ["receptive_1d_i16_k3_s1_p0_L3d2.gif", "receptive_1d_i16_k3_s1_p0_L3s2.gif"]


CLI_ERRORS = [
    (["render", "receptive", "--layer", "3,0"], "Error: --layer: layer 0 = '3,0': the stride "
     "'0' is not allowed: a stride is an integer >= 1 like 2, or one per axis like 2x1"),
    (["render", "receptive", "--layer", "9", "--layer", "9", "--input", "9"],
     "Error: --layer: layer 1 (its input 1): kernel_shape=9 is invalid with dilation=1: on "
     "axis 0 the kernel spans 9 cells, more than the padded input's 1 (input 1 + padding 0+0); "
     "the kernel must fit inside the padded input"),
    (["render", "receptive", "--layer", "3", "--kernel", "5"], "Error: --kernel is invalid "
     "with --layer: each --layer gives its own kernel, stride, padding and dilation"),
    (["render", "receptive", "--layer", "3", "--stride", "2"], "Error: --stride is invalid "
     "with --layer: each --layer gives its own kernel, stride, padding and dilation"),
    (["render", "receptive", "--layer", "3", "--input", "9x9", "--dims", "1"],
     "Error: --input=9x9 is invalid with --dims 1: give 1 sizes"),
    (["render", "sliding", "--layer", "3"], "Error: --layer is invalid for the sliding scene: "
     "only receptive draws a stack of layers"),
]


@pytest.mark.parametrize(("args", "line"), CLI_ERRORS)
def test_bad_layers_are_one_error_line_exit_2(tmp_path, args, line) -> None:
    result = CliRunner().invoke(cli, [*args, "-o", str(tmp_path / "x.gif")])
    assert result.exit_code == 2
    assert result.stderr == line + "\n"
    assert list(tmp_path.iterdir()) == []


# --- gallery files ------------------------------------------------------------------------------


def test_a_gallery_entry_takes_layers(tmp_path) -> None:
    path = tmp_path / "g.toml"
    path.write_text('[[entry]]\nname = "rf"\nscene = "receptive"\ninput = 16\n'
                    'layers = [3, [3, 2], {kernel = 3, dilation = 2}, "k=2"]\n')
    _, (entry,) = load_gallery(path)
    assert entry.stack.specs == parse_layers("16", ["3", "3,2", "3,1,0,2", "2"])
    assert entry.spec == entry.stack.spec
    assert entry.params == {"input": "16", "layers": "3 · 3,2 · 3,1,0,2 · 2"}  # as typed, short


@pytest.mark.parametrize(("body", "message"), [
    ('scene = "receptive"\nlayers = ["3,0"]', "entry 1: key 'layers': layer 0 = '3,0': the "
     "stride '0' is not allowed"),
    ('scene = "receptive"\nlayers = []', "entry 1: key 'layers': [] is not allowed: write a "
     "list of layers"),
    ('scene = "receptive"\ninput = 5\nlayers = [3, 3, 3]', "entry 1 ('a'): key 'layers': "
     "layer 2 (its input 1)"),
    ('scene = "receptive"\nkernel = 3\nlayers = [3]', "entry 1 ('a'): key 'kernel' is invalid "
     "with 'layers'"),
    ('scene = "sliding"\nlayers = [3]', "entry 1 ('a'): key 'layers' is invalid for the "
     "sliding scene: only receptive draws a stack"),
])
def test_bad_gallery_layers_name_the_entry_and_the_layer(tmp_path, body, message) -> None:
    path = tmp_path / "g.toml"
    path.write_text(f'[[entry]]\nname = "a"\n{body}\n')
    with pytest.raises(GalleryFileError) as info:
        load_gallery(path)
    assert message in str(info.value)


# --- the Python API (one real render, tiny) -----------------------------------------------------


@pytest.mark.render
def test_the_api_renders_a_stack(tmp_path) -> None:
    from PIL import Image

    from scenes import render

    stack = LayerStack.of(parse_layers("12", ["3", "3,2"]))
    info = render("receptive", layers=stack, output=tmp_path / "rf.gif", width=64, fps=2,
                  step_time=0.1)
    with Image.open(info.path) as im:
        assert im.n_frames > 1 and im.width == 64
    assert sorted(p.name for p in tmp_path.iterdir()) == [".rf.gif.json", "rf.gif"]
    import json

    sidecar = json.loads((tmp_path / ".rf.gif.json").read_text())
    assert "layers" in json.dumps(sidecar) and sidecar != {}
    with pytest.raises(ConvMathError, match="only the scenes that draw a stack"):
        render("sliding", layers=stack, output=tmp_path / "no.gif")
