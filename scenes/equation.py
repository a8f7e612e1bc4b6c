"""`GeneralEquation`: the convolution equation with every parameter, then one output worked out.

The general equation ``y[i] = Σₘ x[s·i + d·m − p] · w[m]`` (per axis in 2D) and its flipped form
(``w[k − 1 − m]``, the mathematical convolution) are written first; then this spec's stride,
dilation and padding go into it, and one output index is substituted: each term's input index
``s·i + d·m − p``, the cell it reads (tinted on the grid in the colour of its weight, as the term
is in the equation), the products, and the sum written into the output cell. Every index and
value comes from :func:`convmath.substitute`.

Run with the catalog's defaults: ``manim -ql scenes/equation.py GeneralEquation``.
"""

from __future__ import annotations

import html
import re

import numpy as np
from manim import Square, VGroup

from convmath import ConvSpec, grid_input_index, grid_values, substitute
from convmath.equation import SubstitutedEquation
from convmath.fmt import format_axes, format_index, format_number
from scenes.kit.base import ConvScene
from scenes.kit.grid import CellGrid
from scenes.kit.log import ProductsShown, ResultWritten, WindowLanded
from scenes.kit.marks import weight_badges
from scenes.kit.text import make_markup
from scenes.kit.weights import KernelWeights
from scenes.layout import (
    DIGIT_HEIGHT,
    MIN_GLYPH_PX_480P,
    fit_text,
    px_480p,
    value_chars,
)
from scenes.plans import equation as equation_plan
from scenes.plans.equation import plan_layout

__all__ = ["GeneralEquation", "plan_layout", "chosen_index", "general_key", "index_line",
           "cells_line", "sum_line", "show_markup", "term_ink", "term_marks"]

MINUS = "\u2212"


def chosen_index(spec: ConvSpec) -> tuple[int, ...]:
    """The output cell the scene works out: the second along the first axis (stride shows), the
    first along the second (padding shows)."""
    first = min(1, spec.output_shape[0] - 1)
    return (first,) if spec.ndim == 1 else (first, 0)


def _span(s: str, color: str) -> str:
    return f'<span foreground="{color}">{html.escape(s, quote=False)}</span>'


def general_key(spec: ConvSpec) -> str:
    """The wording key of the general equation for ``spec`` (flipped form for ``flip``)."""
    return f"{'eq_flipped' if spec.flip else 'eq_general'}_{spec.ndim}d"


def term_ink(eq: SubstitutedEquation, theme, colors, term) -> str:
    """The ink of ``term``: its weight's colour (muted when it reads padding)."""
    flat = int(np.ravel_multi_index(term.kernel_index, eq.kernel_shape))
    return theme.ink(colors[flat]) if term.in_input else theme.muted_text


def index_line(eq: SubstitutedEquation, theme, colors, label, *, max_chars: int = 10**6
               ) -> str:
    """Pango markup: each term's input index ``s·i + d·m − p`` (1D, when it fits
    ``max_chars``), else per axis the indices read (``label``: the scene's wording)."""
    if len(eq.stride) == 1 and len(eq.terms) <= 3:
        parts, plain = [], []
        for t in eq.terms:
            s = (f"x[{eq.stride[0]}·{eq.out_index[0]} + {eq.dilation[0]}·{t.offset[0]} "
                 f"{MINUS} {eq.pad_before[0]}]·w{format_index(t.kernel_index)}")
            flat = int(np.ravel_multi_index(t.kernel_index, eq.kernel_shape))
            parts.append(_span(s, theme.ink(colors[flat])))
            plain.append(s)
        lhs = f"y{format_index(eq.out_index)} = "
        if len(lhs + " + ".join(plain)) <= max_chars:
            return lhs + " + ".join(parts)
    axes = (("eq_axis_1d",) if len(eq.stride) == 1 else ("eq_axis_rows", "eq_axis_cols"))
    out = []
    for a, key in enumerate(axes):
        expr = (f"{eq.stride[a]}·{eq.out_index[a]} + {eq.dilation[a]}·{'mn'[a]} {MINUS} "
                f"{eq.pad_before[a]}")
        reads = ", ".join(format_number(v) for v in eq.axis_reads(a))
        out.append(html.escape(label("eq_axis_reads", axis=label(key), expr=expr, reads=reads),
                               quote=False))
    return "    ".join(out)


