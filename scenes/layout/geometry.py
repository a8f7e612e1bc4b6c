"""Geometry of the frame: boxes, grid slots, measured text metrics, fitting a mobject in a box,
word wrap.

Frame units are manim's (origin at the centre, ``y`` up). Nothing here imports manim at import
time: planners stay importable (and fast) without it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

__all__ = ["Box", "GridSlot", "grid_rows_cols", "fit_text", "mobject_box", "split_box",
           "halves_over", "DIGIT_HEIGHT", "CHAR_WIDTH", "TEXT_CHAR_WIDTH", "LINE_HEIGHT",
           "row_chars"]


#: Height of a digit, in frame units per point of ``Text(font_size=...)`` (measured, DejaVu Sans).
DIGIT_HEIGHT = 0.0105
#: Advance width of a character of a number, frame units per point: digits are 0.0073, the
#: minus sign 0.0103; this bounds numbers such as "−2" (measured, DejaVu Sans).
CHAR_WIDTH = 0.0088
#: Average advance width of a character of running text, frame units per point.
TEXT_CHAR_WIDTH = 0.0068
#: Height of a line of text with ascenders and descenders, frame units per point.
LINE_HEIGHT = 0.0137
#: Smallest digit height, in pixels of a 480-pixel-high frame, still readable.


@dataclass(frozen=True, slots=True)
class Box:
    """An axis-aligned box: centre ``(x, y)`` and size, in frame units."""

    x: float
    y: float
    width: float
    height: float

    @property
    def left(self) -> float:
        return self.x - self.width / 2

    @property
    def right(self) -> float:
        return self.x + self.width / 2

    @property
    def top(self) -> float:
        return self.y + self.height / 2

    @property
    def bottom(self) -> float:
        return self.y - self.height / 2

    @property
    def center(self) -> np.ndarray:
        """The centre as a manim point ``[x, y, 0]``."""
        return np.array([self.x, self.y, 0.0])

    def contains(self, other: Box, tol: float = 1e-6) -> bool:
        """Whether ``other`` lies inside this box."""
        return (
            other.left >= self.left - tol
            and other.right <= self.right + tol
            and other.bottom >= self.bottom - tol
            and other.top <= self.top + tol
        )

    def overlaps(self, other: Box, tol: float = 1e-6) -> bool:
        """Whether the interiors of the two boxes intersect."""
        return (
            self.left < other.right - tol
            and other.left < self.right - tol
            and self.bottom < other.top - tol
            and other.bottom < self.top - tol
        )


@dataclass(frozen=True, slots=True)
class GridSlot:
    """Where one grid goes.

    Attributes
    ----------
    shape : tuple of int
        The grid's shape as given (``(n,)`` for 1D).
    rows, cols : int
        Drawn rows and columns (a 1D grid is one row).
    cell : float
        Side of a cell (same for every grid of a plan).
    box : Box
        The grid itself (``cols*cell`` by ``rows*cell``).
    caption : Box
        The caption row directly above the grid, as wide as its column.
    """

    shape: tuple[int, ...]
    rows: int
    cols: int
    cell: float
    box: Box
    caption: Box



def grid_rows_cols(shape: Sequence[int]) -> tuple[int, int]:
    """Drawn ``(rows, cols)`` of a grid shape: 1D is a single row."""
    shape = tuple(int(v) for v in shape)
    if len(shape) == 1:
        return 1, shape[0]
    if len(shape) == 2:
        return shape[0], shape[1]
    raise ValueError(f"shape={shape!r} is invalid: a grid is 1D (n,) or 2D (rows, cols)")



def _bounds(mob) -> tuple[float, float, float, float]:
    """``(left, right, bottom, top)`` of every point of ``mob`` and its family (one pass, the
    same extremes as ``get_left()`` … ``get_top()``, which each walk the family again)."""
    points = [m.points for m in mob.get_family() if len(m.points)]
    if not points:
        c = mob.get_center()
        return float(c[0]), float(c[0]), float(c[1]), float(c[1])
    pts = np.concatenate(points)
    lo, hi = pts.min(axis=0), pts.max(axis=0)
    return float(lo[0]), float(hi[0]), float(lo[1]), float(hi[1])


def mobject_box(mob) -> Box:
    """The bounding box of a manim mobject (with its submobjects) as a :class:`Box`."""
    left, right, bottom, top = _bounds(mob)
    return Box((left + right) / 2, (bottom + top) / 2, right - left, top - bottom)


def fit_text(mob, box: Box, *, align: str = "center"):
    """Scale ``mob`` down (never up) to fit ``box`` and move it there; returns ``mob``.

    ``align`` is ``"center"``, ``"left"`` or ``"right"`` within the box.
    """
    if mob.width > box.width:
        mob.scale_to_fit_width(box.width * 0.999)
    if mob.height > box.height:
        mob.scale_to_fit_height(box.height * 0.999)
    mob.move_to(box.center)
    if align == "left":
        mob.shift((box.left - mob.get_left()[0]) * np.array([1.0, 0, 0]))
    elif align == "right":
        mob.shift((box.right - mob.get_right()[0]) * np.array([1.0, 0, 0]))
    return mob



def split_box(box: Box, n: int, *, gap_fraction: float = 0.04) -> tuple[Box, ...]:
    """``box`` cut into ``n`` equal boxes side by side, ``gap_fraction`` of its width apart."""
    if n < 1:
        raise ValueError(f"n={n!r} is invalid: n must be >= 1")
    gap = gap_fraction * box.width if n > 1 else 0.0
    w = (box.width - gap * (n - 1)) / n
    return tuple(
        Box(box.left + w / 2 + i * (w + gap), box.y, w, box.height) for i in range(n)
    )



def halves_over(row: Box, left_x: float, right_x: float, *,
                widths: tuple[float, float] | None = None, gap_fraction: float = 0.04
                ) -> tuple[Box, Box]:
    """Two boxes in the two halves of ``row``, centred over ``left_x`` and ``right_x`` if possible.

    ``widths`` are the wanted widths (e.g. the texts' natural widths), capped at a half row; each
    box keeps to its own half of the row (minus half the gap), so text fitted into them lines up
    with two side-by-side groups of grids and cannot overlap.
    """
    gap = gap_fraction * row.width
    half = (row.width - gap) / 2
    wl, wr = (half, half) if widths is None else (min(widths[0], half), min(widths[1], half))
    xl = min(max(left_x, row.left + wl / 2), row.x - gap / 2 - wl / 2)
    xr = min(max(right_x, row.x + gap / 2 + wr / 2), row.right - wr / 2)
    return Box(xl, row.y, wl, row.height), Box(xr, row.y, wr, row.height)


def row_chars(rows: tuple[Box, ...], frame_width: float, text_font: float) -> int:
    """About how many characters of ``text_font`` fit in one full-width text row (the first
    of ``rows``, else the frame's width)."""
    width = rows[0].width if rows else frame_width
    return max(1, int(width / (TEXT_CHAR_WIDTH * text_font)))


def _greedy_wrap(words: list[str], max_chars: int, max_lines: int | None) -> list[str]:
    lines: list[str] = []
    cur = ""
    for word in words:
        if cur and len(cur) + 1 + len(word) > max_chars and (
            max_lines is None or len(lines) < max_lines - 1
        ):
            lines.append(cur)
            cur = word
        else:
            cur = f"{cur} {word}" if cur else word
    if cur:
        lines.append(cur)
    return lines


def wrap_words(s: str, max_chars: int, max_lines: int | None = None) -> list[str]:
    """Word wrap of ``s`` into as few lines of at most ``max_chars`` as possible, balanced: the
    lines are as even as that number of lines allows (no orphan word alone on a last line). A
    word longer than ``max_chars`` stays whole.

    With ``max_lines``, when more lines would be needed the last line takes the rest (to be
    scaled down by :func:`fit_text`).
    """
    words = s.split()
    lines = _greedy_wrap(words, max_chars, None)
    if max_lines is not None and len(lines) > max_lines:
        return _greedy_wrap(words, max_chars, max_lines)
    if len(lines) < 2:
        return lines
    # The narrowest width that still needs no more lines (greedy line count only grows as the
    # width shrinks, so bisect it).
    lo, hi = max(len(w) for w in words), max_chars
    while lo < hi:
        mid = (lo + hi) // 2
        if len(_greedy_wrap(words, mid, None)) <= len(lines):
            hi = mid
        else:
            lo = mid + 1
    return _greedy_wrap(words, lo, None)
