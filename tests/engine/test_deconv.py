"""convmath.deconv: C⁺·y (deconvolution) beside Cᵀ·y (transposed convolution).

Oracles: the matrix ``C`` built from PyTorch's Conv definition with naive loops (output ``n``
reads input ``n·s + m·d − p_before`` through weight ``m``, or ``k−1−m`` when flipped),
``numpy.linalg.lstsq`` for the minimum-norm least-squares solution, ``numpy.linalg.matrix_rank``,
and hand-worked counts (the checkerboard of ``Cᵀ·1`` with stride 2).
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from convmath import (
    ConvMathError,
    ConvSpec,
    column_rank,
    convolve,
    deconvolve,
    transposed_image,
)


def naive_matrix(spec: ConvSpec, w: np.ndarray) -> np.ndarray:
    """``C`` of a direct spec from the definition (a transposed spec: its adjoint's, transposed)."""
    if spec.transposed:
        return naive_matrix(spec.adjoint(), w).T
    c = np.zeros((spec.output_size, spec.input_size))
    for n in itertools.product(*(range(o) for o in spec.output_shape)):
        row = np.ravel_multi_index(n, spec.output_shape)
        for m in itertools.product(*(range(k) for k in spec.kernel_shape)):
            at = tuple(
                nn * s + mm * d - pb
                for nn, mm, s, d, (pb, _) in zip(n, m, spec.stride, spec.dilation, spec.pads)
            )
            if all(0 <= a < size for a, size in zip(at, spec.input_shape)):
                weight = tuple(k - 1 - mm for mm, k in zip(m, spec.kernel_shape))
                weight = weight if spec.flip else m
                c[row, np.ravel_multi_index(at, spec.input_shape)] += w[weight]
    return c


@st.composite
def cases(draw, transposed=None):
    ndim = draw(st.sampled_from([1, 2]))
    shape = tuple(draw(st.integers(2, 8 if ndim == 1 else 5)) for _ in range(ndim))
    k = draw(st.integers(1, 3))
    s = draw(st.integers(1, 3))
    d = draw(st.integers(1, 2))
    p = draw(st.integers(0, 2))
    flip = draw(st.booleans())
    is_t = draw(st.booleans()) if transposed is None else transposed
    try:
        spec = ConvSpec(shape, k, stride=s, padding=p, dilation=d, flip=flip, transposed=is_t)
    except ConvMathError:
        assume(False)
    rng = np.random.default_rng(draw(st.integers(0, 2**16)))
    w = rng.integers(-3, 4, spec.kernel_shape).astype(float)
    x = rng.integers(-4, 5, spec.input_shape).astype(float)
    return spec, w, x


@given(cases())
def test_deconvolve_is_the_lstsq_solution(case):
    spec, w, x = case
    c = naive_matrix(spec, w)
    y = c @ x.ravel()
    expected = np.linalg.lstsq(c, y, rcond=None)[0]
    got = deconvolve(y.reshape(spec.output_shape), w, spec)
    assert got.shape == spec.input_shape
    np.testing.assert_allclose(got.ravel(), expected, atol=1e-9)


@given(cases())
def test_deconvolve_of_any_y_is_the_min_norm_lstsq(case):
    spec, w, _ = case
    y = np.random.default_rng(1).normal(size=spec.output_shape)
    c = naive_matrix(spec, w)
    expected = np.linalg.lstsq(c, y.ravel(), rcond=None)[0]
    np.testing.assert_allclose(deconvolve(y, w, spec).ravel(), expected, atol=1e-8)


@given(cases())
def test_full_column_rank_recovers_x(case):
    spec, w, x = case
    rank = column_rank(w, spec)
    assume(rank.full)
    np.testing.assert_allclose(deconvolve(convolve(x, w, spec), w, spec), x, atol=1e-8)


@given(st.integers(2, 9), st.integers(1, 4), st.integers(0, 2**16))
def test_stride_one_full_padding_has_full_column_rank(n, k, seed):
    w = np.random.default_rng(seed).integers(1, 5, k).astype(float)  # w[0] != 0: triangular
    spec = ConvSpec((n,), k, padding="full")
    assert column_rank(w, spec).full
    x = np.arange(n, dtype=float) - 2
    np.testing.assert_allclose(deconvolve(convolve(x, w, spec), w, spec), x, atol=1e-9)


@given(cases())
def test_rank_and_unseen_cells_match_the_matrix(case):
    spec, w, _ = case
    c = naive_matrix(spec, w)
    rank = column_rank(w, spec)
    assert rank.rank == np.linalg.matrix_rank(c)
    assert rank.columns == spec.input_size
    assert rank.full == (np.linalg.matrix_rank(c) == spec.input_size)
    assert rank.rows == c.shape[0]
    assert rank.full_rows == (np.linalg.matrix_rank(c) == c.shape[0])
    np.testing.assert_array_equal(rank.unseen.ravel(), ~np.any(c != 0, axis=0))
    if rank.unseen.any():
        assert not rank.full


@given(cases())
def test_transposed_image_is_c_transpose_y(case):
    spec, w, _ = case
    pads = zip(spec.resolved_output_padding, spec.stride)
    assume(not spec.transposed or all(op < s for op, s in pads))  # else no direct adjoint
    y = np.random.default_rng(2).integers(-3, 4, spec.output_shape).astype(float)
    got = transposed_image(y, w, spec)
    assert got.shape == spec.input_shape
    np.testing.assert_allclose(got.ravel(), naive_matrix(spec, w).T @ y.ravel(), atol=1e-9)


@pytest.mark.parametrize(
    ("spec", "w", "unseen"),
    [
        # stride 2 over 6 cells: windows at 0 and 2 leave cell 5 unread
        (ConvSpec((6,), 3, stride=2), [1.0, 2.0, 1.0], [0, 0, 0, 0, 0, 1]),
        # a zero weight hides the cells only it would read: k=2, s=2, w=[1, 0]
        (ConvSpec((4,), 2, stride=2), [1.0, 0.0], [0, 1, 0, 1]),
        # 2D: stride 2 on a 4×4 input with a 3×3 kernel leaves the last row and column
        (ConvSpec((4, 4), 3, stride=2), np.ones((3, 3)),
         [[0, 0, 0, 1], [0, 0, 0, 1], [0, 0, 0, 1], [1, 1, 1, 1]]),
    ],
)
def test_hand_worked_unseen_cells(spec, w, unseen):
    rank = column_rank(w, spec)
    np.testing.assert_array_equal(rank.unseen, np.array(unseen, dtype=bool))
    assert not rank.full
    recovered = deconvolve(convolve(np.ones(spec.input_shape), w, spec), w, spec)
    assert np.all(recovered[rank.unseen] == 0)


def test_transposed_convolution_undoes_the_shape_not_the_values():
    # Cᵀ·1 with k=3, s=2 on 7 cells counts the windows over each cell: a checkerboard.
    spec = ConvSpec((7,), 3, stride=2)
    ones = np.ones(spec.output_shape)
    np.testing.assert_array_equal(transposed_image(ones, np.ones(3), spec), [1, 1, 2, 1, 2, 1, 1])
    x = np.array([0, 0, 3, 0, 0, 0, 0], dtype=float)
    w = np.array([1.0, 2.0, 1.0])
    back = transposed_image(convolve(x, w, spec), w, spec)
    assert back.shape == x.shape
    assert not np.allclose(back, x)
    # y = (3, 3, 0); Cᵀ·y puts y0·w on cells 0-2 and y1·w on cells 2-4
    np.testing.assert_array_equal(back, [3, 6, 6, 6, 3, 0, 0])
    assert not column_rank(w, spec).full  # 3 outputs cannot pin down 7 inputs


def test_deconvolve_2d_with_padding_recovers_the_seed():
    spec = ConvSpec((4, 4), 3, padding=1)
    w = np.array([[0, 1, 0], [1, 2, 1], [0, 1, 0]], dtype=float)
    x = np.arange(16, dtype=float).reshape(4, 4)
    assert column_rank(w, spec).full
    np.testing.assert_allclose(deconvolve(convolve(x, w, spec), w, spec), x, atol=1e-9)


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda: deconvolve(np.zeros(3), [1, 1], ConvSpec((5,), 2)), r"y has shape \(3,\).*\(4,\)"),
        (lambda: deconvolve(np.zeros(4), [1, 1, 1], ConvSpec((5,), 2)), r"w has shape \(3,\)"),
        (lambda: deconvolve([np.nan] * 4, [1, 1], ConvSpec((5,), 2)), r"y is invalid: .*NaN"),
        (lambda: column_rank([1, 1], "spec"), r"spec='spec' is invalid"),
        (lambda: transposed_image(np.zeros(2), [1, 1], ConvSpec((5,), 2)), r"y has shape \(2,\)"),
    ],
)
def test_bad_input_names_the_parameter(call, match):
    with pytest.raises(ConvMathError, match=match):
        call()
