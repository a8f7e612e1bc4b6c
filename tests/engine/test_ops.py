"""convmath.ops against independent oracles.

Oracles: seed 001's printed results, the convolution-arithmetic paper's worked examples
(Dumoulin & Visin, arXiv 1603.07285), ``scipy.signal``, and a naive reference written below
directly from PyTorch's documented definitions of ``conv1d/2d`` and ``conv_transpose1d/2d``.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from scipy import signal

from convmath import (
    INSERTED_ZERO,
    PADDING_CELL,
    ConvMathError,
    ConvSpec,
    conv_matrix,
    conv_steps,
    convolve,
    grid_input_index,
    grid_kernel,
    grid_values,
    scatter_steps,
)

# ---------------------------------------------------------------------------------------------
# Naive references, written from PyTorch's documentation (one channel, no bias).


def _flipped(w: np.ndarray) -> np.ndarray:
    return w[(slice(None, None, -1),) * w.ndim]


def naive_conv(x, w, stride, pads, dilation, flip=False) -> np.ndarray:
    """``conv1d/conv2d``: pad first, then ``y[o] = Σ_m xpad[o·s + m·d] · w[m]``."""
    x, w = np.asarray(x, float), np.asarray(w, float)
    if flip:
        w = _flipped(w)
    xpad = np.pad(x, pads)
    out_shape = tuple(
        (n - d * (k - 1) - 1) // s + 1
        for n, k, s, d in zip(xpad.shape, w.shape, stride, dilation)
    )
    y = np.zeros(out_shape)
    for o in np.ndindex(*out_shape):
        for m in np.ndindex(*w.shape):
            g = tuple(oi * s + mi * d for oi, s, mi, d in zip(o, stride, m, dilation))
            y[o] += xpad[g] * w[m]
    return y


def naive_conv_transpose(x, w, stride, pads, dilation, output_padding, flip=False) -> np.ndarray:
    """``conv_transpose1d/2d``: ``y[i·s + m·d − p_before] += x[i] · w[m]``.

    The output has ``(i−1)s − p_before − p_after + d(k−1) + output_padding + 1`` cells; what
    lands outside is dropped.
    """
    x, w = np.asarray(x, float), np.asarray(w, float)
    if flip:
        w = _flipped(w)
    out_shape = tuple(
        (i - 1) * s - pb - pa + d * (k - 1) + op + 1
        for i, k, s, (pb, pa), d, op in zip(x.shape, w.shape, stride, pads, dilation,
                                           output_padding)
    )
    y = np.zeros(out_shape)
    for i in np.ndindex(*x.shape):
        for m in np.ndindex(*w.shape):
            pos = tuple(ii * s + mi * d - pb
                        for ii, s, mi, d, (pb, _) in zip(i, stride, m, dilation, pads))
            if all(0 <= p < o for p, o in zip(pos, out_shape)):
                y[pos] += x[i] * w[m]
    return y


def naive_for(x, w, spec: ConvSpec) -> np.ndarray:
    """The naive reference for a spec, reading only its user-facing parameters."""
    if spec.transposed:
        return naive_conv_transpose(x, w, spec.stride, spec.pads, spec.dilation,
                                    spec.resolved_output_padding, spec.flip)
    return naive_conv(x, w, spec.stride, spec.pads, spec.dilation, spec.flip)


def equivalent_direct(x, w, spec: ConvSpec) -> np.ndarray:
    """The paper's view of a transposed convolution, built here from scratch.

    Insert ``s−1`` zeros between input cells, pad ``d(k−1) − p`` on each side (plus
    ``output_padding`` after; negative = crop), flip the kernel, convolve with stride 1.
    """
    x = np.asarray(x, float)
    stretched = np.zeros(tuple((i - 1) * s + 1 for i, s in zip(x.shape, spec.stride)))
    stretched[tuple(slice(None, None, s) for s in spec.stride)] = x
    before = [d * (k - 1) - pb for k, d, (pb, _) in
              zip(spec.kernel_shape, spec.dilation, spec.pads)]
    after = [d * (k - 1) - pa + op for k, d, (_, pa), op in
             zip(spec.kernel_shape, spec.dilation, spec.pads, spec.resolved_output_padding)]
    grid = np.pad(stretched, [(max(b, 0), max(a, 0)) for b, a in zip(before, after)])
    grid = grid[tuple(slice(max(-b, 0), n - max(-a, 0))
                      for b, a, n in zip(before, after, grid.shape))]
    kernel = np.asarray(w, float) if spec.flip else _flipped(np.asarray(w, float))
    ones = (1,) * x.ndim
    return naive_conv(grid, kernel, ones, [(0, 0)] * x.ndim, spec.dilation)


def rng_ints(shape, seed) -> np.ndarray:
    return np.random.default_rng(seed).integers(-3, 4, size=shape).astype(float)


# ---------------------------------------------------------------------------------------------
# Hypothesis strategies: a valid spec (1D or 2D, direct or transposed) with integer arrays.


@st.composite
def specs(draw, transposed=None, ndim=None, max_op_below_stride=False) -> ConvSpec:
    nd = draw(st.sampled_from([1, 2])) if ndim is None else ndim
    tr = draw(st.booleans()) if transposed is None else transposed
    shape, kernel, stride, dil, pads, ops = [], [], [], [], [], []
    for _ in range(nd):
        s, d = draw(st.integers(1, 3)), draw(st.integers(1, 3))
        shape.append(draw(st.integers(1, 7 if nd == 1 else 5)))
        kernel.append(draw(st.integers(1, 4)))
        stride.append(s)
        dil.append(d)
        pads.append((draw(st.integers(0, 3)), draw(st.integers(0, 3))))
        limit = s if max_op_below_stride else max(s, d)
        ops.append(draw(st.integers(0, limit - 1)) if tr else 0)
    try:
        return ConvSpec(tuple(shape), tuple(kernel), stride=tuple(stride), padding=tuple(pads),
                        dilation=tuple(dil), transposed=tr, output_padding=tuple(ops),
                        flip=draw(st.booleans()))
    except ConvMathError:
        assume(False)
        raise  # unreachable: assume(False) aborts the example


@st.composite
def cases(draw, **kwargs) -> tuple[ConvSpec, np.ndarray, np.ndarray]:
    spec = draw(specs(**kwargs))
    values = st.integers(-3, 3).map(float)
    x = draw(hnp.arrays(np.float64, spec.input_shape, elements=values))
    w = draw(hnp.arrays(np.float64, spec.kernel_shape, elements=values))
    return spec, x, w


# ---------------------------------------------------------------------------------------------
# Seed 001: the blog post's printed results.

SEED_X = [2, 1, 0, 1, 2]
SEED_H = [1, -1]
SEED_IMAGE = [[1, 2, 3, 3], [4, 5, 6, 6], [7, 8, 9, 9], [7, 8, 9, 9]]
SEED_KERNEL = [[0, 1, 0], [-1, 1, -1], [0, 1, 0]]
SEED_FULL = [
    [0, 1, 2, 3, 3, 0],
    [-1, 3, 3, 4, 6, -3],
    [-4, 7, 5, 7, 12, -6],
    [-7, 10, 5, 7, 15, -9],
    [-7, 6, 0, 1, 9, -9],
    [0, 7, 8, 9, 9, 0],
]


def test_seed_1d_numpy_convolve_is_flip_true():
    expected = [-1, -1, 1, 1]  # printed by the seed's numpy cell
    np.testing.assert_array_equal(np.convolve(SEED_X, SEED_H, "valid"), expected)
    np.testing.assert_array_equal(convolve(SEED_X, SEED_H, ConvSpec((5,), 2, flip=True)), expected)


def test_seed_1d_hand_computation_is_the_correlation():
    # The seed's sums: y[0] = (2·1) + (1·−1) = 1, y[1] = (1·1) + (0·−1) = 1, ...
    result = convolve(SEED_X, SEED_H, ConvSpec((5,), 2, flip=False))
    np.testing.assert_array_equal(result, [1, 1, -1, -1])
    steps = conv_steps(SEED_X, SEED_H, ConvSpec((5,), 2))
    pairs = [[(t.x_value, t.w_value) for t in s.taps] for s in steps]
    assert pairs == [[(2, 1), (1, -1)], [(1, 1), (0, -1)], [(0, 1), (1, -1)], [(1, 1), (2, -1)]]


@pytest.mark.parametrize("flip", [True, False])  # the seed's kernel is symmetric under 180°
def test_seed_2d_valid(flip):
    result = convolve(SEED_IMAGE, SEED_KERNEL, ConvSpec((4, 4), 3, flip=flip))
    np.testing.assert_array_equal(result, [[5, 7], [5, 7]])


def test_seed_2d_full():
    spec = ConvSpec((4, 4), 3, padding="full", flip=True)
    assert spec.output_shape == (6, 6)
    np.testing.assert_array_equal(convolve(SEED_IMAGE, SEED_KERNEL, spec), SEED_FULL)


# ---------------------------------------------------------------------------------------------
# The convolution-arithmetic paper's numeric examples (figure 2.1 / the p=1, s=2 sequence).

PAPER_X = [[3, 3, 2, 1, 0], [0, 0, 1, 3, 1], [3, 1, 2, 2, 3], [2, 0, 0, 2, 2], [2, 0, 0, 0, 1]]
PAPER_W = [[0, 1, 2], [2, 2, 0], [0, 1, 2]]


def test_paper_figure_2_1():
    result = convolve(PAPER_X, PAPER_W, ConvSpec((5, 5), 3))
    np.testing.assert_array_equal(result, [[12, 12, 17], [10, 17, 19], [9, 6, 14]])


def test_paper_padding_1_stride_2_sequence():
    spec = ConvSpec((5, 5), 3, stride=2, padding=1)
    np.testing.assert_array_equal(
        convolve(PAPER_X, PAPER_W, spec), [[6, 17, 3], [8, 17, 13], [6, 4, 4]]
    )
    steps = conv_steps(PAPER_X, PAPER_W, spec)
    assert [s.value for s in steps] == [6, 17, 3, 8, 17, 13, 6, 4, 4]
    # The window moves by the stride on the padded grid (the paper's figure; reference issue #17).
    assert [s.window_origin for s in steps] == [(r, c) for r in (0, 2, 4) for c in (0, 2, 4)]
    # Top-left window: its first row and first column lie on padding (5 of 9 taps).
    assert sum(t.in_index is None for t in steps[0].taps) == 5
    assert sum(t.in_index is None for t in steps[4].taps) == 0


# ---------------------------------------------------------------------------------------------
# scipy.signal: flip=True is convolve, flip=False is correlate (stride 1).

SCIPY_SHAPES = [((7,), (3,)), ((6,), (2,)), ((5,), (5,)), ((1,), (1,)),
                ((5, 6), (3, 2)), ((4, 4), (3, 3)), ((6, 3), (1, 3)), ((3, 5), (3, 4))]


@pytest.mark.parametrize("flip", [True, False])
@pytest.mark.parametrize("mode", ["valid", "full"])
@pytest.mark.parametrize(("xs", "ws"), SCIPY_SHAPES)
def test_scipy_valid_and_full(xs, ws, mode, flip):
    x, w = rng_ints(xs, 1), rng_ints(ws, 2)
    oracle = (signal.convolve if flip else signal.correlate)(x, w, mode=mode, method="direct")
    np.testing.assert_allclose(convolve(x, w, ConvSpec(xs, ws, padding=mode, flip=flip)), oracle)


@pytest.mark.parametrize("flip", [True, False])
@pytest.mark.parametrize(("xs", "ws"), [((7,), (3,)), ((4,), (5,)), ((5, 6), (3, 5)),
                                        ((4, 4), (1, 3))])
def test_scipy_same_for_odd_kernels(xs, ws, flip):
    # For odd kernels scipy's centred 'same' and TensorFlow's rule agree.
    x, w = rng_ints(xs, 3), rng_ints(ws, 4)
    oracle = (signal.convolve if flip else signal.correlate)(x, w, mode="same", method="direct")
    np.testing.assert_allclose(convolve(x, w, ConvSpec(xs, ws, padding="same", flip=flip)), oracle)


def tf_same_pads(i: int, k: int, s: int, d: int) -> tuple[int, int]:
    """TensorFlow's documented 'SAME' rule, written independently of the engine."""
    out = -(-i // s)
    total = max((out - 1) * s + (k - 1) * d + 1 - i, 0)
    return total // 2, total - total // 2


@pytest.mark.parametrize("flip", [True, False])
@pytest.mark.parametrize(("i", "k", "s", "d"), [(7, 2, 1, 1), (7, 4, 1, 1), (6, 4, 2, 1),
                                                (7, 2, 3, 1), (8, 4, 3, 2), (5, 2, 2, 3)])
def test_same_with_even_kernels_and_strides_follows_tensorflow(i, k, s, d, flip):
    # scipy's 'same' centres even kernels the other way (extra cell before), so the oracle is
    # the TF rule applied by the naive reference: extra padding after.
    x, w = rng_ints((i,), 5), rng_ints((k,), 6)
    spec = ConvSpec((i,), k, stride=s, dilation=d, padding="same", flip=flip)
    pads = tf_same_pads(i, k, s, d)
    assert spec.pads == (pads,)
    assert spec.output_shape == (-(-i // s),)
    np.testing.assert_allclose(convolve(x, w, spec), naive_conv(x, w, (s,), [pads], (d,), flip))


def test_same_even_kernel_2d():
    x, w = rng_ints((5, 6), 7), rng_ints((2, 4), 8)
    spec = ConvSpec((5, 6), (2, 4), stride=(2, 1), padding="same")
    pads = [tf_same_pads(5, 2, 2, 1), tf_same_pads(6, 4, 1, 1)]
    assert pads == [(0, 1), (1, 2)]
    np.testing.assert_allclose(convolve(x, w, spec), naive_conv(x, w, (2, 1), pads, (1, 1)))


@pytest.mark.parametrize("flip", [True, False])
@pytest.mark.parametrize(("xs", "ws", "p"), [((4,), (3,), 0), ((5,), (2,), 1), ((3, 4), (2, 3), 0),
                                             ((4, 3), (3, 3), 1), ((3, 3), (3, 2), (2, 1))])
def test_transposed_stride_1_is_scipy_full_cropped(xs, ws, p, flip):
    # conv_transpose with stride 1: y[n] = Σ_i x[i] w[n − i + p], i.e. the full convolution
    # (correlation for flip=True) with p cropped from each side.
    x, w = rng_ints(xs, 9), rng_ints(ws, 10)
    spec = ConvSpec(xs, ws, padding=p, transposed=True, flip=flip)
    full = (signal.correlate if flip else signal.convolve)(x, w, mode="full", method="direct")
    crop = tuple(slice(pb, n - pa) for (pb, pa), n in zip(spec.pads, full.shape))
    np.testing.assert_allclose(convolve(x, w, spec), full[crop])


# ---------------------------------------------------------------------------------------------
# The naive PyTorch reference: explicit configurations, then random ones.

NAIVE_TABLE = [
    dict(input_shape=(7,), kernel_shape=3, stride=2, padding=(2, 0)),
    dict(input_shape=(8,), kernel_shape=2, stride=3, padding=(0, 3), dilation=2),
    dict(input_shape=(6,), kernel_shape=3, dilation=2, padding=1, flip=True),
    dict(input_shape=(6, 5), kernel_shape=(3, 2), stride=(2, 1), padding=((1, 0), (0, 2))),
    dict(input_shape=(7, 7), kernel_shape=3, stride=2, dilation=(1, 2), padding=((0, 1), 2)),
    dict(input_shape=(4,), kernel_shape=3, stride=2, padding=1, transposed=True,
         output_padding=1),
    dict(input_shape=(3,), kernel_shape=4, stride=3, padding=(0, 2), transposed=True,
         output_padding=2),
    dict(input_shape=(3,), kernel_shape=2, stride=1, dilation=3, transposed=True,
         output_padding=2),
    dict(input_shape=(3,), kernel_shape=2, stride=2, padding=(4, 0), transposed=True),
    dict(input_shape=(3, 2), kernel_shape=(3, 2), stride=(2, 3), padding=((1, 2), (0, 1)),
         transposed=True, output_padding=(1, 2), flip=True),
    dict(input_shape=(2, 3), kernel_shape=(2, 3), stride=2, dilation=(2, 1), padding=1,
         transposed=True, output_padding=(1, 0)),
]


@pytest.mark.parametrize("kwargs", NAIVE_TABLE)
def test_matches_naive_reference(kwargs):
    spec = ConvSpec(**kwargs)
    x, w = rng_ints(spec.input_shape, 11), rng_ints(spec.kernel_shape, 12)
    expected = naive_for(x, w, spec)
    assert spec.output_shape == expected.shape
    np.testing.assert_allclose(convolve(x, w, spec), expected)


def test_naive_references_are_adjoint():
    # Sanity check of the oracle itself: <conv x, y> == <x, conv_transpose y>.
    x, y, w = rng_ints((7, 6), 13), rng_ints((3, 3), 14), rng_ints((3, 2), 15)
    direct = naive_conv(x, w, (2, 2), [(1, 0), (0, 1)], (1, 2))
    assert direct.shape == (3, 3)
    back = naive_conv_transpose(y, w, (2, 2), [(1, 0), (0, 1)], (1, 2), (1, 0))
    assert back.shape == (7, 6)
    assert np.vdot(direct, y) == pytest.approx(np.vdot(x, back))


@given(cases())
def test_convolve_matches_naive_reference(case):
    spec, x, w = case
    np.testing.assert_allclose(convolve(x, w, spec), naive_for(x, w, spec), atol=1e-9)


# ---------------------------------------------------------------------------------------------
# Properties.


@given(cases(transposed=False))
def test_stride_is_subsampling_of_stride_1(case):
    spec, x, w = case
    unit = ConvSpec(spec.input_shape, spec.kernel_shape, stride=1, padding=spec.pads,
                    dilation=spec.dilation, flip=spec.flip)
    sub = convolve(x, w, unit)[tuple(slice(None, None, s) for s in spec.stride)]
    np.testing.assert_allclose(convolve(x, w, spec), sub, atol=1e-9)


@given(cases(max_op_below_stride=True))
def test_dilation_is_kernel_with_inserted_zeros(case):
    spec, x, w = case
    spread = np.zeros(spec.effective_kernel_shape)
    spread[tuple(slice(None, None, d) for d in spec.dilation)] = w
    plain = ConvSpec(spec.input_shape, spec.effective_kernel_shape, stride=spec.stride,
                     padding=spec.pads, transposed=spec.transposed,
                     output_padding=spec.resolved_output_padding, flip=spec.flip)
    np.testing.assert_allclose(convolve(x, w, spec), convolve(x, spread, plain), atol=1e-9)


@given(cases(transposed=True))
def test_transposed_four_routes_agree(case):
    spec, x, w = case
    expected = equivalent_direct(x, w, spec)  # the paper's view, built independently
    np.testing.assert_allclose(naive_for(x, w, spec), expected, atol=1e-9)
    np.testing.assert_allclose(convolve(x, w, spec), expected, atol=1e-9)
    by_steps = np.zeros(spec.output_shape)
    for step in conv_steps(x, w, spec):
        by_steps[step.out_index] = sum(t.product for t in step.taps)
    np.testing.assert_allclose(by_steps, expected, atol=1e-9)
    by_scatter = np.zeros(spec.output_shape)
    for step in scatter_steps(x, w, spec):
        for c in step.contributions:
            by_scatter[c.out_index] += c.product
    np.testing.assert_allclose(by_scatter, expected, atol=1e-9)
    by_matrix = conv_matrix(spec).dense(w) @ x.ravel()
    np.testing.assert_allclose(by_matrix.reshape(spec.output_shape), expected, atol=1e-9)


def grid_markers(spec: ConvSpec) -> np.ndarray:
    """The drawn grid's map, built from scratch: input index, −1 padding, −2 inserted zero."""
    stride = spec.stride if spec.transposed else (1,) * spec.ndim
    stretched = np.full(tuple((i - 1) * s + 1 for i, s in zip(spec.input_shape, stride)), -2)
    stretched[tuple(slice(None, None, s) for s in stride)] = np.arange(
        spec.input_size).reshape(spec.input_shape)
    if spec.transposed:
        before = [d * (k - 1) - pb for k, d, (pb, _) in
                  zip(spec.kernel_shape, spec.dilation, spec.pads)]
        after = [d * (k - 1) - pa + op for k, d, (_, pa), op in
                 zip(spec.kernel_shape, spec.dilation, spec.pads, spec.resolved_output_padding)]
    else:
        before, after = [pb for pb, _ in spec.pads], [pa for _, pa in spec.pads]
    grid = np.pad(stretched, [(max(b, 0), max(a, 0)) for b, a in zip(before, after)],
                  constant_values=-1)
    return grid[tuple(slice(max(-b, 0), n - max(-a, 0))
                      for b, a, n in zip(before, after, grid.shape))]


@given(cases())
def test_grid_matches_independent_construction(case):
    spec, x, _ = case
    markers = grid_markers(spec)
    assert spec.grid_shape == markers.shape
    np.testing.assert_array_equal(grid_input_index(spec), markers)
    assert PADDING_CELL == -1 and INSERTED_ZERO == -2
    expected = np.where(markers >= 0, x.ravel()[np.maximum(markers, 0)], 0.0)
    np.testing.assert_array_equal(grid_values(x, spec), expected)


@given(cases())
def test_conv_steps_taps_are_consistent(case):
    spec, x, w = case
    steps = conv_steps(x, w, spec)
    result = convolve(x, w, spec)
    grid = grid_values(x, spec)
    gmap = grid_input_index(spec)
    laid = grid_kernel(w, spec)
    offsets = list(np.ndindex(*spec.kernel_shape))
    assert [s.out_index for s in steps] == list(np.ndindex(*spec.output_shape))
    for step in steps:
        assert step.value == pytest.approx(result[step.out_index], abs=1e-9)
        assert len(step.taps) == spec.kernel_size
        hop = (1,) * spec.ndim if spec.transposed else spec.stride
        origin = tuple(o * h for o, h in zip(step.out_index, hop))
        assert step.window_origin == origin
        for m, tap in zip(offsets, step.taps):
            assert tap.grid_index == tuple(g + mi * d
                                           for g, mi, d in zip(origin, m, spec.dilation))
            assert tap.w_value == w[tap.kernel_index]
            assert tap.w_value == laid[m]
            assert tap.x_value == grid[tap.grid_index]
            assert tap.product == tap.x_value * tap.w_value
            marker = gmap[tap.grid_index]
            if tap.in_index is None:
                assert marker < 0 and tap.x_value == 0
            else:
                assert marker == np.ravel_multi_index(tap.in_index, spec.input_shape)
                assert tap.x_value == x[tap.in_index]


@given(cases(transposed=False))
def test_direct_taps_follow_the_index_relation(case):
    # Direct: input j = o·s + m·d − p_before through weight m (k−1−m when flipped).
    spec, x, w = case
    for step in conv_steps(x, w, spec):
        for m, tap in zip(np.ndindex(*spec.kernel_shape), step.taps):
            j = tuple(o * s + mi * d - pb for o, s, mi, d, (pb, _) in
                      zip(step.out_index, spec.stride, m, spec.dilation, spec.pads))
            inside = all(0 <= ji < n for ji, n in zip(j, spec.input_shape))
            assert tap.in_index == (j if inside else None)
            expected_k = tuple(k - 1 - mi for k, mi in zip(spec.kernel_shape, m)) \
                if spec.flip else m
            assert tap.kernel_index == expected_k


@given(cases())
def test_scatter_steps_superpose_to_the_result(case):
    spec, x, w = case
    steps = scatter_steps(x, w, spec)
    expected = naive_for(x, w, spec)
    assert [s.in_index for s in steps] == list(np.ndindex(*spec.input_shape))
    previous = np.zeros(spec.output_shape)
    for step in steps:
        assert step.x_value == x[step.in_index]
        added = np.zeros(spec.output_shape)
        for c in step.contributions:
            assert c.product == x[step.in_index] * w[c.kernel_index]
            added[c.out_index] += c.product
        np.testing.assert_allclose(step.partial, previous + added, atol=1e-9)
        assert not step.partial.flags.writeable
        previous = step.partial
    np.testing.assert_allclose(previous, expected, atol=1e-9)


@given(cases(transposed=True))
def test_transposed_contributions_follow_the_index_relation(case):
    # Transposed: input i writes output i·s + m·d − p_before through weight m (k−1−m if flip).
    spec, x, w = case
    for step in scatter_steps(x, w, spec):
        expected = set()
        for m in np.ndindex(*spec.kernel_shape):
            n = tuple(i * s + mi * d - pb for i, s, mi, d, (pb, _) in
                      zip(step.in_index, spec.stride, m, spec.dilation, spec.pads))
            if all(0 <= ni < o for ni, o in zip(n, spec.output_shape)):
                k = tuple(kk - 1 - mi for kk, mi in zip(spec.kernel_shape, m)) \
                    if spec.flip else m
                expected.add((n, k))
        assert {(c.out_index, c.kernel_index) for c in step.contributions} == expected


def test_grid_kernel_flips_for_flip_xor_transposed():
    w = np.array([[1.0, 2.0], [3.0, 4.0]])
    rotated = np.array([[4.0, 3.0], [2.0, 1.0]])
    for flip, transposed, expected in [(False, False, w), (True, False, rotated),
                                       (False, True, rotated), (True, True, w)]:
        spec = ConvSpec((3, 3), 2, flip=flip, transposed=transposed)
        np.testing.assert_array_equal(grid_kernel(w, spec), expected)


def test_transposed_grid_example_from_the_paper():
    # Transpose of (i=5, k=3, p=0, s=2): 2 inputs, 1 zero between them, padding k−1 = 2.
    spec = ConvSpec((2,), 3, stride=2, transposed=True)
    np.testing.assert_array_equal(grid_input_index(spec), [-1, -1, 0, -2, 1, -1, -1])
    np.testing.assert_array_equal(grid_values([7, 9], spec), [0, 0, 7, 0, 9, 0, 0])


def test_transposed_grid_crops_when_padding_exceeds_the_kernel():
    # p = 2 > d(k−1) = 1: the stretched input [0, z, 1, z, 2] loses one cell on each side.
    spec = ConvSpec((3,), 2, stride=2, padding=2, transposed=True)
    assert spec.grid_pads == ((-1, -1),)
    np.testing.assert_array_equal(grid_input_index(spec), [-2, 1, -2])
    # y[n] = Σ x[i]·w[m] over n = 2i + m − 2: only x[1] lands inside.
    np.testing.assert_array_equal(convolve([1, 2, 3], [5, 7], spec), [10.0, 14.0])


# ---------------------------------------------------------------------------------------------
# Invalid arrays.

BAD_ARRAYS = [
    ([1, 2, 3], [1, 1], r"x has shape \(3,\).*spec\.input_shape is \(5,\)"),
    ([[1, 2, 3, 4, 5]], [1, 1], r"x has shape \(1, 5\)"),
    ([1, 2, 3, 4, 5], [1, 1, 1], r"w has shape \(3,\).*spec\.kernel_shape is \(2,\)"),
    ([1, 2, np.nan, 4, 5], [1, 1], r"x is invalid.*NaN or infinite"),
    ([1, 2, 3, 4, 5], [np.inf, 1], r"w is invalid.*NaN or infinite"),
    ([1, 2, 3, 4, -np.inf], [1, 1], r"x is invalid.*NaN or infinite"),
    ("abcde", [1, 1], r"x is invalid: it must be an array of numbers"),
    ([[1, 2], [3]], [1, 1], r"x is invalid: it must be an array of numbers"),
]


@pytest.mark.parametrize("func", [convolve, conv_steps, scatter_steps])
@pytest.mark.parametrize(("x", "w", "match"), BAD_ARRAYS)
def test_bad_arrays_raise(func, x, w, match):
    with pytest.raises(ConvMathError, match=match):
        func(x, w, ConvSpec((5,), 2))


def test_spec_must_be_a_convspec():
    with pytest.raises(ConvMathError, match=r"spec=\(5,\) is invalid: it must be a ConvSpec"):
        convolve([1, 2, 3, 4, 5], [1, 1], (5,))  # type: ignore[arg-type]


def test_grid_functions_check_arrays():
    with pytest.raises(ConvMathError, match=r"x has shape \(4,\)"):
        grid_values([1, 2, 3, 4], ConvSpec((5,), 2))
    with pytest.raises(ConvMathError, match=r"w has shape \(3,\)"):
        grid_kernel([1, 2, 3], ConvSpec((5,), 2))


@pytest.mark.parametrize("call", [
    lambda bad: grid_input_index(bad),
    lambda bad: grid_values([1, 2, 3], bad),
    lambda bad: grid_kernel([1, 2], bad),
    lambda bad: conv_steps([1, 2, 3], [1, 2], bad),
    lambda bad: scatter_steps([1, 2, 3], [1, 2], bad),
])
def test_every_op_rejects_a_non_spec(call):
    with pytest.raises(ConvMathError, match=r"spec=\{'input_shape': \(3,\)\} is invalid"):
        call({"input_shape": (3,)})


@pytest.mark.parametrize("func", [convolve, conv_steps, scatter_steps])
@pytest.mark.parametrize(("x", "w", "match"), BAD_ARRAYS)
def test_bad_arrays_name_their_parameter(func, x, w, match):
    with pytest.raises(ConvMathError) as err:
        func(x, w, ConvSpec((5,), 2))
    assert err.value.param == match[0]  # "x …" or "w …"
