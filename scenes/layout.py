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

import dataclasses
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from convmath import ConvMathError, ConvSpec
from convmath.explain import format_shape

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
    "halves_over",
    "text_screen",
    "inside_frame",
    "overlapping_texts",
    "mobject_box",
    "DIGIT_HEIGHT",
    "CHAR_WIDTH",
    "TEXT_CHAR_WIDTH",
    "LINE_HEIGHT",
    "MIN_GLYPH_PX_480P",
    "MIN_CELL_PX_480P",
    "REF_PIXEL_HEIGHT",
    "REF_FRAME_WIDTH",
    "REF_FRAME_HEIGHT",
    "px_480p",
    "largest_square_input",
    "check_cells",
    "NodeRow",
    "NodeRowsLayout",
    "plan_node_rows",
    "MatrixLayout",
    "plan_matrix",
    "plan_matrix_best",
    "LabelledRows",
    "plan_labelled_rows",
]

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

_MAX_CELL_FRACTION = 1.0 / 8  # largest cell: 1/8 of the frame height (1 unit in a default frame)
_MARGIN_FRACTION = 0.035  # frame margin, fraction of the frame height
_GAP_FRACTION = 0.06  # gap between columns / stacked grids, fraction of the frame height
_MAX_VALUE_FONT = 34.0
_TEXT_FONT = 24.0
_CAPTION_FONT = 24.0
_MIN_TEXT_FONT = 14.0
_ROW_SPACING = 1.3  # row height / line height
_CAPTION_MIN_WIDTH_CHARS = 16  # a column is at least this many caption characters wide


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
class _GridPlan:
    """What every plan with grids of cells holds: the frame, the cell side and the fonts.

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
    """

    frame_width: float
    frame_height: float
    cell: float
    numeric: bool
    value_font: float
    caption_font: float
    text_font: float

    @property
    def frame(self) -> Box:
        return Box(0.0, 0.0, self.frame_width, self.frame_height)


@dataclass(frozen=True, slots=True)
class Layout(_GridPlan):
    """A plan for one frame: grids, text rows and font sizes.

    Attributes
    ----------
    frame_width, frame_height, cell, numeric, value_font, caption_font, text_font
        The frame, the common cell side, whether numbers are readable, and the fonts.
    grids : tuple of GridSlot
        One per grid, in the order given (column by column, top to bottom).
    top, bottom : tuple of Box
        The text rows above and below the grids, top to bottom.
    """

    grids: tuple[GridSlot, ...]
    top: tuple[Box, ...]
    bottom: tuple[Box, ...]

    @property
    def row_chars(self) -> int:
        """About how many characters of ``text_font`` fit in one full-width text row."""
        width = self.bottom[0].width if self.bottom else self.frame_width
        return max(1, int(width / (TEXT_CHAR_WIDTH * self.text_font)))

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


@dataclass(frozen=True, slots=True)
class _Frame:
    """What every planner shares: the frame, its margin and gap, the fonts, the full-width text
    rows (``top`` and ``bottom``) and the band left between them for the figure."""

    width: float
    height: float
    margin: float
    gap: float
    text_font: float
    caption_font: float
    row_h: float
    cap_h: float
    band_top: float
    band_bottom: float
    top: tuple[Box, ...]
    bottom: tuple[Box, ...]


