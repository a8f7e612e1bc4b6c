"""Receptive fields of one output cell through a stack of convolutions (1D or 2D).

A *stack* is a sequence of direct :class:`~convmath.spec.ConvSpec` objects; layer ``l`` takes
layer ``l-1``'s output (``specs[l].input_shape == specs[l-1].output_shape``) and the first spec's
input is the stack's input. :func:`build_stack` chains such specs from per-layer parameters.

Per axis, output ``n`` of a layer reads its input at ``n·s + m·d − p_before`` for kernel offset
``m`` (the index relation of :mod:`convmath._links`), so a set of cells of one level reaches, one
level down, every cell so read. Two answers follow:

- the **full window** ignores the input's borders: the interval ``[first, last]`` of the receptive
  field arithmetic (``first ← first·s − p_before``, ``last ← last·s + d(k−1) − p_before``), whose
  size is the guide's ``r ← r + (k_eff − 1)·j`` and whose centre is the guide's
  ``start + n·j`` (Araujo, Norris & Sim, *Computing Receptive Fields of Convolutional Neural
  Networks*, Distill 2019; Dang Ha The Hien, *A guide to receptive field arithmetic for CNNs*);
- the **mask** keeps exactly the real input cells with a path to the output: padding cells of any
  level are constants and lead nowhere, and a dilated kernel leaves holes.

In 2D every axis is independent (each link is a product of per-axis links), so the mask is the
outer product of per-axis masks.
"""

from __future__ import annotations

import numbers
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from convmath.errors import ConvMathError
from convmath.sizes import LayerField, receptive_field
from convmath.spec import ConvSpec

__all__ = [
    "ReceptiveWindow",
    "build_stack",
    "check_stack",
    "receptive_window",
    "receptive_windows",
    "stack_fields",
    "parameter_count",
    "size_terms",
    "comparison_stacks",
]

Index = tuple[int, ...]
Interval = tuple[int, int]

_LAYER_KEYS = ("kernel", "stride", "padding", "dilation")


@dataclass(frozen=True, slots=True)
class ReceptiveWindow:
    """The input cells one output cell of a stack depends on.

    Attributes
    ----------
    layer : int
        The layer the output cell belongs to (0-based, resolved from a negative index).
    out_index : tuple of int
        The output cell of that layer.
    input_shape : tuple of int
        The stack's input shape.
    full : tuple of (int, int)
        Per axis ``(first, last)``, inclusive, in input coordinates: the whole window, which
        may reach into padding (``first < 0`` or ``last >= input_shape[axis]``).
    mask : numpy.ndarray
        Bool array of ``input_shape`` (read-only): exactly the input cells the output depends
        on. With dilation it has holes; cells under padding of any level are never in it.
    centre : tuple of float
        Per axis, the window's centre in input cell indices (``(first + last) / 2``; the
        guide's ``start + n·j`` minus ½, since the guide puts cell 0's centre at 0.5).
    size : tuple of int
        Per axis, ``last − first + 1`` (the guide's receptive field ``r``).
    jump : tuple of int
        Per axis, the product of the strides up to this layer (the guide's ``j``): the
        distance in input cells between two neighbouring outputs of this layer.
    """

    layer: int
    out_index: Index
    input_shape: Index
    full: tuple[Interval, ...]
    mask: NDArray[np.bool_]
    centre: tuple[float, ...]
    size: Index
    jump: Index

    @property
    def count(self) -> int:
        """Number of input cells the output depends on (``mask.sum()``)."""
        return int(self.mask.sum())

    @property
    def clipped(self) -> tuple[Interval | None, ...]:
        """Per axis, ``full`` clipped to the input (``None`` if it misses the input)."""
        out: list[Interval | None] = []
        for (a, b), n in zip(self.full, self.input_shape):
            lo, hi = max(a, 0), min(b, n - 1)
            out.append((lo, hi) if lo <= hi else None)
        return tuple(out)


def _is_int(value: object) -> bool:
    return isinstance(value, numbers.Integral) and not isinstance(value, bool)