def term_marks(n: int) -> list[str]:
    """The marks that link each of ``n`` terms to its input cell without colour: ① … ⑳,
    then (21), (22) …"""
    return [chr(0x2460 + k) if k < 20 else f"({k + 1})" for k in range(n)]


def cells_line(eq: SubstitutedEquation, theme, colors, *, marked: bool = False) -> str:
    """Pango markup ``= x[j]·w[m] + …``: the cell and the weight of each term (each after its
    mark ``①`` … when ``marked``)."""
    marks = term_marks(len(eq.terms)) if marked else [""] * len(eq.terms)
    parts = [_span(f"{m}x{format_index(t.input_index)}·w{format_index(t.kernel_index)}",
                   term_ink(eq, theme, colors, t)) for m, t in zip(marks, eq.terms)]
    return "= " + " + ".join(parts)


def sum_line(eq: SubstitutedEquation, theme, colors, *, lhs: bool,
             weights: KernelWeights, marked: bool = False) -> str:
    """Pango markup of the products and their sum (``y[i] = `` first when ``lhs``); a kernel
    of fractions with its factor pulled out (``1/9 · (3·1 + …) = 1/9 · 25 = 2.78``,
    :class:`~scenes.kit.weights.KernelWeights`), so the terms add up as shown. With
    ``marked`` each product follows its mark (``①``, the mark on the cell it reads)."""
    marks = term_marks(len(eq.terms)) if marked else [""] * len(eq.terms)
    parts = [_span(m + weights.product(t.x_value, t.w_value), term_ink(eq, theme, colors, t))
             for m, t in zip(marks, eq.terms)]
    head = f"y{format_index(eq.out_index)} = " if lhs else "= "
    value = _span(format_number(eq.value), theme.ink("output"))
    f = weights.factor_text
    if f is None:
        return head + " + ".join(parts) + " = " + value
    inner = format_number(weights.inner((t.x_value, t.w_value) for t in eq.terms))
    return f"{head}{f} · (" + " + ".join(parts) + f") = {f} · {inner} = " + value


def show_markup(scene: ConvScene, slot: str, markup: str, box, *, kind: str = "equation"
                ) -> str:
    """Show coloured Pango ``markup`` in ``slot`` through the scene's narration; returns its
    plain text."""
    plain = html.unescape(re.sub(r"<[^>]+>", "", markup))
    mob = fit_text(make_markup(markup, scene.text_font, scene.theme.ink("text")), box)
    scene.narration.show(slot, mob, plain, kind=kind)
    return plain


