"""Marks drawn on and between grids: links, caption backings, crossed-out cells, ghosts, arrows,
and the weight badges a window carries.

Every function returns a new mobject (nothing is added to a scene) built from a
:class:`~scenes.kit.grid.CellGrid`'s current geometry and the theme's colours.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
from manim import DOWN, LEFT, RIGHT, UP, Arrow, Rectangle, VGroup, VMobject

from scenes.kit.grid import CellGrid, Index, segments_path
from scenes.kit.text import make_text
from scenes.kit.theme import Theme
from scenes.layout import Box, mobject_box

#: Side of a weight badge, fraction of the cell (the cell's number sits below it:
#: :data:`BADGE_SHIFT`).
BADGE = 0.3
#: How far a cell's number moves down when its grid carries badges, fraction of the cell.
BADGE_SHIFT = 0.12

__all__ = ["BADGE", "BADGE_SHIFT", "link", "facing_point", "backing", "cross_out", "ghost",
           "stride_arrow",
           "weight_badges", "span_outline", "dashed_box", "square_centers"]


def link(window: Box, cell: Box, color: str) -> VMobject:
    """Two lines from the window's box to the output cell's box, on the side facing it: the
    visible link from the window to the cell being written. Drawn under every grid (z-index −1),
    so it never runs across numbers."""
    dx, dy = cell.x - window.x, cell.y - window.y
    if abs(dx) >= abs(dy):  # output to the side
        sx = 1 if dx > 0 else -1
        wx = window.right if sx > 0 else window.left
        cx = cell.left if sx > 0 else cell.right
        segs = [(np.array([wx, window.top, 0.0]), np.array([cx, cell.top, 0.0])),
                (np.array([wx, window.bottom, 0.0]), np.array([cx, cell.bottom, 0.0]))]
    else:  # output above or below
        sy = 1 if dy > 0 else -1
        wy = window.top if sy > 0 else window.bottom
        cy = cell.bottom if sy > 0 else cell.top
        segs = [(np.array([window.left, wy, 0.0]), np.array([cell.left, cy, 0.0])),
                (np.array([window.right, wy, 0.0]), np.array([cell.right, cy, 0.0]))]
    path = segments_path(segs).set_stroke(color, width=2, opacity=0.8)
    path.z_index = -1
    return path


def facing_point(window: Box, cell: Box) -> np.ndarray:
    """The middle of the side of ``window`` that faces ``cell`` (where a result leaves the
    window for its output cell, clear of the window's own numbers)."""
    dx, dy = cell.x - window.x, cell.y - window.y
    if abs(dx) >= abs(dy):
        return np.array([window.right if dx > 0 else window.left, window.y, 0.0])
    return np.array([window.x, window.top if dy > 0 else window.bottom, 0.0])


def backing(texts: Sequence, color: str) -> Rectangle:
    """A background-coloured box just around ``texts`` (z-index −0.5: above the links at −1,
    below everything else), so lines passing a caption do not show between its letters."""
    boxes = [mobject_box(t) for t in texts]
    pad = 0.15 * max(b.height for b in boxes)
    left, right = min(b.left for b in boxes) - pad, max(b.right for b in boxes) + pad
    bottom, top = min(b.bottom for b in boxes) - pad, max(b.top for b in boxes) + pad
    rect = Rectangle(width=right - left, height=top - bottom)
    rect.set_stroke(width=0).set_fill(color, opacity=1.0)
    rect.move_to([(left + right) / 2, (bottom + top) / 2, 0.0])
    rect.z_index = -0.5
    return rect


def cross_out(grid: CellGrid, cells: Iterable[Index], theme: Theme) -> VGroup:
    """Each cell highlighted and crossed out (the cells no window reaches)."""
    out = VGroup()
    for j in cells:
        sq = grid.get_cell(j, color=theme.highlight, fill_opacity=0.25, stroke_width=3)
        c, h = grid.cell_center(j), 0.3 * grid.cell_size
        cross = segments_path([(c + h * (UP + LEFT), c + h * (DOWN + RIGHT)),
                               (c + h * (DOWN + LEFT), c + h * (UP + RIGHT))])
        out.add(sq, cross.set_stroke(theme.highlight, width=3))
    return out


def ghost(grid: CellGrid, cells: Iterable[Index], theme: Theme) -> VMobject:
    """A faint dashed-looking outline of a window where it was (the previous position)."""
    g = grid.get_window(list(cells), fill_opacity=0.0, stroke_width=2.0)
    return g.set_stroke(theme.window, width=2.0, opacity=0.45)


def stride_arrow(start: np.ndarray, end: np.ndarray, theme: Theme,
                 tip: float | None = None) -> Arrow:
    """An arrow from ``start`` to ``end``: the jump of the window's first cell by the stride
    (drawn along the window's bottom border, over no number or tab; the stride is said in
    words beside)."""
    kw = {} if tip is None else {"tip_length": tip}  # a tip of ``tip`` units, long and wide
    return Arrow(start, end, buff=0.0, stroke_width=4, color=theme.ink("highlight"),
                 max_tip_length_to_length_ratio=0.3, **kw)


def square_centers(win: VMobject) -> np.ndarray:
    """Centres of the squares a window path is made of (4 segments of 4 points per square)."""
    pts = win.points.reshape(-1, 16, 3)
    return pts.mean(axis=1)


def span_outline(grid: CellGrid, cells: Iterable[Index], theme: Theme) -> VMobject:
    """The box a dilated window spans (its first to last tap), dashed in the theme's ``span``
    colour (non-text contrast >= 3:1 on the background and the input, apart from the window
    under CVD simulation), a little outside the window's own outline so both stay visible."""
    return dashed_box(grid.cells_box(list(cells)), grid.cell_size, theme.span)


def dashed_box(b: Box, cell: float, color: str) -> VMobject:
    """A dashed rectangle just outside box ``b`` (dashes about ``0.3 * cell`` long, stroke 4,
    z-index 2: over cells and window fills). See :func:`span_outline`."""
    out = 0.06 * cell
    left, right, bottom, top = b.left - out, b.right + out, b.bottom - out, b.top + out
    segs = []
    corners = [np.array([left, top, 0.0]), np.array([right, top, 0.0]),
               np.array([right, bottom, 0.0]), np.array([left, bottom, 0.0])]
    for a, c in zip(corners, corners[1:] + corners[:1]):
        n = max(2, int(np.linalg.norm(c - a) / (0.4 * cell)))
        d = (c - a) / n
        segs += [(a + d * (i + 0.15), a + d * (i + 0.85)) for i in range(n)]
    path = segments_path(segs).set_stroke(color, width=4.0, opacity=1.0)
    path.z_index = 2
    return path


def weight_badges(grid: CellGrid, cells: Sequence[Index], weights: Sequence[str | None],
                  colors: Sequence[str], theme: Theme, font: float | None) -> VGroup:
    """A small badge in the top-left corner of each window cell, filled with the colour of the
    weight that multiplies it (as the kernel grid's cells are), with the weight written in the
    text ink when ``font`` is given (``None``: colours only, numbers too small to read).

    ``weights[k]`` is the text of the weight over ``cells[k]`` (``None``: no number)."""
    out = VGroup()
    s = grid.cell_size
    side = BADGE * s
    for cell, wtext, color in zip(cells, weights, colors):
        c = grid.cell_center(cell)
        corner = c + (s / 2 - side / 2 - 0.03 * s) * (UP + LEFT)
        tab = Rectangle(width=side * (1.5 if font and wtext and len(wtext) > 1 else 1.0),
                        height=side)
        tab.set_stroke(theme.grid_stroke, width=1).set_fill(theme.tint(color), opacity=1.0)
        tab.move_to(corner + (tab.width - side) / 2 * RIGHT)
        out.add(tab)
        if font is not None and wtext is not None:
            t = make_text(wtext, font, theme.text)
            t.scale(min(1.0, 0.9 * tab.width / max(t.width, 1e-9),
                        0.8 * tab.height / max(t.height, 1e-9)))
            out.add(t.move_to(tab.get_center()))
    return out
