"""convmath.sizes: the size formulas, receptive fields and derivations.

Oracles: the convolution-arithmetic paper's relationships 1–15 (Dumoulin & Visin, arXiv
1603.07285), each written below as its own formula; the paper's gallery configurations;
brute-force counting of window positions; hand-worked receptive fields.
"""

from __future__ import annotations

import math

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from convmath import ConvMathError, ConvSpec, derive_output_size, receptive_field
from convmath.sizes import (
    conv_output_size,
    effective_kernel_size,
    full_padding,
    input_sizes_for_output,
    leftover_cells,
    named_cases,
    output_padding_for,
    same_padding,
    stretched_size,
    transposed_grid_padding,
    transposed_output_size,
    transposed_same_padding,
    window_positions,
)


def out1(**kwargs) -> int:
    """The 1D output size of a spec."""
    (o,) = ConvSpec(**kwargs).output_shape
    return o


# ---------------------------------------------------------------------------------------------
# The paper's relationships, each as its own formula.


def rel1(i, k):  # no zero padding, unit strides
    return (i - k) + 1


def rel2(i, k, p):  # zero padding, unit strides
    return (i - k) + 2 * p + 1


def rel3(i, k):  # half (same) padding: k odd, p = ⌊k/2⌋, s = 1
    return i


def rel4(i, k):  # full padding: p = k − 1, s = 1
    return i + (k - 1)


def rel5(i, k, s):  # no zero padding, non-unit strides
    return math.floor((i - k) / s) + 1


def rel6(i, k, s, p):  # zero padding, non-unit strides
    return math.floor((i + 2 * p - k) / s) + 1


def rel7(i, k, s):  # pooling
    return math.floor((i - k) / s) + 1


def rel8(i_t, k):  # transposed of rel 1: k' = k, s' = 1, p' = k − 1
    return i_t + (k - 1)


def rel9(i_t, k, p):  # transposed of rel 2: p' = k − p − 1
    return i_t + (k - 1) - 2 * p


def rel10(i_t, k):  # transposed of half padding: p' = p
    return i_t


def rel11(i_t, k):  # transposed of full padding: p' = 0
    return i_t - (k - 1)


def rel12(i_t, k, s):  # transposed of rel 5 when s divides i − k: zeros inserted, p' = k − 1
    return s * (i_t - 1) + k


def rel13(i_t, k, s, p):  # transposed of rel 6 when s divides i + 2p − k: p' = k − p − 1
    return s * (i_t - 1) + k - 2 * p


def rel14(i_t, k, s, p, a):  # transposed of rel 6 with a = (i + 2p − k) mod s
    return s * (i_t - 1) + a + k - 2 * p


def rel15(i, k, s, p, d):  # dilated convolution
    return math.floor((i + 2 * p - k - (k - 1) * (d - 1)) / s) + 1


@pytest.mark.parametrize(("i", "k"), [(4, 3), (5, 5), (7, 1), (10, 4)])
def test_relationship_1(i, k):
    assert out1(input_shape=(i,), kernel_shape=k) == rel1(i, k)


@pytest.mark.parametrize(("i", "k", "p"), [(5, 4, 2), (4, 3, 1), (3, 5, 1), (6, 2, 3)])
def test_relationship_2(i, k, p):
    assert out1(input_shape=(i,), kernel_shape=k, padding=p) == rel2(i, k, p)