def check_stack(specs: Sequence[ConvSpec]) -> tuple[ConvSpec, ...]:
    """``specs`` as a tuple once it is a well-formed stack; :class:`ConvMathError` otherwise.

    Raises
    ------
    ConvMathError
        ``param="specs"``, naming the layer: an empty stack, a layer that is not a
        :class:`ConvSpec`, a transposed layer, a layer whose dimensionality differs from the
        first's, or a layer whose input shape is not the previous layer's output shape.
    """
    if isinstance(specs, ConvSpec) or not isinstance(specs, Sequence) or isinstance(specs, str):
        raise ConvMathError(
            f"specs={specs!r} is invalid: specs must be a sequence of ConvSpec layers",
            param="specs",
        )
    stack = tuple(specs)
    if not stack:
        raise ConvMathError(
            "specs=() is invalid: a stack needs at least one layer", param="specs"
        )
    for n, spec in enumerate(stack):
        if not isinstance(spec, ConvSpec):
            raise ConvMathError(
                f"layer {n}: {spec!r} is invalid: every layer must be a ConvSpec", param="specs"
            )
        if spec.transposed:
            raise ConvMathError(
                f"layer {n}: transposed=True is invalid: a stack takes direct convolutions",
                param="specs",
            )
        if spec.ndim != stack[0].ndim:
            raise ConvMathError(
                f"layer {n}: a {spec.ndim}D spec is invalid in a {stack[0].ndim}D stack: "
                f"every layer must have the first layer's dimensionality",
                param="specs",
            )
        if n and spec.input_shape != stack[n - 1].output_shape:
            raise ConvMathError(
                f"layer {n}: input_shape={spec.input_shape} is invalid: it must be layer "
                f"{n - 1}'s output shape {stack[n - 1].output_shape}",
                param="specs",
            )
    return stack


def _layer_args(n: int, layer: object) -> dict[str, object]:
    """One layer's ``kernel, stride, padding, dilation`` as a dict (mapping or sequence)."""
    if isinstance(layer, Mapping):
        unknown = sorted(set(layer) - set(_LAYER_KEYS))
        if unknown:
            raise ConvMathError(
                f"layer {n}: {unknown[0]!r} is invalid: a layer takes "
                f"{', '.join(_LAYER_KEYS)}",
                param="layers",
            )
        if "kernel" not in layer:
            raise ConvMathError(
                f"layer {n}: the kernel is missing: every layer needs a kernel size",
                param="layers",
            )
        return dict(layer)
    if _is_int(layer):
        return {"kernel": layer}
    if isinstance(layer, Sequence) and not isinstance(layer, str) and 1 <= len(layer) <= 4:
        return dict(zip(_LAYER_KEYS, layer))
    raise ConvMathError(
        f"layer {n}: {layer!r} is invalid: a layer is a kernel size, a (kernel, stride, "
        f"padding, dilation) sequence or a mapping with those keys",
        param="layers",
    )


def build_stack(input_shape: int | Sequence[int], layers: Sequence[object]) -> tuple[ConvSpec, ...]:
    """Chain direct specs: layer ``l`` takes layer ``l-1``'s output, layer 0 ``input_shape``.

    Each layer is a kernel size, a ``(kernel, stride, padding, dilation)`` sequence (trailing
    entries optional) or a mapping with those keys; each value is anything
    :class:`ConvSpec` takes for ``kernel_shape``, ``stride``, ``padding``, ``dilation``.

    Raises
    ------
    ConvMathError
        ``param="layers"``, the message starting ``layer N:`` and naming the value: a malformed
        layer, or one :class:`ConvSpec` refuses at that depth (a kernel larger than the padded
        size that reaches it, so that no output would be left).
    """
    if isinstance(layers, str | Mapping) or not isinstance(layers, Sequence) or not layers:
        raise ConvMathError(
            f"layers={layers!r} is invalid: layers must be a non-empty sequence of layers",
            param="layers",
        )
    shape: object = input_shape
    out: list[ConvSpec] = []
    for n, layer in enumerate(layers):
        args = _layer_args(n, layer)
        try:
            spec = ConvSpec(
                tuple(shape) if isinstance(shape, list) else shape,  # type: ignore[arg-type]
                args["kernel"],  # type: ignore[arg-type]
                stride=args.get("stride", 1),  # type: ignore[arg-type]
                padding=args.get("padding", 0),  # type: ignore[arg-type]
                dilation=args.get("dilation", 1),  # type: ignore[arg-type]
            )
        except ConvMathError as exc:
            own = exc.param == "input_shape" or str(exc).startswith("input_shape=")
            where = "input_shape" if n == 0 and own else "layers"
            raise ConvMathError(
                f"layer {n} (its input {_shape_text(shape)}): {exc}", param=where
            ) from None
        out.append(spec)
        shape = spec.output_shape
    return tuple(out)


def _shape_text(shape: object) -> str:
    if isinstance(shape, tuple | list):
        return "×".join(str(v) for v in shape)
    return str(shape)


def _resolve_layer(layer: object, n_layers: int) -> int:
    if not _is_int(layer) or not -n_layers <= int(layer) < n_layers:  # type: ignore[call-overload]
        raise ConvMathError(
            f"layer={layer!r} is invalid: the stack has {n_layers} layer"
            f"{'s' if n_layers > 1 else ''}, so layer must be an integer in "
            f"[{-n_layers}, {n_layers - 1}]",
            param="layer",
        )
    return int(layer) % n_layers  # type: ignore[call-overload]


