"""`NotDeconvolution`: why the transposed convolution is not a deconvolution.

Four grids of the input's and the output's shapes: ``x``; ``y = C·x`` (the convolution); ``Cᵀ·y``
(the transposed convolution with the same kernel: the input's shape, not its values — blurred,
and with stride > 1 a checkerboard of cells under more or fewer windows); ``C⁺·y`` (the
deconvolution proper, the pseudo-inverse: ``x`` itself when ``C`` has full column rank, else the
smallest ``x`` that gives ``y``, the cells no output sees crossed out). It ends on the rule: the
transposed convolution undoes the shape, not the values. Every number comes from
:func:`convmath.convolve`, :func:`convmath.transposed_image`, :func:`convmath.deconvolve` and
:func:`convmath.column_rank`.

Run with the catalog's defaults: ``manim -ql scenes/deconv.py NotDeconvolution``.
"""

from __future__ import annotations

import numpy as np
from manim import FadeIn, Line, VGroup

from convmath import (
    ConvMathError,
    ConvSpec,
    column_rank,
    convolve,
    deconvolve,
    transposed_image,
)
from convmath.facts import checkerboard_axes
from convmath.fmt import format_axes, format_int
from scenes.kit.base import ConvScene
from scenes.kit.grid import CellGrid
from scenes.layout import (
    REF_FRAME_HEIGHT,
    REF_FRAME_WIDTH,
    Layout,
    check_cells,
    plan_best,
    px_480p,
    value_chars,
)

__all__ = ["NotDeconvolution", "plan_layout", "NAMES"]

#: The four grids, in drawing order, and their caption keys.
NAMES: tuple[tuple[str, str], ...] = (("x", "dc_x"), ("y", "dc_y"), ("t", "dc_t"), ("p", "dc_p"))


def plan_layout(spec: ConvSpec, *, frame_width: float, frame_height: float, numeric: bool = True,
                chars: int = 2) -> Layout:
    """x, y, Cᵀ·y, C⁺·y: stacked rows or two columns (1D), four columns or two by two (2D);
    the planned grids are always in that order."""
    i, o = spec.input_shape, spec.output_shape
    if spec.ndim == 1:
        arrangements = [[[i, o, i, i]], [[i, o], [i, i]]]
    else:
        arrangements = [[[i], [o], [i], [i]], [[i, o], [i, i]]]
    return plan_best(arrangements, frame_width=frame_width, frame_height=frame_height,
                     top_rows=2, bottom_rows=2, numeric=numeric, chars=chars)[1]


def _shown(values: np.ndarray) -> np.ndarray:
    """Display values: SVD rounding noise below 1e-9 is shown as the 0 it stands for."""
    return np.where(np.abs(values) < 1e-9, 0.0, values)


class NotDeconvolution(ConvScene):
    """x, C·x, Cᵀ·y and C⁺·y side by side; the rule at the end (module docstring)."""

    @classmethod
    def check_spec(cls, spec: ConvSpec, mode: str = "numeric") -> None:
        if spec.transposed:
            raise ConvMathError(
                "transposed=True is invalid for the deconv scene: give the direct convolution; "
                "the scene applies its transpose", param="transposed",
            )

        def smallest(sp: ConvSpec) -> tuple[str, float]:
            lay = plan_layout(sp, frame_width=REF_FRAME_WIDTH, frame_height=REF_FRAME_HEIGHT,
                              numeric=mode == "numeric", chars=4)
            return "the grids", px_480p(lay.cell)

        check_cells("deconv", spec, smallest)

    def construct(self) -> None:
        self._build()
        self._convolve()
        self._transpose()
        self._pseudo_inverse()
        self.say("caption", self.label("dc_rule"), self.lay.bottom[0], kind="caption",
                 role="text")
        self.close()

    def _build(self) -> None:
        sp = self.spec
        y = convolve(self.x, self.w, sp)
        self.values = {"x": self.x, "y": y, "t": transposed_image(y, self.w, sp),
                       "p": _shown(deconvolve(y, self.w, sp))}
        self.rank = column_rank(self.w, sp)
        chars = value_chars(*self.values.values())
        fw, fh = self.frame_size()
        self.lay = lay = plan_layout(sp, frame_width=fw, frame_height=fh, numeric=self.numeric,
                                     chars=chars)
        self.text_font = lay.text_font
        vf = lay.value_font if lay.numeric else None
        slots = dict(zip((n for n, _ in NAMES), lay.grids))
        th = self.theme
        roles = {"x": "input", "y": "output", "t": "input", "p": "input"}
        self.full = {n: CellGrid(slots[n].shape, lay.cell, theme=th, role=roles[n],
                                 values=self.values[n], value_font=vf,
                                 center=slots[n].box.center) for n, _ in NAMES}
        self.empty = {n: CellGrid(slots[n].shape, lay.cell, theme=th, role=roles[n],
                                  filled=False, center=slots[n].box.center)
                      for n, _ in NAMES[1:]}
        self.grid_captions = VGroup(*(
            self.text_row(self.label(key), slots[n].caption, lay.caption_font, muted=True)
            for n, key in NAMES))
        self.input_grid, self.output_grid = self.full["x"], self.full["y"]
        self.say("title", self.label("dc_title"), lay.top[0], kind="title")
        self.preview(self.full["x"], *self.empty.values(), self.grid_captions,
                     parts=("title", "grids"))
        self.wait(1.5)  # frames are drawn only from the first wait or play: hold the preview

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

    def _pseudo_inverse(self) -> None:
        self.mark("pseudo-inverse")
        lay, rank = self.lay, self.rank
        self.narration.clear("note")
        self.say("caption", self.label("dc_pinv"), lay.bottom[0])
        self.say("formula", self.label("dc_pinv_formula"), lay.top[1], kind="formula",
                 role="muted_text")
        self._fill("p")
        self.narration.settle()
        key = "dc_exact" if rank.full else "dc_rank_short"
        self.say("caption", self.label(key, r=format_int(rank.rank), n=format_int(rank.columns)),
                 lay.bottom[0])
        self.record("rank", rank=rank.rank, columns=rank.columns, full=rank.full,
                    unseen=[tuple(int(v) for v in c) for c in np.argwhere(rank.unseen)])
        if rank.unseen.any():
            cells = [tuple(int(v) for v in c) for c in np.argwhere(rank.unseen)]
            self.add(self._crosses(self.full["x"], cells), self._crosses(self.full["p"], cells))
            self.say("note", self.label("dc_unseen"), lay.bottom[1], role="muted_text")
        self.narration.settle()
        self.narration.clear("note")

    def _crosses(self, grid: CellGrid, cells) -> VGroup:
        out = VGroup()
        h = 0.38 * grid.cell_size
        for c in cells:
            p = grid.cell_center(c)
            for a, b in (((-h, -h), (h, h)), ((-h, h), (h, -h))):
                out.add(Line(p + np.array([*a, 0.0]), p + np.array([*b, 0.0]),
                             color=self.theme.highlight, stroke_width=3))
        return out
