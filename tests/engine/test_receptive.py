"""convmath.receptive: the receptive window of one output through a stack of layers.

Oracles (never the engine itself):
- a brute-force forward pass written from PyTorch's Conv definition (zero padding, then
  ``out[n] = Σ_m xpad[n·s + m·d]`` per axis): perturb one input cell, propagate through the
  stack, see whether the chosen output moves — that is ``.mask``;
- PyTorch autograd (when torch is installed): the non-zero gradient of that output of a stack of
  all-ones convolutions with respect to the input;
- the receptive-field guide's recurrences (Dang Ha The Hien; Araujo et al., Distill 2019):
  ``j ← j·s``, ``r ← r + (k_eff − 1)·j``, ``start ← start + ((k_eff − 1)/2 − p)·j`` with
  ``start₀ = 0.5``, the field of output ``n`` centred on ``start + n·j``;
- hand-worked stacks (three 3×3 vs one 7×7, dilations 1-2-4).
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from convmath import (
    ConvMathError,
    ConvSpec,
    build_stack,
    check_stack,
    comparison_stacks,
    parameter_count,
    receptive_window,
    receptive_windows,
    size_terms,
    stack_fields,
)

# -- oracles written from the definitions ---------------------------------------------------------


def naive_layer(x: np.ndarray, spec: ConvSpec) -> np.ndarray:
    """PyTorch's Conv (cross-correlation, all-ones kernel): pad with zeros, then slide."""
    xpad = np.pad(x, spec.pads)
    out = np.zeros(spec.output_shape)
    for n in itertools.product(*(range(o) for o in spec.output_shape)):
        total = 0.0
        for m in itertools.product(*(range(k) for k in spec.kernel_shape)):
            at = tuple(nn * s + mm * d for nn, mm, s, d in zip(n, m, spec.stride, spec.dilation))
            total += xpad[at]
        out[n] = total
    return out


def naive_forward(x: np.ndarray, stack) -> np.ndarray:
    for spec in stack:
        x = naive_layer(x, spec)
    return x


def perturbation_mask(stack, out_index) -> np.ndarray:
    """Cells whose unit perturbation changes ``out_index`` of the last layer."""
    shape = stack[0].input_shape
    mask = np.zeros(shape, dtype=bool)
    for cell in itertools.product(*(range(n) for n in shape)):
        x = np.zeros(shape)
        x[cell] = 1.0
        mask[cell] = naive_forward(x, stack)[tuple(out_index)] != 0.0
    return mask


def guide_fields(stack, axis):
    """``(n, j, r, start)`` after each layer, from the guide's recurrences."""
    n, j, r, start = stack[0].input_shape[axis], 1, 1, 0.5
    out = []
    for spec in stack:
        k, s, d = spec.kernel_shape[axis], spec.stride[axis], spec.dilation[axis]
        pb, pa = spec.pads[axis]
        k_eff = d * (k - 1) + 1
        n = (n + pb + pa - k_eff) // s + 1
        start = start + ((k_eff - 1) / 2 - pb) * j
        r = r + (k_eff - 1) * j
        j = j * s
        out.append((n, j, r, start))
    return out


# -- strategies -----------------------------------------------------------------------------------


@st.composite
def layer_params(draw, size):
    d = draw(st.integers(1, 3))
    pb, pa = draw(st.integers(0, 2)), draw(st.integers(0, 2))
    k_max = (size + pb + pa - 1) // d + 1
    k = draw(st.integers(1, min(k_max, 4)))
    s = draw(st.integers(1, 3))
    return k, s, (pb, pa), d


@st.composite
def stacks(draw, max_layers=3, ndim=None):
    ndim = ndim or draw(st.sampled_from([1, 2]))
    shape = tuple(draw(st.integers(3, 12 if ndim == 1 else 7)) for _ in range(ndim))
    layers: list[ConvSpec] = []
    current = shape
    for _ in range(draw(st.integers(1, max_layers))):
        params = [draw(layer_params(n)) for n in current]
        spec = ConvSpec(
            current,
            tuple(p[0] for p in params),
            stride=tuple(p[1] for p in params),
            padding=tuple(p[2] for p in params),
            dilation=tuple(p[3] for p in params),
        )
        layers.append(spec)
        current = spec.output_shape
    return tuple(layers)


@st.composite
def stack_and_cell(draw, **kwargs):
    stack = draw(stacks(**kwargs))
    cell = tuple(draw(st.integers(0, n - 1)) for n in stack[-1].output_shape)
    return stack, cell


# -- the mask -------------------------------------------------------------------------------------


@given(stack_and_cell())
def test_mask_is_what_a_perturbation_moves(case):
    stack, cell = case
    window = receptive_window(stack, cell)
    np.testing.assert_array_equal(window.mask, perturbation_mask(stack, cell))
    assert window.mask.shape == stack[0].input_shape
    assert window.count == int(perturbation_mask(stack, cell).sum())


