"""convmath.facts: each fact against a brute force written from the definitions.

Oracles: direct output ``n`` reads input ``n·s + m·d − p_before`` through offset ``m``
(PyTorch's conv); transposed input ``j`` writes output ``j·s + m·d − p_before`` (PyTorch's
ConvTranspose); windows start at ``n·stride`` on the padded grid (stride 1 on a transposed spec's
zero-inserted grid). Never the engine's own links.
"""

from __future__ import annotations

import itertools
import time

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from convmath import (
    ConvMathError,
    ConvSpec,
    adjoint_or_none,
    axis_spec,
    axis_windows,
    canvas_spec,
    checkerboard_axes,
    conv_steps,
    convolve,
    cropped_input_cells,
    dropped_cells,
    same_output_input_sizes,
    stamp_counts,
    transposed_crop,
    unreached_cells,
)
from convmath.facts import padded_input_spec, padding_columns, stride_kept_rows, stride_one_spec
from convmath.formulas import leftover_cells


def _specs(transposed: bool | None = None, ndim: int | None = None):
    """Small specs of every kind: 1D/2D, direct/transposed, padding, dilation, output_padding."""
    @st.composite
    def build(draw):
        nd = ndim or draw(st.sampled_from([1, 2]))
        tr = draw(st.booleans()) if transposed is None else transposed
        shape = tuple(draw(st.integers(1, 7)) for _ in range(nd))
        k = tuple(draw(st.integers(1, 4)) for _ in range(nd))
        s = tuple(draw(st.integers(1, 5)) for _ in range(nd))
        d = tuple(draw(st.integers(1, 3)) for _ in range(nd))
        pads = tuple((draw(st.integers(0, 4)), draw(st.integers(0, 4))) for _ in range(nd))
        op = tuple(draw(st.integers(0, 4)) for _ in range(nd)) if tr else (0,) * nd
        try:
            return ConvSpec(shape, k, stride=s, padding=pads, dilation=d, transposed=tr,
                            output_padding=op, flip=draw(st.booleans()))
        except ConvMathError:
            return ConvSpec(shape, 1, stride=s, transposed=tr)
    return build()


def _brute_counts(spec: ConvSpec) -> np.ndarray:
    """Stamps per output cell by naive loops over (output, offset) or (input, offset)."""
    counts = np.zeros(spec.output_shape, dtype=int)
    pb = [p[0] for p in spec.pads]
    kr = [range(k) for k in spec.kernel_shape]
    if not spec.transposed:
        for n in itertools.product(*(range(o) for o in spec.output_shape)):
            for m in itertools.product(*kr):
                j = [n[a] * spec.stride[a] + m[a] * spec.dilation[a] - pb[a]
                     for a in range(spec.ndim)]
                if all(0 <= j[a] < spec.input_shape[a] for a in range(spec.ndim)):
                    counts[n] += 1
        return counts
    for j in itertools.product(*(range(i) for i in spec.input_shape)):
        for m in itertools.product(*kr):
            n = tuple(j[a] * spec.stride[a] + m[a] * spec.dilation[a] - pb[a]
                      for a in range(spec.ndim))
            if all(0 <= n[a] < spec.output_shape[a] for a in range(spec.ndim)):
                counts[n] += 1
    return counts


@given(_specs())
def test_stamp_counts_match_the_brute_force(spec):
    np.testing.assert_array_equal(stamp_counts(spec), _brute_counts(spec))


def test_stamp_counts_literal():
    # Transposed 1D, i = 2, k = 3, s = 2: stamps at 0..2 and 2..4 overlap on cell 2.
    spec = ConvSpec((2,), 3, stride=2, transposed=True)
    np.testing.assert_array_equal(stamp_counts(spec), [1, 1, 2, 1, 1])
    # Direct 1D, i = 5, k = 3, s = 2, p = 1: border windows read 2 cells, the middle one 3.
    np.testing.assert_array_equal(stamp_counts(ConvSpec((5,), 3, stride=2, padding=1)), [2, 3, 2])


