"""Convolution as a matrix product, and its connectivity graph.

``conv_matrix(spec).dense(w) @ x.ravel() == convolve(x, w, spec).ravel()`` (row-major flattening);
a transposed spec's matrix is exactly the transpose of its direct adjoint's.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from convmath._links import links
from convmath.ops import check_array, check_spec
from convmath.spec import ConvSpec

__all__ = ["ConvMatrix", "Edge", "conv_matrix", "connectivity"]

Index = tuple[int, ...]


@dataclass(frozen=True, slots=True)
class Edge:
    """One connection: input cell ``in_index`` feeds output ``out_index`` through a weight.

    ``kernel_index`` indexes the user's kernel ``w``.
    """

    in_index: Index
    out_index: Index
    kernel_index: Index


@dataclass(frozen=True, slots=True)
class ConvMatrix:
    """The sparse matrix ``C`` of a spec, as kernel indices.

    Attributes
    ----------
    spec : ConvSpec
        The spec it was built from.
    kernel_index : numpy.ndarray
        Int array ``(n_out, n_in)``: the flat (row-major) kernel index at each non-zero, ``-1``
        elsewhere (read-only).
    """

    spec: ConvSpec
    kernel_index: NDArray[np.int64]

    @property
    def shape(self) -> tuple[int, int]:
        """``(n_out, n_in)``."""
        return self.kernel_index.shape  # type: ignore[return-value]

    @property
    def nonzero_count(self) -> int:
        """Number of structural non-zeros."""
        return int(np.count_nonzero(self.kernel_index >= 0))

    def dense(self, w: ArrayLike) -> NDArray[np.float64]:
        """The float matrix for kernel ``w``: ``C[r, c] = w.flat[kernel_index[r, c]]`` or 0."""
        wa = check_array("w", w, self.spec.kernel_shape, "spec.kernel_shape")  # type: ignore[arg-type]
        flat = wa.ravel()
        mask = self.kernel_index >= 0
        out = np.zeros(self.kernel_index.shape)
        out[mask] = flat[self.kernel_index[mask]]
        return out

    def row_kernel_cells(self, row: int) -> tuple[tuple[int, int], ...]:
        """``(column, flat kernel index)`` of every non-zero of one row."""
        cols = np.nonzero(self.kernel_index[row] >= 0)[0]
        return tuple((int(c), int(self.kernel_index[row, c])) for c in cols)


def conv_matrix(spec: ConvSpec) -> ConvMatrix:
    """The matrix ``C`` with ``C @ x.ravel() == convolve(x, w, spec).ravel()``.

    Rows are output cells and columns input cells (row-major). For stride 1 and no padding,
    ``C`` is (doubly block) Toeplitz; a stride keeps every s-th row of the stride-1 matrix;
    padding deletes the columns of padded cells; dilation spreads the weights.
    """
    check_spec(spec)
    out = np.full((spec.output_size, spec.input_size), -1, dtype=np.int64)
    for in_index, out_index, kernel_index in links(spec):
        r = np.ravel_multi_index(out_index, spec.output_shape)
        c = np.ravel_multi_index(in_index, spec.input_shape)
        out[r, c] = np.ravel_multi_index(kernel_index, spec.kernel_shape)  # type: ignore[arg-type]
    out.flags.writeable = False
    return ConvMatrix(spec, out)


def connectivity(spec: ConvSpec) -> tuple[Edge, ...]:
    """Every ``Edge``: each real input cell and each output cell it feeds, through which weight.

    Ordered by output cell (row-major), then kernel offset: each output's fan-in in turn. These
    are exactly the non-zeros of :func:`conv_matrix`.
    """
    return tuple(Edge(i, o, k) for i, o, k in links(check_spec(spec)))
