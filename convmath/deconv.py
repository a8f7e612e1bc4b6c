"""Undoing a convolution: the pseudo-inverse ``C⁺`` beside the transposed convolution ``Cᵀ``.

A convolution is a matrix product ``y = C·x`` (:func:`convmath.matrix.conv_matrix`, row-major
flattening). The *transposed* convolution applies ``Cᵀ``: it maps ``y`` back to the input's
**shape**, but ``Cᵀ·C·x`` is not ``x`` (it blurs, and with stride > 1 it leaves a checkerboard of
cells reached by more or fewer windows). The *deconvolution* in the linear-algebra sense applies
the Moore–Penrose pseudo-inverse ``C⁺``: the minimum-norm least-squares solution of ``C·x = y``,
which is ``x`` itself whenever ``C`` has full column rank (Golub & Van Loan, *Matrix
Computations*, §5.5; ``numpy.linalg.lstsq``). Dumoulin & Visin (*A guide to convolution arithmetic
for deep learning*, 2016, §4) and Zeiler et al. explain why "deconvolution" is a misnomer for
``Cᵀ``.

One tolerance decides both the rank and which singular values the pseudo-inverse inverts:
``σ > σ_max · max(n_out, n_in) · ε`` (NumPy's ``matrix_rank`` default).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from convmath.matrix import conv_matrix
from convmath.ops import check_array, check_spec, convolve
from convmath.spec import ConvSpec

__all__ = ["ColumnRank", "column_rank", "deconvolve", "transposed_image"]


@dataclass(frozen=True, slots=True)
class ColumnRank:
    """Whether ``C`` (for a kernel ``w``) keeps every input cell recoverable.

    Attributes
    ----------
    rank : int
        The rank of ``C`` (``n_out × n_in``).
    columns : int
        ``n_in``, the number of input cells.
    rows : int
        ``n_out``, the number of output cells (the rows of ``C``).
    unseen : numpy.ndarray
        Bool array of the input's shape (read-only): cells whose column of ``C`` is zero — no
        output sees them (no window reaches them, or only through zero weights).

    A full column rank (``rank == columns``) means ``C⁺·C = I``: every input is recovered.
    Unseen cells make the rank deficient, but a deficient rank can have none (more inputs
    than outputs, or a kernel whose columns cancel).
    """

    rank: int
    columns: int
    unseen: NDArray[np.bool_]
    rows: int

    @property
    def full(self) -> bool:
        """``rank == columns``."""
        return self.rank == self.columns

    @property
    def full_rows(self) -> bool:
        """``rank == rows``: every ``y`` is reached, ``C·(C⁺·y) = y`` and
        ``C⁺ = Cᵀ(CCᵀ)⁻¹``."""
        return self.rank == self.rows


def _dense(w: ArrayLike, spec: ConvSpec) -> NDArray[np.float64]:
    return conv_matrix(check_spec(spec)).dense(w)


def _tolerance(c: NDArray[np.float64]) -> float:
    """Relative cut-off for singular values: ``max(n_out, n_in) · ε``."""
    return max(c.shape) * float(np.finfo(np.float64).eps)


def column_rank(w: ArrayLike, spec: ConvSpec) -> ColumnRank:
    """The rank of the convolution's matrix for kernel ``w``, and the input cells no output sees.

    Parameters
    ----------
    w
        The kernel, of ``spec.kernel_shape``.
    spec
        Any :class:`ConvSpec` (direct or transposed, 1D or 2D).

    Raises
    ------
    ConvMathError
        For a ``w`` of the wrong shape or with non-finite values, or a ``spec`` that is not a
        :class:`ConvSpec`.
    """
    c = _dense(w, spec)
    rank = int(np.linalg.matrix_rank(c)) if c.any() else 0
    unseen = ~np.any(c != 0.0, axis=0).reshape(spec.input_shape)
    unseen.flags.writeable = False
    return ColumnRank(rank=rank, columns=spec.input_size, unseen=unseen, rows=spec.output_size)


def deconvolve(y: ArrayLike, w: ArrayLike, spec: ConvSpec) -> NDArray[np.float64]:
    """``C⁺·y``: the minimum-norm least-squares solution of ``C·x = y``, of the input's shape.

    Parameters
    ----------
    y
        An output, of ``spec.output_shape``.
    w
        The kernel, of ``spec.kernel_shape``.
    spec
        Any :class:`ConvSpec`.

    Returns
    -------
    numpy.ndarray
        Float array of ``spec.input_shape``. When :func:`column_rank` is full,
        ``deconvolve(convolve(x, w, spec), w, spec) == x`` (to rounding); otherwise the cells
        no output sees come back 0 and the rest is the least-squares fit of smallest norm.

    Raises
    ------
    ConvMathError
        For a ``y`` or ``w`` of the wrong shape or with non-finite values.
    """
    c = _dense(w, spec)
    ya = check_array("y", y, spec.output_shape, "spec.output_shape")
    x = np.linalg.pinv(c, rcond=_tolerance(c)) @ ya.ravel()
    return x.reshape(spec.input_shape)


def transposed_image(y: ArrayLike, w: ArrayLike, spec: ConvSpec) -> NDArray[np.float64]:
    """``Cᵀ·y``: the transposed convolution of ``y`` with the same kernel, of the input's shape.

    This is ``convolve(y, w, spec.adjoint())`` — PyTorch's ``ConvTranspose`` with the same
    kernel, stride, padding and dilation, and the ``output_padding`` that restores the input's
    shape.

    Raises
    ------
    ConvMathError
        For a ``y`` or ``w`` of the wrong shape, or a transposed ``spec`` without a direct adjoint.
    """
    spec = check_spec(spec)
    check_array("y", y, spec.output_shape, "spec.output_shape")
    return convolve(y, w, spec.adjoint())