def _frame(frame_width: float, frame_height: float, top_rows: int, bottom_rows: int) -> _Frame:
    """Margins, fonts (text rows take at most 40 % of the height) and text-row boxes."""
    H, W = float(frame_height), float(frame_width)
    margin, gap, scale = _MARGIN_FRACTION * H, _GAP_FRACTION * H, H / 8.0  # fonts: 8-unit frame
    text_font, caption_font = _TEXT_FONT * scale, _CAPTION_FONT * scale
    n_rows = top_rows + bottom_rows
    if n_rows:
        text_font = min(text_font, 0.4 * (H - 2 * margin) / (n_rows * LINE_HEIGHT * _ROW_SPACING))
        text_font = max(text_font, _MIN_TEXT_FONT * scale)
    row_h, cap_h = _row_height(text_font), _row_height(caption_font)
    row_w = W - 2 * margin
    top = tuple(Box(0.0, H / 2 - margin - (i + 0.5) * row_h, row_w, row_h) for i in range(top_rows))
    bottom = tuple(
        Box(0.0, -H / 2 + margin + (bottom_rows - i - 0.5) * row_h, row_w, row_h)
        for i in range(bottom_rows)
    )
    return _Frame(
        W, H, margin, gap, text_font, caption_font, row_h, cap_h,
        band_top=H / 2 - margin - top_rows * row_h - (gap / 2 if top_rows else 0),
        band_bottom=-H / 2 + margin + bottom_rows * row_h + (gap / 2 if bottom_rows else 0),
        top=top, bottom=bottom,
    )


def _fit_font(cell: float, chars: float, frame_height: float) -> float:
    """The largest ``font_size`` of numbers of ``chars`` characters in a cell of side ``cell``."""
    return min(
        _MAX_VALUE_FONT * frame_height / 8.0,
        0.45 * cell / DIGIT_HEIGHT,
        0.82 * cell / (max(1.0, chars) * CHAR_WIDTH),
    )


def _readable(font: float, frame_height: float, pixel_height_ref: float) -> bool:
    """Whether digits at ``font`` are tall enough to read at ``pixel_height_ref`` (480p)."""
    return font * DIGIT_HEIGHT >= MIN_GLYPH_PX_480P * frame_height / pixel_height_ref


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
    turning: Collection[int] = (),
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
    turning
        Indices (in the order of the grids, column by column) of grids that turn in place (e.g.
        a kernel rotated 180°): each gets a square of side its diagonal, centred on it, and its
        caption goes above that square, so the turning corners sweep over nothing else.

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
    # Room each grid takes, in cells: (rows, cols), or its diagonal both ways when it turns.
    turning = set(turning)
    room: list[list[tuple[float, float]]] = []
    flat = 0
    for col in cols_list:
        room.append([])
        for r, c in col:
            diag = float(np.hypot(r, c))
            room[-1].append((diag, diag) if flat in turning else (float(r), float(c)))
            flat += 1
    if frame_width <= 0 or frame_height <= 0:
        raise ValueError(f"frame {frame_width}x{frame_height} is invalid: sizes must be > 0")
    f = _frame(frame_width, frame_height, top_rows, bottom_rows)
    H, W, margin, gap, cap_h = f.height, f.width, f.margin, f.gap, f.cap_h
    band_top, band_bottom = f.band_top, f.band_bottom
    band_h = band_top - band_bottom
    avail_w = W - 2 * margin - gap * (len(cols_list) - 1)
    cap_w = _CAPTION_MIN_WIDTH_CHARS * TEXT_CHAR_WIDTH * f.caption_font
    cap_w = min(cap_w, avail_w / len(cols_list))  # narrow frames: captions get scaled down

    # Cell size: the tightest of the height constraint of every column and the width constraint.
    max_cell = _MAX_CELL_FRACTION * H
    cell = max_cell
    for col in room:
        rows = sum(r for r, _ in col)
        fixed = len(col) * cap_h + (len(col) - 1) * gap
        cell = min(cell, (band_h - fixed) / rows)
    widest = [max(c for _, c in col) for col in room]
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
    value_font = _fit_font(cell, chars, H)

    # Place columns left to right, centred; each column's grids stacked and centred vertically.
    col_w = [max(w * cell, cap_w) for w in widest]
    total_w = sum(col_w) + gap * (len(cols_list) - 1)
    x = -total_w / 2
    slots: list[GridSlot] = []
    for col, col_room, cw, shapes in zip(cols_list, room, col_w, columns):
        col_h = sum(r * cell for r, _ in col_room) + len(col) * cap_h + (len(col) - 1) * gap
        y = (band_top + band_bottom) / 2 + col_h / 2
        cx = x + cw / 2
        for (r, c), (room_r, _), shape in zip(col, col_room, shapes):
            cap = Box(cx, y - cap_h / 2, cw, cap_h)
            y -= cap_h
            box = Box(cx, y - room_r * cell / 2, c * cell, r * cell)  # centred in its room
            y -= room_r * cell + gap
            slots.append(GridSlot(tuple(int(v) for v in shape), r, c, cell, box, cap))
        x += cw + gap
    readable = _readable(value_font, H, pixel_height_ref)
    return Layout(W, H, cell, bool(numeric and readable), value_font, f.caption_font, f.text_font,
                  tuple(slots), f.top, f.bottom)


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
# Legibility limits: a scene plans a spec at the reference frame and refuses cells too small.


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


