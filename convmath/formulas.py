"""Size formulas, one small pure function per formula, per axis (no spec, no wording).

:mod:`convmath.spec` builds on these and :mod:`convmath.sizes` re-exports them with the
derivations that show them, so the engine's imports run one way: ``formulas`` -> ``spec`` ->
``sizes``. The references are V. Dumoulin and F. Visin, "A guide to convolution arithmetic for
deep learning" (arXiv 1603.07285), PyTorch's ``ConvTranspose`` and TensorFlow's ``"SAME"``
padding.
"""

from __future__ import annotations

from convmath.errors import ConvMathError

__all__ = [
    "effective_kernel_size",
    "conv_output_size",
    "transposed_output_size",
    "same_padding",
    "full_padding",
    "transposed_same_padding",
    "transposed_grid_padding",
    "stretched_size",
    "leftover_cells",
    "window_positions",
    "output_padding_for",
    "input_sizes_for_output",
    "same_output_sizes",
]


def _positive(name: str, value: int, minimum: int = 1) -> None:
    if not isinstance(value, int) or isinstance(value, bool) or value < minimum:
        raise ConvMathError(
            f"{name}={value!r} is invalid: {name} must be an integer >= {minimum}", param=name
        )


def effective_kernel_size(k: int, d: int = 1) -> int:
    """Cells a dilated kernel spans: ``d(k-1)+1``."""
    _positive("kernel_size", k)
    _positive("dilation", d)
    return d * (k - 1) + 1


def conv_output_size(i: int, k: int, s: int = 1, p_before: int = 0, p_after: int | None = None,
                     d: int = 1) -> int:
    """Direct convolution: ``o = floor((i + p_before + p_after - d(k-1) - 1)/s) + 1``.

    ``p_after`` defaults to ``p_before`` (symmetric padding ``p``: the paper's relationship 6,
    ``o = floor((i + 2p - k)/s) + 1``).
    """
    p_after = p_before if p_after is None else p_after
    _positive("stride", s)
    span = i + p_before + p_after - effective_kernel_size(k, d)
    if span < 0:
        raise ConvMathError(
            f"kernel_size={k} is invalid with dilation={d}: it spans "
            f"{effective_kernel_size(k, d)} cells, more than the padded input's "
            f"{i + p_before + p_after}", param="kernel_size"
        )
    return span // s + 1


def transposed_output_size(i: int, k: int, s: int = 1, p_before: int = 0,
                           p_after: int | None = None, d: int = 1,
                           output_padding: int = 0) -> int:
    """Transposed convolution (PyTorch): ``(i-1)s - p_b - p_a + d(k-1) + output_padding + 1``."""
    p_after = p_before if p_after is None else p_after
    return (i - 1) * s - p_before - p_after + d * (k - 1) + output_padding + 1


def same_padding(i: int, k: int, s: int = 1, d: int = 1) -> tuple[int, int]:
    """TensorFlow ``"SAME"``: output ``ceil(i/s)``; total ``max((o-1)s + k_eff - i, 0)``.

    The extra cell of an odd total goes after.
    """
    _positive("stride", s)
    o = -(-i // s)
    total = max((o - 1) * s + effective_kernel_size(k, d) - i, 0)
    return (total // 2, total - total // 2)


def full_padding(k: int, d: int = 1) -> tuple[int, int]:
    """``"full"``: ``d(k-1)`` on each side, every partial overlap is an output."""
    p = effective_kernel_size(k, d) - 1
    return (p, p)


def transposed_same_padding(k: int, s: int = 1, d: int = 1) -> tuple[int, int, int]:
    """``(p_before, p_after, output_padding)`` giving a transposed output of ``i*s``.

    This is the transpose of TensorFlow's ``"SAME"`` convolution of an ``i*s`` input (as
    ``conv2d_transpose(padding="SAME")``): total cropping ``max(k_eff - s, 0)``, extra cell after,
    and ``output_padding = s - k_eff`` when the kernel is shorter than the stride.
    """
    k_eff = effective_kernel_size(k, d)
    total = max(k_eff - s, 0)
    return (total // 2, total - total // 2, total - (k_eff - s))


def transposed_grid_padding(k: int, d: int, p_before: int, p_after: int,
                            output_padding: int = 0) -> tuple[int, int]:
    """Padding of the transposed convolution's equivalent direct convolution.

    ``d(k-1) - p`` on each side, plus ``output_padding`` after (negative: crop).
    """
    full = effective_kernel_size(k, d) - 1
    return (full - p_before, full - p_after + output_padding)


def stretched_size(i: int, s: int) -> int:
    """Length of an input with ``s-1`` zeros inserted between its cells: ``(i-1)s + 1``."""
    return (i - 1) * s + 1


def leftover_cells(i: int, k: int, s: int = 1, p_before: int = 0, p_after: int | None = None,
                   d: int = 1) -> int:
    """Padded cells after the last window that no window reaches: ``(i + p_b + p_a - k_eff) mod s``.
    """
    p_after = p_before if p_after is None else p_after
    return (i + p_before + p_after - effective_kernel_size(k, d)) % s


def window_positions(i: int, k: int, s: int = 1, p_before: int = 0, p_after: int | None = None,
                     d: int = 1) -> tuple[int, ...]:
    """Start of every window on the padded axis: ``0, s, 2s, …``."""
    o = conv_output_size(i, k, s, p_before, p_after, d)
    return tuple(n * s for n in range(o))


def same_output_sizes(o: int, k: int, s: int = 1, p_before: int = 0,
                      p_after: int | None = None, d: int = 1) -> range:
    """Every input size a direct convolution maps to output size ``o``, as a ``range``.

    The ``s`` sizes ``(o−1)s + d(k−1) + 1 − p_b − p_a + r`` for ``r = 0 … s−1`` (those >= 1):
    ``floor`` drops the last ``r`` cells. O(1) whatever the stride (``len``, ``[0]``, ``[-1]``,
    ``in`` all work without enumerating).
    """
    p_after = p_before if p_after is None else p_after
    _positive("stride", s)
    base = (o - 1) * s + effective_kernel_size(k, d) - p_before - p_after
    return range(max(base, 1), max(base + s, 1))


def input_sizes_for_output(o: int, k: int, s: int = 1, p_before: int = 0,
                           p_after: int | None = None, d: int = 1) -> tuple[int, ...]:
    """:func:`same_output_sizes` as a tuple (kept for callers that need one; O(stride))."""
    return tuple(same_output_sizes(o, k, s, p_before, p_after, d))


def output_padding_for(target: int, i: int, k: int, s: int = 1, p_before: int = 0,
                       p_after: int | None = None, d: int = 1) -> int:
    """``output_padding`` a transposed convolution needs to produce ``target`` cells.

    PyTorch's ``ConvTranspose*d(...)(x, output_size=...)`` rule (``_output_padding`` in
    ``torch/nn/modules/conv.py``): with ``min = (i−1)s − p_b − p_a + d(k−1) + 1`` the target
    must lie in ``[min, min + s − 1]`` (the stride alone bounds it: the dilation does not widen
    the range, unlike an explicit ``output_padding``, which may be below the stride *or* the
    dilation), and the result is ``target − min``.

    Raises
    ------
    ConvMathError
        ``param="output_size"``, when ``target`` is outside that range.
    """
    base = transposed_output_size(i, k, s, p_before, p_after, d, 0)
    op = target - base
    if op < 0 or op >= s:
        raise ConvMathError(
            f"output_size={target} is invalid: from input {i} this transposed convolution "
            f"reaches sizes {base} to {base + s - 1} (PyTorch's output_size rule)",
            param="output_size",
        )
    return op
