"""The one place that sizes and places grids and text rows in the frame.

A scene describes what it shows — grids by shape, stacked in columns, plus rows of text above and
below — and :func:`plan` returns boxes (frame units, manim's coordinates: origin at the centre,
``y`` up) for each of them, a common cell size, and font sizes. Everything returned lies inside the
frame and no two boxes overlap, so text fitted into its box with :func:`fit_text` cannot overlap
other text. When the cells become too small for numbers readable at 480p the plan says
``numeric=False`` and the scene draws the schematic view.

Also here: :func:`inside_frame` and :func:`overlapping_texts`, the checks every scene's tests use.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

__all__ = [
    "Box",
    "GridSlot",
    "Layout",
    "plan",
    "plan_best",
    "grid_rows_cols",
    "value_chars",
    "fit_text",
    "split_box",
    "text_screen",
    "inside_frame",
    "overlapping_texts",
    "mobject_box",
    "DIGIT_HEIGHT",
    "CHAR_WIDTH",
    "LINE_HEIGHT",
    "MIN_GLYPH_PX_480P",
]

#: Height of a digit, in frame units per point of ``Text(font_size=...)`` (measured, DejaVu Sans).
DIGIT_HEIGHT = 0.0105
#: Advance width of a digit / average character, frame units per point.
CHAR_WIDTH = 0.0073
#: Height of a line of text with ascenders and descenders, frame units per point.
LINE_HEIGHT = 0.0137
#: Smallest digit height, in pixels of a 480-pixel-high frame, still readable.
MIN_GLYPH_PX_480P = 8.0

_MAX_CELL_FRACTION = 1.0 / 8  # largest cell: 1/8 of the frame height (1 unit in a default frame)
_MARGIN_FRACTION = 0.035  # frame margin, fraction of the frame height
_GAP_FRACTION = 0.06  # gap between columns / stacked grids, fraction of the frame height
_MAX_VALUE_FONT = 34.0
_TEXT_FONT = 24.0
_CAPTION_FONT = 24.0
_MIN_TEXT_FONT = 14.0
_ROW_SPACING = 1.3  # row height / line height
_CAPTION_MIN_WIDTH_CHARS = 12  # a column is at least this many caption characters wide


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


@dataclass(frozen=True, slots=True)
class Layout:
    """A plan for one frame: grids, text rows and font sizes.

    Attributes
    ----------
    frame_width, frame_height : float
        The frame, in manim units.
    cell : float
        The common cell side.
    numeric : bool
        Whether numbers in cells are readable (requested and large enough).
    value_font : float
        ``font_size`` for a number inside a cell.
    caption_font, text_font : float
        ``font_size`` for grid captions and for text rows.
    grids : tuple of GridSlot
        One per grid, in the order given (column by column, top to bottom).
    top, bottom : tuple of Box
        The text rows above and below the grids, top to bottom.
    """

    frame_width: float
    frame_height: float
    cell: float
    numeric: bool
    value_font: float
    caption_font: float
    text_font: float
    grids: tuple[GridSlot, ...]
    top: tuple[Box, ...]
    bottom: tuple[Box, ...]

    @property
    def frame(self) -> Box:
        return Box(0.0, 0.0, self.frame_width, self.frame_height)

    @property
    def row_chars(self) -> int:
        """About how many characters of ``text_font`` fit in one full-width text row."""
        width = self.bottom[0].width if self.bottom else self.frame_width
        return max(1, int(width / (CHAR_WIDTH * self.text_font)))

    def boxes(self) -> list[Box]:
        """Every box of the plan (grids, captions, rows)."""
        out = [g.box for g in self.grids] + [g.caption for g in self.grids]
        return out + list(self.top) + list(self.bottom)


def grid_rows_cols(shape: Sequence[int]) -> tuple[int, int]:
    """Drawn ``(rows, cols)`` of a grid shape: 1D is a single row."""
    shape = tuple(int(v) for v in shape)
    if len(shape) == 1:
        return 1, shape[0]
    if len(shape) == 2:
        return shape[0], shape[1]
    raise ValueError(f"shape={shape!r} is invalid: a grid is 1D (n,) or 2D (rows, cols)")


def value_chars(*arrays: Iterable[float] | np.ndarray) -> int:
    """Length of the longest number in ``arrays``, written by :func:`convmath.format_number`."""
    from convmath import format_number

    longest = 1
    for arr in arrays:
        for v in np.asarray(arr, dtype=float).ravel():
            longest = max(longest, len(format_number(v)))
    return longest


def _row_height(font: float) -> float:
    return LINE_HEIGHT * font * _ROW_SPACING


def plan(
    columns: Sequence[Sequence[Sequence[int]]],
    *,
    frame_width: float,
    frame_height: float,
    top_rows: int = 1,
    bottom_rows: int = 0,
    numeric: bool = True,
    chars: int = 2,
    pixel_height_ref: float = 480.0,
) -> Layout:
    """Size and place grids (in columns, left to right) and text rows to fit the frame.

    Parameters
    ----------
    columns
        Each column is a list of grid shapes stacked top to bottom, each with a caption row above.
    frame_width, frame_height
        The frame in manim units (``config.frame_width``, ``config.frame_height``).
    top_rows, bottom_rows
        Full-width text rows above and below the grids (titles, equations, formulas).
    numeric
        Whether numbers are wanted in cells; the plan turns them off when unreadable.
    chars
        Characters of the longest number to fit in a cell (see :func:`value_chars`).
    pixel_height_ref
        The frame height in pixels at which readability is judged (480p).

    Returns
    -------
    Layout

    Raises
    ------
    ValueError
        If there is nothing to place or the grids cannot fit at all.
    """
    cols_list = [[grid_rows_cols(s) for s in col] for col in columns]
    if not cols_list or any(not col for col in cols_list):
        raise ValueError("columns is invalid: give at least one column, each with a grid shape")
    if frame_width <= 0 or frame_height <= 0:
        raise ValueError(f"frame {frame_width}x{frame_height} is invalid: sizes must be > 0")
    H, W = float(frame_height), float(frame_width)
    margin = _MARGIN_FRACTION * H
    gap = _GAP_FRACTION * H
    scale = H / 8.0  # fonts are tuned for manim's default 8-unit-high frame
    text_font = _TEXT_FONT * scale
    caption_font = _CAPTION_FONT * scale
    n_rows = top_rows + bottom_rows
    # Text rows may use at most 40 % of the height: shrink their font if needed.
    if n_rows:
        text_font = min(text_font, 0.4 * (H - 2 * margin) / (n_rows * LINE_HEIGHT * _ROW_SPACING))
        text_font = max(text_font, _MIN_TEXT_FONT * scale)
    row_h = _row_height(text_font)
    cap_h = _row_height(caption_font)
    band_top = H / 2 - margin - top_rows * row_h - (gap / 2 if top_rows else 0)
    band_bottom = -H / 2 + margin + bottom_rows * row_h + (gap / 2 if bottom_rows else 0)
    band_h = band_top - band_bottom
    avail_w = W - 2 * margin - gap * (len(cols_list) - 1)
    cap_w = _CAPTION_MIN_WIDTH_CHARS * CHAR_WIDTH * caption_font

    # Cell size: the tightest of the height constraint of every column and the width constraint.
    max_cell = _MAX_CELL_FRACTION * H
    cell = max_cell
    for col in cols_list:
        rows = sum(r for r, _ in col)
        fixed = len(col) * cap_h + (len(col) - 1) * gap
        cell = min(cell, (band_h - fixed) / rows)
    widest = [max(c for _, c in col) for col in cols_list]
    fixed_cols: set[int] = set()
    for _ in range(len(cols_list) + 1):  # columns narrower than their caption take cap_w
        free = sum(w for i, w in enumerate(widest) if i not in fixed_cols)
        rest = avail_w - cap_w * len(fixed_cols)
        c_w = rest / free if free else max_cell
        new_fixed = {i for i, w in enumerate(widest) if w * min(cell, c_w) < cap_w}
        if new_fixed == fixed_cols:
            break
        fixed_cols = new_fixed
    cell = min(cell, c_w)
    if cell <= 0:
        raise ValueError(
            f"these grids {[list(c) for c in columns]} cannot fit a {W:.2f}x{H:.2f} frame"
        )

    # Numbers: as large as the cell allows, capped; readable if digits are tall enough at 480p.
    value_font = min(
        _MAX_VALUE_FONT * scale,
        0.45 * cell / DIGIT_HEIGHT,
        0.82 * cell / (max(1, chars) * CHAR_WIDTH),
    )
    min_glyph = MIN_GLYPH_PX_480P * H / pixel_height_ref
    readable = value_font * DIGIT_HEIGHT >= min_glyph

    # Place columns left to right, centred; each column's grids stacked and centred vertically.
    col_w = [max(w * cell, cap_w) for w in widest]
    total_w = sum(col_w) + gap * (len(cols_list) - 1)
    x = -total_w / 2
    slots: list[GridSlot] = []
    for col, cw, shapes in zip(cols_list, col_w, columns):
        col_h = sum(r * cell for r, _ in col) + len(col) * cap_h + (len(col) - 1) * gap
        y = (band_top + band_bottom) / 2 + col_h / 2
        cx = x + cw / 2
        for (r, c), shape in zip(col, shapes):
            cap = Box(cx, y - cap_h / 2, cw, cap_h)
            y -= cap_h
            box = Box(cx, y - r * cell / 2, c * cell, r * cell)
            y -= r * cell + gap
            slots.append(GridSlot(tuple(int(v) for v in shape), r, c, cell, box, cap))
        x += cw + gap
    row_w = W - 2 * margin
    top = tuple(Box(0.0, H / 2 - margin - (i + 0.5) * row_h, row_w, row_h) for i in range(top_rows))
    bottom = tuple(
        Box(0.0, -H / 2 + margin + (bottom_rows - i - 0.5) * row_h, row_w, row_h)
        for i in range(bottom_rows)
    )
    return Layout(W, H, cell, bool(numeric and readable), value_font, caption_font, text_font,
                  tuple(slots), top, bottom)


def plan_best(arrangements: Sequence[Sequence[Sequence[Sequence[int]]]], **kwargs) -> tuple[int,
                                                                                            Layout]:
    """Plan each arrangement (a ``columns`` argument of :func:`plan`); keep the largest cells.

    Returns ``(index, layout)`` of the winner (the first one on ties).
    """
    best: tuple[int, Layout] | None = None
    for i, columns in enumerate(arrangements):
        lay = plan(columns, **kwargs)
        if best is None or lay.cell > best[1].cell + 1e-9:
            best = (i, lay)
    if best is None:
        raise ValueError("arrangements is invalid: give at least one arrangement")
    return best


# ---------------------------------------------------------------------------------------------
# Helpers on mobjects (manim imported lazily so the planning maths stays importable alone).


def mobject_box(mob) -> Box:
    """The bounding box of a manim mobject (with its submobjects) as a :class:`Box`."""
    left, right = mob.get_left()[0], mob.get_right()[0]
    bottom, top = mob.get_bottom()[1], mob.get_top()[1]
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


def inside_frame(mob, frame_width: float | None = None, frame_height: float | None = None,
                 tol: float = 1e-3) -> bool:
    """Whether ``mob`` (every point of it and its submobjects) lies inside the frame.

    The frame defaults to manim's current ``config`` frame size.
    """
    if frame_width is None or frame_height is None:
        from manim import config

        frame_width = frame_width or config.frame_width
        frame_height = frame_height or config.frame_height
    points = [m.points for m in mob.get_family() if len(m.points)]
    if not points:
        return True
    pts = np.concatenate(points)
    return bool(
        np.all(np.abs(pts[:, 0]) <= frame_width / 2 + tol)
        and np.all(np.abs(pts[:, 1]) <= frame_height / 2 + tol)
    )


def overlapping_texts(mobjects: Iterable, tol: float = 1e-3) -> list[tuple[object, object]]:
    """Pairs of text mobjects (``Text``/``MarkupText``) among ``mobjects`` whose boxes overlap.

    Every family member of each given mobject is looked at; empty texts are skipped.
    """
    from manim import MarkupText, Text

    texts = []
    seen: set[int] = set()
    for mob in mobjects:
        for m in mob.get_family():
            if isinstance(m, Text | MarkupText) and id(m) not in seen and len(m.get_family()) > 1:
                seen.add(id(m))
                texts.append(m)
    boxes = [mobject_box(t) for t in texts]
    out = []
    for i in range(len(texts)):
        for j in range(i + 1, len(texts)):
            if boxes[i].overlaps(boxes[j], tol):
                out.append((texts[i], texts[j]))
    return out


# ---------------------------------------------------------------------------------------------
# Text-only screens and side-by-side boxes (OutputSize, FlipVsCorrelation).


def split_box(box: Box, n: int, *, gap_fraction: float = 0.04) -> tuple[Box, ...]:
    """``box`` cut into ``n`` equal boxes side by side, ``gap_fraction`` of its width apart."""
    if n < 1:
        raise ValueError(f"n={n!r} is invalid: n must be >= 1")
    gap = gap_fraction * box.width if n > 1 else 0.0
    w = (box.width - gap * (n - 1)) / n
    return tuple(
        Box(box.left + w / 2 + i * (w + gap), box.y, w, box.height) for i in range(n)
    )


def text_screen(n_rows: int, *, frame_width: float, frame_height: float,
                top_rows: int = 1) -> Layout:
    """A screen of text only: ``top_rows`` rows at the top, ``n_rows`` centred in the frame.

    Returns a :class:`Layout` without grids (``bottom`` holds the centred rows).
    """
    H, W = float(frame_height), float(frame_width)
    margin = _MARGIN_FRACTION * H
    scale = H / 8.0
    font = _TEXT_FONT * scale
    total = top_rows + n_rows
    font = min(font, 0.8 * (H - 2 * margin) / max(1, total) / (LINE_HEIGHT * _ROW_SPACING))
    row_h = _row_height(font)
    row_w = W - 2 * margin
    top = tuple(Box(0.0, H / 2 - margin - (i + 0.5) * row_h, row_w, row_h)
                for i in range(top_rows))
    y0 = min(n_rows * row_h / 2, H / 2 - margin - (top_rows + 0.5) * row_h)  # below the top
    body = tuple(Box(0.0, y0 - (i + 0.5) * row_h, row_w, row_h) for i in range(n_rows))
    return Layout(W, H, 0.0, False, 0.0, font, font, (), top, body)