def _brute_checkerboard(k: int, s: int, d: int) -> bool:
    """Uneven stamp counts on inner cells of a long 1D transposed axis, by naive loops."""
    i = 3 * (d * (k - 1) + 1 + s)
    full = (i - 1) * s + d * (k - 1) + 1
    counts = [0] * full
    for j in range(i):
        for m in range(k):
            counts[j * s + m * d] += 1
    inner = counts[d * (k - 1): (i - 1) * s + 1]
    return len(set(inner)) > 1


@pytest.mark.parametrize(("k", "s", "d"), list(itertools.product(range(1, 6), range(1, 6),
                                                                 range(1, 4))))
def test_checkerboard_axes_match_the_brute_force(k, s, d):
    spec = ConvSpec((2, 2), (k, 1), stride=(s, 1), dilation=(d, 1), transposed=True)
    assert checkerboard_axes(spec) == ((0,) if _brute_checkerboard(k, s, d) else ())
    assert checkerboard_axes(ConvSpec((4,), k, stride=s, dilation=d, padding="full")
                             if k * d < 4 else ConvSpec((k * d,), k, stride=s, dilation=d)) == ()


def test_checkerboard_literal_and_huge_stride_is_o_k():
    assert checkerboard_axes(ConvSpec((2, 2), 3, stride=2, transposed=True)) == (0, 1)
    assert checkerboard_axes(ConvSpec((2, 2), 4, stride=2, transposed=True)) == ()
    assert checkerboard_axes(ConvSpec((2, 2), (3, 4), stride=2, transposed=True)) == (0,)
    t0 = time.process_time()
    assert checkerboard_axes(ConvSpec((1,), 3, stride=900_000, transposed=True)) == (0,)
    assert time.process_time() - t0 < 1.0  # O(k), not O(stride)


def _brute_reached(spec: ConvSpec, a: int) -> set[int]:
    step = 1 if spec.transposed else spec.stride[a]
    return {n * step + m * spec.dilation[a]
            for n in range(spec.output_shape[a]) for m in range(spec.kernel_shape[a])}


@given(_specs())
def test_windows_unreached_and_dropped_match_the_brute_force(spec):
    for a in range(spec.ndim):
        step = 1 if spec.transposed else spec.stride[a]
        wins = axis_windows(spec, a)
        assert wins == tuple(tuple(n * step + m * spec.dilation[a]
                                   for m in range(spec.kernel_shape[a]))
                             for n in range(spec.output_shape[a]))
        reached = _brute_reached(spec, a)
        assert unreached_cells(spec, a) == tuple(
            g for g in range(spec.grid_shape[a]) if g not in reached)
        last = max(reached)
        assert tuple(dropped_cells(spec, a)) == tuple(range(last + 1, spec.grid_shape[a]))
        if not spec.transposed:
            (pb, pa) = spec.pads[a]
            assert len(dropped_cells(spec, a)) == leftover_cells(
                spec.input_shape[a], spec.kernel_shape[a], spec.stride[a], pb, pa,
                spec.dilation[a])


@given(_specs())
def test_axis_windows_are_the_steps_taps(spec):
    # The engine's own steps land their taps on exactly these grid cells.
    x, w = np.zeros(spec.input_shape), np.ones(spec.kernel_shape)
    steps = conv_steps(x, w, spec)
    for a in range(spec.ndim):
        wins = axis_windows(spec, a)
        for step in steps:
            assert sorted({t.grid_index[a] for t in step.taps}) == sorted(
                set(wins[step.out_index[a]]))


UNREACHED = [
    # Issue 12 #4: i = 6, k = 3, s = 2, p = 1 reaches every input column; the right padding
    # column (grid cell 7) is the one no window reaches (the paper's figure 2.6).
    (ConvSpec((6,), 3, stride=2, padding=1), (7,), (7,)),
    # Stride larger than the kernel: gaps between windows, and the dropped tail.
    (ConvSpec((7,), 2, stride=3), (2, 5, 6), (5, 6)),
    # Dilation holes no window fills: i = 5, k = 2, d = 3, s = 4 -> one window, taps 0 and 3.
    (ConvSpec((5,), 2, stride=4, dilation=3), (1, 2, 4), (4,)),
    (ConvSpec((5,), 3), (), ()),
]


@pytest.mark.parametrize(("spec", "unreached", "dropped"), UNREACHED)
def test_unreached_literal(spec, unreached, dropped):
    assert unreached_cells(spec, 0) == unreached
    assert tuple(dropped_cells(spec, 0)) == dropped


