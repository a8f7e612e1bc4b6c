"""Convolution as a matrix product, and its connectivity graph.

``conv_matrix(spec).dense(w) @ x.ravel() == convolve(x, w, spec).ravel()`` (row-major flattening);
a transposed spec's matrix is exactly the transpose of its direct adjoint's.

The matrix is stored sparse (one entry per structural non-zero, rows sorted), so its memory is
proportional to its non-zeros (``output cells × kernel cells`` at most), never to
``n_out × n_in``; the dense views refuse above :data:`MAX_DENSE_CELLS`.

With channels the matrix is the block matrix ``(out_channels·n_out, in_channels·n_in)`` of
channel-major flattening (``x.ravel()`` of ``(in_channels, *input_shape)``): block ``(o, c)`` is
the single-channel matrix of slice ``w[spec.weight_slice(o, c)]`` when ``c`` feeds ``o``, zero
otherwise (so ``groups`` make it block-diagonal); kernel indices index ``w.ravel()``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from convmath._links import axis_links, links
from convmath.errors import ConvMathError
from convmath.ops import check_array, check_finite_result, check_spec, w_expected, x_expected
from convmath.spec import ConvSpec

__all__ = ["ConvMatrix", "Edge", "conv_matrix", "connectivity", "channel_blocks",
           "MAX_DENSE_CELLS", "MAX_NONZEROS"]

Index = tuple[int, ...]

#: Largest ``n_out × n_in`` that :meth:`ConvMatrix.dense` and :attr:`ConvMatrix.kernel_index`
#: build (4 million cells: 32 MB as float64).
MAX_DENSE_CELLS = 4_000_000
#: Most structural non-zeros :func:`conv_matrix` stores (three int64 arrays: 240 MB).
MAX_NONZEROS = 10_000_000


@dataclass(frozen=True, slots=True)
class Edge:
    """One connection: input cell ``in_index`` feeds output ``out_index`` through a weight.

    ``kernel_index`` indexes the user's kernel ``w`` (with channels: the slice
    ``w[spec.weight_slice(out_channel, in_channel)]``); ``in_channel``/``out_channel`` are 0
    without channels.
    """

    in_index: Index
    out_index: Index
    kernel_index: Index
    in_channel: int = 0
    out_channel: int = 0


def _read_only(a: NDArray) -> NDArray:
    a.flags.writeable = False
    return a


@dataclass(frozen=True, slots=True)
class ConvMatrix:
    """The sparse matrix ``C`` of a spec, as kernel indices (coordinate form, rows sorted).

    Attributes
    ----------
    spec : ConvSpec
        The spec it was built from.
    rows, cols : numpy.ndarray
        Int arrays ``(nnz,)``: row (flat output index) and column (flat input index) of each
        structural non-zero, sorted by row then column (read-only).
    kernel_flat : numpy.ndarray
        Int array ``(nnz,)``: the flat (row-major) kernel index at each non-zero (with channels:
        into ``w.ravel()`` of ``spec.w_shape``) (read-only).
    indptr : numpy.ndarray
        Int array ``(n_out + 1,)``: row ``r``'s non-zeros are ``indptr[r]:indptr[r + 1]`` (CSR).
    """

    spec: ConvSpec
    rows: NDArray[np.int64]
    cols: NDArray[np.int64]
    kernel_flat: NDArray[np.int64]
    indptr: NDArray[np.int64]

    @property
    def shape(self) -> tuple[int, int]:
        """``(n_out, n_in)``; with channels ``(out_channels·n_out, in_channels·n_in)``."""
        return (self.spec.out_channels * self.spec.output_size,
                self.spec.in_channels * self.spec.input_size)

    @property
    def nonzero_count(self) -> int:
        """Number of structural non-zeros."""
        return int(self.rows.size)

    def _check_dense(self, what: str) -> None:
        n_out, n_in = self.shape
        if n_out * n_in > MAX_DENSE_CELLS:
            raise ConvMathError(
                f"input_shape={self.spec.input_shape} is invalid for {what}: the dense matrix "
                f"would have {n_out:,}×{n_in:,} = {n_out * n_in:,} cells; at most "
                f"{MAX_DENSE_CELLS:,} are allowed (use rows/cols/kernel_flat or matvec)",
                param="input_shape",
            )

    @property
    def kernel_index(self) -> NDArray[np.int64]:
        """Dense int array ``(n_out, n_in)``: the flat kernel index at each non-zero, ``-1``
        elsewhere (read-only; refused above :data:`MAX_DENSE_CELLS` with ConvMathError)."""
        self._check_dense("kernel_index")
        out = np.full(self.shape, -1, dtype=np.int64)
        out[self.rows, self.cols] = self.kernel_flat
        return _read_only(out)

    def dense(self, w: ArrayLike) -> NDArray[np.float64]:
        """The float matrix for kernel ``w``: ``C[r, c] = w.flat[kernel_index[r, c]]`` or 0.

        Raises
        ------
        ConvMathError
            For a bad ``w`` (``param="w"``) or above :data:`MAX_DENSE_CELLS` cells
            (``param="input_shape"``).
        """
        wa = check_array("w", w, self.spec.w_shape, w_expected(self.spec))
        self._check_dense("dense()")
        out = np.zeros(self.shape)
        out[self.rows, self.cols] = wa.ravel()[self.kernel_flat]
        return out

    def matvec(self, w: ArrayLike, x: ArrayLike) -> NDArray[np.float64]:
        """``C @ x.ravel()`` for kernel ``w``, without a dense matrix: ``(n_out,)``.

        Equal to ``convolve(x, w, spec).ravel()``. O(non-zeros) time and memory.
        """
        wa = check_array("w", w, self.spec.w_shape, w_expected(self.spec))
        xa = check_array("x", x, self.spec.x_shape, x_expected(self.spec))
        with np.errstate(over="ignore", invalid="ignore"):
            out = np.bincount(self.rows, weights=wa.ravel()[self.kernel_flat] * xa.ravel()[
                self.cols], minlength=self.shape[0])
        check_finite_result(out)
        return out

    def row_kernel_cells(self, row: int) -> tuple[tuple[int, int], ...]:
        """``(column, flat kernel index)`` of every non-zero of one row, by column."""
        lo, hi = int(self.indptr[row]), int(self.indptr[row + 1])
        return tuple((int(c), int(k)) for c, k in zip(self.cols[lo:hi], self.kernel_flat[lo:hi]))


def _axis_arrays(spec: ConvSpec, axis: int) -> NDArray[np.int64]:
    """``(in, out, kernel)`` columns of one axis's links, as an int array ``(n, 3)``."""
    return np.array(axis_links(spec, axis), dtype=np.int64).reshape(-1, 3)