class GeneralEquation(ConvScene):
    """The general equation, this spec's numbers, one output index on the grid (module doc)."""

    @classmethod
    def check_spec(cls, spec: ConvSpec, mode: str = "numeric") -> None:
        """:func:`scenes.plans.equation.check_spec` (direct specs only; cells of
        :func:`plan_layout` at 480p)."""
        equation_plan.check_spec(spec, mode)

    # -- the story ---------------------------------------------------------------------------

    def construct(self) -> None:
        self._build()
        self._general()
        self._this_spec()
        self._terms()
        self._sum()
        self.narration.say("caption", self.label("eq_closing"), self.lay.bottom[0],
                           kind="caption", role="muted_text")
        self.close()

    def _build(self) -> None:
        sp = self.spec
        self.eq = substitute(self.x, self.w, sp, chosen_index(sp))
        self.y = self.eq.value
        chars = value_chars(self.x, self.weights.values, [self.y])
        self.lay = lay = plan_layout(sp, frame_width=self.frame_size()[0],
                                     frame_height=self.frame_size()[1], numeric=self.numeric,
                                     chars=chars)
        self.text_font = lay.text_font
        th = self.theme
        vf = lay.value_font if lay.numeric else None
        placed = dict(zip(("kernel", "grid", "output") if sp.ndim == 1
                          else ("grid", "kernel", "output"), lay.grids))
        self.colors = th.kernel_colors(sp.kernel_size)
        # the input's digits at most 0.42 of a cell: room for the terms' tabs (as A1's badges)
        inf = None if vf is None else min(vf, 0.42 * lay.cell / DIGIT_HEIGHT)
        self.input_grid = CellGrid(sp.grid_shape, lay.cell, theme=th, role="input",
                                   kinds=grid_input_index(sp), values=grid_values(self.x, sp),
                                   value_font=inf, center=placed["grid"].box.center)
        self.kernel_grid = CellGrid(sp.kernel_shape, lay.cell, theme=th, role="kernel",
                                    values=self.weights.values, value_font=vf,
                                    colors=self.colors,
                                    center=placed["kernel"].box.center)
        self.output_grid = CellGrid(sp.output_shape, lay.cell, theme=th, role="output",
                                    filled=False, center=placed["output"].box.center)
        self.captions = VGroup(*(
            self.text_row(self._caption(key), placed[name].caption, lay.caption_font, muted=True)
            for name, key in (("grid", "input"), ("kernel", "kernel"), ("output", "output"))
        ))
        self.window = self.input_grid.get_window([t.grid_index for t in self.eq.terms])
        self.input_grid.values.set_z_index(2)
        self.say("title", self.label("eq_title"), lay.top[0], kind="title")
        self.say("eq1", self.label(general_key(sp)), lay.top[1], kind="equation")
        self.preview(self.input_grid, self.kernel_grid, self.output_grid, self.captions,
                     self.window, parts=("title", "equation", "grids", "window"))
        self.wait(1.5)  # frames are drawn only from the first wait or play: hold the preview
        self.log.add(WindowLanded(0.0, 0.0, step=0, out_index=self.eq.out_index,
                                  cells=tuple(t.grid_index for t in self.eq.terms)))

    def _general(self) -> None:
        self.mark("general")
        self.say("caption", self.label("eq_symbols"), self.lay.bottom[0], role="muted_text")
        other = "eq_general" if self.spec.flip else "eq_flipped"
        self.narration.settle("caption")
        self.say("eq2", self.label(f"{other}_{self.spec.ndim}d"), self.lay.top[2],
                 kind="equation", role="muted_text")
        key = "eq_flip_caption" if not self.spec.flip else "eq_symbols"
        if key != "eq_symbols":
            self.say("caption", self.label(key), self.lay.bottom[0], role="muted_text")
        self.narration.settle()

    def _this_spec(self) -> None:
        self.mark("this spec")
        eq = self.eq
        self.say("caption", self.label("eq_spec_caption", s=format_axes(eq.stride),
                                       d=format_axes(eq.dilation), p=format_axes(eq.pad_before)),
                 self.lay.bottom[0], role="muted_text")
        self.say("eq2", self._spec_equation(), self.lay.top[2], kind="equation")
        self.narration.settle()

    def _spec_equation(self) -> str:
        eq = self.eq
        names = ("i", "j")
        offs = ("m", "n")
        idx = ", ".join(
            f"{eq.stride[a]}·{names[a]} + {eq.dilation[a]}·{offs[a]} {MINUS} {eq.pad_before[a]}"
            for a in range(len(eq.stride)))
        w_idx = ", ".join(
            f"{eq.kernel_shape[a] - 1} {MINUS} {offs[a]}" if eq.flip else offs[a]
            for a in range(len(eq.stride)))
        sums = " ".join(f"Σ{'ₘₙ'[a]}" for a in range(len(eq.stride)))
        lhs = "y[" + ",".join(names[: len(eq.stride)]) + "]"
        return f"{lhs} = {sums} x[{idx}] · w[{w_idx}]"

    def _terms(self) -> None:
        self.mark("terms")
        eq, th = self.eq, self.theme
        marks = self._marks()
        key = "eq_index_caption_marked" if self.marked else "eq_index_caption"
        self.say("caption", self.label(key, i=format_index(eq.out_index)),
                 self.lay.bottom[0], role="muted_text")
        tints = VGroup()
        for t in eq.terms:
            color = self.colors[self._flat_k(t.kernel_index)]
            sq = Square(side_length=self.input_grid.cell_size)
            sq.set_fill(th.tint(color), opacity=0.85).set_stroke(width=0)
            tints.add(sq.move_to(self.input_grid.cell_center(t.grid_index)).set_z_index(1))
        self.add(tints, marks)
        rows = self.lay.bottom[1:]
        self._markup("lineA", index_line(eq, th, self.colors, self.label), rows[0])
        if self.spec.ndim == 1:
            self._markup("lineB", cells_line(eq, th, self.colors, marked=self.marked), rows[1])
        if any(not t.in_input for t in eq.terms):
            self.say("caption", self.label("eq_padding_caption"), self.lay.bottom[0],
                     role="muted_text")
        self.narration.settle()

    def _sum(self) -> None:
        self.mark("sum")
        eq, th = self.eq, self.theme
        t0 = self.time
        value = format_number(eq.value)
        line = sum_line(eq, th, self.colors, lhs=self.spec.ndim != 1, weights=self.weights,
                        marked=self.marked)
        row = self.lay.bottom[-1]
        plain = self._markup("sum", line, row, kind="worked")
        self.narration.settle("sum")
        self.log.add(ProductsShown(t0, self.time, step=0, out_index=eq.out_index,
                                   lines=(plain,)))
        t1 = self.time
        cell = self.output_grid.get_cell(eq.out_index, color=th.output,
                                         fill_opacity=th.fill_opacity, stroke_width=3)
        digits = self.output_grid.value_text(eq.out_index, eq.value,
                                             font_size=self.lay.value_font)
        self.add(cell, digits if self.lay.numeric else VGroup())
        self.wait(0.5 * self.step_time)
        self.log.add(ResultWritten(t1, self.time, step=0, out_index=eq.out_index, text=value,
                                   full=True))
        self.say("caption", self.label("eq_result_caption", i=format_index(eq.out_index),
                                       v=value), self.lay.bottom[0], role="muted_text")
        self.narration.settle()

    # -- helpers -----------------------------------------------------------------------------

    def _marks(self) -> VGroup:
        """Each term's mark (①, ②, …) in a badge on the input cell it reads, in its weight's
        colour: the link between a term and its cell that does not rest on colour alone
        (none when the badges would be too small to read: then ``self.marked`` is False)."""
        eq = self.eq
        font = 0.2 * self.lay.cell / DIGIT_HEIGHT
        self.marked = px_480p(font * DIGIT_HEIGHT, self.lay.frame_height) >= (
            MIN_GLYPH_PX_480P * 0.75)
        if not self.marked:
            return VGroup()
        cells = [t.grid_index for t in eq.terms]
        colors = [self.colors[self._flat_k(t.kernel_index)] for t in eq.terms]
        numbers = [str(k + 1) for k in range(len(eq.terms))]  # ① in the lines, 1 on its tab
        self.record("marks", cells=cells, marks=term_marks(len(eq.terms)), tabs=numbers)
        return weight_badges(self.input_grid, cells, numbers, colors, self.theme,
                             font).set_z_index(3)

    def _caption(self, key: str) -> str:
        """A grid's caption; the kernel's says the factor of a kernel of fractions."""
        return self.kernel_caption(self.label(key)) if key == "kernel" \
            else self.label(key)

    def _flat_k(self, kernel_index: tuple[int, ...]) -> int:
        return int(np.ravel_multi_index(kernel_index, self.spec.kernel_shape))

    def _markup(self, slot: str, markup: str, box, *, kind: str = "equation") -> str:
        return show_markup(self, slot, markup, box, kind=kind)
