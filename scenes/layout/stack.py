"""Planner of a 1D layer stack: one row of cells per level, one above the other, cells placed at
their receptive field's centre in input coordinates (so a jump of 2 leaves a cell's width
between neighbours), a label column on the left, text rows above and below.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from scenes.layout.frame import MAX_CELL_FRACTION, frame_bands
from scenes.layout.geometry import TEXT_CHAR_WIDTH, Box

__all__ = ["StackRows", "plan_stack_rows"]

_LABEL_FRACTION = 0.26  # label column, fraction of the frame width


@dataclass(frozen=True, slots=True)
class StackRows:
    """Where each level's row goes.

    Attributes
    ----------
    cell : float
        Side of a cell (frame units).
    origin : float
        Frame ``x`` of input coordinate 0 (a cell at input position ``u`` is centred at
        ``origin + u·cell``).
    rows_y : tuple of float
        Centre ``y`` of each level's row, bottom level (the input) first.
    labels : tuple of Box
        The label box left of each row, same order.
    top, bottom : tuple of Box
        Full-width text rows above and below.
    text_font, label_font : float
        Fonts of the text rows and of the labels.
    """

    cell: float
    origin: float
    rows_y: tuple[float, ...]
    labels: tuple[Box, ...]
    top: tuple[Box, ...]
    bottom: tuple[Box, ...]
    text_font: float
    label_font: float
    frame_width: float
    frame_height: float

    def x(self, position: float) -> float:
        """Frame ``x`` of input coordinate ``position``."""
        return self.origin + position * self.cell


def plan_stack_rows(levels: int, extent: tuple[float, float], *, frame_width: float,
                    frame_height: float, top_rows: int = 1, bottom_rows: int = 2,
                    label_chars: int = 24) -> StackRows:
    """Plan ``levels`` rows spanning input coordinates ``extent = (lowest, highest)`` (cell
    centres, padding positions included).

    Rows are ``2·cell`` apart (room for the lines between them); the cell is the largest that
    fits the band height, the width right of the label column and :data:`MAX_CELL_FRACTION`.

    Raises
    ------
    ValueError
        If ``levels < 1`` or the extent is empty.
    """
    if levels < 1 or extent[1] < extent[0]:
        raise ValueError(f"levels={levels}, extent={extent} is invalid: nothing to place")
    f = frame_bands(frame_width, frame_height, top_rows, bottom_rows)
    label_w = min(_LABEL_FRACTION * f.width,
                  label_chars * TEXT_CHAR_WIDTH * f.caption_font * 0.8)
    left = -f.width / 2 + f.margin + label_w + f.gap / 2
    right = f.width / 2 - f.margin
    span = extent[1] - extent[0] + 1.0
    band_h = f.band_top - f.band_bottom
    cell = min(MAX_CELL_FRACTION * f.height, (right - left) / span,
               band_h / (2 * levels - 1))
    used = 2 * levels - 1
    y0 = (f.band_top + f.band_bottom) / 2 - (used * cell) / 2 + cell / 2
    rows_y = tuple(y0 + 2 * cell * n for n in range(levels))
    mid = (left + right) / 2
    origin = mid - (extent[0] + extent[1]) / 2 * cell
    label_x = -f.width / 2 + f.margin + label_w / 2
    labels = tuple(Box(label_x, y, label_w, min(cell * 1.4, f.row_h)) for y in rows_y)
    label_font = min(f.caption_font, f.text_font)
    return StackRows(cell, origin, rows_y, labels, f.top, f.bottom, f.text_font, label_font,
                     f.width, f.height)


def extent_of(positions: Sequence[float]) -> tuple[float, float]:
    """``(min, max)`` of cell positions."""
    return (min(positions), max(positions))