# ---------------------------------------------------------------------------------------------
# Helpers on mobjects (manim imported lazily so the planning maths stays importable alone).


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
    if len(texts) < 2:
        return []
    b = np.array([_bounds(t) for t in texts])
    left, right, bottom, top = (b[:, k] for k in range(4))
    hit = (
        (left[:, None] < right[None, :] - tol)
        & (left[None, :] < right[:, None] - tol)
        & (bottom[:, None] < top[None, :] - tol)
        & (bottom[None, :] < top[:, None] - tol)
    )
    i, j = np.nonzero(np.triu(hit, k=1))
    return [(texts[a], texts[c]) for a, c in zip(i.tolist(), j.tolist())]


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


# ---------------------------------------------------------------------------------------------
# Two rows of nodes (the connectivity graph): added for scenes/connectivity.py.

_GROUP_GAP = 0.6  # gap between node groups (the rows of a 2D grid), in node pitches
_MAX_PITCH_FRACTION = 0.14  # largest distance between neighbour nodes, fraction of frame height
_NODE_FRACTION = 0.8  # node diameter / pitch
_MAX_NODE_FRACTION = 0.075  # largest node diameter, fraction of frame height
_LEFT_FRACTION = 0.19  # left column (row labels, locator grids), fraction of frame width
_RIGHT_FRACTION = 0.14  # right column (legend grid), fraction of frame width


@dataclass(frozen=True, slots=True)
class NodeRow:
    """One row of nodes.

    Attributes
    ----------
    y : float
        The row's centre line.
    xs : tuple of float
        Node centres, left to right.
    groups : tuple of Box
        One label box per group of nodes, above the top row or below the bottom row (empty
        when the row is a single group).
    caption : Box
        The row's label, in the left column.
    grid : GridSlot or None
        The small grid beside the row (left column), under its caption.
    """

    y: float
    xs: tuple[float, ...]
    groups: tuple[Box, ...]
    caption: Box
    grid: GridSlot | None


@dataclass(frozen=True, slots=True)
class NodeRowsLayout:
    """A plan for two rows of nodes joined by edges, with side columns and text rows.

    Attributes
    ----------
    node : float
        Node diameter (the same in both rows).
    pitch : float
        Distance between neighbour nodes of a group.
    rows : tuple of NodeRow
        ``(top, bottom)``.
    legend : GridSlot or None
        The legend grid (right column) and its caption.
    caption_font, text_font : float
        ``font_size`` for captions and text rows.
    top, bottom : tuple of Box
        Full-width text rows above and below.
    """

    frame_width: float
    frame_height: float
    node: float
    pitch: float
    rows: tuple[NodeRow, NodeRow]
    legend: GridSlot | None
    caption_font: float
    text_font: float
    top: tuple[Box, ...]
    bottom: tuple[Box, ...]
    pixel_height_ref: float = 480.0

    def node_font(self, chars: int) -> float | None:
        """``font_size`` for ``chars`` characters inside a node, ``None`` if unreadable at 480p."""
        font = self.cell_font(self.node, chars)
        min_glyph = MIN_GLYPH_PX_480P * self.frame_height / self.pixel_height_ref
        return font if font * DIGIT_HEIGHT >= min_glyph else None

    def cell_font(self, side: float, chars: int) -> float:
        """``font_size`` fitting ``chars`` characters in a square (or circle) of ``side``, at
        most the caption size."""
        return min(0.6 * side / DIGIT_HEIGHT, 0.78 * side / (max(1, chars) * CHAR_WIDTH),
                   self.caption_font)

    @property
    def edge_width(self) -> float:
        """Stroke width of an edge: thinner as nodes shrink (dense graphs stay legible)."""
        return float(np.clip(9.0 * self.node * 8.0 / self.frame_height, 0.8, 3.5))

    @property
    def tip(self) -> float:
        """Length of an edge's arrow tip."""
        return float(min(0.025 * self.frame_height, 0.45 * self.node))

    def boxes(self) -> list[Box]:
        """Every box (captions, grids, group labels, text rows)."""
        out: list[Box] = list(self.top) + list(self.bottom)
        for r in self.rows:
            out += [r.caption, *r.groups] + ([r.grid.box] if r.grid else [])
        if self.legend:
            out += [self.legend.box, self.legend.caption]
        return out