def channel_blocks(spec: ConvSpec, rows: NDArray[np.int64], cols: NDArray[np.int64],
                   kflat: NDArray[np.int64]) -> tuple[NDArray[np.int64], ...]:
    """The single-channel non-zeros ``(rows, cols, kernel_flat)`` repeated in every block
    ``(o, c)`` of a spec with channels: rows ``o·n_out + r``, columns ``c·n_in + col``, kernel
    indices into ``w.ravel()`` (``spec.w_shape``). Ordered by block row, then input channel."""
    if not spec.has_channels:
        return rows, cols, kflat
    pairs = np.array(spec.channel_pairs(), dtype=np.int64).reshape(-1, 2)
    lead = np.array([spec.weight_slice(int(o), int(c)) for o, c in pairs],
                    dtype=np.int64).reshape(-1, 2)
    n_out, n_in, k = spec.output_size, spec.input_size, spec.kernel_size
    width = spec.w_shape[1]
    out_r = (pairs[:, :1] * n_out + rows[None, :]).ravel()
    out_c = (pairs[:, 1:] * n_in + cols[None, :]).ravel()
    out_k = ((lead[:, :1] * width + lead[:, 1:]) * k + kflat[None, :]).ravel()
    return out_r, out_c, out_k


def conv_matrix(spec: ConvSpec) -> ConvMatrix:
    """The matrix ``C`` with ``C @ x.ravel() == convolve(x, w, spec).ravel()`` (no bias).

    Rows are output cells and columns input cells (row-major; with channels channel-major, see
    the module's docstring). For stride 1 and no padding,
    ``C`` is (doubly block) Toeplitz; a stride keeps every s-th row of the stride-1 matrix;
    padding deletes the columns of padded cells; dilation spreads the weights. Stored sparse:
    O(non-zeros) memory (the links are separable: the 2D non-zeros are the products of each
    axis's).

    Raises
    ------
    ConvMathError
        Above :data:`MAX_NONZEROS` non-zeros (``param="input_shape"``).
    """
    check_spec(spec)
    per_axis = [_axis_arrays(spec, a) for a in range(spec.ndim)]
    nnz = len(spec.channel_pairs())
    for p in per_axis:
        nnz *= len(p)
    if nnz > MAX_NONZEROS:
        raise ConvMathError(
            f"input_shape={spec.input_shape} is invalid for conv_matrix: with kernel "
            f"{spec.kernel_shape} its matrix has {nnz:,} non-zeros; at most {MAX_NONZEROS:,} are "
            f"allowed", param="input_shape",
        )
    rows = np.zeros(1, dtype=np.int64)
    cols = np.zeros(1, dtype=np.int64)
    kflat = np.zeros(1, dtype=np.int64)
    for a, p in enumerate(per_axis):
        rows = (rows[:, None] * spec.output_shape[a] + p[None, :, 1]).ravel()
        cols = (cols[:, None] * spec.input_shape[a] + p[None, :, 0]).ravel()
        kflat = (kflat[:, None] * spec.kernel_shape[a] + p[None, :, 2]).ravel()  # type: ignore[index]
    rows, cols, kflat = channel_blocks(spec, rows, cols, kflat)
    order = np.lexsort((cols, rows))
    rows, cols, kflat = rows[order], cols[order], kflat[order]
    n_rows = spec.out_channels * spec.output_size
    indptr = np.zeros(n_rows + 1, dtype=np.int64)
    np.cumsum(np.bincount(rows, minlength=n_rows), out=indptr[1:])
    return ConvMatrix(spec, _read_only(rows), _read_only(cols), _read_only(kflat),
                      _read_only(indptr))


def connectivity(spec: ConvSpec) -> tuple[Edge, ...]:
    """Every ``Edge``: each real input cell and each output cell it feeds, through which weight.

    Ordered by output cell (row-major), then kernel offset: each output's fan-in in turn (with
    channels: by output channel, output cell, input channel, then kernel offset). These are
    exactly the non-zeros of :func:`conv_matrix`.
    """
    check_spec(spec)
    base = links(spec.single())
    if not spec.has_channels:
        return tuple(Edge(i, o, k) for i, o, k in base)
    edges = [Edge(i, o, k, c, oc) for oc in range(spec.out_channels)
             for i, o, k in base for c in spec.in_channels_of(oc)]
    return tuple(sorted(edges, key=lambda e: (e.out_channel, e.out_index, e.in_channel)))