def _torch_mask(torch, stack, cell):
    functional = torch.nn.functional
    x = torch.zeros((1, 1) + stack[0].input_shape, dtype=torch.float64, requires_grad=True)
    h = x
    for spec in stack:
        pads = [p for pair in reversed(spec.pads) for p in pair]  # F.pad: last axis first
        h = functional.pad(h, pads)
        w = torch.ones((1, 1) + tuple(spec.kernel_shape), dtype=torch.float64)
        conv = functional.conv1d if spec.ndim == 1 else functional.conv2d
        h = conv(h, w, stride=spec.stride, dilation=spec.dilation)
    h[(0, 0) + tuple(cell)].backward()
    return (x.grad[0, 0] != 0).numpy()


@given(stack_and_cell())
def test_mask_is_the_autograd_support(case):
    torch = pytest.importorskip("torch")
    stack, cell = case
    expected = _torch_mask(torch, stack, cell)
    np.testing.assert_array_equal(receptive_window(stack, cell).mask, expected)


@pytest.mark.parametrize(
    ("input_shape", "layers", "cell", "expected"),
    [
        # dilation 2 on the input: every other cell, a hole between taps
        ((7,), [(3, 1, 0, 2)], (0,), [1, 0, 1, 0, 1, 0, 0]),
        # two dilated layers leave holes: offsets {0,2} + {0,2} = {0,2,4}
        ((7,), [(2, 1, 0, 2), (2, 1, 0, 2)], (0,), [1, 0, 1, 0, 1, 0, 0]),
        # padding of the first layer: the window starts before the input
        ((5,), [(3, 1, 1, 1), (3, 1, 1, 1)], (0,), [1, 1, 1, 0, 0]),
        # stride 2 then 2: the second layer's window covers 7 input cells
        ((9,), [(3, 2, 0, 1), (2, 1, 0, 1)], (1,), [0, 0, 1, 1, 1, 1, 1, 0, 0]),
    ],
)
def test_hand_worked_masks(input_shape, layers, cell, expected):
    window = receptive_window(build_stack(input_shape, layers), cell)
    np.testing.assert_array_equal(window.mask, np.array(expected, dtype=bool))


def test_2d_mask_is_read_only_and_an_outer_product():
    stack = build_stack((6, 8), [((3, 2), 1, 0, (1, 3))])
    window = receptive_window(stack, (1, 0))
    expected = np.zeros((6, 8), dtype=bool)
    expected[1:4, [0, 3]] = True
    np.testing.assert_array_equal(window.mask, expected)
    with pytest.raises(ValueError):
        window.mask[0, 0] = True


# -- full window, size, jump, centre: the guide ---------------------------------------------------


@given(stack_and_cell())
def test_size_jump_and_centre_follow_the_guide(case):
    stack, cell = case
    window = receptive_window(stack, cell)
    for axis in range(stack[0].ndim):
        n, j, r, start = guide_fields(stack, axis)[-1]
        assert stack[-1].output_shape[axis] == n
        assert window.jump[axis] == j
        assert window.size[axis] == r
        first, last = window.full[axis]
        assert last - first + 1 == r
        assert window.centre[axis] == pytest.approx(start + cell[axis] * j - 0.5)


@given(stacks())
def test_stack_fields_follow_the_guide(stack):
    fields = stack_fields(stack)
    assert len(fields) == len(stack)
    for axis in range(stack[0].ndim):
        got = [(f[axis].size, f[axis].jump, f[axis].receptive_field, f[axis].start) for f in fields]
        assert got == guide_fields(stack, axis)  # halves are exact in binary


@given(stack_and_cell())
def test_mask_lies_inside_the_full_window(case):
    stack, cell = case
    window = receptive_window(stack, cell)
    inside = np.ones(stack[0].input_shape, dtype=bool)
    for axis, (first, last) in enumerate(window.full):
        index = np.arange(stack[0].input_shape[axis])
        keep = (index >= first) & (index <= last)
        inside &= keep.reshape([-1 if a == axis else 1 for a in range(stack[0].ndim)])
    assert not np.any(window.mask & ~inside)


@given(stacks(max_layers=1), st.data())
def test_one_layer_field_is_the_kernel_window(stack, data):
    (spec,) = stack
    cell = tuple(data.draw(st.integers(0, n - 1)) for n in spec.output_shape)
    window = receptive_window(stack, cell)
    taps = []
    for axis, n in enumerate(cell):
        s, d, k = spec.stride[axis], spec.dilation[axis], spec.kernel_shape[axis]
        first = n * s - spec.pads[axis][0]
        assert window.full[axis] == (first, first + d * (k - 1))
        taps.append([first + m * d for m in range(k)])
    expected = np.zeros(spec.input_shape, dtype=bool)
    for at in itertools.product(*taps):
        if all(0 <= t < size for t, size in zip(at, spec.input_shape)):
            expected[at] = True
    np.testing.assert_array_equal(window.mask, expected)