def plan_node_rows(
    top_groups: Sequence[int],
    bottom_groups: Sequence[int],
    *,
    frame_width: float,
    frame_height: float,
    top_grid: Sequence[int] | None = None,
    bottom_grid: Sequence[int] | None = None,
    legend: Sequence[int] | None = None,
    top_rows: int = 1,
    bottom_rows: int = 2,
) -> NodeRowsLayout:
    """Place two rows of nodes (top and bottom) between a left and a right column.

    Parameters
    ----------
    top_groups, bottom_groups
        Sizes of the node groups of each row, left to right (one group in 1D, one per grid row
        in 2D); groups are separated by a small gap and get a label box.
    top_grid, bottom_grid
        Shapes of optional small grids drawn beside each row (left column, under the row's
        caption).
    legend
        Shape of an optional legend grid (right column, with a caption above).
    top_rows, bottom_rows
        Full-width text rows above and below.

    Raises
    ------
    ValueError
        If a row is empty or the frame is too small.
    """
    if not top_groups or not bottom_groups or min(*top_groups, *bottom_groups) < 1:
        raise ValueError("top_groups and bottom_groups must be non-empty lists of sizes >= 1")
    f = _frame(frame_width, frame_height, top_rows, bottom_rows)
    H, W, margin, gap, cap_h = f.height, f.width, f.margin, f.gap, f.cap_h
    band_top, band_bottom = f.band_top, f.band_bottom
    band_mid = (band_top + band_bottom) / 2
    half_h = (band_top - band_bottom - gap) / 2
    left_w = _LEFT_FRACTION * W
    right_w = _RIGHT_FRACTION * W if legend is not None else 0.0
    mid_left = -W / 2 + margin + left_w + gap
    mid_right = W / 2 - margin - (right_w + gap if legend is not None else 0.0)
    mid_w = mid_right - mid_left
    if mid_w <= 0 or half_h <= 0:
        raise ValueError(f"a {W:.2f}x{H:.2f} frame is too small for two rows of nodes")

    def units(groups: Sequence[int]) -> float:
        return sum(groups) + _GROUP_GAP * (len(groups) - 1)

    pitch = min(mid_w / units(top_groups), mid_w / units(bottom_groups), _MAX_PITCH_FRACTION * H)
    node = min(_NODE_FRACTION * pitch, _MAX_NODE_FRACTION * H)
    max_cell = _MAX_CELL_FRACTION * H

    grids = [g for g in (top_grid, bottom_grid) if g is not None]
    loc_cell = max_cell
    for g in grids:
        r, c = grid_rows_cols(g)
        loc_cell = min(loc_cell, left_w / c, (half_h - cap_h) / r)
    left_x = -W / 2 + margin + left_w / 2
    mid_x = (mid_left + mid_right) / 2

    def row(groups: Sequence[int], grid: Sequence[int] | None, is_top: bool) -> NodeRow:
        labelled = len(groups) > 1
        if is_top:
            y = band_top - (cap_h if labelled else 0.0) - node / 2
        else:
            y = band_bottom + (cap_h if labelled else 0.0) + node / 2
        xs: list[float] = []
        boxes: list[Box] = []
        x = mid_x - units(groups) * pitch / 2
        for n in groups:
            xs.extend(x + (i + 0.5) * pitch for i in range(n))
            label_y = y + (node / 2 + cap_h / 2) * (1 if is_top else -1)
            boxes.append(Box(x + n * pitch / 2, label_y, n * pitch, cap_h))
            x += (n + _GROUP_GAP) * pitch
        slot = None
        if grid is None:
            cap = Box(left_x, y, left_w, cap_h)
        else:
            r, c = grid_rows_cols(grid)
            block = cap_h + r * loc_cell
            lo, hi = (band_mid + gap / 2, band_top) if is_top else (band_bottom, band_mid - gap / 2)
            top = min(hi, max(lo + block, y + block / 2))
            cap = Box(left_x, top - cap_h / 2, left_w, cap_h)
            box = Box(left_x, top - cap_h - r * loc_cell / 2, c * loc_cell, r * loc_cell)
            slot = GridSlot(tuple(int(v) for v in grid), r, c, loc_cell, box, cap)
        return NodeRow(y, tuple(xs), tuple(boxes) if labelled else (), cap, slot)

    rows = (row(top_groups, top_grid, True), row(bottom_groups, bottom_grid, False))
    legend_slot = None
    if legend is not None:
        r, c = grid_rows_cols(legend)
        cell = min(max_cell, right_w / c, (0.6 * (band_top - band_bottom) - cap_h) / r)
        lx = W / 2 - margin - right_w / 2
        block = cap_h + r * cell
        cap = Box(lx, band_mid + block / 2 - cap_h / 2, right_w, cap_h)
        box = Box(lx, band_mid + block / 2 - cap_h - r * cell / 2, c * cell, r * cell)
        legend_slot = GridSlot(tuple(int(v) for v in legend), r, c, cell, box, cap)
    return NodeRowsLayout(W, H, node, pitch, rows, legend_slot, f.caption_font, f.text_font,
                          f.top, f.bottom)


