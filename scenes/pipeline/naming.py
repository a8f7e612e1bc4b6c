"""Default file names: readable names built from the scene and its parameters."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from convmath import KERNEL_PRESETS, ConvSpec, default_arrays
from scenes.catalog import scene_entry
from scenes.inputs import SceneDefaults
from scenes.pipeline.writers import WRITERS

__all__ = ["MEDIA_DIR", "default_output_path", "values_tag", "stack_tag"]

MEDIA_DIR = Path("media")


def _axes(values: tuple[int, ...]) -> str:
    return str(values[0]) if len(set(values)) == 1 else "x".join(str(v) for v in values)


def _padding_part(spec: ConvSpec) -> str:
    if spec.padding_mode is not None:
        return spec.padding_mode
    pads = spec.pads
    if all(b == a for b, a in pads):
        return _axes(tuple(b for b, _ in pads))
    return "x".join(f"{b}-{a}" for b, a in pads)


def _digest(arr: NDArray[np.float64]) -> str:
    h = hashlib.sha256(repr(arr.shape).encode())
    h.update(np.ascontiguousarray(arr, dtype=np.float64).tobytes())
    return h.hexdigest()[:6]


def stack_tag(stack: Any) -> str:
    """The file-name part for a stack of layers after its first: ``L3s2-3d2`` (each layer's
    kernel, then its stride, padding and dilation when not 1, 0, 1), or a short digest
    (``Lx3fa2c1``) when that would be longer than 40 characters; ``""`` for one layer."""
    layers = []
    for spec in stack.specs[1:]:
        part = f"{_axes(spec.kernel_shape)}"  # type: ignore[arg-type]
        if any(v > 1 for v in spec.stride):  # type: ignore[union-attr]
            part += f"s{_axes(spec.stride)}"  # type: ignore[arg-type]
        pad = _padding_part(spec)
        if pad != "0":
            part += f"p{pad}"
        if any(d > 1 for d in spec.dilation):  # type: ignore[union-attr]
            part += f"d{_axes(spec.dilation)}"  # type: ignore[arg-type]
        layers.append(part)
    if not layers:
        return ""
    tag = "L" + "-".join(layers)
    return tag if len(tag) <= 40 else "Lx" + stack.digest()[:6]


def values_tag(spec: ConvSpec, x: ArrayLike | None, w: ArrayLike | None,
               defaults: SceneDefaults | None = None) -> str | None:
    """The file-name part for explicit values: ``None`` for the defaults (of ``defaults``, or
    seed 0 and sobel-x), a kernel preset's name (``sobel-x``), else short digests (``x3fa2c1``,
    ``w09b7e4``)."""
    if defaults is None:
        dx, dw = default_arrays(spec.input_shape, spec.kernel_shape)  # type: ignore[arg-type]
    else:
        dx, dw = defaults.arrays(spec)
    parts = []
    if x is not None and not np.array_equal(np.asarray(x, dtype=float), dx):
        parts.append("x" + _digest(np.asarray(x, dtype=float)))
    if w is not None and not np.array_equal(np.asarray(w, dtype=float), dw):
        wa = np.asarray(w, dtype=float)
        preset = next((n for n, k in KERNEL_PRESETS.items()
                       if k.shape == wa.shape and np.array_equal(k, wa)), None)
        parts.append(preset or "w" + _digest(wa))
    return "_".join(parts) or None


def _spec_parts(spec: ConvSpec) -> list[str]:
    parts = ["1d"] if spec.ndim == 1 else []
    parts += [
        f"i{_axes(spec.input_shape)}",
        f"k{_axes(spec.kernel_shape)}",  # type: ignore[arg-type]
        f"s{_axes(spec.stride)}",  # type: ignore[arg-type]
        f"p{_padding_part(spec)}",
    ]
    if any(d > 1 for d in spec.dilation):  # type: ignore[union-attr]
        parts.append(f"d{_axes(spec.dilation)}")  # type: ignore[arg-type]
    if spec.transposed:
        parts.append("tr")
    if any(spec.output_padding):  # type: ignore[arg-type]
        parts.append(f"op{_axes(spec.output_padding)}")  # type: ignore[arg-type]
    if spec.flip:
        parts.append("flip")
    return parts


def default_output_path(
    scene: str,
    spec: ConvSpec,
    *,
    fmt: str = "gif",
    mode: str = "numeric",
    theme: str = "light",
    lang: str = "en",
    values_tag: str | None = None,
    directory: Path = MEDIA_DIR,
) -> Path:
    """A readable file name under ``directory`` built from the scene and the parameters.

    ``media/sliding_i5_k3_s2_p1.gif`` for the 2D 5×5 input, 3×3 kernel, stride 2, padding 1;
    non-default dimensions, dilation, transposition, output padding, flip, mode, theme and language
    add parts (``_1d``, ``_d2``, ``_tr``, ``_op1``, ``_flip``, ``_schematic``, ``_dark``, ``_es``)
    and ``values_tag`` (see :func:`values_tag`) is appended last. The extension is the format's
    writer's.
    """
    parts = [scene_entry(scene).name, *_spec_parts(spec)]
    parts += [v for v, default in ((mode, "numeric"), (theme, "light"), (lang, "en"))
              if v != default]
    if values_tag:
        parts.append(values_tag)
    return Path(directory) / ("_".join(parts) + WRITERS[fmt].suffix)