@given(stacks(max_layers=2), st.data())
def test_stacking_adds_k_eff_minus_one_times_the_jump(stack, data):
    below = receptive_window(stack, (0,) * stack[0].ndim)
    top_shape = stack[-1].output_shape
    params = [data.draw(layer_params(n)) for n in top_shape]
    layer = ConvSpec(
        top_shape,
        tuple(p[0] for p in params),
        stride=tuple(p[1] for p in params),
        padding=tuple(p[2] for p in params),
        dilation=tuple(p[3] for p in params),
    )
    above = receptive_window(stack + (layer,), (0,) * stack[0].ndim)
    for axis in range(stack[0].ndim):
        k_eff = layer.effective_kernel_shape[axis]
        assert above.size[axis] == below.size[axis] + (k_eff - 1) * below.jump[axis]
        assert above.jump[axis] == below.jump[axis] * layer.stride[axis]


@given(stack_and_cell(max_layers=3))
def test_levels_grow_down_the_stack(case):
    stack, cell = case
    levels = receptive_windows(stack, cell)
    assert len(levels) == len(stack)
    assert levels[0].full == receptive_window(stack[-1:], cell).full
    assert levels[-1].full == receptive_window(stack, cell).full
    np.testing.assert_array_equal(levels[-1].mask, receptive_window(stack, cell).mask)
    for q, level in enumerate(levels):
        assert level.input_shape == stack[len(stack) - 1 - q].input_shape
    assert [lv.size for lv in levels] == sorted(lv.size for lv in levels)


@pytest.mark.parametrize(
    ("layers", "size", "params"),
    [
        ([3, 3, 3], 7, 27),  # three 3×3 (as in VGG): the field of one 7×7 with 27 weights
        ([7], 7, 49),
        ([(3, 1, 0, 1), (3, 1, 0, 2), (3, 1, 0, 4)], 15, 27),  # dilations 1-2-4
        ([(3, 2, 0, 1), (3, 2, 0, 1)], 7, 18),  # stride 2 doubles the second layer's jump
    ],
)
def test_hand_worked_stacks(layers, size, params):
    shape = (16, 16)
    stack = build_stack(shape, layers)
    window = receptive_window(stack, (0, 0))
    assert window.size == (size, size)
    assert parameter_count(stack) == params


def test_dilations_1_2_4_field_has_no_holes_but_one_layer_does():
    stack = build_stack((15,), [(3, 1, 0, 1), (3, 1, 0, 2), (3, 1, 0, 4)])
    window = receptive_window(stack, 0)
    assert window.full == ((0, 14),)
    assert window.mask.all()
    alone = receptive_window(build_stack((15,), [(3, 1, 0, 4)]), 0)
    assert alone.count == 3 and alone.size == (9,)


def test_layer_argument_picks_an_intermediate_output():
    stack = build_stack((12,), [(3, 2, 0, 1), 3, 3])
    window = receptive_window(stack, 1, layer=0)
    assert window.layer == 0 and window.full == ((2, 4),)
    assert receptive_window(stack, 0, layer=-3).full == ((0, 2),)
    assert window.clipped == ((2, 4),)


def test_full_window_reaches_into_padding():
    stack = build_stack((6,), [(3, 1, 1, 1), (3, 1, 1, 1)])
    window = receptive_window(stack, 0)
    assert window.full == ((-2, 2),)
    assert window.clipped == ((0, 2),)
    assert window.centre == (0.0,)


# -- errors ---------------------------------------------------------------------------------------

_A = ConvSpec((8,), 3)
_B = ConvSpec((6,), 3)


@pytest.mark.parametrize(
    ("specs", "kwargs", "param", "match"),
    [
        ([], {}, "specs", r"at least one layer"),
        (_A, {}, "specs", r"sequence of ConvSpec"),
        ([_A, "x"], {}, "specs", r"layer 1: 'x' is invalid"),
        ([_A, ConvSpec((6,), 3, transposed=True)], {}, "specs", r"layer 1: transposed=True"),
        ([_A, ConvSpec((6, 6), 3)], {}, "specs", r"layer 1: a 2D spec is invalid in a 1D stack"),
        ([_A, ConvSpec((5,), 3)], {}, "specs", r"layer 1: input_shape=\(5,\).*\(6,\)"),
        ([_A, _B], {"layer": 2}, "layer", r"layer=2 is invalid.*\[-2, 1\]"),
        ([_A, _B], {"layer": 1.0}, "layer", r"layer=1.0 is invalid"),
        ([_A, _B], {"out_index": 4}, "out_index", r"out_index=\(4,\).*\(0\.\.3\)"),
        ([_A, _B], {"out_index": (0, 0)}, "out_index", r"1 integer \(one per axis\)"),
        ([_A, _B], {"out_index": -1}, "out_index", r"out_index=\(-1,\) is invalid"),
    ],
)
def test_malformed_stacks_and_indices(specs, kwargs, param, match):
    args = {"out_index": 0} | kwargs
    with pytest.raises(ConvMathError, match=match) as info:
        receptive_window(specs, **args)
    assert info.value.param == param


