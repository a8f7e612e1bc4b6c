"""ReceptiveField and StackComparison render and grow the field a brute force finds.

Oracle: perturb one cell of a level, propagate through the dense all-ones layers written from
PyTorch's definition, see whether the picked top cell moves; the guide's size and the classic
weight counts (three 3×3 = 27, one 7×7 = 49).
"""

from __future__ import annotations

import itertools
import re

import numpy as np
import pytest
from scene_helpers import render_scene

from convmath import ConvSpec, build_stack
from scenes.receptive import MIXED_STACK, ReceptiveField, StackComparison, picked_cell
from scenes.stack_inputs import LayerStack


def forward(x, specs):
    for spec in specs:
        xpad = np.pad(x, spec.pads)
        out = np.zeros(spec.output_shape)
        for n in np.ndindex(*spec.output_shape):
            out[n] = sum(xpad[tuple(a * s + b * d for a, b, s, d in
                                    zip(n, m, spec.stride, spec.dilation))]
                         for m in np.ndindex(*spec.kernel_shape))
        x = out
    return x


def brute_cells(specs, cell):
    shape = specs[0].input_shape
    out = []
    for c in itertools.product(*(range(n) for n in shape)):
        x = np.zeros(shape)
        x[c] = 1.0
        if forward(x, specs)[cell] != 0:
            out.append(c)
    return out


@pytest.mark.parametrize(
    ("kwargs", "options"),
    [
        ({"stack": MIXED_STACK}, {}),
        ({"stack": build_stack((12,), [(3, 1, 1), (3, 2, 1), (2, 1, 0, 2)])}, {"lang": "es"}),
        ({"spec": ConvSpec((15,), 3, stride=2)}, {"theme": "dark"}),
        ({"spec": ConvSpec((9, 9), 3, stride=2)}, {"lang": "es", "theme": "dark"}),
        ({"inputs": LayerStack.make((8, 8), [3, (3, 1, 0, 2)])}, {}),
    ],
)
def test_grows_the_brute_force_field(tmp_path, kwargs, options):
    spec = kwargs.pop("spec", None)
    scene = render_scene(ReceptiveField, tmp_path, spec, last_frame_only=True, **kwargs,
                         **options)
    assert scene.problems == []
    assert scene.log.violations() == []
    specs = scene.stack.specs
    top = picked_cell(scene.stack)
    fields = scene.records_of("field")
    assert [f["level"] for f in fields] == list(range(len(specs) - 1, -1, -1))  # downwards
    for f in fields:
        assert f["cells"] == brute_cells(specs[f["level"]:], top)
    assert fields[-1]["size"][0] == len(range(*_span(fields[-1]["full"][0])))
    assert scene.log.texts()[-1].endswith(f"= {fields[-1]['size'][0]}")


def _span(pair):
    return pair[0], pair[1] + 1


def test_a_single_spec_is_stacked_as_often_as_it_fits():
    scene = ReceptiveField(ConvSpec((15,), 3, stride=2))
    assert [s.input_shape for s in scene.stack.specs] == [(15,), (7,), (3,)]


@pytest.mark.parametrize(("spec", "options"), [(None, {}), (ConvSpec((15,), 3),
                                                           {"lang": "es", "theme": "dark"})])
def test_comparison_counts(tmp_path, spec, options):
    scene = render_scene(StackComparison, tmp_path, spec, last_frame_only=True, **options)
    assert scene.problems == []
    assert scene.log.violations() == []
    last = {(r["side"], r["layers"], r["size"][0], r["weights"])
            for r in scene.records_of("compare")}
    per = 9 if scene.spec.ndim == 2 else 3
    assert (0, 3, 7, 3 * per) in last  # three small layers: field 7
    assert (1, 1, 7, 49 if scene.spec.ndim == 2 else 7) in last  # one 7-kernel
    assert (1, 3, 15, 3 * per) in last  # dilations 1-2-4: field 15, same weights


def test_comparison_grows_a_small_input_to_the_widest_field(tmp_path):
    scene = render_scene(StackComparison, tmp_path, ConvSpec((5, 5), 3), last_frame_only=True)
    assert scene.problems == [] and scene.log.violations() == []
    assert scene.grids[0].shape == (15, 15)  # 1 + 2·(1 + 2 + 4)


def _oracle_jumps(strides):
    """The formula's j of layer l (1-based): the product of the strides below it."""
    return [int(np.prod(strides[: n - 1])) for n in range(1, len(strides) + 1)]


@pytest.mark.parametrize(("stack", "lang"), [
    (None, "en"),  # the catalog's default: 19 -> 9 -> 4 -> 1, strides 2, 2, 2
    (build_stack((24,), [(3, 2), (2, 3), 3]), "es"),  # strides 2, 3, 1: jumps 1, 2, 6
])
def test_one_jump_in_captions_drawing_and_formula(tmp_path, stack, lang):
    """Every caption's jump, the stride notes' products, the dashed neighbours' distance on
    the input and the formula's j are the same number: the product of the strides below."""
    kw = {"stack": stack} if stack else {}
    scene = render_scene(ReceptiveField, tmp_path, None, last_frame_only=True, lang=lang, **kw)
    assert scene.problems == [] and scene.log.violations() == []
    strides = [s.stride[0] for s in scene.stack.specs]
    jumps = _oracle_jumps(strides)
    word = "jump" if lang == "en" else "salto"
    grows = [t for t in scene.log.texts() if t.startswith(("Under layer", "Bajo la capa"))]
    layers = [int(re.search(r"(?:layer|capa) (\d+)", t).group(1)) for t in grows]
    assert layers == list(range(len(strides), 0, -1))
    for n, t in zip(layers, grows):
        assert re.search(rf"\({word} (\d+)\)", t).group(1) == str(jumps[n - 1])
        assert re.search(r", (?:separadas )?(\d+) ", t.split("]", 2)[-1]).group(1) == str(
            jumps[n - 1])
    stride_note = r"(Stride|Paso) \d+ (of|en) (layer|la capa)"
    notes = [t for t in scene.log.texts() if re.match(stride_note, t)]
    expect = [f"{strides[m - 1]}·{jumps[m - 1]} = {jumps[m]}"
              for m in range(len(strides) - 1, 0, -1) if strides[m - 1] > 1]
    assert [re.search(r"\d+·\d+ = \d+", t).group(0) for t in notes] == expect
    drawn = scene.records_of("neighbours")
    assert [d["level"] for d in drawn] == [m for m in range(len(strides) - 1, 0, -1)
                                           if strides[m - 1] > 1]
    for d in drawn:  # the dashed lines stand the jump of the layer reading that level apart
        assert (d["xs"][1] - d["xs"][0]) / d["pitch"] == pytest.approx(jumps[d["level"]])
    formula = scene.log.texts()[-1]
    assert re.findall(r"\(\d+ − 1\)·(\d+)", formula) == [str(j) for j in jumps]


def test_the_default_input_is_wider_than_the_field(tmp_path):
    scene = render_scene(ReceptiveField, tmp_path, None, last_frame_only=True)
    field = scene.records_of("field")[-1]
    assert field["level"] == 0
    n = scene.stack.input_shape[0]
    assert len(field["cells"]) == 15 < n  # 1 + 2·(1 + 2 + 4); cells outside the field shown
