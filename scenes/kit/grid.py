"""Grid mobjects built from engine data, and the small shared marks drawn on grids.

A :class:`CellGrid` draws a grid of cells as few mobjects as possible: one filled path per fill
colour, one path for the solid cell outlines, one for the dashed outlines (padding), and — only in
numeric mode — one ``Text`` per cell value. Cells are addressed by their engine index (``(j,)`` in
1D, ``(r, c)`` in 2D, exactly ``Tap.grid_index``); the grid only does layout maths.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from typing import TypeVar

import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UL,
    UP,
    Animation,
    FadeIn,
    Mobject,
    Rectangle,
    Square,
    Text,
    Transform,
    VGroup,
    VMobject,
)
from numpy.typing import ArrayLike

from convmath import INSERTED_ZERO, PADDING_CELL, ConvStep, format_number
from scenes.kit.text import make_text
from scenes.kit.theme import Theme, blend
from scenes.layout import Box, grid_rows_cols

__all__ = ["CellGrid", "drawn_grid", "segments_path", "show_or_move", "Index"]

Index = tuple[int, ...]
M = TypeVar("M", bound=Mobject)


@functools.lru_cache(maxsize=64)
def _square(side: float, color: str, fill_opacity: float,
            stroke_width: float) -> tuple[Square, np.ndarray]:
    """The prototype of :meth:`CellGrid.get_cell`'s squares of one style and its centre
    (callers copy it; a few dozen styles at most per process)."""
    sq = Square(side_length=side)
    sq.set_stroke(color, width=stroke_width)
    sq.set_fill(color, opacity=fill_opacity)
    return sq, sq.get_center()


def segments_path(segments: Iterable[tuple[np.ndarray, np.ndarray]]) -> VMobject:
    """One ``VMobject`` drawing every straight segment ``(a, b)`` given (cheap to render)."""
    pts = []
    for a, b in segments:
        d = (b - a) / 3.0
        pts.extend((a, a + d, a + 2 * d, b))
    mob = VMobject()
    if pts:
        mob.set_points(np.array(pts, dtype=float))
    return mob


def show_or_move(shown: M | None, new: M) -> tuple[M, Animation]:
    """``FadeIn(new)`` when nothing is shown yet, else ``Transform(shown, new)`` (a window that
    slides, a highlight that moves). Returns the mobject on screen afterwards and the animation.
    """
    if shown is None:
        return new, FadeIn(new)
    return shown, Transform(shown, new)


def _square_segments(center: np.ndarray, side: float) -> list[tuple[np.ndarray, np.ndarray]]:
    h = side / 2
    ul, ur = center + h * (UP + LEFT), center + h * (UP + RIGHT)
    dr, dl = center + h * (DOWN + RIGHT), center + h * (DOWN + LEFT)
    return [(ul, ur), (ur, dr), (dr, dl), (dl, ul)]


def _dash_segments(a: np.ndarray, b: np.ndarray, n: int = 3) -> list[tuple[np.ndarray, np.ndarray]]:
    """``n`` dashes along ``a → b``, half the length drawn, starting and ending with half dashes."""
    out = []
    d = (b - a) / n
    for i in range(n):
        s = a + i * d
        out.append((s + d * 0.25, s + d * 0.75))
    return out


class CellGrid(VGroup):
    """A grid of cells: a view of one engine array (input, padded grid, kernel, output).

    Parameters
    ----------
    shape
        The grid's shape: ``(n,)`` (drawn as one row) or ``(rows, cols)``.
    cell
        Side of a cell in frame units (from :mod:`scenes.layout`).
    theme
        The palette.
    role
        Colour role of the real cells: ``"input"``, ``"kernel"``, ``"output"``.
    kinds
        Optional int array of ``shape`` as :func:`convmath.grid_input_index` returns it: ``>= 0``
        real cells, ``-1`` padding (dashed, muted, no fill), ``-2`` inserted zeros. ``None``: all
        cells are real.
    values
        Optional array of ``shape``; numbers are written only when ``value_font`` is given.
    value_font
        ``font_size`` of the numbers (``None``: schematic, no numbers).
    colors
        Optional per-cell fill colours (sequence in row-major order, e.g. ``theme.kernel_colors``);
        overrides the role fill of real cells; tinted (see ``tint``).
    tint
        Blend ``colors`` over the background like role fills so numbers stay readable
        (``False``: use them as given).
    filled
        ``False`` draws real cells as empty outlines (an output grid still to be filled).
    center
        Where to put the grid's centre.
    value_shift
        Numbers sit this fraction of a cell below the cells' centres (room for a weight badge
        in the top-left corner, :func:`scenes.kit.marks.weight_badges`).
    crop, full_values
        Cells cut off each axis's ``(before, after)`` borders (:func:`convmath.transposed_crop`)
        and the values of the whole uncropped grid (``shape`` plus the crop per axis, from
        :func:`convmath.uncropped_spec`): the cropped cells are drawn greyed, with their values,
        outside a crop line along the cut borders; the grid's indices stay those of the kept
        cells (a cropped cell's index is below 0 or past the shape). ``center`` is then the
        centre of the whole drawing. Build it with :func:`drawn_grid`.

    Attributes
    ----------
    shape, rows, cols, cell, kinds
        As given / derived.
    fills : VGroup
        One filled path per fill colour.
    lines, dashes : VMobject
        Solid outlines of real and inserted-zero cells; dashed outlines of padding cells.
    values : VGroup
        The number texts (empty in schematic mode).
    crop : tuple of (int, int)
        As given (``(0, 0)`` per axis: nothing cropped).
    cropped : VGroup
        The cropped cells (fills, outlines, numbers); empty when nothing is cropped.
    crop_line : VMobject
        The crop line(s) along the cut borders, reaching across the cropped cells.
    crop_cells : dict
        Index (kept-grid coordinates, outside the shape) → ``(centre offset from the grid's
        top-left corner in cells, value)`` of every cropped cell (for tests and captions).
    """

    def __init__(
        self,
        shape: Sequence[int],
        cell: float,
        *,
        theme: Theme,
        role: str = "input",
        kinds: ArrayLike | None = None,
        values: ArrayLike | None = None,
        value_font: float | None = None,
        colors: Sequence[str] | None = None,
        filled: bool = True,
        tint: bool = True,
        center: np.ndarray | Sequence[float] = (0.0, 0.0, 0.0),
        stroke_width: float = 2.0,
        value_shift: float = 0.0,
        crop: Sequence[tuple[int, int]] | None = None,
        full_values: ArrayLike | None = None,
    ) -> None:
        super().__init__()
        self.shape = tuple(int(v) for v in shape)
        self.rows, self.cols = grid_rows_cols(self.shape)
        self.cell = float(cell)
        self.theme = theme
        self.role = role
        n = self.rows * self.cols
        self.kinds = (
            np.zeros(self.shape, dtype=np.int64) if kinds is None else np.asarray(kinds)
        )
        if self.kinds.shape != self.shape:
            raise ValueError(f"kinds has shape {self.kinds.shape}, expected {self.shape}")
        vals = None if values is None else np.asarray(values, dtype=float)
        if vals is not None and vals.shape != self.shape:
            raise ValueError(f"values has shape {vals.shape}, expected {self.shape}")
        if colors is not None and len(colors) != n:
            raise ValueError(f"colors has {len(colors)} entries, expected {n} (one per cell)")
        self._values_array = vals
        center = np.array([*center, 0.0][:3], dtype=float)
        # Outline (invisible) anchors positions: getters read the grid's current placement from it.
        self.outline = Rectangle(width=self.cols * self.cell, height=self.rows * self.cell)
        self._placement: tuple[bytes, np.ndarray, float] | None = None
        self.outline.set_stroke(opacity=0).set_fill(opacity=0).move_to(center)
        self._draw_cells(colors, filled, tint, stroke_width)
        self._draw_values(vals, value_font, value_shift)
        self.add(self.outline, self.fills, self.lines, self.dashes, self.values)
        self.crop = tuple((0, 0) for _ in self.shape) if crop is None else tuple(
            (int(b), int(a)) for b, a in crop)
        self._draw_crop(full_values, value_font, value_shift, stroke_width)
        if self.cropped.submobjects:  # the whole drawing (kept and cropped cells) is centred
            self.shift(center - self.cropped_box_center())

    def _draw_cells(self, colors: Sequence[str] | None, filled: bool, tint: bool,
                    stroke_width: float) -> None:
        """One filled path per fill colour, one path of solid outlines, one of dashes."""
        theme, flat_kinds = self.theme, self.kinds.reshape(-1)
        fill_groups: dict[str, list] = {}
        solid: list = []
        dashed: list = []
        for k in range(self.rows * self.cols):
            c = self._local_center(self._unflat(k))
            kind = int(flat_kinds[k])
            if kind == PADDING_CELL:
                for a, b in _square_segments(c, self.cell):
                    dashed.extend(_dash_segments(a, b))
                continue
            solid.extend(_square_segments(c, self.cell))
            if kind == INSERTED_ZERO:  # a light tint: zeros stay in the background
                color = blend(theme.inserted_zero, theme.background, theme.fill_opacity / 2)
            elif colors is not None:
                color = theme.tint(colors[k]) if tint else colors[k]
            elif filled:
                color = theme.fill(self.role)
            else:
                continue
            fill_groups.setdefault(color, []).extend(_square_segments(c, self.cell))
        self.fills = VGroup()
        for color, segs in fill_groups.items():
            path = segments_path(segs)
            path.set_fill(color, opacity=1.0).set_stroke(width=0)
            self.fills.add(path)
        self.lines = segments_path(solid).set_stroke(theme.grid_stroke, width=stroke_width)
        self.dashes = segments_path(dashed).set_stroke(theme.padding, width=stroke_width)

    def _draw_values(self, vals: np.ndarray | None, value_font: float | None,
                     value_shift: float) -> None:
        """One number per cell (muted on padding and inserted zeros), when a font is given."""
        self.values = VGroup()
        self._value_at: dict[Index, Text] = {}
        self.value_font = value_font
        if vals is None or value_font is None:
            return
        flat_kinds = self.kinds.reshape(-1)
        for k in range(self.rows * self.cols):
            idx = self._unflat(k)
            color = self.theme.muted_text if int(flat_kinds[k]) < 0 else self.theme.text
            t = make_text(format_number(vals.reshape(-1)[k]), value_font, color)
            t.move_to(self._local_center(idx) + value_shift * self.cell * DOWN)
            self._value_at[idx] = t
            self.values.add(t)

    def _draw_crop(self, full_values: ArrayLike | None, value_font: float | None,
                   value_shift: float, stroke_width: float) -> None:
        """The cropped cells outside the kept grid, greyed with muted numbers, and the crop
        line along each cut border (across the cropped rows/columns too)."""
        self.cropped, self.crop_line, self.crop_cells = VGroup(), VMobject(), {}
        if not any(b or a for b, a in self.crop):
            return
        th = self.theme
        (rb, ra), (cb, ca) = ((0, 0), *self.crop) if len(self.shape) == 1 else self.crop
        full = np.asarray(full_values, dtype=float).reshape(self.rows + rb + ra,
                                                            self.cols + cb + ca)
        grey, squares, texts = blend(th.padding, th.background, 0.35), [], VGroup()
        for fr, fc in np.ndindex(*full.shape):
            r, c = fr - rb, fc - cb
            if 0 <= r < self.rows and 0 <= c < self.cols:
                continue
            centre = self._offset_center(r, c)
            squares.extend(_square_segments(centre, self.cell))
            index = (c,) if len(self.shape) == 1 else (r, c)
            self.crop_cells[index] = ((c + 0.5, r + 0.5), float(full[fr, fc]))
            if value_font is not None:
                t = make_text(format_number(full[fr, fc]), value_font, th.muted_text)
                texts.add(t.move_to(centre + value_shift * self.cell * DOWN))
        fill = segments_path(squares).set_fill(grey, opacity=1.0).set_stroke(width=0)
        lines = segments_path(squares).set_stroke(th.padding, width=stroke_width)
        self.cropped.add(fill, lines, texts)
        self.crop_line = segments_path(self._crop_segments(rb, ra, cb, ca))
        self.crop_line.set_stroke(th.text, width=2.5 * stroke_width)
        self.add(self.cropped, self.crop_line)

    def _offset_center(self, r: float, c: float) -> np.ndarray:
        """Centre of the cell at row ``r``, column ``c`` of the kept grid (may lie outside)."""
        ul = self.corner()
        return ul + (c + 0.5) * self.cell * RIGHT + (r + 0.5) * self.cell * DOWN

    def _crop_segments(self, rb: int, ra: int, cb: int, ca: int) -> list:
        """Lines along the kept grid's cut borders, reaching over the cropped cells beside."""
        ul, n = self.corner(), self.cell
        over = 0.15 * n
        top, bottom = ul[1] + rb * n + over, ul[1] - (self.rows + ra) * n - over
        left, right = ul[0] - cb * n - over, ul[0] + (self.cols + ca) * n + over
        segs = []
        for x, cut in ((ul[0], cb), (ul[0] + self.cols * n, ca)):
            if cut:
                segs.append((np.array([x, top, 0.0]), np.array([x, bottom, 0.0])))
        for y, cut in ((ul[1], rb), (ul[1] - self.rows * n, ra)):
            if cut:
                segs.append((np.array([left, y, 0.0]), np.array([right, y, 0.0])))
        return segs

    def cropped_box_center(self) -> np.ndarray:
        """Centre of the whole drawing: the kept grid and its cropped cells."""
        (rb, ra), (cb, ca) = ((0, 0), *self.crop) if len(self.shape) == 1 else self.crop
        shift = ((ca - cb) / 2 * RIGHT + (rb - ra) / 2 * UP) * self.cell_size
        return self.outline.get_center() + shift

    def crop_cell_center(self, index: Index) -> np.ndarray:
        """Where the cropped cell ``index`` is now (kept-grid coordinates, outside the shape)."""
        (c, r), _ = self.crop_cells[tuple(int(v) for v in index)]
        ul = self.corner()
        return ul + c * self.cell_size * RIGHT + r * self.cell_size * DOWN

    # -- index helpers ---------------------------------------------------------------------------

    def _unflat(self, k: int) -> Index:
        return tuple(int(v) for v in np.unravel_index(k, self.shape))

    def _rc(self, index: Index | int) -> tuple[int, int]:
        if isinstance(index, int | np.integer):
            index = (int(index),)
        index = tuple(int(v) for v in index)
        if len(index) != len(self.shape):
            raise IndexError(f"index {index} does not match a grid of shape {self.shape}")
        r, c = (0, index[0]) if len(index) == 1 else index
        if not (0 <= r < self.rows and 0 <= c < self.cols):
            raise IndexError(f"index {index} is outside a grid of shape {self.shape}")
        return r, c

    def _local_center(self, index: Index) -> np.ndarray:
        r, c = self._rc(index)
        ul = self.corner()
        return ul + (c + 0.5) * self.cell * RIGHT + (r + 0.5) * self.cell * DOWN

    # -- getters -----------------------------------------------------------------------------------

    def _placed(self) -> tuple[np.ndarray, float]:
        """``(upper-left corner, cell side)`` where the grid is now: manim's
        ``outline.get_corner(UL)`` and ``outline.width / cols``, computed again only when the
        outline's points changed (a grid is placed once and read for every cell)."""
        key = self.outline.points.tobytes()
        memo = self._placement
        if memo is None or memo[0] != key:
            ul = self.outline.get_corner(UL)
            ul.setflags(write=False)
            memo = self._placement = (key, ul, self.outline.width / self.cols)
        return memo[1], memo[2]

    def corner(self) -> np.ndarray:
        """The grid's upper-left corner where it is now (read-only; follows moves)."""
        return self._placed()[0]

    @property
    def cell_size(self) -> float:
        """The current cell side (follows scaling of the grid)."""
        return self._placed()[1]

    def cell_center(self, index: Index | int) -> np.ndarray:
        """Centre of the cell ``index`` where the grid is now."""
        r, c = self._rc(index)
        ul, s = self._placed()
        return ul + (c + 0.5) * s * RIGHT + (r + 0.5) * s * DOWN

    def cell_centers(self, indices: Sequence[Index | int]) -> list[np.ndarray]:
        """:meth:`cell_center` of each of ``indices``."""
        ul, s = self._placed()
        out = []
        for index in indices:
            r, c = self._rc(index)
            out.append(ul + (c + 0.5) * s * RIGHT + (r + 0.5) * s * DOWN)
        return out

    def get_cell(self, index: Index | int, *, color: str | None = None,
                 fill_opacity: float = 0.0, stroke_width: float = 4.0) -> Square:
        """A new square over cell ``index`` (not part of the grid): for highlights and filling.

        Squares of one size and style are copies of one prototype (building a ``Square`` costs
        ten times a copy), moved as ``move_to`` moves them."""
        proto, center = _square(self.cell_size, str(color or self.theme.highlight),
                                float(fill_opacity), float(stroke_width))
        return proto.copy().shift(self.cell_center(index) - center)

    def get_value(self, index: Index | int) -> Text | None:
        """The number text drawn in cell ``index`` (``None`` in schematic mode)."""
        r, c = self._rc(index)
        key = (c,) if len(self.shape) == 1 else (r, c)
        return self._value_at.get(key)

    def value_of(self, index: Index | int) -> float | None:
        """The engine value of cell ``index`` (``None`` when built without values)."""
        if self._values_array is None:
            return None
        r, c = self._rc(index)
        return float(self._values_array[(c,) if len(self.shape) == 1 else (r, c)])

    def value_text(self, index: Index | int, value: float, *, color: str | None = None,
                   font_size: float | None = None) -> Text:
        """A new number text for ``value``, centred on cell ``index`` (for filling an output)."""
        font = font_size or self.value_font or 24.0
        t = make_text(format_number(value), font, color or self.theme.text)
        return t.move_to(self.cell_center(index))

    def get_window(
        self,
        cells: ConvStep | Iterable[Index],
        *,
        color: str | None = None,
        fill_opacity: float | None = None,
        stroke_width: float = 5.0,
    ) -> VMobject:
        """One path covering the given cells (a step's taps): a window that shows dilation gaps.

        Every window of the same kernel has the same number of sub-paths, so ``Transform`` from
        one step's window to the next slides it.
        """
        if isinstance(cells, ConvStep):
            cells = [t.grid_index for t in cells.taps]
        segs = []
        for idx in cells:
            segs.extend(_square_segments(self.cell_center(idx), self.cell_size))
        color = color or self.theme.window
        mob = segments_path(segs)
        mob.set_fill(color, opacity=self.theme.window_opacity if fill_opacity is None
                     else fill_opacity)
        mob.set_stroke(color, width=stroke_width)
        return mob

    def cells_box(self, cells: Iterable[Index]) -> Box:
        """The bounding box of the given cells."""
        pts = np.array([self.cell_center(i) for i in cells])
        h = self.cell_size / 2
        left, right = pts[:, 0].min() - h, pts[:, 0].max() + h
        bottom, top = pts[:, 1].min() - h, pts[:, 1].max() + h
        return Box((left + right) / 2, (bottom + top) / 2, right - left, top - bottom)


def drawn_grid(spec, x, cell: float, *, theme: Theme, **kw) -> CellGrid:
    """The drawn grid of ``spec`` over ``x`` (the padded input, or a transposed spec's
    zero-inserted, padded input) as scenes draw it: padding dashed, inserted zeros tinted and,
    when the spec's padding crops the stretched input (:func:`convmath.transposed_crop`), the
    cropped cells greyed beyond a crop line (:func:`convmath.uncropped_spec`). ``kw`` as
    :class:`CellGrid` (``value_font``, ``center``, ``value_shift`` …)."""
    from convmath import grid_input_index, grid_values, transposed_crop, uncropped_spec

    crop = transposed_crop(spec)
    extra = {}
    if any(b or a for b, a in crop):
        extra = dict(crop=crop, full_values=grid_values(x, uncropped_spec(spec)))
    return CellGrid(spec.grid_shape, cell, theme=theme, role="input",
                    kinds=grid_input_index(spec), values=grid_values(x, spec), **extra, **kw)
