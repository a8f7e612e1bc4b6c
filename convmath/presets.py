"""Kernel presets (the seeds' edge and blur filters) and seeded random values."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from convmath.errors import ConvMathError

__all__ = ["KERNEL_PRESETS", "kernel_preset", "random_values", "default_arrays"]

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
}
for _arr in KERNEL_PRESETS.values():
    _arr.flags.writeable = False


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


def default_arrays(input_shape: tuple[int, ...], kernel_shape: tuple[int, ...], seed: int = 0,
                   kernel: str = "sobel-x") -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """The values drawn when none are given: seeded small integers and a preset kernel.

    The input is :func:`random_values` with ``seed``; the kernel is the preset ``kernel`` when its
    shape is ``kernel_shape``, else seeded small integers in ``[-1, 2]`` (seed ``seed + 1``).
    Shared by the scenes and the CLI (which must agree without importing manim).
    """
    x = random_values(tuple(input_shape), seed=seed)
    w = kernel_preset(kernel)
    if w.shape != tuple(kernel_shape):
        w = random_values(tuple(kernel_shape), seed=seed + 1, low=-1, high=2)
    return x, w