def _check_out_index(out_index: object, shape: Index, layer: int) -> Index:
    index = (out_index,) if _is_int(out_index) else out_index
    if (
        not isinstance(index, tuple | list)
        or len(index) != len(shape)
        or not all(_is_int(v) for v in index)
    ):
        raise ConvMathError(
            f"out_index={out_index!r} is invalid: it must be {len(shape)} integer"
            f"{'s' if len(shape) > 1 else ''} (one per axis)",
            param="out_index",
        )
    if not all(0 <= v < n for v, n in zip(index, shape)):
        ranges = ", ".join(f"0..{n - 1}" for n in shape)
        raise ConvMathError(
            f"out_index={tuple(index)} is invalid: layer {layer}'s output has shape {shape}, so "
            f"the index must be in ({ranges})",
            param="out_index",
        )
    return tuple(int(v) for v in index)


def _axis_window(stack: tuple[ConvSpec, ...], axis: int, n: int) -> tuple[Interval, NDArray]:
    """One axis: the full interval and the exact reached cells of the input, from output ``n``."""
    first = last = n
    reached = np.zeros(stack[-1].output_shape[axis], dtype=bool)
    reached[n] = True
    for spec in reversed(stack):
        k, s, d = spec.kernel_shape[axis], spec.stride[axis], spec.dilation[axis]  # type: ignore[index]
        pb = spec.pads[axis][0]
        first, last = first * s - pb, last * s + d * (k - 1) - pb
        below = np.zeros(spec.input_shape[axis], dtype=bool)
        for o in np.nonzero(reached)[0]:
            for m in range(k):
                j = int(o) * s + m * d - pb
                if 0 <= j < below.size:
                    below[j] = True
        reached = below
    return (first, last), reached


def receptive_window(
    specs: Sequence[ConvSpec], out_index: int | Sequence[int], layer: int = -1
) -> ReceptiveWindow:
    """The receptive field, in the stack's input, of output ``out_index`` of layer ``layer``.

    Parameters
    ----------
    specs
        A stack of direct specs, 1D or 2D (see :func:`check_stack`); any stride, padding and
        dilation.
    out_index
        A cell of layer ``layer``'s output: one int per axis (a bare int in 1D).
    layer
        Which layer's output (0-based; negative counts from the top, ``-1`` = the last).

    Returns
    -------
    ReceptiveWindow
        ``.full`` per axis ``(first, last)`` in input coordinates (may reach into padding),
        ``.mask`` of the input's shape, ``.centre`` per axis, plus ``.size`` and ``.jump``.

    Raises
    ------
    ConvMathError
        ``param="specs"`` naming the layer for a malformed stack; ``param="layer"`` or
        ``param="out_index"`` for an index outside the stack.

    Examples
    --------
    >>> stack = build_stack((9,), [3, 3])
    >>> receptive_window(stack, 2).full
    ((2, 6),)
    """
    stack = check_stack(specs)
    top = _resolve_layer(layer, len(stack))
    stack = stack[: top + 1]
    index = _check_out_index(out_index, stack[-1].output_shape, top)
    axes = [_axis_window(stack, a, n) for a, n in enumerate(index)]
    mask = axes[0][1]
    for _, reached in axes[1:]:
        mask = np.logical_and.outer(mask, reached)
    mask = np.array(mask, dtype=bool)
    mask.flags.writeable = False
    full = tuple(interval for interval, _ in axes)
    jump = tuple(
        int(np.prod([spec.stride[a] for spec in stack]))  # type: ignore[index]
        for a in range(stack[0].ndim)
    )
    return ReceptiveWindow(
        layer=top,
        out_index=index,
        input_shape=stack[0].input_shape,
        full=full,
        mask=mask,
        centre=tuple((a + b) / 2 for a, b in full),
        size=tuple(b - a + 1 for a, b in full),
        jump=jump,
    )


def receptive_windows(
    specs: Sequence[ConvSpec], out_index: int | Sequence[int], layer: int = -1
) -> tuple[ReceptiveWindow, ...]:
    """The field of one output at every level below it, from the nearest level down to the input.

    Item ``0`` is the field in layer ``layer``'s own input (the kernel's window), item ``1`` one
    level further down, …, the last item the field in the stack's input (equal to
    :func:`receptive_window`). Each item's coordinates are those of its own level: item ``q``
    is ``receptive_window(specs[layer − q : layer + 1], out_index)``.

    Raises
    ------
    ConvMathError
        As :func:`receptive_window`.
    """
    stack = check_stack(specs)
    top = _resolve_layer(layer, len(stack))
    return tuple(
        receptive_window(stack[low : top + 1], out_index) for low in range(top, -1, -1)
    )


