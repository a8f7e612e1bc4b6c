"""Planners of a layer stack, one level above the other, a label column on the left, text rows
above and below.

* 1D (:func:`plan_stack_rows`): one row of cells per level, cells placed at their receptive
  field's centre in input coordinates (so a jump of 2 leaves a cell's width between neighbours).
* 2D (:func:`plan_tilted_levels`): each level's grid drawn in perspective, as a floor tilted
  away from the reader (:data:`TILT`: rows squashed, each row shifted right as it recedes), the
  input at the bottom, so one output's field reads as a pyramid down the stack.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from scenes.layout.frame import MAX_CELL_FRACTION, frame_bands
from scenes.layout.geometry import TEXT_CHAR_WIDTH, Box

__all__ = ["StackRows", "plan_stack_rows", "TiltedLevels", "plan_tilted_levels", "TILT"]

#: The perspective of a 2D level, as a 2×2 matrix on (x, y) about the grid's centre: a cell
#: keeps its width, its height is squashed to :data:`TILT_SQUASH` and each row recedes to the
#: right by :data:`TILT_SHEAR` of its height.
TILT_SQUASH, TILT_SHEAR = 0.42, 0.55
TILT = ((1.0, TILT_SHEAR), (0.0, TILT_SQUASH))

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


def _label_column(f: Any, label_chars: int) -> tuple[float, float, float, float]:
    """The label column of a stack plan: its width and centre ``x``, and the ``left`` and
    ``right`` edges of what is right of it."""
    label_w = min(_LABEL_FRACTION * f.width, label_chars * TEXT_CHAR_WIDTH * f.caption_font * 0.8)
    label_x = -f.width / 2 + f.margin + label_w / 2
    return label_w, label_x, -f.width / 2 + f.margin + label_w + f.gap / 2, f.width / 2 - f.margin


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
    label_w, label_x, left, right = _label_column(f, label_chars)
    span = extent[1] - extent[0] + 1.0
    band_h = f.band_top - f.band_bottom
    cell = min(MAX_CELL_FRACTION * f.height, (right - left) / span,
               band_h / (2 * levels - 1))
    used = 2 * levels - 1
    y0 = (f.band_top + f.band_bottom) / 2 - (used * cell) / 2 + cell / 2
    rows_y = tuple(y0 + 2 * cell * n for n in range(levels))
    mid = (left + right) / 2
    origin = mid - (extent[0] + extent[1]) / 2 * cell
    labels = tuple(Box(label_x, y, label_w, min(cell * 1.4, f.row_h)) for y in rows_y)
    label_font = min(f.caption_font, f.text_font)
    return StackRows(cell, origin, rows_y, labels, f.top, f.bottom, f.text_font, label_font,
                     f.width, f.height)


def extent_of(positions: Sequence[float]) -> tuple[float, float]:
    """``(min, max)`` of cell positions."""
    return (min(positions), max(positions))


@dataclass(frozen=True, slots=True)
class TiltedLevels:
    """Where each 2D level's tilted grid goes (see :func:`plan_tilted_levels`).

    Attributes
    ----------
    cell : float
        Side of a cell before the tilt (frame units).
    centers : tuple of (float, float)
        Centre of each level's grid, bottom level (the input) first.
    labels : tuple of Box
        The label box left of each level, same order.
    top, bottom : tuple of Box
        Full-width text rows above and below.
    text_font, label_font : float
        Fonts of the text rows and of the labels.
    """

    cell: float
    centers: tuple[tuple[float, float], ...]
    labels: tuple[Box, ...]
    top: tuple[Box, ...]
    bottom: tuple[Box, ...]
    text_font: float
    label_font: float
    frame_width: float
    frame_height: float

    def project(self, level: int, point: Sequence[float]) -> tuple[float, float]:
        """The frame point where the untilted grid's ``point`` (x, y) of ``level`` is drawn."""
        cx, cy = self.centers[level]
        dx, dy = point[0] - cx, point[1] - cy
        return (cx + TILT[0][0] * dx + TILT[0][1] * dy, cy + TILT[1][0] * dx + TILT[1][1] * dy)


def plan_tilted_levels(shapes: Sequence[tuple[int, int]], *, frame_width: float,
                       frame_height: float, top_rows: int = 1, bottom_rows: int = 2,
                       label_chars: int = 24) -> TiltedLevels:
    """Plan 2D levels of ``shapes`` (rows, cols), bottom (the input) first, one above the other.

    A level of ``r × c`` cells of side ``a`` is drawn ``TILT_SQUASH·r·a`` high and
    ``(c + TILT_SHEAR·r)·a`` wide; levels are a gap of ``0.6·a`` apart (room for the field's
    edges between them). The cell is the largest that fits the band's height, the width right
    of the label column and :data:`MAX_CELL_FRACTION`.

    Raises
    ------
    ValueError
        If ``shapes`` is empty or not 2D.
    """
    if not shapes or any(len(sh) != 2 or min(sh) < 1 for sh in shapes):
        raise ValueError(f"shapes={list(shapes)!r} is invalid: give 2D shapes, at least one")
    f = frame_bands(frame_width, frame_height, top_rows, bottom_rows)
    label_w, label_x, left, right = _label_column(f, label_chars)
    band_h = f.band_top - f.band_bottom
    gap = 0.6
    heights = sum(TILT_SQUASH * r for r, _ in shapes) + gap * (len(shapes) - 1)
    widest = max(c + TILT_SHEAR * r for r, c in shapes)
    cell = min(MAX_CELL_FRACTION * f.height, band_h / heights, (right - left) / widest)
    y = (f.band_top + f.band_bottom) / 2 - heights * cell / 2
    centers, labels = [], []
    label_font = min(f.caption_font, f.text_font)
    for r, _ in shapes:
        h = TILT_SQUASH * r * cell
        centers.append(((left + right) / 2, y + h / 2))
        labels.append(Box(label_x, y + h / 2, label_w, min(max(h, cell), f.row_h)))
        y += h + gap * cell
    return TiltedLevels(cell, tuple(centers), tuple(labels), f.top, f.bottom, f.text_font,
                        label_font, f.width, f.height)
