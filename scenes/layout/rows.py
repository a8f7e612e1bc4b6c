"""Planner for rows of cells with a label on each side (OutputSize's conv → transposed screen)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from scenes.layout.frame import MAX_CELL_FRACTION, frame_bands
from scenes.layout.geometry import TEXT_CHAR_WIDTH, Box, GridSlot
from scenes.layout.grids import Layout, plan
from scenes.layout.legibility import fit_font, readable

__all__ = ["LabelledRows", "plan_labelled_rows", "plan_stacked_1d", "MAX_1D_CELL_FRACTION"]

#: Largest cell of a stacked 1D figure (kernel / input / output rows), fraction of the frame
#: height: 1.25 times the usual cap (75 px at 480p), since three one-cell rows leave room.
MAX_1D_CELL_FRACTION = 1.25 * MAX_CELL_FRACTION


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
    max_cell: float | None = None,
) -> LabelledRows:
    """Rows of cells stacked top to bottom, first cells aligned, each with its labels beside it.

    A label column on the left (``left_chars`` characters of caption text, for text aligned
    right against the rows) and one on the right after the longest row (``right_chars``, ``0``
    for none). Unlike :func:`plan` no caption row sits above the grids, so short rows get larger
    cells; long rows get smaller ones (the labels take width). Each row is as high as the larger
    of a cell and a caption row; rows are a gap apart (room for marks under a row). Cells are
    at most ``max_cell`` (default :data:`MAX_CELL_FRACTION` of the frame height).

    Raises
    ------
    ValueError
        If there is nothing to place or the rows cannot fit at all.
    """
    lengths = [int(n) for n in lengths]
    if not lengths or min(lengths) < 1:
        raise ValueError(f"lengths={lengths!r} is invalid: give at least one length >= 1")
    f = frame_bands(frame_width, frame_height, top_rows, bottom_rows)
    W, H, margin, gap, cap_h = f.width, f.height, f.margin, f.gap, f.cap_h
    per_char = TEXT_CHAR_WIDTH * f.caption_font
    left_w, right_w = left_chars * per_char, right_chars * per_char
    side_gap = gap / 2
    n, longest = len(lengths), max(lengths)
    band_h = f.band_top - f.band_bottom
    avail_w = W - 2 * margin - left_w - side_gap - (side_gap + right_w if right_chars else 0.0)
    cap = MAX_CELL_FRACTION * H if max_cell is None else max_cell
    cell = min(cap, (band_h - (n - 1) * gap) / n, avail_w / longest)
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
    value_font = fit_font(cell, chars, H)
    legible = readable(value_font, H, pixel_height_ref)
    lay = Layout(W, H, cell, bool(numeric and legible), value_font, f.caption_font,
                 f.text_font, tuple(slots), f.top, f.bottom)
    return LabelledRows(lay, tuple(right))


def plan_stacked_1d(
    lengths: Sequence[int],
    *,
    label_chars: int,
    frame_width: float,
    frame_height: float,
    top_rows: int = 1,
    bottom_rows: int = 0,
    numeric: bool = True,
    chars: int = 2,
) -> tuple[bool, Layout]:
    """1D grids stacked top to bottom (e.g. kernel, input, output) as large as the frame allows.

    Two placements: captions in a row above each grid (:func:`~scenes.layout.grids.plan`,
    best for long rows: the full width goes to cells) or labels of ``label_chars`` characters
    beside the rows (:func:`plan_labelled_rows`, no caption rows: short rows get taller cells,
    up to :data:`MAX_1D_CELL_FRACTION` of the frame height). Returns ``(beside, layout)`` for
    the one with larger cells; ``layout.grids[n].caption`` is grid ``n``'s caption box either
    way (beside: left of the row, first cells aligned).

    Raises
    ------
    ValueError
        As :func:`plan` does, when the grids cannot fit at all.
    """
    kw = dict(frame_width=frame_width, frame_height=frame_height, top_rows=top_rows,
              bottom_rows=bottom_rows, numeric=numeric, chars=chars)
    above = plan([[(int(n),) for n in lengths]], **kw)
    try:
        beside = plan_labelled_rows(lengths, left_chars=label_chars, right_chars=0,
                                    max_cell=MAX_1D_CELL_FRACTION * frame_height, **kw).layout
    except ValueError:
        return False, above
    return (True, beside) if beside.cell > above.cell + 1e-9 else (False, above)
