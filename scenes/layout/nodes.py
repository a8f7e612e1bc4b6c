"""Planner for two rows of nodes joined by edges (the connectivity graph, A3)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from scenes.layout.frame import MAX_CELL_FRACTION, frame_bands
from scenes.layout.geometry import CHAR_WIDTH, DIGIT_HEIGHT, Box, GridSlot, grid_rows_cols
from scenes.layout.legibility import MIN_GLYPH_PX_480P

__all__ = ["NodeRow", "NodeRowsLayout", "plan_node_rows"]


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
    f = frame_bands(frame_width, frame_height, top_rows, bottom_rows)
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

    pitch = min(mid_w / _units(top_groups), mid_w / _units(bottom_groups),
                _MAX_PITCH_FRACTION * H)
    node = min(_NODE_FRACTION * pitch, _MAX_NODE_FRACTION * H)
    max_cell = MAX_CELL_FRACTION * H

    grids = [g for g in (top_grid, bottom_grid) if g is not None]
    loc_cell = max_cell
    for g in grids:
        r, c = grid_rows_cols(g)
        loc_cell = min(loc_cell, left_w / c, (half_h - cap_h) / r)
    left_x = -W / 2 + margin + left_w / 2
    mid_x = (mid_left + mid_right) / 2

    geo = _RowGeometry(band_top, band_bottom, band_mid, gap, cap_h, node, pitch, mid_x, left_x,
                       left_w, loc_cell)
    rows = (_node_row(top_groups, top_grid, True, geo),
            _node_row(bottom_groups, bottom_grid, False, geo))
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


class _RowGeometry(NamedTuple):
    """What placing one row of nodes needs from :func:`plan_node_rows`."""

    band_top: float
    band_bottom: float
    band_mid: float
    gap: float
    cap_h: float
    node: float
    pitch: float
    mid_x: float
    left_x: float
    left_w: float
    loc_cell: float


def _units(groups: Sequence[int]) -> float:
    return sum(groups) + _GROUP_GAP * (len(groups) - 1)


def _node_row(groups: Sequence[int], grid: Sequence[int] | None, is_top: bool,
              g: _RowGeometry) -> NodeRow:
    """One row of nodes (top or bottom of the band), its group labels and its side grid."""
    labelled = len(groups) > 1
    if is_top:
        y = g.band_top - (g.cap_h if labelled else 0.0) - g.node / 2
    else:
        y = g.band_bottom + (g.cap_h if labelled else 0.0) + g.node / 2
    xs: list[float] = []
    boxes: list[Box] = []
    x = g.mid_x - _units(groups) * g.pitch / 2
    for n in groups:
        xs.extend(x + (i + 0.5) * g.pitch for i in range(n))
        label_y = y + (g.node / 2 + g.cap_h / 2) * (1 if is_top else -1)
        boxes.append(Box(x + n * g.pitch / 2, label_y, n * g.pitch, g.cap_h))
        x += (n + _GROUP_GAP) * g.pitch
    slot = None
    if grid is None:
        cap = Box(g.left_x, y, g.left_w, g.cap_h)
    else:
        r, c = grid_rows_cols(grid)
        block = g.cap_h + r * g.loc_cell
        lo, hi = ((g.band_mid + g.gap / 2, g.band_top) if is_top
                  else (g.band_bottom, g.band_mid - g.gap / 2))
        top = min(hi, max(lo + block, y + block / 2))
        cap = Box(g.left_x, top - g.cap_h / 2, g.left_w, g.cap_h)
        box = Box(g.left_x, top - g.cap_h - r * g.loc_cell / 2, c * g.loc_cell, r * g.loc_cell)
        slot = GridSlot(tuple(int(v) for v in grid), r, c, g.loc_cell, box, cap)
    return NodeRow(y, tuple(xs), tuple(boxes) if labelled else (), cap, slot)