def stack_fields(specs: Sequence[ConvSpec]) -> tuple[tuple[LayerField, ...], ...]:
    """Per layer, per axis: the guide's size, jump, receptive field and start.

    ``stack_fields(specs)[l][a]`` is :func:`convmath.sizes.receptive_field`'s entry for layer
    ``l`` on axis ``a`` (``start`` in the guide's coordinates: cell 0's centre is 0.5).

    Raises
    ------
    ConvMathError
        As :func:`check_stack`.
    """
    stack = check_stack(specs)
    per_axis = []
    for a in range(stack[0].ndim):
        layers = [
            ConvSpec(
                (spec.input_shape[a],),
                spec.kernel_shape[a],  # type: ignore[index]
                stride=spec.stride[a],  # type: ignore[index]
                padding=(spec.pads[a],),
                dilation=spec.dilation[a],  # type: ignore[index]
            )
            for spec in stack
        ]
        per_axis.append(receptive_field(stack[0].input_shape[a], layers))
    return tuple(tuple(axis[n] for axis in per_axis) for n in range(len(stack)))


def parameter_count(specs: Sequence[ConvSpec]) -> int:
    """Weights in the stack (single channel, no bias): the sum of the kernels' cell counts.

    Three 3×3 layers hold 27 weights, one 7×7 layer 49, for the same 7×7 field.

    Raises
    ------
    ConvMathError
        As :func:`check_stack`.
    """
    return sum(spec.kernel_size for spec in check_stack(specs))


def size_terms(specs: Sequence[ConvSpec], axis: int = 0) -> tuple[tuple[int, int], ...]:
    """The guide's ``r = 1 + Σ_l (k_eff,l − 1)·j_(l−1)`` as ``(k_eff, j_before)`` per layer.

    ``j_before`` is the jump of the layer's input (the product of the strides below it); the
    field's size is ``1 + Σ (k_eff − 1)·j_before``.

    Raises
    ------
    ConvMathError
        As :func:`check_stack`; ``param="axis"`` for an axis the stack does not have.
    """
    stack = check_stack(specs)
    if not _is_int(axis) or not 0 <= axis < stack[0].ndim:
        raise ConvMathError(
            f"axis={axis!r} is invalid: this stack has axes 0 to {stack[0].ndim - 1}",
            param="axis",
        )
    out, jump = [], 1
    for spec in stack:
        out.append((spec.effective_kernel_shape[axis], jump))
        jump *= spec.stride[axis]  # type: ignore[index]
    return tuple(out)


def comparison_stacks(ndim: int, k: int = 3, layers: int = 3,
                      input_shape: Sequence[int] | None = None
                      ) -> dict[str, tuple[ConvSpec, ...]]:
    """Three classic stacks over the smallest input that holds the widest field, for comparing.

    ``"stacked"``: ``layers`` layers of kernel ``k`` (VGG: three 3×3 see 7×7); ``"single"``: one
    layer with the same field, kernel ``layers·(k − 1) + 1``; ``"dilated"``: ``layers`` layers
    of kernel ``k`` with dilations 1, 2, 4, … (Yu & Koltun 2016: the field grows exponentially,
    ``1 + (k − 1)(2^layers − 1)``, with the weights of ``"stacked"``). Every stack is valid and
    strided 1 without padding; the input (of ``ndim`` axes) is ``input_shape`` or, by default,
    the dilated stack's field (the smallest input that holds it).

    Raises
    ------
    ConvMathError
        ``param="ndim"``, ``"k"`` or ``"layers"`` for values outside 1–2, 2–7, 1–4;
        ``param="input_shape"`` for an input of another dimensionality or too small for the
        dilated stack's field.
    """
    for name, value, lo, hi in (("ndim", ndim, 1, 2), ("k", k, 2, 7), ("layers", layers, 1, 4)):
        if not _is_int(value) or not lo <= value <= hi:
            raise ConvMathError(
                f"{name}={value!r} is invalid: {name} must be an integer from {lo} to {hi}",
                param=name,
            )
    widest = 1 + (k - 1) * (2**layers - 1)
    shape = (widest,) * ndim if input_shape is None else tuple(input_shape)
    if len(shape) != ndim or not all(_is_int(n) and n >= widest for n in shape):
        raise ConvMathError(
            f"input_shape={tuple(shape)} is invalid: the comparison needs {ndim} "
            f"size{'s' if ndim > 1 else ''} of at least {widest} (the field of {layers} "
            f"layers of kernel {k} with dilations 1 to {2 ** (layers - 1)})",
            param="input_shape",
        )
    return {
        "stacked": build_stack(shape, [k] * layers),
        "single": build_stack(shape, [layers * (k - 1) + 1]),
        "dilated": build_stack(shape, [(k, 1, 0, 2**n) for n in range(layers)]),
    }