@given(st.integers(1, 8), st.integers(1, 4), st.integers(1, 6), st.integers(0, 3),
       st.integers(0, 3), st.integers(1, 3))
def test_same_output_input_sizes_match_the_brute_force(i, k, s, pb, pa, d):
    try:
        spec = ConvSpec((i,), k, stride=s, padding=((pb, pa),), dilation=d)
    except ConvMathError:
        return
    o = spec.output_shape[0]
    brute = []
    for n in range(1, i + 3 * s + 10):
        try:
            if ConvSpec((n,), k, stride=s, padding=((pb, pa),), dilation=d).output_shape == (o,):
                brute.append(n)
        except ConvMathError:
            pass
    sizes = same_output_input_sizes(spec, 0)
    assert isinstance(sizes, range) and list(sizes) == brute
    # A transposed spec with this input: the direct sizes it cannot tell apart.
    try:
        tr = ConvSpec((o,), k, stride=s, padding=((pb, pa),), dilation=d, transposed=True)
    except ConvMathError:  # the transposed output would be empty
        return
    assert list(same_output_input_sizes(tr, 0)) == brute


def test_same_output_sizes_at_a_huge_stride_is_a_range_not_a_list():
    spec = ConvSpec((3,), 2, stride=1_000_000)
    t0 = time.process_time()
    sizes = same_output_input_sizes(spec, 0)
    assert (len(sizes), sizes[0], sizes[-1]) == (1_000_000, 2, 1_000_001)
    assert time.process_time() - t0 < 0.1


def _brute_cropped(spec: ConvSpec, a: int) -> tuple[int, ...]:
    """Input cells of axis ``a`` whose every contribution lands on a cropped output."""
    i, s, d, k = spec.input_shape[a], spec.stride[a], spec.dilation[a], spec.kernel_shape[a]
    pb = spec.pads[a][0]
    # The equivalent direct convolution's grid holds stretched cell t at t + g_b.
    gb = spec.grid_pads[a][0]
    on_grid = [j for j in range(i) if 0 <= j * s + gb < spec.grid_shape[a]]
    out = tuple(j for j in range(i) if j not in on_grid)
    for j in out:  # their stamps all fall on outputs the padding crops
        assert all(not (0 <= j * s + m * d - pb < spec.output_shape[a]) for m in range(k))
    return out


@given(_specs(transposed=True))
def test_transposed_crop_matches_the_brute_force(spec):
    for a in range(spec.ndim):
        gb, ga = spec.grid_pads[a]
        assert transposed_crop(spec)[a] == (max(-gb, 0), max(-ga, 0))
        assert cropped_input_cells(spec, a) == _brute_cropped(spec, a)


@given(_specs(transposed=True))
def test_uncropped_spec_puts_the_cropped_cells_back(spec):
    """Oracle: numpy zero insertion, then each side padded by d(k−1) − p (+ output_padding
    after) where that is positive; the spec's own grid is that with the crop cut off."""
    from convmath import grid_values, uncropped_spec

    x = np.arange(1.0, spec.input_size + 1).reshape(spec.input_shape)
    stretched = np.zeros(tuple((i - 1) * s + 1 for i, s in zip(spec.input_shape, spec.stride)))
    stretched[tuple(slice(None, None, s) for s in spec.stride)] = x
    gaps = [(d * (k - 1) - pb, d * (k - 1) - pa + op) for k, d, (pb, pa), op in zip(
        spec.kernel_shape, spec.dilation, spec.pads, spec.resolved_output_padding)]
    full = np.pad(stretched, [(max(gb, 0), max(ga, 0)) for gb, ga in gaps])
    u = uncropped_spec(spec)
    assert transposed_crop(u) == ((0, 0),) * spec.ndim
    np.testing.assert_array_equal(grid_values(x, u), full)
    kept = tuple(slice(max(-gb, 0), n - max(-ga, 0)) for (gb, ga), n in zip(gaps, full.shape))
    np.testing.assert_array_equal(grid_values(x, spec), full[kept])


