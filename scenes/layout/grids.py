"""Planner for grids in columns with text rows above and below (A1, flip, sizes), and text-only
screens."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass

import numpy as np

from scenes.layout.frame import (
    MARGIN_FRACTION,
    MAX_CELL_FRACTION,
    MIN_TEXT_FONT,
    ROW_SPACING,
    TEXT_FONT,
    GridPlan,
    frame_bands,
    row_height,
)
from scenes.layout.geometry import (
    LINE_HEIGHT,
    TEXT_CHAR_WIDTH,
    Box,
    GridSlot,
    grid_rows_cols,
    row_chars,
)
from scenes.layout.legibility import fit_font, readable

__all__ = ["Layout", "plan", "plan_best", "text_screen"]

_CAPTION_MIN_WIDTH_CHARS = 16  # a column is at least this many caption characters wide



@dataclass(frozen=True, slots=True)
class Layout(GridPlan):
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
        return row_chars(self.bottom, self.frame_width, self.text_font)

    def boxes(self) -> list[Box]:
        """Every box of the plan (grids, captions, rows)."""
        out = [g.box for g in self.grids] + [g.caption for g in self.grids]
        return out + list(self.top) + list(self.bottom)



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
    caption_chars: Sequence[Sequence[int]] | None = None,
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
    caption_chars
        Characters of each grid's longest caption, shaped like ``columns``: a column is made
        as wide as its captions at the caption font (at least
        :data:`_CAPTION_MIN_WIDTH_CHARS`), so a long caption ("entrada 3×3 con ceros
        intercalados") keeps the caption font instead of shrinking. ``None``: the minimum.

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
    room = _rooms(cols_list, set(turning))
    if frame_width <= 0 or frame_height <= 0:
        raise ValueError(f"frame {frame_width}x{frame_height} is invalid: sizes must be > 0")
    f = frame_bands(frame_width, frame_height, top_rows, bottom_rows)
    avail_w = f.width - 2 * f.margin - f.gap * (len(cols_list) - 1)
    cap_w = _caption_widths(cols_list, caption_chars, f.caption_font, avail_w)
    cell = _cell_side(room, f, avail_w, cap_w)
    if cell <= 0:
        raise ValueError(f"these grids {[list(c) for c in columns]} cannot fit a "
                         f"{f.width:.2f}x{f.height:.2f} frame")
    # Numbers: as large as the cell allows, capped; readable if digits are tall enough at 480p.
    value_font = fit_font(cell, chars, f.height)
    slots = _place_columns(columns, cols_list, room, cell, cap_w, f)
    legible = readable(value_font, f.height, pixel_height_ref)
    return Layout(f.width, f.height, cell, bool(numeric and legible), value_font, f.caption_font,
                  f.text_font, tuple(slots), f.top, f.bottom)


def _caption_widths(cols_list: list, caption_chars: Sequence[Sequence[int]] | None,
                    font: float, avail_w: float) -> list[float]:
    """Each column's least width: its longest caption at ``font``, at least
    :data:`_CAPTION_MIN_WIDTH_CHARS` characters; scaled down together when they do not all fit
    (narrow frames: the captions then shrink)."""
    chars = [max([_CAPTION_MIN_WIDTH_CHARS, *(caption_chars[i] if caption_chars else ())])
             for i in range(len(cols_list))]
    # TEXT_CHAR_WIDTH is an average: a long caption with wide letters (m, ×) runs up to
    # a tenth wider, so captions beyond the minimum get that margin.
    widths = [n * TEXT_CHAR_WIDTH * font * (1.0 if n == _CAPTION_MIN_WIDTH_CHARS else 1.1)
              for n in chars]
    least = min(_CAPTION_MIN_WIDTH_CHARS * TEXT_CHAR_WIDTH * font, avail_w / len(widths))
    if all(n == _CAPTION_MIN_WIDTH_CHARS for n in chars):
        return [least] * len(widths)  # short captions: every column the minimum
    room = 0.9 * avail_w  # long captions may take nine tenths of the width, grids shrinking
    total = sum(widths)
    if total > room:  # narrow frames: every caption shrinks alike
        widths = [w * room / total for w in widths]
    return widths


def _rooms(cols_list: list[list[tuple[int, int]]], turning: set[int]
           ) -> list[list[tuple[float, float]]]:
    """Room each grid takes, in cells: (rows, cols), or its diagonal both ways when it turns."""
    room: list[list[tuple[float, float]]] = []
    flat = 0
    for col in cols_list:
        room.append([])
        for r, c in col:
            diag = float(np.hypot(r, c))
            room[-1].append((diag, diag) if flat in turning else (float(r), float(c)))
            flat += 1
    return room


def _cell_side(room: list[list[tuple[float, float]]], f, avail_w: float,
               cap_w: list[float]) -> float:
    """The common cell side: the tightest of every column's height constraint and the width
    constraint (columns narrower than their caption take the caption's width)."""
    max_cell = MAX_CELL_FRACTION * f.height
    band_h = f.band_top - f.band_bottom
    cell = max_cell
    for col in room:
        rows = sum(r for r, _ in col)
        fixed = len(col) * f.cap_h + (len(col) - 1) * f.gap
        cell = min(cell, (band_h - fixed) / rows)
    widest = [max(c for _, c in col) for col in room]
    fixed_cols: set[int] = set()
    c_w = max_cell
    for _ in range(len(room) + 1):
        free = sum(w for i, w in enumerate(widest) if i not in fixed_cols)
        rest = avail_w - sum(cap_w[i] for i in fixed_cols)
        c_w = rest / free if free else max_cell
        new_fixed = {i for i, w in enumerate(widest) if w * min(cell, c_w) < cap_w[i]}
        if new_fixed == fixed_cols:
            break
        fixed_cols = new_fixed
    return min(cell, c_w)


def _place_columns(columns, cols_list, room, cell: float, cap_w: list[float], f
                   ) -> list[GridSlot]:
    """Columns left to right, centred; each column's grids stacked and centred vertically,
    each grid centred in its room under its caption."""
    widest = [max(c for _, c in col) for col in room]
    col_w = [max(w * cell, cw) for w, cw in zip(widest, cap_w)]
    x = -(sum(col_w) + f.gap * (len(cols_list) - 1)) / 2
    slots: list[GridSlot] = []
    for col, col_room, cw, shapes in zip(cols_list, room, col_w, columns):
        col_h = (sum(r * cell for r, _ in col_room) + len(col) * f.cap_h
                 + (len(col) - 1) * f.gap)
        y = (f.band_top + f.band_bottom) / 2 + col_h / 2
        cx = x + cw / 2
        for (r, c), (room_r, _), shape in zip(col, col_room, shapes):
            cap = Box(cx, y - f.cap_h / 2, cw, f.cap_h)
            y -= f.cap_h
            box = Box(cx, y - room_r * cell / 2, c * cell, r * cell)
            y -= room_r * cell + f.gap
            slots.append(GridSlot(tuple(int(v) for v in shape), r, c, cell, box, cap))
        x += cw + f.gap
    return slots


def plan_best(arrangements: Sequence[Sequence[Sequence[Sequence[int]]]], *,
              turnings: Sequence[Collection[int]] | None = None,
              captions: Sequence[Sequence[Sequence[int]]] | None = None,
              **kwargs) -> tuple[int, Layout]:
    """Plan each arrangement (a ``columns`` argument of :func:`plan`); keep the largest cells.

    ``turnings`` gives each arrangement its own ``turning`` grids (the same grid sits at another
    index in another arrangement), ``captions`` its own ``caption_chars``. Returns
    ``(index, layout)`` of the winner (the first one on ties).
    """
    best: tuple[int, Layout] | None = None
    for i, columns in enumerate(arrangements):
        extra = {} if turnings is None else {"turning": turnings[i]}
        if captions is not None:
            extra["caption_chars"] = captions[i]
        lay = plan(columns, **kwargs, **extra)
        if best is None or lay.cell > best[1].cell + 1e-9:
            best = (i, lay)
    if best is None:
        raise ValueError("arrangements is invalid: give at least one arrangement")
    return best


def text_screen(n_rows: int, *, frame_width: float, frame_height: float,
                top_rows: int = 1) -> Layout:
    """A screen of text only: ``top_rows`` rows at the top, ``n_rows`` centred in the frame.

    Returns a :class:`Layout` without grids (``bottom`` holds the centred rows).
    """
    H, W = float(frame_height), float(frame_width)
    margin = MARGIN_FRACTION * H
    scale = H / 8.0
    font = TEXT_FONT * scale
    total = top_rows + n_rows
    font = min(font, 0.8 * (H - 2 * margin) / max(1, total) / (LINE_HEIGHT * ROW_SPACING))
    font = max(font, MIN_TEXT_FONT * scale)  # never below the legibility floor
    row_h = row_height(font)
    row_w = W - 2 * margin
    top = tuple(Box(0.0, H / 2 - margin - (i + 0.5) * row_h, row_w, row_h)
                for i in range(top_rows))
    y0 = min(n_rows * row_h / 2, H / 2 - margin - (top_rows + 0.5) * row_h)  # below the top
    body = tuple(Box(0.0, y0 - (i + 0.5) * row_h, row_w, row_h) for i in range(n_rows))
    return Layout(W, H, 0.0, False, 0.0, font, font, (), top, body)
