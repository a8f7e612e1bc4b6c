"""Planner for stacks of grids (channels) side by side, with text rows above and below.

A stack is ``depth`` grids of one shape: the channels of an input, the kernels of one filter or
the channels of an output. It is drawn either in perspective (each layer further back shifted up
and to the right, the front layer whole) or as a column of separate grids. Every box returned lies
inside the frame; columns never overlap.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass

from scenes.layout.frame import MAX_CELL_FRACTION, GridPlan, frame_bands
from scenes.layout.geometry import TEXT_CHAR_WIDTH, Box, grid_rows_cols, row_chars
from scenes.layout.legibility import fit_font, readable

__all__ = ["StackSlot", "StackLayout", "plan_stacks", "layer_offset_cells"]

#: Gap between the grids of a column stack, in cells.
COLUMN_GAP_CELLS = 0.5
#: A stack's column is at least this many caption characters wide.
CAPTION_MIN_CHARS = 20


def layer_offset_cells(rows: int, cols: int, depth: int) -> float:
    """How far (in cells, both up and right) each layer of a perspective stack sits behind the
    one in front: a quarter of the grid, less for deep stacks (the whole stack stays within
    about twice the grid)."""
    if depth <= 1:
        return 0.0
    return max(rows, cols) * min(0.25, 0.9 / (depth - 1))


@dataclass(frozen=True, slots=True)
class StackSlot:
    """Where one stack goes.

    Attributes
    ----------
    shape : tuple of int
        The shape of each layer.
    depth : int
        Number of layers.
    perspective : bool
        ``True``: layers behind one another; ``False``: a column of separate grids.
    centers : tuple of (float, float)
        The centre of each layer (layer 0 in front / on top).
    box : Box
        The bounding box of every layer.
    caption : Box
        The caption row above the stack.
    """

    shape: tuple[int, ...]
    depth: int
    perspective: bool
    centers: tuple[tuple[float, float], ...]
    box: Box
    caption: Box


@dataclass(frozen=True, slots=True)
class StackLayout(GridPlan):
    """A plan of stacks in columns and text rows (see :func:`plan_stacks`)."""

    stacks: tuple[StackSlot, ...]
    top: tuple[Box, ...]
    bottom: tuple[Box, ...]

    @property
    def row_chars(self) -> int:
        """About how many characters of ``text_font`` fit in one full-width text row."""
        return row_chars(self.bottom, self.frame_width, self.text_font)

    def boxes(self) -> list[Box]:
        """Every box of the plan (stacks, captions, rows)."""
        return ([s.box for s in self.stacks] + [s.caption for s in self.stacks] + list(self.top)
                + list(self.bottom))


def _extent(rows: int, cols: int, depth: int, perspective: bool) -> tuple[float, float]:
    """``(height, width)`` of a stack, in cells."""
    if perspective:
        off = layer_offset_cells(rows, cols, depth) * (depth - 1)
        return rows + off, cols + off
    return depth * rows + (depth - 1) * COLUMN_GAP_CELLS, float(cols)


def plan_stacks(
    stacks: Sequence[tuple[int, Sequence[int]]],
    *,
    frame_width: float,
    frame_height: float,
    top_rows: int = 1,
    bottom_rows: int = 2,
    numeric: bool = True,
    chars: int = 2,
    columns: Collection[int] = (),
    pixel_height_ref: float = 480.0,
) -> StackLayout:
    """Size and place ``stacks`` (``(depth, shape)`` each, left to right) to fit the frame.

    ``columns`` lists the stacks drawn as a column of separate grids instead of in perspective.
    One cell side for every stack; numbers are readable when their digits are at least
    :data:`scenes.layout.MIN_GLYPH_PX_480P` high at 480p.

    Raises
    ------
    ValueError
        If there is nothing to place or the stacks cannot fit at all.
    """
    if not stacks:
        raise ValueError("stacks is invalid: give at least one (depth, shape)")
    f = frame_bands(frame_width, frame_height, top_rows, bottom_rows)
    H, W = f.height, f.width
    shapes = [grid_rows_cols(tuple(shape)) for _, shape in stacks]
    persp = [i not in set(columns) for i in range(len(stacks))]
    ext = [_extent(r, c, d, p) for (r, c), (d, _), p in zip(shapes, stacks, persp)]
    band_h = f.band_top - f.band_bottom - f.cap_h
    avail_w = W - 2 * f.margin - f.gap * (len(stacks) - 1)
    cap_min = min(CAPTION_MIN_CHARS * TEXT_CHAR_WIDTH * f.caption_font, avail_w / len(stacks))
    fixed: set[int] = set()
    for _ in range(len(stacks) + 1):  # stacks narrower than their caption take cap_min
        free = sum(w for i, (_, w) in enumerate(ext) if i not in fixed)
        cell = min(MAX_CELL_FRACTION * H, band_h / max(h for h, _ in ext),
                   (avail_w - cap_min * len(fixed)) / free if free else MAX_CELL_FRACTION * H)
        now = {i for i, (_, w) in enumerate(ext) if w * cell < cap_min}
        if now == fixed:
            break
        fixed = now
    if cell <= 0:
        raise ValueError(f"these stacks {list(stacks)} cannot fit a {W:.2f}x{H:.2f} frame")
    widths = [max(w * cell, cap_min) for _, w in ext]
    x = -(sum(widths) + f.gap * (len(stacks) - 1)) / 2
    mid = (f.band_top + f.band_bottom - f.cap_h) / 2
    slots = []
    for (r, c), (d, shape), p, (eh, ew), width in zip(shapes, stacks, persp, ext, widths):
        box = Box(x + width / 2, mid, ew * cell, eh * cell)
        left, bottom, top = box.left, box.bottom, box.top
        if p:
            off = layer_offset_cells(r, c, d) * cell
            centers = tuple((left + c * cell / 2 + k * off, bottom + r * cell / 2 + k * off)
                            for k in range(d))
        else:
            step = (r + COLUMN_GAP_CELLS) * cell
            centers = tuple((box.center[0], top - r * cell / 2 - k * step) for k in range(d))
        caption = Box(box.center[0], top + f.cap_h / 2, width, f.cap_h)
        slots.append(StackSlot(tuple(int(v) for v in shape), int(d), p, centers, box, caption))
        x += width + f.gap
    value_font = fit_font(cell, chars, H)
    legible = readable(value_font, H, pixel_height_ref)
    return StackLayout(W, H, cell, bool(numeric and legible), value_font, f.caption_font,
                       f.text_font, tuple(slots), f.top, f.bottom)


@dataclass(frozen=True, slots=True)
class BlockColumns:
    """Columns of channel blocks (one small square per channel) with a caption above each and
    text rows above and below (see :func:`plan_block_columns`)."""

    frame_width: float
    frame_height: float
    side: float
    text_font: float
    caption_font: float
    centers: tuple[tuple[tuple[float, float], ...], ...]
    captions: tuple[Box, ...]
    top: tuple[Box, ...]
    bottom: tuple[Box, ...]

    def boxes(self) -> list[Box]:
        """Every caption and text row."""
        return list(self.captions) + list(self.top) + list(self.bottom)


def plan_block_columns(counts: Sequence[int], *, frame_width: float, frame_height: float,
                       top_rows: int = 1, bottom_rows: int = 2) -> BlockColumns:
    """``len(counts)`` columns of ``counts[i]`` square blocks each, spread across the frame
    (gaps between columns hold the lines joining them); blocks at most 1/10 of the height.

    Raises
    ------
    ValueError
        If ``counts`` is empty or holds a count < 1.
    """
    if not counts or min(counts) < 1:
        raise ValueError(f"counts={list(counts)} is invalid: give columns of at least one block")
    f = frame_bands(frame_width, frame_height, top_rows, bottom_rows)
    band_h = f.band_top - f.band_bottom - f.cap_h
    side = min(f.height / 10, band_h / (max(counts) * 1.4 + 0.1))
    usable = f.width - 2 * f.margin
    col_w = usable / len(counts)
    mid = (f.band_top + f.band_bottom - f.cap_h) / 2
    centers, captions = [], []
    for i, n in enumerate(counts):
        x = -usable / 2 + (i + 0.5) * col_w
        step = side * 1.4
        y0 = mid + (n - 1) * step / 2
        centers.append(tuple((x, y0 - k * step) for k in range(n)))
        top = y0 + side / 2
        captions.append(Box(x, top + f.cap_h / 2 + 0.1 * side, col_w * 0.96, f.cap_h))
    return BlockColumns(f.width, f.height, side, f.text_font, f.caption_font, tuple(centers),
                        tuple(captions), f.top, f.bottom)
