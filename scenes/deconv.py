"""`NotDeconvolution`: why the transposed convolution is not a deconvolution.

Four grids and the kernel, flowing left to right: ``x`` → ``y = C·x`` (the convolution, its kernel
``w`` under it) → the two ways back, ``Cᵀ·y`` (the transposed convolution with the same kernel:
the input's shape, not its values — blurred, and with stride > 1 a checkerboard of cells under
more or fewer windows) and ``C⁺·y`` (the deconvolution proper, the pseudo-inverse: ``x`` itself
when ``C`` has full column rank, else the smallest ``x`` that gives ``y``, the cells no output
sees crossed out). The first frame shows all of it filled; the story then empties ``y`` and the
two ways back and fills them in order. It ends on the rule: the transposed convolution undoes the
shape (with a stride, ``6 → 3 → 6``), not the values. Every number comes from
:func:`convmath.convolve`, :func:`convmath.transposed_image`, :func:`convmath.deconvolve` and
:func:`convmath.column_rank`.

Run with the catalog's defaults: ``manim -ql scenes/deconv.py NotDeconvolution``.
"""

from __future__ import annotations

import numpy as np
from manim import Arrow, FadeIn, Line, VGroup

from convmath import (
    ConvSpec,
    column_rank,
    convolve,
    deconvolve,
    transposed_image,
)
from convmath.facts import checkerboard_axes
from convmath.fmt import format_axes, format_int, format_shape
from scenes.kit.base import ConvScene
from scenes.kit.grid import CellGrid
from scenes.layout import (
    Box,
    fit_font,
    value_chars,
)
from scenes.plans import deconv as deconv_plan
from scenes.plans.deconv import ORDER, plan_layout

__all__ = ["NotDeconvolution", "plan_layout", "NAMES", "ORDER"]

#: The four grids, in drawing order, and their caption keys.
NAMES: tuple[tuple[str, str], ...] = (("x", "dc_x"), ("y", "dc_y"), ("t", "dc_t"), ("p", "dc_p"))
#: The flow drawn as arrows: x → y → both ways back.
FLOW: tuple[tuple[str, str], ...] = (("x", "y"), ("y", "t"), ("y", "p"))
#: A number takes at most this fraction of its cell's width (measured, not estimated: a true
#: minus is wider than a digit, and "−23" touched its borders at the estimated font).
VALUE_WIDTH = 0.72


def _shown(values: np.ndarray) -> np.ndarray:
    """Display values: SVD rounding noise below 1e-9 is shown as the 0 it stands for."""
    return np.where(np.abs(values) < 1e-9, 0.0, values)


def flow_points(a: Box, b: Box, b_caption: Box) -> tuple[np.ndarray, np.ndarray]:
    """Where the arrow from grid box ``a`` to grid box ``b`` starts and ends: across the gap
    between two columns (side to side), or down a column (to the top of ``b``'s caption)."""
    if b.left > a.right:
        return (np.array([a.right, a.y, 0.0]), np.array([b.left, b.y, 0.0]))
    return (np.array([a.x, a.bottom, 0.0]), np.array([b.x, b_caption.top, 0.0]))


