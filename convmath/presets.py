"""Kernel presets (the seeds' edge and blur filters) and seeded random values."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from convmath.errors import ConvMathError

__all__ = ["KERNEL_PRESETS", "EDGE_PRESETS", "ANY_SHAPE_PRESETS", "kernel_preset", "edge_preset",
           "counting_kernel", "random_values", "structured_values", "default_arrays"]

KERNEL_PRESETS: dict[str, NDArray[np.float64]] = {
    "identity": np.array([[0, 0, 0], [0, 1, 0], [0, 0, 0]], dtype=float),
    "box-blur": np.ones((3, 3)) / 9.0,
    "gaussian": np.array([[1, 2, 1], [2, 4, 2], [1, 2, 1]], dtype=float) / 16.0,
    "sharpen": np.array([[0, -1, 0], [-1, 5, -1], [0, -1, 0]], dtype=float),
    "sobel-x": np.array([[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]], dtype=float),
    "sobel-y": np.array([[-1, -2, -1], [0, 0, 0], [1, 2, 1]], dtype=float),
    "laplacian": np.array([[0, 1, 0], [1, -4, 1], [0, 1, 0]], dtype=float),
    # Seed 001's 2D kernel (symmetric under 180° rotation) and its 1D difference filter.
    "seed-2d": np.array([[0, 1, 0], [-1, 1, -1], [0, 1, 0]], dtype=float),
    "difference": np.array([1, -1], dtype=float),
    # Weights 1, 2, …, 9 (row-major): no zero, all different (issue 15: the default kernel of
    # the matrix, connectivity and superposition views; drawn at any shape, see below).
    "counting": np.arange(1.0, 10.0).reshape(3, 3),
}
for _arr in KERNEL_PRESETS.values():
    _arr.flags.writeable = False

#: Presets that detect edges: by default they run on a structured input that has one.
EDGE_PRESETS: tuple[str, ...] = ("sobel-x", "sobel-y", "laplacian")
#: Presets that :func:`default_arrays` draws at whatever kernel shape a spec has
#: (:func:`counting_kernel`); as a typed ``--weights`` name they are their 3×3 array.
ANY_SHAPE_PRESETS: tuple[str, ...] = ("counting",)


def edge_preset(w: object) -> str | None:
    """The edge preset (:data:`EDGE_PRESETS`) whose weights ``w`` are exactly, else ``None``.

    >>> edge_preset([[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]]), edge_preset([1, -1])
    ('sobel-x', None)
    """
    try:
        arr = np.asarray(w, dtype=float)
    except (TypeError, ValueError):
        return None
    return next((n for n in EDGE_PRESETS if arr.shape == KERNEL_PRESETS[n].shape
                 and np.array_equal(arr, KERNEL_PRESETS[n])), None)


def counting_kernel(shape: tuple[int, ...]) -> NDArray[np.float64]:
    """Weights ``1, 2, …, n`` in row-major order, of ``shape`` (``n`` cells).

    No weight is zero (a zero weight hides which input it meets: a zero column reads as a
    checkerboard) and all differ, so every weight can be followed; in 1D the kernel never equals
    its own indices ``0 … k−1``.

    >>> counting_kernel((3,)).tolist(), counting_kernel((2, 2)).tolist()
    ([1.0, 2.0, 3.0], [[1.0, 2.0], [3.0, 4.0]])
    """
    shape = tuple(int(v) for v in shape)
    return np.arange(1.0, float(np.prod(shape)) + 1.0).reshape(shape)


def kernel_preset(name: str) -> NDArray[np.float64]:
    """A copy of the preset kernel ``name``.

    Raises
    ------
    ConvMathError
        For an unknown name, listing the known ones.
    """
    if name not in KERNEL_PRESETS:
        raise ConvMathError(
            f"kernel preset {name!r} is invalid: known presets are {', '.join(KERNEL_PRESETS)}",
            param="w",
        )
    return KERNEL_PRESETS[name].copy()


def random_values(shape: tuple[int, ...], seed: int = 0, low: int = -2,
                  high: int = 4) -> NDArray[np.float64]:
    """Small integers in ``[low, high]`` from a seeded generator, as floats."""
    rng = np.random.default_rng(seed)
    return rng.integers(low, high + 1, size=shape).astype(float)


def structured_values(shape: tuple[int, ...], kernel: str = "sobel-x", low: int = 0,
                      high: int = 3) -> NDArray[np.float64]:
    """An input with the structure an edge preset detects, ``low`` and ``high`` cells.

    ``sobel-x`` (a horizontal gradient): a vertical edge, the right half ``high``;
    ``sobel-y``: a horizontal edge, the bottom half ``high``; ``laplacian`` (and any other
    name): a ``high`` square in the middle (every side an edge). 1D: a step half-way.

    >>> structured_values((2, 4)).tolist()
    [[0.0, 0.0, 3.0, 3.0], [0.0, 0.0, 3.0, 3.0]]
    """
    shape = tuple(int(v) for v in shape)
    out = np.full(shape, float(low))
    if len(shape) == 1:
        out[shape[0] // 2:] = high
    elif kernel == "sobel-x":
        out[:, shape[1] // 2:] = high
    elif kernel == "sobel-y":
        out[shape[0] // 2:, :] = high
    else:
        r0, c0 = shape[0] // 4, shape[1] // 4
        out[r0: shape[0] - r0, c0: shape[1] - c0] = high
    return out


def default_arrays(input_shape: tuple[int, ...], kernel_shape: tuple[int, ...], seed: int = 0,
                   kernel: str = "sobel-x", structured: bool | None = False,
                   ) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """The values drawn when none are given: an input and a preset kernel.

    The kernel is the preset ``kernel`` when its shape is ``kernel_shape`` (a preset of
    :data:`ANY_SHAPE_PRESETS` fits every shape), else seeded small integers in ``[-1, 2]``
    (seed ``seed + 1``). The input is :func:`structured_values` (an edge
    or a step, so the output shows what an edge preset detects) when ``structured`` is true, or
    when it is ``None`` ("auto") and the preset kernel is one of :data:`EDGE_PRESETS`; otherwise
    (the default, ``False``: every scene's default drawing) seeded small integers
    (:func:`random_values` with ``seed``). The front ends' one path
    (``scenes.inputs.ConvInputs.make``) gives an edge preset's structured input when weights
    equal to it are given without input values (``--weights sobel-x``). Shared by the scenes
    and the CLI (which must agree without importing manim).
    """
    w = (counting_kernel(tuple(kernel_shape)) if kernel in ANY_SHAPE_PRESETS
         else kernel_preset(kernel))
    preset = w.shape == tuple(kernel_shape)
    if not preset:
        w = random_values(tuple(kernel_shape), seed=seed + 1, low=-1, high=2)
    if structured is None:
        structured = preset and kernel in EDGE_PRESETS
    if structured:
        return structured_values(tuple(input_shape), kernel), w
    return random_values(tuple(input_shape), seed=seed), w
