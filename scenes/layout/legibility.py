"""Legibility policy: what is readable at the reference 480p frame, and the size limits scenes
derive from it (:func:`check_cells`)."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable

import numpy as np

from convmath import ConvMathError, ConvSpec
from convmath.explain import format_shape
from scenes.layout.geometry import CHAR_WIDTH, DIGIT_HEIGHT

__all__ = ["MIN_GLYPH_PX_480P", "MIN_CELL_PX_480P", "REF_PIXEL_HEIGHT", "REF_FRAME_WIDTH",
           "REF_FRAME_HEIGHT", "MAX_VALUE_FONT", "px_480p", "fit_font", "readable",
           "value_chars", "largest_square_input", "check_cells", "MIN_TEXT_PX_480P",
           "text_px_480p"]


MIN_GLYPH_PX_480P = 8.0
#: Smallest cell side, in pixels of a 480-pixel-high frame, at which the cells of a schematic grid
#: can still be told apart: the grid lines (stroke 2) are 1.2 px and the window's outline (stroke
#: 5) 3 px wide there, so a 6-px cell keeps a visible inside under the window; smaller cells merge
#: into a striped band. Scenes refuse specs whose plan at the reference frame gives smaller cells.
MIN_CELL_PX_480P = 6.0
#: The reference frame at which legibility is judged: 854×480 pixels (manim's 480p), i.e. a 16:9
#: frame 8 units high.
REF_PIXEL_HEIGHT = 480.0
REF_FRAME_HEIGHT = 8.0
REF_FRAME_WIDTH = REF_FRAME_HEIGHT * 16 / 9

#: The legibility floor of running text (titles, captions, equations, notes): digits at least
#: this many pixels high at 480p, i.e. :data:`scenes.layout.frame.MIN_TEXT_FONT` (14) in an
#: 8-unit frame. Planners never plan text below it; a screen too crowded for it is split or
#: shortened instead of shrinking its text.
MIN_TEXT_PX_480P = 14.0 * DIGIT_HEIGHT * REF_PIXEL_HEIGHT / REF_FRAME_HEIGHT


def text_px_480p(font: float, frame_height: float = REF_FRAME_HEIGHT) -> float:
    """Height in pixels at 480p of the digits of text drawn at ``font`` (``font_size``) in a
    frame ``frame_height`` units high."""
    return px_480p(float(font) * DIGIT_HEIGHT, frame_height)


#: Largest ``font_size`` of a number in a cell, for an 8-unit-high frame.
MAX_VALUE_FONT = 34.0


def value_chars(*arrays: Iterable[float] | np.ndarray) -> int:
    """Length of the longest number in ``arrays``, written by :func:`convmath.format_number`."""
    from convmath import format_number

    longest = 1
    for arr in arrays:
        for v in np.asarray(arr, dtype=float).ravel():
            longest = max(longest, len(format_number(v)))
    return longest



def fit_font(cell: float, chars: float, frame_height: float) -> float:
    """The largest ``font_size`` of numbers of ``chars`` characters in a cell of side ``cell``."""
    return min(
        MAX_VALUE_FONT * frame_height / 8.0,
        0.45 * cell / DIGIT_HEIGHT,
        0.82 * cell / (max(1.0, chars) * CHAR_WIDTH),
    )


def readable(font: float, frame_height: float, pixel_height_ref: float) -> bool:
    """Whether digits at ``font`` are tall enough to read at ``pixel_height_ref`` (480p)."""
    return font * DIGIT_HEIGHT >= MIN_GLYPH_PX_480P * frame_height / pixel_height_ref



def px_480p(length: float, frame_height: float = REF_FRAME_HEIGHT) -> float:
    """``length`` (frame units of a frame ``frame_height`` high) in pixels at 480p."""
    return float(length) * REF_PIXEL_HEIGHT / float(frame_height)


def largest_square_input(spec: ConvSpec, accepts: Callable[[ConvSpec], bool], *,
                         limit: int = 10_000) -> int | None:
    """The largest ``n`` (at most ``limit``) for which ``spec`` with a square input ``(n,)`` /
    ``(n, n)`` (every other parameter kept) is valid and ``accepts`` it; ``None`` if there is
    none. ``accepts`` is assumed to hold up to some size and fail beyond (a galloping, then
    binary search: a few dozen plans)."""

    def make(n: int) -> ConvSpec | None:
        try:
            return dataclasses.replace(spec, input_shape=(n,) * spec.ndim)
        except (ConvMathError, ValueError):
            return None

    def ok(n: int) -> bool:
        sp = make(n)
        return sp is not None and accepts(sp)

    top = min(max(spec.input_shape), limit)
    lo = next((n for n in range(1, top + 1) if make(n) is not None), None)  # smallest valid
    if lo is None or not ok(lo):  # larger inputs only shrink the cells
        return None
    hi = max(lo + 1, top)
    while hi <= limit and ok(hi):  # gallop past the spec's own size while still accepted
        lo, hi = hi, 2 * hi
    hi = min(hi, limit + 1)  # ok(lo) holds; hi fails or is past the limit
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if ok(mid):
            lo = mid
        else:
            hi = mid
    return lo


def check_cells(
    scene: str,
    spec: ConvSpec,
    smallest: Callable[[ConvSpec], tuple[str, float]],
    *,
    min_px: float = MIN_CELL_PX_480P,
    limit: str = "MIN_CELL_PX_480P",
    what: str = "cells",
    hint: str = "",
) -> None:
    """Raise :class:`ConvMathError` when ``spec``'s smallest cell is below ``min_px`` at 480p.

    Parameters
    ----------
    scene
        The scene's name, for the message.
    spec
        The spec to check.
    smallest
        Plans a spec at the reference frame (:data:`REF_FRAME_WIDTH` × :data:`REF_FRAME_HEIGHT`,
        as the scene's ``construct`` does) and returns ``(description, px)``: which grid has the
        smallest cells (e.g. ``"the drawn grid 60×60"``) and their side in pixels at 480p.
    min_px, limit
        The limit in pixels and its name (stated in the message).
    what
        What ``px`` measures (``"cells"``, or e.g. ``"digits"``).
    hint
        A sentence appended to the message (e.g. another mode with a larger limit).

    Raises
    ------
    ConvMathError
        Naming the input, the grid, its size in pixels, the limit and the largest square input
        accepted with the same kernel, stride, padding and dilation.
    """
    desc, px = smallest(spec)
    if px >= min_px:
        return
    measured = (f"would get {what} of {px:.1f} px at 480p" if px > 0
                else "would not fit the frame at all")
    n = largest_square_input(spec, lambda sp: smallest(sp)[1] >= min_px)
    if n is None:
        example = "no input size fits with this kernel, stride and dilation"
    else:
        example = (f"inputs up to about {format_shape((n,) * spec.ndim)} fit with this kernel, "
                   "stride, padding and dilation")
    raise ConvMathError(
        f"spec is too large for {scene}: with input {format_shape(spec.input_shape)}, {desc} "
        f"{measured}; the limit is {what} of at least {min_px:g} px at 480p "
        f"({limit}): {example}" + (f". {hint}" if hint else "")
    )