class NotDeconvolution(ConvScene):
    """x, C·x, Cᵀ·y and C⁺·y side by side; the rule at the end (module docstring)."""

    @classmethod
    def check_spec(cls, spec: ConvSpec, mode: str = "numeric") -> None:
        """:func:`scenes.plans.deconv.check_spec` (direct specs only; cells of
        :func:`plan_layout` at 480p)."""
        deconv_plan.check_spec(spec, mode)

    def construct(self) -> None:
        self._build()
        self._preview()
        self._convolve()
        self._transpose()
        self._pseudo_inverse()
        self.say("caption", self._rule(), self.lay.bottom[0], kind="caption", role="text")
        self.close()

    def _build(self) -> None:
        sp = self.spec
        y = convolve(self.x, self.w, sp)
        # The kernel as every view draws it: a kernel of fractions as its integers, the factor
        # in its caption (scenes.kit.weights; issue 12 #7).
        self.values = {"x": self.x, "y": y, "w": self.weights.values,
                       "t": transposed_image(y, self.w, sp),
                       "p": _shown(deconvolve(y, self.w, sp))}
        self.rank = column_rank(self.w, sp)
        fw, fh = self.frame_size()
        self.lay = lay = plan_layout(sp, frame_width=fw, frame_height=fh, numeric=self.numeric,
                                     chars=value_chars(*self.values.values()))
        self.text_font = lay.text_font
        self.slots = slots = dict(zip(ORDER, lay.grids))
        roles = {"x": "input", "y": "output", "w": "kernel", "t": "input", "p": "input"}
        self.full = {n: self._grid(n, roles[n]) for n in ORDER}
        self.empty = {n: CellGrid(slots[n].shape, lay.cell, theme=self.theme, role=roles[n],
                                  filled=False, center=slots[n].box.center)
                      for n, _ in NAMES[1:]}
        keys = (*NAMES, ("w", "dc_w"))
        self.grid_captions = VGroup(*(
            self.text_row(self.kernel_caption(self.label(key)) if n == "w" else self.label(key),
                          slots[n].caption, lay.caption_font, muted=True)
            for n, key in keys))
        self.arrows = VGroup(*(self._flow_arrow(a, b) for a, b in FLOW))
        self.input_grid, self.output_grid = self.full["x"], self.full["y"]
        self.kernel_grid = self.full["w"]

    def _grid(self, name: str, role: str) -> CellGrid:
        """Grid ``name`` with its values at the largest font that fits its own numbers: fitted
        by estimate, then shrunk until the widest number drawn takes at most
        :data:`VALUE_WIDTH` of a cell."""
        lay, slot, vals = self.lay, self.slots[name], self.values[name]
        font = None
        if lay.value_font is not None:
            font = min(fit_font(lay.cell, value_chars(vals), self.frame_size()[1]),
                       1.25 * lay.value_font)

        def build(f: float | None) -> CellGrid:
            return CellGrid(slot.shape, lay.cell, theme=self.theme, role=role, values=vals,
                            value_font=f, center=slot.box.center)

        grid = build(font)
        for _ in range(3):  # text does not scale exactly with its font: measure again
            widest = max((v.width for v in grid.values), default=0.0)
            if font is None or widest <= VALUE_WIDTH * lay.cell:
                break
            font *= 0.98 * VALUE_WIDTH * lay.cell / widest
            grid = build(font)
        self.record("value_fit", grid=name, cell=lay.cell,
                    widest=max((v.width for v in grid.values), default=0.0))
        return grid

    def _flow_arrow(self, a: str, b: str) -> Arrow:
        start, end = flow_points(self.slots[a].box, self.slots[b].box, self.slots[b].caption)
        length = float(np.linalg.norm(end - start))
        tip = min(0.18, 0.35 * length)
        return Arrow(start, end, buff=0.08, color=self.theme.ink("muted_text"),
                     stroke_width=3, tip_length=tip, max_tip_length_to_length_ratio=0.5,
                     max_stroke_width_to_length_ratio=20)

    def _preview(self) -> None:
        """The first frame shows the idea: x, y = C·x with its kernel, and both ways back,
        filled, joined by the flow's arrows; then y and the ways back empty out, to be filled
        in order."""
        self.say("title", self.label("dc_title"), self.lay.top[0], kind="title")
        self.preview(*self.full.values(), self.grid_captions, self.arrows,
                     parts=("title", "grids", "kernel", "arrows"))
        self.record("preview", filled=list(self.full))
        self.wait(2.0)  # frames are drawn only from the first wait or play: hold the preview
        self.remove(*(self.full[n] for n, _ in NAMES[1:]))
        self.add(*self.empty.values())

    def _fill(self, name: str) -> None:
        self.remove(self.empty[name])
        self.play(FadeIn(self.full[name]), run_time=0.6 * self.step_time)
        self.record("filled", grid=name, values=self.values[name].tolist())

    def _convolve(self) -> None:
        self.mark("convolve")
        sp = self.spec
        self.say("caption", self.label("dc_conv", o=format_int(sp.output_size),
                                       n=format_int(sp.input_size)), self.lay.bottom[0])
        self._fill("y")
        self.narration.settle()

    def _transpose(self) -> None:
        self.mark("transpose")
        self.say("caption", self.label("dc_transposed", n=format_int(self.spec.input_size)),
                 self.lay.bottom[0])
        self._fill("t")
        self.narration.settle()
        self.say("caption", self.label("dc_not_x"), self.lay.bottom[0])
        uneven = checkerboard_axes(self.spec.adjoint())
        self.record("checkerboard", axes=uneven)
        if uneven:
            self.say("note", self.label("dc_checker", s=format_axes(self.spec.stride)),
                     self.lay.bottom[1], role="muted_text")
        self.narration.settle()

    def _formula_key(self) -> str:
        """Which closed form of C⁺ holds for this C: full column rank, full row rank, or
        neither (the SVD's)."""
        if self.rank.full:
            return "dc_pinv_formula"
        return "dc_pinv_formula_rows" if self.rank.full_rows else "dc_pinv_formula_svd"

    def _pseudo_inverse(self) -> None:
        self.mark("pseudo-inverse")
        lay, rank = self.lay, self.rank
        self.narration.clear("note")
        self.say("caption", self.label("dc_pinv"), lay.bottom[0])
        self.say("formula", self.label(self._formula_key()), lay.top[1], kind="formula",
                 role="muted_text")
        self._fill("p")
        self.narration.settle()
        key = "dc_exact" if rank.full else "dc_rank_short"
        self.say("caption", self.label(key, r=format_int(rank.rank), n=format_int(rank.columns)),
                 lay.bottom[0])
        cells = [tuple(int(v) for v in c) for c in np.argwhere(rank.unseen)]
        self.record("rank", rank=rank.rank, columns=rank.columns, full=rank.full,
                    rows=rank.rows, full_rows=rank.full_rows, unseen=cells)
        if cells:
            self.add(self._crosses(self.full["x"], cells), self._crosses(self.full["p"], cells))
            self.say("note", self.label("dc_unseen"), lay.bottom[1], role="muted_text")
        elif not rank.full and rank.full_rows:
            again = convolve(self.values["p"], self.w, self.spec)
            self.record("same_y", values=again.tolist())
            self.say("note", self.label("dc_same_y", o=format_int(rank.rows),
                                        n=format_int(rank.columns)),
                     lay.bottom[1], role="muted_text")
        self.narration.settle()
        self.narration.clear("note")

    def _rule(self) -> str:
        """The closing rule, with the shapes when the convolution changed the shape."""
        sp = self.spec
        if sp.input_shape == sp.output_shape:
            return self.label("dc_rule_same")
        return self.label("dc_rule", n=format_shape(sp.input_shape),
                          o=format_shape(sp.output_shape))

    def _crosses(self, grid: CellGrid, cells) -> VGroup:
        out = VGroup()
        h = 0.38 * grid.cell_size
        for c in cells:
            p = grid.cell_center(c)
            for a, b in (((-h, -h), (h, h)), ((-h, h), (h, -h))):
                out.add(Line(p + np.array([*a, 0.0]), p + np.array([*b, 0.0]),
                             color=self.theme.highlight, stroke_width=3))
        return out
