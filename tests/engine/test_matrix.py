"""convmath.matrix: the convolution matrix and the connectivity graph.

Oracles: the matrix written entry by entry from the index relation (direct: output ``o`` reads
input ``o·s + m·d − p_before``; transposed: input ``i`` writes output ``i·s + m·d − p_before``),
literal small matrices (Toeplitz structure), scipy, and the adjoint identity.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from scipy import signal

from convmath import ConvMathError, ConvSpec, Edge, connectivity, conv_matrix, convolve


@st.composite
def specs(draw, transposed=None) -> ConvSpec:
    nd = draw(st.sampled_from([1, 2]))
    tr = draw(st.booleans()) if transposed is None else transposed
    axes = []
    for _ in range(nd):
        s, d = draw(st.integers(1, 3)), draw(st.integers(1, 3))
        axes.append((draw(st.integers(1, 6 if nd == 1 else 4)), draw(st.integers(1, 4)), s, d,
                     (draw(st.integers(0, 3)), draw(st.integers(0, 3))),
                     draw(st.integers(0, max(s, d) - 1)) if tr else 0))
    i, k, s, d, p, op = (tuple(v) for v in zip(*axes))
    try:
        return ConvSpec(i, k, stride=s, padding=p, dilation=d, transposed=tr, output_padding=op,
                        flip=draw(st.booleans()))
    except ConvMathError:
        assume(False)
        raise


def reference_matrix(spec: ConvSpec, w: np.ndarray) -> np.ndarray:
    """The dense matrix from the index relation, one (output, input, kernel offset) at a time."""
    w = np.asarray(w, float)
    if spec.flip:
        w = w[(slice(None, None, -1),) * w.ndim]
    c = np.zeros((spec.output_size, spec.input_size))
    for o in np.ndindex(*spec.output_shape):
        for j in np.ndindex(*spec.input_shape):
            for m in np.ndindex(*w.shape):
                if spec.transposed:  # input j writes output j·s + m·d − p_before
                    hit = all(oo == jj * s + mm * d - pb for oo, jj, s, mm, d, (pb, _) in
                              zip(o, j, spec.stride, m, spec.dilation, spec.pads))
                else:  # output o reads input o·s + m·d − p_before
                    hit = all(jj == oo * s + mm * d - pb for oo, jj, s, mm, d, (pb, _) in
                              zip(o, j, spec.stride, m, spec.dilation, spec.pads))
                if hit:
                    c[np.ravel_multi_index(o, spec.output_shape),
                      np.ravel_multi_index(j, spec.input_shape)] += w[m]
    return c


def distinct_kernel(spec: ConvSpec) -> np.ndarray:
    """Weights 1, 2, 3, … so every matrix entry tells which weight it holds."""
    return np.arange(1.0, spec.kernel_size + 1).reshape(spec.kernel_shape)


# ---------------------------------------------------------------------------------------------
# Literal matrices.


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        # Stride 1, no padding: Toeplitz, each row the kernel shifted by one.
        (dict(input_shape=(4,), kernel_shape=2),
         [[0, 1, -1, -1], [-1, 0, 1, -1], [-1, -1, 0, 1]]),
        # flip=True: the kernel reversed along each row.
        (dict(input_shape=(4,), kernel_shape=2, flip=True),
         [[1, 0, -1, -1], [-1, 1, 0, -1], [-1, -1, 1, 0]]),
        # Stride 2 keeps rows 0 and 2 of the stride-1 matrix.
        (dict(input_shape=(5,), kernel_shape=3, stride=2),
         [[0, 1, 2, -1, -1], [-1, -1, 0, 1, 2]]),
        # Padding 1: the padded columns are deleted, so the border rows lose a weight.
        (dict(input_shape=(3,), kernel_shape=3, padding=1),
         [[1, 2, -1], [0, 1, 2], [-1, 0, 1]]),
        # Dilation 2 spreads the weights two columns apart.
        (dict(input_shape=(5,), kernel_shape=2, dilation=2),
         [[0, -1, 1, -1, -1], [-1, 0, -1, 1, -1], [-1, -1, 0, -1, 1]]),
        # Transposed of the stride-2 case above: its transpose.
        (dict(input_shape=(2,), kernel_shape=3, stride=2, transposed=True),
         [[0, -1], [1, -1], [2, 0], [-1, 1], [-1, 2]]),
        # 2D, 3×3 input, 2×2 kernel: doubly block Toeplitz.
        (dict(input_shape=(3, 3), kernel_shape=2),
         [[0, 1, -1, 2, 3, -1, -1, -1, -1],
          [-1, 0, 1, -1, 2, 3, -1, -1, -1],
          [-1, -1, -1, 0, 1, -1, 2, 3, -1],
          [-1, -1, -1, -1, 0, 1, -1, 2, 3]]),
    ],
)
def test_literal_kernel_index(kwargs, expected):
    m = conv_matrix(ConvSpec(**kwargs))
    np.testing.assert_array_equal(m.kernel_index, expected)
    assert m.shape == np.shape(expected)
    assert m.nonzero_count == int(np.sum(np.asarray(expected) >= 0))


def test_dense_matches_scipy_for_the_seed():
    x = np.array([2.0, 1, 0, 1, 2])
    spec = ConvSpec((5,), 2, flip=True)
    dense = conv_matrix(spec).dense([1, -1])
    np.testing.assert_array_equal(dense @ x, signal.convolve(x, [1, -1], mode="valid"))
    np.testing.assert_array_equal(dense @ x, [-1, -1, 1, 1])


def test_matrix_is_read_only_and_row_cells():
    m = conv_matrix(ConvSpec((3,), 3, padding=1))
    with pytest.raises(ValueError):
        m.kernel_index[0, 0] = 5
    assert m.row_kernel_cells(0) == ((0, 1), (1, 2))
    assert m.row_kernel_cells(1) == ((0, 0), (1, 1), (2, 2))


def test_dense_checks_the_kernel():
    m = conv_matrix(ConvSpec((5,), 2))
    with pytest.raises(ConvMathError, match=r"w has shape \(3,\)"):
        m.dense([1, 2, 3])
    with pytest.raises(ConvMathError, match=r"w is invalid.*NaN"):
        m.dense([1, np.nan])


# ---------------------------------------------------------------------------------------------
# Properties.


@given(specs(), st.integers(0, 2**16))
def test_dense_matches_reference_and_convolve(spec, seed):
    rng = np.random.default_rng(seed)
    w = rng.integers(-3, 4, spec.kernel_shape).astype(float)
    x = rng.integers(-3, 4, spec.input_shape).astype(float)
    reference = reference_matrix(spec, w)
    m = conv_matrix(spec)
    np.testing.assert_array_equal(m.dense(w), reference)
    np.testing.assert_allclose((reference @ x.ravel()).reshape(spec.output_shape),
                               convolve(x, w, spec), atol=1e-9)


@given(specs())
def test_kernel_index_names_the_weight(spec):
    w = distinct_kernel(spec)
    reference = reference_matrix(spec, w)  # entries are 1 + flat kernel index, 0 elsewhere
    np.testing.assert_array_equal(conv_matrix(spec).kernel_index, reference.astype(int) - 1)


@given(specs(), st.integers(0, 2**16))
def test_adjoint_identity(spec, seed):
    # <C x, y> == <x, Cᵀ y>, with Cᵀ applied by convolving with spec.adjoint().
    try:
        adj = spec.adjoint()
    except ConvMathError:
        assume(False)
        raise
    assert adj.input_shape == spec.output_shape and adj.output_shape == spec.input_shape
    assert adj.transposed != spec.transposed
    rng = np.random.default_rng(seed)
    w = rng.integers(-3, 4, spec.kernel_shape).astype(float)
    x = rng.integers(-3, 4, spec.input_shape).astype(float)
    y = rng.integers(-3, 4, spec.output_shape).astype(float)
    lhs = np.vdot(convolve(x, w, spec), y)
    assert lhs == pytest.approx(np.vdot(x, convolve(y, w, adj)))
    dense = conv_matrix(spec).dense(w)
    assert lhs == pytest.approx(np.vdot(x.ravel(), dense.T @ y.ravel()))
    np.testing.assert_array_equal(conv_matrix(adj).kernel_index, conv_matrix(spec).kernel_index.T)


@given(specs(transposed=False))
def test_transposed_matrix_is_the_direct_transpose(spec):
    # The transposed spec with the same kernel, stride, padding and dilation, read back to the
    # direct input's size (output_padding = the left-over cells).
    leftover = tuple((i + pb + pa - ke) % s for i, (pb, pa), ke, s in
                     zip(spec.input_shape, spec.pads, spec.effective_kernel_shape, spec.stride))
    tr = ConvSpec(spec.output_shape, spec.kernel_shape, stride=spec.stride, padding=spec.pads,
                  dilation=spec.dilation, transposed=True, output_padding=leftover,
                  flip=spec.flip)
    assert tr.output_shape == spec.input_shape
    np.testing.assert_array_equal(conv_matrix(tr).kernel_index, conv_matrix(spec).kernel_index.T)


@given(specs())
def test_connectivity_is_the_matrix_nonzeros(spec):
    edges = connectivity(spec)
    assert all(isinstance(e, Edge) for e in edges)
    as_flat = {
        (np.ravel_multi_index(e.out_index, spec.output_shape),
         np.ravel_multi_index(e.in_index, spec.input_shape),
         np.ravel_multi_index(e.kernel_index, spec.kernel_shape))
        for e in edges
    }
    assert len(as_flat) == len(edges)  # no duplicates
    ki = conv_matrix(spec).kernel_index
    rows, cols = np.nonzero(ki >= 0)
    assert as_flat == {(int(r), int(c), int(ki[r, c])) for r, c in zip(rows, cols)}
    # Ordered by output cell (row-major): each output's fan-in in turn.
    outs = [np.ravel_multi_index(e.out_index, spec.output_shape) for e in edges]
    assert outs == sorted(outs)


@pytest.mark.parametrize("func", [conv_matrix, connectivity])
def test_rejects_a_non_spec(func):
    with pytest.raises(ConvMathError, match=r"spec=\(5, 3\) is invalid: it must be a ConvSpec"):
        func((5, 3))
