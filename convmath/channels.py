"""What channels cost: parameter and multiply-add counts, and the depthwise-separable split.

A convolution with channels (:class:`~convmath.spec.ConvSpec` with ``in_channels``,
``out_channels``, ``groups``) holds ``in_channels · out_channels / groups`` kernel slices.
The counts follow PyTorch's parameters (``sum(p.numel() for p in layer.parameters())``) and the
usual multiply-add convention of model profilers (fvcore's ``conv_flop_count``: one multiply-add
per weight per output cell of a direct convolution, per weight per input cell of a transposed
one, padding included, as dense hardware computes them).

>>> from convmath.spec import ConvSpec
>>> c = conv_counts(ConvSpec((32, 32), 3, padding=1, in_channels=16, out_channels=32))
>>> c.weights, c.parameters(bias=True), c.multiply_adds()
(4608, 4640, 4718592)
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from convmath.errors import ConvMathError
from convmath.spec import ConvSpec

__all__ = ["ConvCounts", "conv_counts", "separable_specs", "separable_counts", "weight_count",
           "bias_count"]


def _check(spec: object) -> ConvSpec:
    if not isinstance(spec, ConvSpec):
        raise ConvMathError(f"spec={spec!r} is invalid: it must be a ConvSpec", param="spec")
    return spec


def _prod(values: tuple[int, ...]) -> int:
    out = 1
    for v in values:
        out *= v
    return out


def weight_count(spec: ConvSpec) -> int:
    """Weights of a spec: ``in_channels · out_channels / groups · kernel cells`` (= prod of
    ``spec.w_shape``)."""
    return _prod(_check(spec).w_shape)


def bias_count(spec: ConvSpec) -> int:
    """Biases of a spec: one per output channel."""
    return _check(spec).out_channels


@dataclass(frozen=True, slots=True)
class ConvCounts:
    """The sizes that make up a spec's cost (all Python ints).

    Attributes
    ----------
    weights : int
        ``in_channels · out_channels / groups · kernel cells``.
    biases : int
        ``out_channels`` (counted only when asked with ``bias=True``).
    outputs : int
        Result cells: ``out_channels · output cells``.
    terms : int
        Products summed into one output cell of a direct spec: ``in_channels / groups · kernel
        cells`` (padding cells included); for a transposed spec, the weights one input cell of
        one input channel is multiplied by: ``out_channels / groups · kernel cells``.
    macs : int
        Multiply-adds without bias: ``outputs · terms`` direct, ``in_channels · input cells ·
        out_channels / groups · kernel cells`` transposed.
    """

    weights: int
    biases: int
    outputs: int
    terms: int
    macs: int

    def parameters(self, bias: bool = False) -> int:
        """Weights, plus one bias per output channel when ``bias``."""
        return self.weights + (self.biases if bias else 0)

    def multiply_adds(self, bias: bool = False) -> int:
        """Multiply-adds; with ``bias`` each output cell adds its bias once more."""
        return self.macs + (self.outputs if bias else 0)


def conv_counts(spec: ConvSpec) -> ConvCounts:
    """Parameters and multiply-adds of ``spec`` (see :class:`ConvCounts`).

    Raises
    ------
    ConvMathError
        ``param="spec"`` when ``spec`` is not a :class:`ConvSpec`.
    """
    spec = _check(spec)
    k = spec.kernel_size
    outputs = spec.out_channels * spec.output_size
    if spec.transposed:
        terms = spec.out_per_group * k
        macs = spec.in_channels * spec.input_size * terms
    else:
        terms = spec.in_per_group * k
        macs = outputs * terms
    return ConvCounts(weight_count(spec), bias_count(spec), outputs, terms, macs)


def separable_specs(spec: ConvSpec) -> tuple[ConvSpec, ConvSpec]:
    """The depthwise-separable replacement of a direct spec: ``(depthwise, pointwise)``.

    The depthwise spec keeps the kernel, stride, padding and dilation with ``groups =
    out_channels = in_channels`` (one kernel per channel); the pointwise spec is a 1×1
    convolution of its output from ``in_channels`` to ``spec.out_channels``. Applied one after the
    other they equal ``spec`` with weights ``W[o, c] = p[o, c] · d[c, 0]`` (a rank-one kernel
    per pair), for ``k·k·C_in + C_in·C_out`` weights instead of ``k·k·C_in·C_out``
    (MobileNet, Howard et al. 2017, §3.1).

    Raises
    ------
    ConvMathError
        For a transposed spec (``param="transposed"``) or one with ``groups > 1``
        (``param="groups"``).
    """
    spec = _check(spec)
    if spec.transposed:
        raise ConvMathError(
            "transposed=True is invalid here: the depthwise-separable split is defined for "
            "direct convolutions", param="transposed",
        )
    if spec.groups != 1:
        raise ConvMathError(
            f"groups={spec.groups} is invalid here: the depthwise-separable split starts from "
            f"a standard convolution (groups=1)", param="groups",
        )
    c = spec.in_channels
    depthwise = dataclasses.replace(spec, out_channels=c, groups=c)
    pointwise = ConvSpec(spec.output_shape, 1, in_channels=c, out_channels=spec.out_channels,
                         flip=spec.flip)
    return depthwise, pointwise


def separable_counts(spec: ConvSpec) -> tuple[ConvCounts, ConvCounts, int, int]:
    """``(depthwise, pointwise, weights, multiply_adds)`` of :func:`separable_specs` (``spec``):
    the two layers' counts and their totals without bias, e.g. ``3·3·C_in + C_in·C_out``
    weights against :func:`conv_counts`'s ``3·3·C_in·C_out``.

    Raises
    ------
    ConvMathError
        As :func:`separable_specs`.
    """
    d, p = (conv_counts(s) for s in separable_specs(spec))
    return d, p, d.weights + p.weights, d.multiply_adds() + p.multiply_adds()