# ---------------------------------------------------------------------------------------------
# The matrix view (A2): side grids plus a matrix, a vector and a product vector between them.


@dataclass(frozen=True, slots=True)
class MatrixLayout(_GridPlan):
    """A plan for the matrix view: ``left`` grids │ ``C`` · ``x`` = ``y`` │ ``right`` grids.

    Attributes
    ----------
    frame_width, frame_height, cell, numeric, value_font, caption_font, text_font
        As in :class:`Layout`, for the side grids (input, kernel, output).
    left, right : tuple of GridSlot
        The side grids, stacked top to bottom, in the order given.
    matrix : GridSlot
        The matrix ``C`` (``rows`` × ``cols`` square cells of side ``matrix.cell``).
    pre : GridSlot or None
        Where a matrix of the transposed shape is drawn first (before it is transposed into
        ``matrix``): the whole centre region is free then.
    x_vec, y_vec : GridSlot
        The column vector ``x`` (``cols`` cells, its own cell side) and ``y`` (``rows`` cells of the
        matrix's side, aligned with the matrix rows).
    dot, equals : Box
        The ``·`` between ``C`` and ``x`` and the ``=`` between ``x`` and ``y``.
    full : bool
        Whether every entry of the matrix is readable (else: compact, colours only).
    entry_font : float
        ``font_size`` of a matrix entry (meaningful when ``full``).
    top, bottom : tuple of Box
        Full-width text rows.
    """

    left: tuple[GridSlot, ...]
    right: tuple[GridSlot, ...]
    matrix: GridSlot
    pre: GridSlot | None
    x_vec: GridSlot
    y_vec: GridSlot
    dot: Box
    equals: Box
    full: bool
    entry_font: float
    top: tuple[Box, ...]
    bottom: tuple[Box, ...]
    pixel_height_ref: float = 480.0

    def readable_font(self, cell: float, chars: int) -> float | None:
        """``font_size`` for numbers of ``chars`` characters in a cell; ``None`` if unreadable."""
        font = _fit_font(cell, chars, self.frame_height)
        return font if _readable(font, self.frame_height, self.pixel_height_ref) else None

    def boxes(self) -> list[Box]:
        """Every box of the plan (grids, captions, symbols, rows)."""
        slots = [*self.left, *self.right, self.matrix, self.x_vec, self.y_vec]
        if self.pre is not None:
            slots.append(self.pre)
        out = [s.box for s in slots] + [s.caption for s in slots]
        return out + [self.dot, self.equals, *self.top, *self.bottom]