@pytest.mark.parametrize(("i", "k"), [(5, 3), (4, 1), (6, 5), (2, 7)])
def test_relationship_3(i, k):
    assert out1(input_shape=(i,), kernel_shape=k, padding=k // 2) == rel3(i, k)
    assert out1(input_shape=(i,), kernel_shape=k, padding="same") == rel3(i, k)


@pytest.mark.parametrize(("i", "k"), [(5, 3), (4, 1), (2, 4), (6, 2)])
def test_relationship_4(i, k):
    assert out1(input_shape=(i,), kernel_shape=k, padding=k - 1) == rel4(i, k)
    assert out1(input_shape=(i,), kernel_shape=k, padding="full") == rel4(i, k)


@pytest.mark.parametrize(("i", "k", "s"), [(5, 3, 2), (6, 3, 2), (7, 2, 3), (4, 4, 5)])
def test_relationship_5(i, k, s):
    assert out1(input_shape=(i,), kernel_shape=k, stride=s) == rel5(i, k, s)


@pytest.mark.parametrize(("i", "k", "s", "p"), [(5, 3, 2, 1), (6, 3, 2, 1), (7, 4, 3, 2),
                                                (2, 5, 2, 2)])
def test_relationship_6(i, k, s, p):
    assert out1(input_shape=(i,), kernel_shape=k, stride=s, padding=p) == rel6(i, k, s, p)


@pytest.mark.parametrize(("i", "k", "s"), [(5, 3, 1), (4, 2, 2), (9, 3, 3), (8, 3, 2)])
def test_relationship_7_pooling(i, k, s):
    assert out1(input_shape=(i,), kernel_shape=k, stride=s, padding="valid") == rel7(i, k, s)


@pytest.mark.parametrize(("i", "k"), [(4, 3), (5, 5), (7, 1), (6, 2)])
def test_relationship_8(i, k):
    i_t = rel1(i, k)
    spec = ConvSpec((i_t,), k, transposed=True)
    assert spec.output_shape == (rel8(i_t, k),) == (i,)
    assert spec.grid_pads == ((k - 1, k - 1),)


@pytest.mark.parametrize(("i", "k", "p"), [(5, 4, 2), (4, 3, 1), (6, 5, 1), (6, 2, 1)])
def test_relationship_9(i, k, p):
    i_t = rel2(i, k, p)
    spec = ConvSpec((i_t,), k, padding=p, transposed=True)
    assert spec.output_shape == (rel9(i_t, k, p),) == (i,)
    assert spec.grid_pads == ((k - p - 1, k - p - 1),)


@pytest.mark.parametrize(("i", "k"), [(5, 3), (4, 1), (6, 5), (3, 7)])
def test_relationship_10(i, k):
    p = k // 2
    spec = ConvSpec((i,), k, padding=p, transposed=True)
    assert spec.output_shape == (rel10(i, k),)
    assert spec.grid_pads == ((p, p),)


@pytest.mark.parametrize(("i", "k"), [(5, 3), (4, 1), (2, 4), (6, 2)])
def test_relationship_11(i, k):
    i_t = rel4(i, k)
    for padding in (k - 1, "full"):
        spec = ConvSpec((i_t,), k, padding=padding, transposed=True)
        assert spec.output_shape == (rel11(i_t, k),) == (i,)
        assert spec.grid_pads == ((0, 0),)


@pytest.mark.parametrize(("i", "k", "s"), [(5, 3, 2), (7, 3, 2), (7, 1, 3), (9, 3, 3)])
def test_relationship_12(i, k, s):
    assert (i - k) % s == 0
    i_t = rel5(i, k, s)
    spec = ConvSpec((i_t,), k, stride=s, transposed=True)
    assert spec.output_shape == (rel12(i_t, k, s),) == (i,)
    # Stretched input ĩ' = i' + (i'−1)(s−1), padded by k − 1.
    assert spec.grid_shape == (i_t + (i_t - 1) * (s - 1) + 2 * (k - 1),)


@pytest.mark.parametrize(("i", "k", "s", "p"), [(5, 3, 2, 1), (7, 3, 2, 2), (9, 4, 3, 2),
                                                (4, 2, 2, 0)])
def test_relationship_13(i, k, s, p):
    assert (i + 2 * p - k) % s == 0
    i_t = rel6(i, k, s, p)
    spec = ConvSpec((i_t,), k, stride=s, padding=p, transposed=True)
    assert spec.output_shape == (rel13(i_t, k, s, p),) == (i,)
    assert spec.grid_pads == ((k - p - 1, k - p - 1),)


@pytest.mark.parametrize(("i", "k", "s", "p"), [(6, 3, 2, 1), (8, 3, 3, 1), (7, 4, 3, 2),
                                                (5, 2, 2, 0), (9, 3, 4, 0)])
def test_relationship_14(i, k, s, p):
    a = (i + 2 * p - k) % s
    assert a > 0
    i_t = rel6(i, k, s, p)
    spec = ConvSpec((i_t,), k, stride=s, padding=p, transposed=True, output_padding=a)
    assert spec.output_shape == (rel14(i_t, k, s, p, a),) == (i,)
    # The paper adds the a extra cells to the bottom/right of the equivalent direct input.
    assert spec.grid_pads == ((k - p - 1, k - p - 1 + a),)


@pytest.mark.parametrize(("i", "k", "s", "p", "d"), [(7, 3, 1, 0, 2), (9, 3, 2, 1, 3),
                                                     (8, 2, 1, 0, 4), (10, 4, 3, 2, 2)])
def test_relationship_15(i, k, s, p, d):
    spec = ConvSpec((i,), k, stride=s, padding=p, dilation=d)
    assert spec.output_shape == (rel15(i, k, s, p, d),)
    assert spec.effective_kernel_shape == (k + (k - 1) * (d - 1),)


@given(st.integers(1, 20), st.integers(1, 6), st.integers(1, 5), st.integers(0, 4),
       st.integers(1, 4))
def test_relationships_6_14_15_hold_generally(i, k, s, p, d):
    assume(k + (k - 1) * (d - 1) <= i + 2 * p)
    o = rel15(i, k, s, p, d)
    assert out1(input_shape=(i,), kernel_shape=k, stride=s, padding=p, dilation=d) == o
    if d == 1:
        assert o == rel6(i, k, s, p)
        a = (i + 2 * p - k) % s
        assert out1(input_shape=(o,), kernel_shape=k, stride=s, padding=p, transposed=True,
                    output_padding=a) == rel14(o, k, s, p, a) == i


# ---------------------------------------------------------------------------------------------
# The paper's animation gallery (shared/reference/README.md), and each transposed.

GALLERY = [
    # i, k, p, s, d, o
    (4, 3, 0, 1, 1, 2),  # no padding, no strides
    (5, 4, 2, 1, 1, 6),  # arbitrary padding
    (5, 3, 1, 1, 1, 5),  # half / same
    (5, 3, 2, 1, 1, 7),  # full
    (5, 3, 0, 2, 1, 2),  # no padding, strides
    (5, 3, 1, 2, 1, 3),  # padding, strides
    (6, 3, 1, 2, 1, 3),  # padding, strides (odd)
    (7, 3, 0, 1, 2, 3),  # dilation
]


@pytest.mark.parametrize(("i", "k", "p", "s", "d", "o"), GALLERY)
def test_gallery(i, k, p, s, d, o):
    spec = ConvSpec((i, i), k, stride=s, padding=p, dilation=d)
    assert spec.output_shape == (o, o)
    a = (i + 2 * p - (d * (k - 1) + 1)) % s  # 1 only for the "odd" configuration
    assert a == (1 if (i, s, p) == (6, 2, 1) else 0)
    tr = ConvSpec((o, o), k, stride=s, padding=p, dilation=d, transposed=True, output_padding=a)
    assert tr.output_shape == (i, i)
    assert spec.adjoint() == tr


# ---------------------------------------------------------------------------------------------
# The small formula functions.


def brute_windows(n_padded: int, k_eff: int, s: int) -> list[int]:
    return [t for t in range(0, n_padded, s) if t + k_eff <= n_padded]


@given(st.integers(1, 15), st.integers(1, 5), st.integers(1, 4), st.integers(0, 3),
       st.integers(0, 3), st.integers(1, 3))
def test_direct_formulas_against_window_counting(i, k, s, pb, pa, d):
    k_eff = d * (k - 1) + 1
    assert effective_kernel_size(k, d) == k_eff
    assume(k_eff <= i + pb + pa)
    starts = brute_windows(i + pb + pa, k_eff, s)
    assert conv_output_size(i, k, s, pb, pa, d) == len(starts)
    assert window_positions(i, k, s, pb, pa, d) == tuple(starts)
    assert leftover_cells(i, k, s, pb, pa, d) == i + pb + pa - (starts[-1] + k_eff)
    sizes = input_sizes_for_output(len(starts), k, s, pb, pa, d)
    brute = [n for n in range(1, 200) if k_eff <= n + pb + pa
             and len(brute_windows(n + pb + pa, k_eff, s)) == len(starts)]
    assert list(sizes) == brute
    assert i in sizes


@pytest.mark.parametrize(("args", "expected"), [
    ((5, 3, 2, 1), 3), ((5, 3, 1, 0), 3), ((6, 3, 2, 1, 0), 3), ((7, 3, 1, 0, 0, 2), 3),
])
def test_conv_output_size_literal(args, expected):
    assert conv_output_size(*args) == expected


def test_conv_output_size_rejects_a_kernel_too_large():
    with pytest.raises(ConvMathError, match=r"kernel_size=4 is invalid with dilation=2"):
        conv_output_size(5, 4, 1, 0, 0, 2)


@pytest.mark.parametrize(("func", "args", "match"), [
    (effective_kernel_size, (0,), r"kernel_size=0 is invalid"),
    (effective_kernel_size, (3, 0), r"dilation=0 is invalid"),
    (conv_output_size, (5, 3, 0), r"stride=0 is invalid"),
    (same_padding, (5, 3, 0), r"stride=0 is invalid"),
    (effective_kernel_size, (True,), r"kernel_size=True is invalid"),
])
def test_formula_argument_errors(func, args, match):
    with pytest.raises(ConvMathError, match=match):
        func(*args)


@pytest.mark.parametrize(("args", "expected"), [
    ((2, 3), 4), ((3, 3, 2, 1), 5), ((3, 3, 2, 1, 1, 1, 1), 6), ((3, 2, 1, 0, 0, 3), 6),
    ((4, 4, 2, 1, 2), 7),
])
def test_transposed_output_size_literal(args, expected):
    assert transposed_output_size(*args) == expected


def test_padding_helpers_literal():
    assert same_padding(6, 3, 2) == (0, 1)
    assert same_padding(5, 2, 2, 3) == (1, 2)
    assert full_padding(3) == (2, 2) and full_padding(3, 2) == (4, 4)
    assert transposed_same_padding(3, 2) == (0, 1, 0)
    assert transposed_same_padding(1, 3) == (0, 0, 2)
    assert transposed_same_padding(4, 2) == (1, 1, 0)
    assert transposed_grid_padding(3, 1, 1, 1) == (1, 1)
    assert transposed_grid_padding(3, 1, 1, 1, 1) == (1, 2)
    assert transposed_grid_padding(2, 1, 3, 0) == (-2, 1)
    assert stretched_size(3, 2) == 5 and stretched_size(1, 4) == 1 and stretched_size(4, 1) == 4


@given(st.integers(1, 10), st.integers(1, 5), st.integers(1, 4), st.integers(0, 3),
       st.integers(0, 3), st.integers(1, 3))
def test_output_padding_recovers_every_direct_input(o, k, s, pb, pa, d):
    # PyTorch's output_size: the transposed conv can restore each input size giving o outputs.
    for n in input_sizes_for_output(o, k, s, pb, pa, d):
        op = output_padding_for(n, o, k, s, pb, pa, d)
        assert 0 <= op < s
        assert transposed_output_size(o, k, s, pb, pa, d, op) == n
        spec = ConvSpec((o,), k, stride=s, padding=((pb, pa),), dilation=d, transposed=True,
                        output_padding=op)
        assert spec.output_shape == (n,)


def test_output_padding_for_unreachable_target():
    assert output_padding_for(6, 3, 3, 2, 1) == 1
    with pytest.raises(ConvMathError, match=r"output_size=7 is invalid.*sizes 5 to 6"):
        output_padding_for(7, 3, 3, 2, 1)
    with pytest.raises(ConvMathError, match=r"output_size=4 is invalid"):
        output_padding_for(4, 3, 3, 2, 1)
    # PyTorch's output_size range is [min, min + s − 1] whatever the dilation (issue 12 #5: an
    # explicit output_padding may reach d − 1, the output_size argument may not).
    with pytest.raises(ConvMathError, match=r"output_size=7 is invalid.*sizes 5 to 5") as err:
        output_padding_for(7, 2, 2, 1, 0, 0, 3)
    assert err.value.param == "output_size"


# ---------------------------------------------------------------------------------------------
# Receptive field.


def test_receptive_field_hand_worked():
    # i = 5, two layers k = 3, s = 2, p = 1, then k = 2, s = 1, p = 0:
    # layer 1: n = ⌊(5+2−3)/2⌋+1 = 3, j = 2, r = 1 + 2·1 = 3, start = 0.5 + (1 − 1)·1 = 0.5
    # layer 2: n = ⌊(3+2−3)/2⌋+1 = 2, j = 4, r = 3 + 2·2 = 7, start = 0.5 + (1 − 1)·2 = 0.5
    # layer 3: n = 2 − 2 + 1 = 1,     j = 4, r = 7 + 1·4 = 11, start = 0.5 + (0.5 − 0)·4 = 2.5
    fields = receptive_field(5, [(3, 2, 1), (3, 2, 1), (2, 1, 0)])
    assert [(f.size, f.jump, f.receptive_field, f.start) for f in fields] == [
        (3, 2, 3, 0.5), (2, 4, 7, 0.5), (1, 4, 11, 2.5)]


def test_receptive_field_accepts_specs():
    layers = [ConvSpec((9,), 3, stride=2, padding="same"), ConvSpec((5,), 3, dilation=2)]
    # 'same' on 9 cells with k=3, s=2: o = 5, padding (1, 1); then k_eff = 5 valid: 1 output.
    fields = receptive_field(9, layers)
    assert [(f.size, f.jump, f.receptive_field, f.start) for f in fields] == [
        (5, 2, 3, 0.5), (1, 2, 11, 4.5)]


def test_receptive_field_rejects_transposed_and_2d():
    with pytest.raises(ConvMathError, match="layers=.*1D direct"):
        receptive_field(5, [ConvSpec((3,), 3, transposed=True)])
    with pytest.raises(ConvMathError, match="layers=.*1D direct"):
        receptive_field(5, [ConvSpec((3, 3), 3)])


@st.composite
def layer_stacks(draw):
    n = draw(st.integers(4, 40))
    layers = [(draw(st.integers(1, 4)), draw(st.integers(1, 3)), draw(st.integers(0, 2)))
              for _ in range(draw(st.integers(1, 4)))]
    return n, layers


@given(layer_stacks())
def test_receptive_field_matches_index_tracing(stack):
    # Trace output 0 back through the layers: output o of a layer reads its input cells
    # o·s − p … o·s − p + k − 1 (padding included, so the interval is never clipped).
    n, layers = stack
    sizes = [n]
    for k, s, p in layers:
        assume(k <= sizes[-1] + 2 * p)
        sizes.append((sizes[-1] + 2 * p - k) // s + 1)
    fields = receptive_field(n, layers)
    for depth, field in enumerate(fields, start=1):
        lo, hi = 0, 0
        for k, s, p in reversed(layers[:depth]):
            lo, hi = lo * s - p, hi * s - p + k - 1
        assert field.size == sizes[depth]
        assert field.receptive_field == hi - lo + 1
        assert field.start == (lo + hi + 1) / 2  # centre, cell c spanning [c, c+1]
        assert field.jump == math.prod(s for _, s, _ in layers[:depth])


# ---------------------------------------------------------------------------------------------
# derive_output_size, English and Spanish.


def test_derivation_direct_with_leftover_en():
    d = derive_output_size(ConvSpec((6,), 3, stride=2, padding=1))
    (ax,) = d.axes
    assert d.output_shape == (3,) and not d.transposed and d.lang == "en"
    assert ax.general == "o = ⌊(i + 2p − d(k−1) − 1) / s⌋ + 1"
    assert ax.substituted == "o = ⌊(6 + 2·1 − 1·(3−1) − 1) / 2⌋ + 1 = ⌊5 / 2⌋ + 1 = 3"
    assert ax.result == 3 and ax.leftover == 1
    assert ax.values == dict(i=6, k=3, s=2, p_before=1, p_after=1, d=1, k_eff=3,
                             output_padding=0)
    assert ax.notes[0] == ("The padded input has 8 cells; a window of 3 cells fits at 3 "
                           "positions, 2 apart.")
    assert "5 is not a multiple of 2" in ax.notes[1] and "the last cell is reached" in ax.notes[1]
    assert ax.notes[2] == "Inputs of size 5 and 6 both give an output of size 3."
    assert d.lines == (ax.general, ax.substituted, *ax.notes)
    assert d.text == "\n".join(d.lines)


def test_derivation_direct_with_leftover_es():
    d = derive_output_size(ConvSpec((6,), 3, stride=2, padding=1), lang="es")
    (ax,) = d.axes
    assert ax.substituted == "o = ⌊(6 + 2·1 − 1·(3−1) − 1) / 2⌋ + 1 = ⌊5 / 2⌋ + 1 = 3"
    assert ax.notes[0].startswith("La entrada con relleno tiene 8 celdas")
    assert "5 no es múltiplo de 2" in ax.notes[1]
    assert ax.notes[2] == "Las entradas de tamaño 5 y 6 dan ambas una salida de tamaño 3."


def test_derivation_without_leftover_has_no_leftover_note():
    (ax,) = derive_output_size(ConvSpec((5,), 3, stride=2, padding=1)).axes
    assert ax.leftover == 0 and len(ax.notes) == 1
    assert "multiple" not in " ".join(ax.notes)


def test_derivation_asymmetric_padding_and_dilation():
    (ax,) = derive_output_size(ConvSpec((9,), 3, stride=3, padding=(2, 0), dilation=2)).axes
    # ⌊(9 + 2 + 0 − 2·2 − 1)/3⌋ + 1 = ⌊6/3⌋ + 1 = 3
    assert ax.general == "o = ⌊(i + p_b + p_a − d(k−1) − 1) / s⌋ + 1"
    assert ax.substituted == "o = ⌊(9 + 2 + 0 − 2·(3−1) − 1) / 3⌋ + 1 = ⌊6 / 3⌋ + 1 = 3"


@pytest.mark.parametrize(("lang", "prefix"), [("en", "axis"), ("es", "eje")])
def test_derivation_2d_has_one_block_per_axis(lang, prefix):
    d = derive_output_size(ConvSpec((5, 7), (3, 2), stride=(2, 1)), lang=lang)
    assert d.output_shape == (2, 6)
    assert [ax.result for ax in d.axes] == [2, 6]
    assert f"{prefix} 0: o = ⌊(5 + 2·0 − 1·(3−1) − 1) / 2⌋ + 1 = ⌊2 / 2⌋ + 1 = 2" in d.lines
    assert f"{prefix} 1: o = ⌊(7 + 2·0 − 1·(2−1) − 1) / 1⌋ + 1 = ⌊5 / 1⌋ + 1 = 6" in d.lines


def test_derivation_transposed_en():
    spec = ConvSpec((3,), 3, stride=2, padding=1, transposed=True, output_padding=1)
    d = derive_output_size(spec)
    (ax,) = d.axes
    assert d.transposed and d.output_shape == (6,)
    assert ax.general == "o = (i − 1)·s − 2p + d(k−1) + output_padding + 1"
    assert ax.substituted == "o = (3 − 1)·2 − 2·1 + 1·(3−1) + 1 + 1 = 6"
    assert ax.notes[0] == ("Equivalent direct convolution: 1 zero inserted between "
                           "neighbouring input cells, padding 1 before and 2 after, flipped "
                           "kernel, stride 1.")
    assert "Direct inputs of size 5 and 6 both give an output of size 3" in ax.notes[1]
    assert ax.notes[2:] == ("To recover 5: output_padding = 0.",
                            "To recover 6: output_padding = 1.")


def test_derivation_transposed_es():
    spec = ConvSpec((3,), 3, stride=2, padding=1, transposed=True)
    (ax,) = derive_output_size(spec, "es").axes
    assert ax.substituted == "o = (3 − 1)·2 − 2·1 + 1·(3−1) + 0 + 1 = 5"
    assert ax.notes[0].startswith("Convolución directa equivalente: se inserta un cero entre "
                                  "cada par de celdas vecinas de la entrada")
    assert "relleno 1 antes y 1 después" in ax.notes[0]
    assert ax.notes[2:] == ("Para recuperar 5: output_padding = 0.",
                            "Para recuperar 6: output_padding = 1.")


def test_derivation_transposed_stride_1_has_no_recovery_notes():
    (ax,) = derive_output_size(ConvSpec((4,), 3, transposed=True)).axes
    assert ax.result == 6 and len(ax.notes) == 1


@given(st.integers(1, 12), st.integers(1, 4), st.integers(1, 3), st.integers(0, 2),
       st.integers(1, 2), st.booleans(), st.sampled_from(["en", "es"]))
def test_derivation_result_is_the_output_size(i, k, s, p, d, transposed, lang):
    try:
        spec = ConvSpec((i,), k, stride=s, padding=p, dilation=d, transposed=transposed)
    except ConvMathError:
        assume(False)
        raise
    (ax,) = derive_output_size(spec, lang).axes
    assert ax.result == spec.output_shape[0]
    assert ax.substituted.endswith(f"= {spec.output_shape[0]}")
    assert f"({i}" in ax.substituted and f"({k}−1)" in ax.substituted


def test_derivation_rejects_unknown_language():
    with pytest.raises(ConvMathError, match=r"lang='fr' is invalid"):
        derive_output_size(ConvSpec((5,), 3), lang="fr")  # type: ignore[arg-type]


@pytest.mark.parametrize("transposed", [False, True])
def test_derivation_2d_general_formula_matches_every_axis(transposed):
    # Axis 0 symmetric, axis 1 asymmetric: the one general line must cover both substitutions.
    spec = ConvSpec((5, 6), 3, padding=(1, (0, 2)), transposed=transposed)
    d = derive_output_size(spec)
    general = d.lines[0]
    assert "p_b + p_a" in general
    assert all(ax.general == general for ax in d.axes)
    if transposed:  # − (p_b + p_a), parenthesised after the minus sign
        assert "(5 − 1)·1 − (1 + 1) + " in d.axes[0].substituted
        assert "(6 − 1)·1 − (0 + 2) + " in d.axes[1].substituted
    else:
        assert "⌊(5 + 1 + 1 − " in d.axes[0].substituted
        assert "⌊(6 + 0 + 2 − " in d.axes[1].substituted


def evaluate(expression: str) -> float:
    """Evaluate a derivation line's arithmetic (⌊…⌋, ·, −) with Python."""
    py = (expression.replace("⌊", "((").replace("⌋", ")//1)").replace("·", "*")
          .replace("−", "-"))
    assert set(py) <= set("0123456789+-*/() ."), expression
    return eval(py)  # noqa: S307 - digits and operators only, checked above


@given(st.integers(1, 8), st.integers(1, 4), st.integers(1, 3), st.integers(0, 3),
       st.integers(0, 3), st.integers(1, 2), st.booleans(), st.sampled_from(["en", "es"]))
def test_derivation_arithmetic_evaluates_to_the_result(i, k, s, pb, pa, d, transposed, lang):
    try:
        spec = ConvSpec((i, 3), (k, 1), stride=(s, 1), padding=((pb, pa), (1, 1)),
                        dilation=(d, 1), transposed=transposed)
    except ConvMathError:
        assume(False)
        raise
    for ax, o in zip(derive_output_size(spec, lang).axes, spec.output_shape):
        head, *parts = ax.substituted.split(" = ")
        assert head == "o"
        for part in parts:
            assert evaluate(part) == o, ax.substituted


def test_receptive_field_asymmetric_padding():
    # Layer 1: k=3, padding (2, 0) on 6 cells: n = 6, start = 0.5 + (1 − 2)·1 = −0.5, r = 3.
    # Layer 2: k=2 'same' on 6 cells, padding (0, 1): start = −0.5 + (0.5 − 0)·1 = 0, r = 4.
    layers = [ConvSpec((6,), 3, padding=(2, 0)), ConvSpec((6,), 2, padding="same")]
    fields = receptive_field(6, layers)
    assert [(f.size, f.jump, f.receptive_field, f.start) for f in fields] == [
        (6, 1, 3, -0.5), (6, 1, 4, 0.0)]


@st.composite
def spec_stacks(draw):
    n = draw(st.integers(4, 30))
    layers = []
    for _ in range(draw(st.integers(1, 3))):
        k, s, d = draw(st.integers(1, 4)), draw(st.integers(1, 3)), draw(st.integers(1, 2))
        pb, pa = draw(st.integers(0, 3)), draw(st.integers(0, 3))
        layers.append((k, s, d, pb, pa))
    return n, layers


@given(spec_stacks())
def test_receptive_field_of_specs_matches_index_tracing(stack):
    # Output o of a layer reads input cells o·s − p_before + m·d for m = 0 … k−1.
    n, layers = stack
    specs, size = [], n
    for k, s, d, pb, pa in layers:
        assume(d * (k - 1) + 1 <= size + pb + pa)
        specs.append(ConvSpec((size,), k, stride=s, padding=(pb, pa), dilation=d))
        size = specs[-1].output_shape[0]
    fields = receptive_field(n, specs)
    for depth, field in enumerate(fields, start=1):
        lo, hi = 0, 0
        for k, s, d, pb, _ in reversed(layers[:depth]):
            lo, hi = lo * s - pb, hi * s - pb + d * (k - 1)
        assert field.size == specs[depth - 1].output_shape[0]
        assert field.receptive_field == hi - lo + 1
        assert field.start == (lo + hi + 1) / 2


# ---------------------------------------------------------------------------------------------
# named_cases: valid, same/half, full specialised to one axis.


def test_named_cases_docstring_example():
    cases = named_cases(6, 3, 2)
    assert [(c.name, c.pads, c.output) for c in cases] == [
        ("valid", (0, 0), 2), ("same", (0, 1), 3), ("full", (2, 2), 4)]
    assert cases[1].substituted == (
        "o = ⌈6/2⌉ = 3, p_b + p_a = max((3 − 1)·2 + 3 − 6, 0) = 1 = 0 + 1")


@pytest.mark.parametrize(("lang", "labels"), [("en", ["valid", "half (same)", "full"]),
                                              ("es", ["valid", "same (medio filtro)", "full"])])
def test_named_cases_half_when_stride_1_and_symmetric(lang, labels):
    cases = named_cases(5, 3, lang=lang)
    assert [c.name for c in cases] == ["valid", "half", "full"]
    assert [c.label for c in cases] == labels
    assert [c.output for c in cases] == [rel1(5, 3), rel3(5, 3), rel4(5, 3)]
    assert cases[1].substituted == "p = ⌊3/2⌋ = 1 → o = 5"
    assert cases[2].substituted == "p = 3 − 1 = 2 → o = 5 + 3 − 1 = 7"


def test_named_cases_kernel_larger_than_input():
    valid = named_cases(2, 3)[0]
    assert valid.output is None
    assert valid.note == "the kernel spans 3 cells, more than the input's 2: no valid window"


@given(st.integers(1, 15), st.integers(1, 5), st.integers(1, 4), st.integers(1, 3))
def test_named_cases_match_the_formulas_and_specs(i, k, s, d):
    k_eff = d * (k - 1) + 1
    valid, same, full = named_cases(i, k, s, d)
    assert valid.output == (math.floor((i - k_eff) / s) + 1 if k_eff <= i else None)
    assert same.output == math.ceil(i / s)
    assert full.output == math.floor((i + k_eff - 2) / s) + 1
    for case, mode in ((valid, "valid"), (same, "same"), (full, "full")):
        if case.output is None:
            continue
        spec = ConvSpec((i,), k, stride=s, dilation=d, padding=mode)
        assert (case.pads,) == spec.pads and (case.output,) == spec.output_shape
        assert case.substituted.split(",")[0].endswith(f"= {case.output}") or \
            case.substituted.endswith(f"= {case.output}")
    assert same.name == ("half" if s == 1 and same.pads[0] == same.pads[1] else "same")


@pytest.mark.parametrize(("n", "layers", "match"), [
    (0, [(3, 1, 1)], r"input_size=0 is invalid"),
    (5, [(3, 1, -1)], r"padding=-1 is invalid"),
    (5, [(3, 0, 1)], r"stride=0 is invalid"),
    (5, [(0, 1, 1)], r"kernel_size=0 is invalid"),
    (5, [(3, 1)], r"layers=.*\(3, 1\).*is invalid.*\(k, s, p\)"),
    (2, [(5, 1, 0)], r"kernel_size=5 is invalid"),
    (5, ["conv"], r"layers=.*'conv'.*is invalid"),
])
def test_receptive_field_rejects_bad_layers(n, layers, match):
    with pytest.raises(ConvMathError, match=match):
        receptive_field(n, layers)


def test_derivation_rejects_a_non_spec():
    with pytest.raises(ConvMathError, match=r"spec=None is invalid: it must be a ConvSpec"):
        derive_output_size(None)  # type: ignore[arg-type]


@pytest.mark.parametrize(("stride", "lang", "said"), [
    (3, "es", "se insertan 2 ceros entre cada par de celdas vecinas"),
    (3, "en", "2 zeros inserted between neighbouring input cells"),
    (2, "en", "1 zero inserted between neighbouring input cells"),
])
def test_inserted_zeros_said_in_the_right_number(stride, lang, said):
    """stride − 1 zeros go between neighbouring input cells (Dumoulin & Visin 2016, §4)."""
    spec = ConvSpec((3,), 3, stride=stride, transposed=True)
    (ax,) = derive_output_size(spec, lang).axes
    assert said in ax.notes[0]
