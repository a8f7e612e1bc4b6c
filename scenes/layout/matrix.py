"""Planner for the matrix view (A2): side grids plus a matrix, a vector and a product vector."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from scenes.layout.frame import MAX_CELL_FRACTION, GridPlan, frame_bands
from scenes.layout.geometry import TEXT_CHAR_WIDTH, Box, GridSlot, grid_rows_cols
from scenes.layout.legibility import fit_font, readable

__all__ = ["MatrixLayout", "plan_matrix", "plan_matrix_best"]


@dataclass(frozen=True, slots=True)
class MatrixLayout(GridPlan):
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
        font = fit_font(cell, chars, self.frame_height)
        return font if readable(font, self.frame_height, self.pixel_height_ref) else None

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
    f = frame_bands(frame_width, frame_height, top_rows, bottom_rows)
    H, W, margin, gap, cap_h = f.height, f.width, f.margin, f.gap, f.cap_h
    band_h, mid = f.band_top - f.band_bottom, (f.band_top + f.band_bottom) / 2
    avail_w = W - 2 * margin
    cap_w = _MATRIX_CAPTION_CHARS * TEXT_CHAR_WIDTH * f.caption_font  # side captions get fitted
    sides = [[grid_rows_cols(s) for s in col] for col in (left, right)]

    # Side grids: one cell size, fitting the band and at most ``side_share`` of the width.
    cell, cell_h, side_cells = _side_cell(sides, f, side_share * avail_w)
    side_w = [max(max(c for _, c in col) * cell, cap_w) if col else 0.0 for col in sides]
    n_gaps = sum(1 for col in sides if col)
    centre_w = avail_w - sum(side_w) - n_gaps * gap
    sym = gap

    # The matrix: square cells, its rows also the rows of y; x gets its own (smaller) cells.
    R, C = (int(v) for v in matrix_shape)
    m, mx, pre_m = _matrix_cells((R, C), pre_shape, band_h - cap_h, centre_w, sym, H)
    if cell <= 0 or m <= 0 or (pre_m is not None and pre_m <= 0):
        raise ValueError(f"a {R}x{C} matrix with these grids cannot fit a {W:.2f}x{H:.2f} frame")

    # Width the centre block does not need goes back to the side grids (height permitting).
    spare = centre_w - ((C + 2) * m + 2 * sym)
    if pre_m is not None:
        spare = min(spare, centre_w - pre_shape[1] * pre_m)  # type: ignore[index]
    if side_cells and spare > 0 and min(cell_h, (sum(side_w) + spare - 1e-6) / side_cells) > cell:
        cell = min(cell_h, (sum(side_w) + spare - 1e-6) / side_cells)
        side_w = [max(max(c for _, c in col) * cell, cap_w) if col else 0.0 for col in sides]
        centre_w = avail_w - sum(side_w) - n_gaps * gap
    value_font = fit_font(cell, chars, H)
    entry_font = fit_font(m if pre_m is None else min(m, pre_m), entry_chars, H)
    full = readable(entry_font, H, pixel_height_ref)

    # Left to right: left column, centre block, right column; the centre block centred.
    slots_lr = _side_slots(sides, (left, right), side_w, cell, f, mid)
    c_mid = -W / 2 + margin + (side_w[0] + gap if sides[0] else 0.0) + centre_w / 2
    mat, dot, xv, eq, yv, pre = _centre_slots((R, C), m, mx, pre_shape, pre_m, c_mid,
                                              mid - cap_h / 2, sym, cap_h)
    return MatrixLayout(
        W, H, cell, bool(numeric and readable(value_font, H, pixel_height_ref)), value_font,
        f.caption_font, f.text_font, tuple(slots_lr[0]), tuple(slots_lr[1]), mat, pre, xv, yv,
        dot, eq, full, entry_font, f.top, f.bottom, pixel_height_ref,
    )


def _matrix_cells(shape: tuple[int, int], pre_shape, body_h: float, centre_w: float,
                  sym: float, H: float) -> tuple[float, float, float | None]:
    """``(m, mx, pre_m)``: the cells of ``C`` (its rows are y's), of ``x``, and of the matrix
    drawn first (``None`` without one)."""
    R, C = shape
    m = min(0.7 * MAX_CELL_FRACTION * H, body_h / R, (centre_w - 2 * sym) / (C + 2))
    mx = min(m, body_h / C)
    pre_m = None
    if pre_shape is not None:
        pr, pc = (int(v) for v in pre_shape)
        pre_m = min(0.7 * MAX_CELL_FRACTION * H, body_h / pr, centre_w / pc)
    return m, mx, pre_m


def _side_cell(sides, f, max_w: float) -> tuple[float, float, int]:
    """``(cell, cell_h, side_cells)``: the side grids' cell (fitting the band's height and
    ``max_w``), the height-only limit, and the side columns' widest rows in cells."""
    band_h = f.band_top - f.band_bottom
    cell = MAX_CELL_FRACTION * f.height
    for col in sides:
        if col:
            fixed = len(col) * f.cap_h + (len(col) - 1) * f.gap
            cell = min(cell, (band_h - fixed) / sum(r for r, _ in col))
    cell_h = cell
    side_cells = sum(max(c for _, c in col) for col in sides if col)
    if side_cells:
        cell = min(cell, max_w / side_cells)
    return cell, cell_h, side_cells


def _side_slots(sides, shapes_lr, side_w, cell: float, f, mid: float) -> list[list[GridSlot]]:
    """The left and right columns' grids, stacked and centred on ``mid``, captions above."""
    x0 = -f.width / 2 + f.margin
    slots_lr: list[list[GridSlot]] = []
    for col, shapes, w in zip(sides, shapes_lr, side_w):
        out: list[GridSlot] = []
        if col:
            col_h = (sum(r * cell for r, _ in col) + len(col) * f.cap_h
                     + (len(col) - 1) * f.gap)
            y = mid + col_h / 2
            cx = (x0 + w / 2) if not slots_lr else (f.width / 2 - f.margin - w / 2)
            for (r, c), shape in zip(col, shapes):
                capb = Box(cx, y - f.cap_h / 2, w, f.cap_h)
                y -= f.cap_h
                out.append(GridSlot(tuple(int(v) for v in shape), r, c, cell,
                                    Box(cx, y - r * cell / 2, c * cell, r * cell), capb))
                y -= r * cell + f.gap
        slots_lr.append(out)
    return slots_lr


def _centre_slots(shape: tuple[int, int], m: float, mx: float, pre_shape, pre_m, c_mid: float,
                  ymid: float, sym: float, cap_h: float):
    """``C`` · ``x`` = ``y`` centred on ``c_mid`` (and the matrix drawn first, ``pre``):
    ``(mat, dot, x_vec, equals, y_vec, pre)``."""
    R, C = shape

    def slot(shape: tuple[int, int], side: float, left_x: float) -> GridSlot:
        r, c = shape
        box = Box(left_x + c * side / 2, ymid, c * side, r * side)
        cw = max(c * side, sym)
        return GridSlot((r, c), r, c, side, box, Box(box.x, box.top + cap_h / 2, cw, cap_h))

    x = c_mid - (C * m + sym + mx + sym + m) / 2
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
    return mat, dot, xv, eq, yv, pre


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