_MATRIX_CAPTION_CHARS = 10  # a side column of the matrix view is at least this many chars wide


def plan_matrix(
    left: Sequence[Sequence[int]],
    right: Sequence[Sequence[int]],
    matrix_shape: tuple[int, int],
    *,
    frame_width: float,
    frame_height: float,
    pre_shape: tuple[int, int] | None = None,
    top_rows: int = 1,
    bottom_rows: int = 2,
    numeric: bool = True,
    chars: int = 2,
    entry_chars: float = 2.0,
    side_share: float = 0.3,
    pixel_height_ref: float = 480.0,
) -> MatrixLayout:
    """Place side grids, a ``rows × cols`` matrix, its vector ``x`` and the product ``y``.

    Parameters
    ----------
    left, right
        Grid shapes stacked in the left and right columns (each with a caption row above).
    matrix_shape
        ``(rows, cols)`` of ``C``; ``x`` has ``cols`` cells and ``y`` has ``rows``.
    pre_shape
        Optional shape of a matrix drawn first in the centre region (the transposed one).
    top_rows, bottom_rows, numeric, chars, pixel_height_ref
        As in :func:`plan`.
    entry_chars
        Characters of the widest matrix entry (a name such as ``w₀₀`` counts about 2).
    side_share
        Largest fraction of the usable width the side grids may take.

    Raises
    ------
    ValueError
        If the matrix cannot fit at all.
    """
    f = _frame(frame_width, frame_height, top_rows, bottom_rows)
    H, W, margin, gap, cap_h = f.height, f.width, f.margin, f.gap, f.cap_h
    band_h, mid = f.band_top - f.band_bottom, (f.band_top + f.band_bottom) / 2
    avail_w = W - 2 * margin
    cap_w = _MATRIX_CAPTION_CHARS * TEXT_CHAR_WIDTH * f.caption_font  # side captions get fitted
    sides = [[grid_rows_cols(s) for s in col] for col in (left, right)]

    # Side grids: one cell size, fitting the band and at most ``side_share`` of the width.
    cell = _MAX_CELL_FRACTION * H
    for col in sides:
        if col:
            fixed = len(col) * cap_h + (len(col) - 1) * gap
            cell = min(cell, (band_h - fixed) / sum(r for r, _ in col))
    cell_h = cell
    side_cells = sum(max(c for _, c in col) for col in sides if col)
    if side_cells:
        cell = min(cell, side_share * avail_w / side_cells)
    side_w = [max(max(c for _, c in col) * cell, cap_w) if col else 0.0 for col in sides]
    n_gaps = sum(1 for col in sides if col)
    centre_w = avail_w - sum(side_w) - n_gaps * gap
    sym = gap

    # The matrix: square cells, its rows also the rows of y; x gets its own (smaller) cells.
    R, C = (int(v) for v in matrix_shape)
    body_h = band_h - cap_h
    m = min(0.7 * _MAX_CELL_FRACTION * H, body_h / R, (centre_w - 2 * sym) / (C + 2))
    mx = min(m, body_h / C)
    pre_m = None
    if pre_shape is not None:
        pr, pc = (int(v) for v in pre_shape)
        pre_m = min(0.7 * _MAX_CELL_FRACTION * H, body_h / pr, centre_w / pc)
    if cell <= 0 or m <= 0 or (pre_m is not None and pre_m <= 0):
        raise ValueError(f"a {R}x{C} matrix with these grids cannot fit a {W:.2f}x{H:.2f} frame")

    # Width the centre block does not need goes back to the side grids (height permitting).
    spare = centre_w - ((C + 2) * m + 2 * sym)
    if pre_m is not None:
        spare = min(spare, centre_w - pre_shape[1] * pre_m)  # type: ignore[index]
    if side_cells and spare > 0:
        grown = min(cell_h, (sum(side_w) + spare - 1e-6) / side_cells)
        if grown > cell:
            cell = grown
            side_w = [max(max(c for _, c in col) * cell, cap_w) if col else 0.0 for col in sides]
            centre_w = avail_w - sum(side_w) - n_gaps * gap
    value_font = _fit_font(cell, chars, H)
    entry_cell = m if pre_m is None else min(m, pre_m)
    entry_font = _fit_font(entry_cell, entry_chars, H)
    full = _readable(entry_font, H, pixel_height_ref)

    # Left to right: left column, centre block, right column; the centre block centred.
    x0 = -W / 2 + margin
    slots_lr: list[list[GridSlot]] = []
    for col, shapes, w in zip(sides, (left, right), side_w):
        out: list[GridSlot] = []
        if col:
            col_h = sum(r * cell for r, _ in col) + len(col) * cap_h + (len(col) - 1) * gap
            y = mid + col_h / 2
            cx = (x0 + w / 2) if not slots_lr else (W / 2 - margin - w / 2)
            for (r, c), shape in zip(col, shapes):
                capb = Box(cx, y - cap_h / 2, w, cap_h)
                y -= cap_h
                out.append(GridSlot(tuple(int(v) for v in shape), r, c, cell,
                                    Box(cx, y - r * cell / 2, c * cell, r * cell), capb))
                y -= r * cell + gap
        slots_lr.append(out)
    c_left = x0 + (side_w[0] + gap if sides[0] else 0.0)
    c_mid = c_left + centre_w / 2
    block_w = C * m + sym + mx + sym + m
    x = c_mid - block_w / 2
    ymid = mid - cap_h / 2

    def slot(shape: tuple[int, int], side: float, left_x: float) -> GridSlot:
        r, c = shape
        box = Box(left_x + c * side / 2, ymid, c * side, r * side)
        cw = max(c * side, sym)
        return GridSlot((r, c), r, c, side, box, Box(box.x, box.top + cap_h / 2, cw, cap_h))

    mat = slot((R, C), m, x)
    x += C * m
    dot = Box(x + sym / 2, ymid, sym, min(sym, cap_h))
    x += sym
    xv = slot((C, 1), mx, x)
    x += mx
    eq = Box(x + sym / 2, ymid, sym, min(sym, cap_h))
    x += sym
    yv = slot((R, 1), m, x)
    pre = None
    if pre_shape is not None and pre_m is not None:
        pre = slot(pre_shape, pre_m, c_mid - pre_shape[1] * pre_m / 2)
    return MatrixLayout(
        W, H, cell, bool(numeric and _readable(value_font, H, pixel_height_ref)), value_font,
        f.caption_font, f.text_font, tuple(slots_lr[0]), tuple(slots_lr[1]), mat, pre, xv, yv,
        dot, eq, full, entry_font, f.top, f.bottom, pixel_height_ref,
    )