@pytest.mark.parametrize(
    ("shape", "layers", "param", "match"),
    [
        ((5,), [3, 3, 3], "layers", r"layer 2 \(its input 1\): kernel_shape=3.*spans 3 cells"),
        ((8,), [3, (5, 1, 0, 2)], "layers", r"layer 1 \(its input 6\):.*spans 9 cells"),
        ((8,), [3, "big"], "layers", r"layer 1: 'big' is invalid"),
        ((8,), [{"kernel": 3, "strde": 2}], "layers", r"layer 0: 'strde' is invalid"),
        ((8,), [{"stride": 2}], "layers", r"layer 0: the kernel is missing"),
        ((8,), [(3, 0)], "layers", r"layer 0 \(its input 8\): stride=0 is invalid"),
        ((8,), [], "layers", r"non-empty sequence"),
        ((0,), [3], "input_shape", r"layer 0 \(its input 0\): input_shape=\(0,\)"),
    ],
)
def test_build_stack_names_the_layer(shape, layers, param, match):
    with pytest.raises(ConvMathError, match=match) as info:
        build_stack(shape, layers)
    assert info.value.param == param


def test_build_stack_chains_shapes_and_accepts_every_layer_form():
    stack = build_stack((9, 9), [3, (3, 2), {"kernel": 3, "padding": "same", "dilation": 2}])
    assert [s.input_shape for s in stack] == [(9, 9), (7, 7), (3, 3)]
    assert stack[-1].output_shape == (3, 3)
    assert check_stack(list(stack)) == stack


# -- the size formula's terms and the comparison stacks --------------------------------------------


@given(stacks())
def test_size_terms_sum_to_the_field(stack):
    for axis in range(stack[0].ndim):
        terms = size_terms(stack, axis)
        assert 1 + sum((k_eff - 1) * j for k_eff, j in terms) == guide_fields(stack, axis)[-1][2]


@pytest.mark.parametrize(
    ("ndim", "k", "layers", "fields", "weights"),
    [
        (2, 3, 3, {"stacked": 7, "single": 7, "dilated": 15}, {"stacked": 27, "single": 49,
                                                               "dilated": 27}),
        (1, 3, 3, {"stacked": 7, "single": 7, "dilated": 15}, {"stacked": 9, "single": 7,
                                                               "dilated": 9}),
        (1, 5, 2, {"stacked": 9, "single": 9, "dilated": 13}, {"stacked": 10, "single": 9,
                                                               "dilated": 10}),
    ],
)
def test_comparison_stacks(ndim, k, layers, fields, weights):
    stacks_ = comparison_stacks(ndim, k, layers)
    for name, stack in stacks_.items():
        centre = tuple(n // 2 for n in stack[-1].output_shape)
        window = receptive_window(stack, centre)
        assert window.size == (fields[name],) * ndim
        assert parameter_count(stack) == weights[name]
    assert stacks_["dilated"][0].input_shape == (fields["dilated"],) * ndim


@pytest.mark.parametrize(
    ("kwargs", "param"),
    [({"ndim": 3}, "ndim"), ({"ndim": 1, "k": 1}, "k"), ({"ndim": 1, "layers": 0}, "layers")],
)
def test_comparison_stacks_refuse(kwargs, param):
    with pytest.raises(ConvMathError, match=f"{param}=") as info:
        comparison_stacks(**kwargs)
    assert info.value.param == param


def test_size_terms_refuses_a_missing_axis():
    with pytest.raises(ConvMathError, match="axis=1 is invalid") as info:
        size_terms(build_stack((5,), [3]), 1)
    assert info.value.param == "axis"


def test_comparison_stacks_on_a_given_input():
    stacks_ = comparison_stacks(1, 3, 3, (20,))
    assert all(stack[0].input_shape == (20,) for stack in stacks_.values())
    with pytest.raises(ConvMathError, match=r"input_shape=\(14,\).*at least 15") as info:
        comparison_stacks(1, 3, 3, (14,))
    assert info.value.param == "input_shape"
    with pytest.raises(ConvMathError, match="input_shape"):
        comparison_stacks(2, 3, 3, (15,))
