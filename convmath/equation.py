"""The general convolution equation, and one output index of a spec substituted into it.

Per axis, output ``i`` of a direct convolution reads input ``s·i + d·m − p`` through kernel
offset ``m`` (``p`` the padding before the input), with weight ``w[m]`` (cross-correlation:
PyTorch, TensorFlow) or ``w[k − 1 − m]`` (the mathematical convolution, ``flip=True``: numpy,
scipy)::

    y[i] = Σ_m x[s·i + d·m − p] · w[m]                (1D)
    y[i, j] = Σ_m Σ_n x[s₀·i + d₀·m − p₀, s₁·j + d₁·n − p₁] · w[m, n]   (2D)

Indices outside ``0 … n − 1`` read the zero padding (Dumoulin & Visin, *A guide to convolution
arithmetic for deep learning*, 2016; PyTorch ``Conv1d``/``Conv2d`` documentation).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from convmath.errors import ConvMathError
from convmath.ops import check_spec, conv_step

__all__ = ["EquationTerm", "SubstitutedEquation", "substitute"]

Index = tuple[int, ...]


@dataclass(frozen=True, slots=True)
class EquationTerm:
    """One term ``x[s·i + d·m − p] · w[m]`` of one output.

    Attributes
    ----------
    offset : tuple of int
        ``m`` per axis: the kernel offset (the position in the window).
    kernel_index : tuple of int
        The weight used: ``m`` (cross-correlation) or ``k − 1 − m`` (``flip=True``).
    input_index : tuple of int
        ``s·i + d·m − p`` per axis; outside the input means the term reads padding.
    grid_index : tuple of int
        The same cell on the drawn (padded) grid: ``input_index + p``.
    in_input : bool
        Whether ``input_index`` is a real input cell.
    x_value, w_value, product : float
        The value read (0 on padding), the weight and their product.
    """

    offset: Index
    kernel_index: Index
    input_index: Index
    grid_index: Index
    in_input: bool
    x_value: float
    w_value: float
    product: float


@dataclass(frozen=True, slots=True)
class SubstitutedEquation:
    """The general equation with one spec's numbers and one output index.

    Attributes
    ----------
    out_index : tuple of int
        ``i`` (1D) or ``(i, j)``.
    stride, dilation, pad_before : tuple of int
        ``s``, ``d``, ``p`` per axis.
    flip : bool
        Whether the weights are read backwards.
    terms : tuple of EquationTerm
        One per kernel cell, row-major by offset.
    value : float
        Their sum, ``convolve(x, w, spec)[out_index]``.
    """

    out_index: Index
    stride: Index
    dilation: Index
    pad_before: Index
    kernel_shape: Index
    flip: bool
    terms: tuple[EquationTerm, ...]
    value: float

    def axis_reads(self, axis: int) -> tuple[int, ...]:
        """The input indices (``s·i + d·m − p`` for every ``m``) read along ``axis``, in order."""
        return tuple(dict.fromkeys(t.input_index[axis] for t in self.terms))


def substitute(x: ArrayLike, w: ArrayLike, spec, out_index) -> SubstitutedEquation:
    """Output ``out_index`` of a direct ``spec`` as the general equation's terms.

    Parameters
    ----------
    x, w
        Input and kernel, of ``spec.input_shape`` / ``spec.kernel_shape``.
    spec
        A direct :class:`~convmath.spec.ConvSpec` (1D or 2D, any stride, padding, dilation,
        ``flip``).
    out_index
        An output cell: an int (1D) or one int per axis.

    Raises
    ------
    ConvMathError
        ``param="spec"`` for a transposed spec (its equation scatters; see
        :func:`convmath.scatter_steps`), ``param="out_index"`` for a cell outside the output,
        or the array errors of :func:`convmath.convolve`.
    """
    spec = check_spec(spec)
    if spec.transposed:
        raise ConvMathError(
            "transposed=True is invalid here: the general equation is the direct convolution's",
            param="spec",
        )
    index = (out_index,) if isinstance(out_index, int | np.integer) else tuple(out_index)
    if len(index) != spec.ndim or not all(
        isinstance(v, int | np.integer) and not isinstance(v, bool) and 0 <= v < n
        for v, n in zip(index, spec.output_shape)
    ):
        ranges = ", ".join(f"0..{n - 1}" for n in spec.output_shape)
        raise ConvMathError(
            f"out_index={out_index!r} is invalid: the output has shape {spec.output_shape}, so "
            f"the index must be in ({ranges})",
            param="out_index",
        )
    index = tuple(int(v) for v in index)
    step = conv_step(x, w, spec, index)  # the one step, not all of them
    pads = tuple(pb for pb, _ in spec.pads)
    terms = []
    for n, tap in enumerate(step.taps):
        offset = tuple(int(v) for v in np.unravel_index(n, spec.kernel_shape))
        input_index = tuple(g - p for g, p in zip(tap.grid_index, pads))
        terms.append(EquationTerm(offset, tap.kernel_index, input_index, tap.grid_index,
                                  tap.in_index is not None, tap.x_value, tap.w_value,
                                  tap.product))
    return SubstitutedEquation(index, spec.stride, spec.dilation, pads,  # type: ignore[arg-type]
                               spec.kernel_shape, spec.flip, tuple(terms),  # type: ignore[arg-type]
                               step.value)