def plan_matrix_best(
    arrangements: Sequence[tuple[Sequence[Sequence[int]], Sequence[Sequence[int]]]],
    matrix_shape: tuple[int, int],
    **kwargs,
) -> tuple[int, MatrixLayout]:
    """:func:`plan_matrix` for each ``(left, right)`` arrangement of the side grids.

    The first arrangement is kept unless the side grids' numbers are unreadable there and a
    later one makes them readable without shrinking the matrix (e.g. long 1D rows stacked in
    one column instead of two). Returns ``(index, layout)``.
    """
    chars = kwargs.get("chars", 2)
    plans = [plan_matrix(left, right, matrix_shape, **kwargs) for left, right in arrangements]
    if not plans:
        raise ValueError("arrangements is invalid: give at least one (left, right) pair")
    first = plans[0]
    if first.readable_font(first.cell, chars) is not None:
        return 0, first
    for i, lay in enumerate(plans[1:], start=1):
        if (lay.readable_font(lay.cell, chars) is not None
                and lay.matrix.cell >= 0.99 * first.matrix.cell):
            return i, lay
    return 0, first


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


# ---------------------------------------------------------------------------------------------
# Rows of cells with a label on each side (OutputSize's conv → deconv screen).


@dataclass(frozen=True, slots=True)
class LabelledRows:
    """A plan of :func:`plan_labelled_rows`.

    Attributes
    ----------
    layout : Layout
        The rows as grids (``grids[n].caption`` is row ``n``'s left label box), text rows, fonts.
    right : tuple of Box
        Row ``n``'s right label box, in one column after the longest row.
    """

    layout: Layout
    right: tuple[Box, ...]