def test_transposed_crop_literal_issue_12_3():
    # --values 1,2,3 --weights 5 --stride 2 --padding 1 --transposed: the stretched input
    # [1, 0, 2, 0, 3] loses one cell on each side, so x[0] = 1 and x[2] = 3 vanish.
    spec = ConvSpec((3,), 1, stride=2, padding=1, transposed=True)
    assert transposed_crop(spec) == ((1, 1),)
    assert cropped_input_cells(spec, 0) == (0, 2)
    np.testing.assert_array_equal(convolve([1, 2, 3], [5], spec), [0, 10, 0])
    assert transposed_crop(ConvSpec((3,), 2)) == ((0, 0),)
    assert cropped_input_cells(ConvSpec((3,), 2), 0) == ()


def test_adjoint_or_none():
    spec = ConvSpec((5,), 3, stride=2, padding=1)
    assert adjoint_or_none(spec) == spec.adjoint()
    # output_padding 1 >= stride 1, allowed by dilation 2: no direct adjoint.
    assert adjoint_or_none(ConvSpec((3,), 2, dilation=2, output_padding=1,
                                    transposed=True)) is None


@given(_specs())
def test_canvas_and_axis_specs(spec):
    cs = canvas_spec(spec)
    if not spec.transposed:
        assert cs is spec
    else:
        assert cs.pads == ((0, 0),) * spec.ndim
        assert cs.output_shape == tuple(
            (i - 1) * s + d * (k - 1) + 1 + op for i, s, d, k, op in zip(
                spec.input_shape, spec.stride, spec.dilation, spec.kernel_shape,
                spec.resolved_output_padding))
    for a in range(spec.ndim):
        one = axis_spec(spec, a)
        assert one.ndim == 1 and one.transposed == spec.transposed
        assert one.output_shape == (spec.output_shape[a],)
        assert one.grid_shape == (spec.grid_shape[a],)


@pytest.mark.parametrize("func", [axis_spec, axis_windows, unreached_cells, dropped_cells,
                                  same_output_input_sizes, cropped_input_cells])
@pytest.mark.parametrize("axis", [-1, 1, True, 0.0])
def test_bad_axis_names_the_axis(func, axis):
    with pytest.raises(ConvMathError, match=r"axis=.* is invalid") as err:
        func(ConvSpec((5,), 3), axis)
    assert err.value.param == "axis"


# -- the matrix view's claims (issue 15): padding deletes columns, stride keeps rows -----------


@given(_specs(transposed=False))
def test_padding_deletes_the_padding_columns_of_the_padded_matrix(spec):
    """Over the padded input, C has one column per grid cell; deleting the padding columns
    leaves C (both matrices built by loops over the definition)."""
    from graph_oracles import naive_matrix

    w = np.arange(1.0, spec.kernel_size + 1).reshape(spec.kernel_shape)
    wide = naive_matrix(padded_input_spec(spec), w)
    padding, kept = padding_columns(spec)
    grid = int(np.prod(spec.grid_shape))
    assert wide.shape == (spec.output_size, grid)
    assert sorted([*padding, *kept]) == list(range(grid))
    assert sorted(kept.values()) == list(range(spec.input_size))
    narrow = np.zeros((spec.output_size, spec.input_size))
    for g, c in kept.items():
        narrow[:, c] = wide[:, g]
    np.testing.assert_array_equal(narrow, naive_matrix(spec, w))
    n_pad = grid - spec.input_size
    assert len(padding) == n_pad


@given(_specs(transposed=False))
def test_stride_keeps_every_s_th_row_of_the_stride_one_matrix(spec):
    from graph_oracles import naive_matrix

    w = np.arange(1.0, spec.kernel_size + 1).reshape(spec.kernel_shape)
    one = stride_one_spec(spec)
    assert one.stride == (1,) * spec.ndim and one.pads == spec.pads
    rows = stride_kept_rows(spec)
    np.testing.assert_array_equal(naive_matrix(one, w)[list(rows)], naive_matrix(spec, w))
    if spec.ndim == 1:
        assert rows == tuple(range(0, spec.output_size * spec.stride[0], spec.stride[0]))


@pytest.mark.parametrize("func", [padded_input_spec, padding_columns, stride_one_spec,
                                  stride_kept_rows])
def test_matrix_claims_refuse_a_transposed_spec(func):
    with pytest.raises(ConvMathError, match=r"spec=.* must be a direct spec"):
        func(ConvSpec((3,), 3, stride=2, transposed=True))