def plan_labelled_rows(
    lengths: Sequence[int],
    *,
    left_chars: int,
    right_chars: int,
    frame_width: float,
    frame_height: float,
    top_rows: int = 1,
    bottom_rows: int = 0,
    numeric: bool = True,
    chars: int = 2,
    pixel_height_ref: float = 480.0,
) -> LabelledRows:
    """Rows of cells stacked top to bottom, first cells aligned, each with its labels beside it.

    A label column on the left (``left_chars`` characters of caption text, for text aligned
    right against the rows) and one on the right after the longest row (``right_chars``, ``0``
    for none). Unlike :func:`plan` no caption row sits above the grids, so short rows get larger
    cells; long rows get smaller ones (the labels take width). Each row is as high as the larger
    of a cell and a caption row; rows are a gap apart (room for marks under a row).

    Raises
    ------
    ValueError
        If there is nothing to place or the rows cannot fit at all.
    """
    lengths = [int(n) for n in lengths]
    if not lengths or min(lengths) < 1:
        raise ValueError(f"lengths={lengths!r} is invalid: give at least one length >= 1")
    f = _frame(frame_width, frame_height, top_rows, bottom_rows)
    W, H, margin, gap, cap_h = f.width, f.height, f.margin, f.gap, f.cap_h
    per_char = TEXT_CHAR_WIDTH * f.caption_font
    left_w, right_w = left_chars * per_char, right_chars * per_char
    side_gap = gap / 2
    n, longest = len(lengths), max(lengths)
    band_h = f.band_top - f.band_bottom
    avail_w = W - 2 * margin - left_w - side_gap - (side_gap + right_w if right_chars else 0.0)
    cell = min(_MAX_CELL_FRACTION * H, (band_h - (n - 1) * gap) / n, avail_w / longest)
    row_h = max(cell, cap_h)
    if cell <= 0 or n * row_h + (n - 1) * gap > band_h + 1e-9:
        raise ValueError(f"rows of {lengths} cells cannot fit a {W:.2f}x{H:.2f} frame")
    total_w = left_w + side_gap + longest * cell + (side_gap + right_w if right_chars else 0.0)
    x_rows = -total_w / 2 + left_w + side_gap
    y = (f.band_top + f.band_bottom) / 2 + (n * row_h + (n - 1) * gap) / 2
    slots, right = [], []
    for length in lengths:
        yc = y - row_h / 2
        box = Box(x_rows + length * cell / 2, yc, length * cell, cell)
        slots.append(GridSlot((length,), 1, length, cell, box,
                              Box(x_rows - side_gap - left_w / 2, yc, left_w, cap_h)))
        right.append(Box(x_rows + longest * cell + side_gap + right_w / 2, yc, right_w, cap_h))
        y -= row_h + gap
    value_font = _fit_font(cell, chars, H)
    readable = _readable(value_font, H, pixel_height_ref)
    lay = Layout(W, H, cell, bool(numeric and readable), value_font, f.caption_font,
                 f.text_font, tuple(slots), f.top, f.bottom)
    return LabelledRows(lay, tuple(right))
