"""The transposed convolution by superposition, `Superposition`.

``Superposition`` draws :func:`convmath.scatter_steps`: each input cell multiplies the kernel and
stamps it onto the output, the stamps add up (running sums, overlaps tinted by how many stamps a
cell received), padding crops the borders, and the result is checked against the equivalent direct
convolution (:func:`convmath.conv_steps` over :func:`convmath.grid_values`).

Run with defaults: ``manim -ql scenes/superposition.py Superposition``.
"""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np
from manim import (
    Animation,
    AnimationGroup,
    Dot,
    FadeIn,
    FadeOut,
    ReplacementTransform,
    Succession,
    Text,
    Transform,
    VGroup,
    VMobject,
)

from convmath import (
    INSERTED_ZERO,
    PADDING_CELL,
    ConvSpec,
    ScatterStep,
    canvas_spec,
    checkerboard_axes,
    conv_steps,
    format_axes,
    format_padding,
    grid_input_index,
    grid_kernel,
    grid_values,
    scatter_steps,
    stamp_counts,
    transposed_crop,
    uncropped_spec,
)
from convmath.explain import format_index, format_number, signed
from scenes.kit.base import ConvScene
from scenes.kit.grid import CellGrid, drawn_grid
from scenes.kit.text import make_text, wrap_words
from scenes.kit.text import text_line as caption
from scenes.layout import Box, value_chars
from scenes.plans import superposition as superposition_plan
from scenes.wording import crop_words

__all__ = ["Superposition", "FULL_STAMPS", "checkerboard_axes", "has_checkerboard"]

#: Stamps shown in full (with their caption) before the rest go faster.
FULL_STAMPS = 2
#: Windows of the equivalent direct convolution that slide one by one (a step each) before the
#: rest land together, announced as a quick recap.
_SWEEP_STEPS = 3
#: Dots per row of a cell's stamp count, and rows (beyond, the count is written).
PIPS_PER_ROW, PIP_ROWS = 5, 2

Index = tuple[int, ...]


def _flat(index: Index, shape: tuple[int, ...]) -> int:
    return int(np.ravel_multi_index(index, shape))


def _at_once(t: float) -> float:
    """A rate function that completes on the first frame (a cut: no cross-fade, few bytes)."""
    return 1.0


def count_marks(grid: CellGrid, index: Index, n: int, color: str) -> VMobject:
    """How many stamps a cell received, as ``n`` dots along its top edge (rows of
    :data:`PIPS_PER_ROW`, clear of the number in the middle), or ``n`` written small in that
    band when more would not fit: a cue that does not rest on the tint's colour alone."""
    side = grid.cell_size
    top = grid.cell_center(index) + np.array([0.0, 0.5 * side, 0.0])
    if n > PIPS_PER_ROW * PIP_ROWS:
        return make_text(str(n), 0.12 * side * 48, color).move_to(top - [0, 0.09 * side, 0])
    dots = VGroup()
    for k in range(n):
        row, col = divmod(k, PIPS_PER_ROW)
        in_row = min(PIPS_PER_ROW, n - row * PIPS_PER_ROW)
        x = (col - (in_row - 1) / 2) * 0.13 * side
        dots.add(Dot(top + np.array([x, -(0.075 + 0.09 * row) * side, 0.0]),
                     radius=0.037 * side, color=color))
    return dots


def has_checkerboard(spec: ConvSpec) -> bool:
    """Whether a transposed spec's stamps overlap unevenly (see :func:`checkerboard_axes`)."""
    return bool(checkerboard_axes(spec))


class Superposition(ConvScene):
    """The transposed convolution as a sum of stamps (also valid for a direct spec).

    Parameters
    ----------
    spec, x, w, mode, theme, lang, step_time
        As :class:`scenes.base.ConvScene` (default: transposed, 2×2 input, 3×3 kernel,
        stride 2).

    Attributes
    ----------
    canvas_spec : ConvSpec
        Where the stamps land before cropping (see :func:`_canvas_spec`).
    stamped : dict
        Canvas index → list of ``(input index, kernel index, product)`` drawn onto it.
    canvas_sums : numpy.ndarray
        The sum of the products of every stamp drawn on each canvas cell.
    canvas_values : numpy.ndarray
        The running sums written on the canvas after the last stamp (numeric mode; schematic:
        ``canvas_sums``).
    final_values : numpy.ndarray
        The drawn result after cropping (``spec.output_shape``).
    direct_values : numpy.ndarray
        The values written by the sliding window of the equivalent direct convolution.
    direct_real_taps : numpy.ndarray
        Real (non-padding, non-inserted) input cells under each window: the direct view's tint.
    stamp_counts : numpy.ndarray
        Stamps received by each output cell (the tint).
    checkerboard : bool
        Whether the checkerboard was named.

    Raises
    ------
    ValueError
        (:class:`convmath.ConvMathError`) past :attr:`MAX_INPUT_CELLS` stamps or a canvas side
        longer than :attr:`MAX_CANVAS_SIDE`.
    """

    default_spec: ClassVar[ConvSpec] = ConvSpec((2, 2), 3, stride=2, transposed=True)
    default_kernel: ClassVar[str] = "seed-2d"
    #: Most input cells (one stamp each) drawn: an 8×8 input (the gallery's largest is 7×7).
    MAX_INPUT_CELLS: ClassVar[int] = superposition_plan.MAX_INPUT_CELLS
    #: Longest side of the stamped canvas (and of the equivalent direct grid).
    MAX_CANVAS_SIDE: ClassVar[int] = superposition_plan.MAX_CANVAS_SIDE

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        type(self).check_spec(self.spec, mode=self.mode)
        self.canvas_spec = canvas_spec(self.spec)
        self.stamped: dict[Index, list[tuple[Index, Index, float]]] = {}
        self.checkerboard = False

    @classmethod
    def check_spec(cls, spec: ConvSpec, mode: str = "numeric") -> None:
        """:func:`scenes.plans.superposition.check_spec` with this class's name and limits."""
        superposition_plan.check_spec(spec, mode, name=cls.__name__,
                                      max_input_cells=cls.MAX_INPUT_CELLS,
                                      max_canvas_side=cls.MAX_CANVAS_SIDE)

    def construct(self) -> None:
        """The story: the figure, the stamps (the first in full, then faster), the crop and
        output padding, then the same numbers by the equivalent direct convolution."""
        self._plan()
        self._open()
        self._stamp_all()
        crop, inside = self._crop()
        self._output_padding(inside)
        self._equivalence(crop, inside)
        self.close()

    def _plan(self) -> None:
        """Stamps, layout and grids (input, kernel, the canvas the stamps land on)."""
        s, cs, th = self.spec, self.canvas_spec, self.theme
        self._steps = scatter_steps(self.x, self.w, cs)
        self._kcolors = th.kernel_colors(s.kernel_size)
        products = [c.product for st in self._steps for c in st.contributions]
        units = self.weights.factored.in_units  # a kernel of fractions: sums in its units
        chars = value_chars(self.x, self.weights.values, [units(p) for p in products],
                            *[np.vectorize(units)(st.partial) for st in self._steps])
        i, k, o = s.input_shape, s.kernel_shape, cs.output_shape
        # The scaled kernel (the stamp) has its own slot, between the kernel and the canvas:
        # the kernel stays as it is while "3 × kernel" is drawn beside it.
        _, lay = self.plan_best(
            [[[i], [k], [k], [o]], [[i, k], [k], [o]], [[i], [k, k], [o]]],
            top_rows=1, bottom_rows=2, chars=chars,
        )
        self.layout = lay
        self._vf = lay.value_font if lay.numeric else None
        g_in, g_k, g_stamp, g_out = lay.grids
        self._stamp_slot = g_stamp
        self._stamp_frame = CellGrid(s.kernel_shape, lay.cell, theme=th, role="kernel",
                                     filled=False, center=g_stamp.box.center)
        self.input_grid = CellGrid(s.input_shape, lay.cell, theme=th, values=self.x,
                                   value_font=self._vf, center=g_in.box.center)
        self.kernel_grid = CellGrid(s.kernel_shape, lay.cell, theme=th, role="kernel",
                                    colors=self._kcolors, values=self.weights.values,
                                    value_font=self._vf,
                                    center=g_k.box.center)
        self._canvas = CellGrid(cs.output_shape, lay.cell, theme=th, role="output", filled=False,
                                center=g_out.box.center)
        self.output_grid = self._canvas

    def _say(self, slot: str, sentence: str | None, *, kind: str = "caption",
             role: str = "text") -> None:
        """Say ``sentence`` in ``"title"``, ``"caption"`` (first row under the grids) or
        ``"line2"`` (the second) through the kit's narration; ``None`` clears the place."""
        if sentence is None:
            self.narration.clear(slot)
            return
        lay = self.layout
        box = {"title": lay.top[0], "caption": lay.bottom[0], "line2": lay.bottom[1]}[slot]
        self.say(slot, sentence, box, kind=kind, role=role, font=lay.text_font)

    def _open(self) -> None:
        """The first frame (a preview: input, kernel and the empty canvas under the title that
        says what is computed), at once."""
        s, th, lay = self.spec, self.theme, self.layout
        g_in, g_k, _, g_out = lay.grids
        caps = VGroup(
            caption(self.label("input"), g_in.caption, lay.caption_font, th.text),
            caption(self._units(self.label("kernel"), self._vf), g_k.caption, lay.caption_font,
                    th.text),
        )
        self._stamp_cap = self._stamp_caption_mob(None)
        canvas_cap = caption(self._units(self.label("sup_canvas" if s.transposed else "output"),
                                         self._vf),
                             g_out.caption, lay.caption_font, th.text)
        self._canvas_cap = canvas_cap
        self.preview(self.input_grid, self.kernel_grid, self._stamp_frame, self._stamp_cap,
                     self._canvas, caps, canvas_cap, parts=("title", "grids"))
        self._say("title", self.label("sup_title" if s.transposed else "sup_title_direct"),
                  kind="title")
        self.wait(self.step_time)

    # -- the stamps ------------------------------------------------------------------------------

    def _stamp_all(self) -> None:
        """Every input cell stamps the kernel: the first few in full, then batches, faster."""
        cs = self.canvas_spec
        self._final_counts = stamp_counts(cs)
        self._top_count = max(1, int(self._final_counts.max()))
        self._cells = [tuple(int(v) for v in i) for i in np.ndindex(*cs.output_shape)]
        # Overlap tint: one square per canvas cell, darker with every stamp it receives.
        self._tints = {c: self._canvas.get_cell(c, color=self.theme.output, fill_opacity=0,
                                                stroke_width=0) for c in self._cells}
        self.add(VGroup(*self._tints.values()))
        self.bring_to_front(self._canvas)
        self._count = {c: 0 for c in self._cells}
        self._shown: dict[Index, Text] = {}  # the running sum written in each canvas cell
        self._pips: dict[Index, VMobject] = {}  # the stamp count drawn in each canvas cell
        self._shown_value: dict[Index, float] = {}
        self._drawn = np.zeros(cs.output_shape)  # the sum of the stamps' products, as drawn
        steps = self._steps
        n_full = FULL_STAMPS if len(steps) > FULL_STAMPS + 1 else len(steps)
        for n, st in enumerate(steps[:n_full]):
            self._say("caption", self._stamp_caption(st))
            sums = self._overlap_sums(st)
            show, add, gone = self._stamp(st, True)
            self.play(Succession(show, add), run_time=self.step_time * 1.4)
            if sums:  # old + new = sum, for the first overlaps, the stamp still beside
                self._say("line2", sums, kind="equation")
            elif n == 1:
                self._say("line2", self.label("sup_overlap"), role="muted_text")
            self.narration.settle()
            self.play(gone, run_time=self.step_time * 0.1)
        self._stamp_rest(steps[n_full:])
        self._canvas_done()
        self.canvas_sums = self._drawn.copy()
        self.canvas_values = self._drawn.copy()  # the numbers on screen (schematic: sums drawn)
        for o, v in self._shown_value.items():
            self.canvas_values[o] = v
        self.record("canvas", values=self.canvas_values.copy())

    def _stamp_rest(self, rest: list[ScatterStep]) -> None:
        """The other stamps, in batches of one play (long runs go faster)."""
        if not rest:
            return
        self._say("line2", self.label("sup_overlap"), role="muted_text")
        self._say("caption", self.label("sup_fast", n=len(rest)))
        per_play, per_stamp = (4, 0.8) if len(rest) <= 16 else (8, 0.35)
        for i in range(0, len(rest), per_play):
            batch = rest[i:i + per_play]
            phases = [phase for st in batch for phase in self._stamp(st, False)]
            self.play(Succession(*phases), run_time=self.step_time * per_stamp * len(batch))

    def _stamp_pieces(self, st: ScatterStep) -> tuple[VGroup, VGroup]:
        """The scaled kernel (one piece per product) and where each piece lands on the canvas;
        counts and sums are updated as drawn."""
        s, th = self.spec, self.theme
        stamp, target = VGroup(), VGroup()
        for c in st.contributions:
            src = self._stamp_frame.get_cell(c.kernel_index, color=th.highlight,
                                             fill_opacity=0, stroke_width=3)
            src.set_fill(th.tint(self._kcolors[_flat(c.kernel_index, s.kernel_shape)]),
                         opacity=0.9)
            piece = VGroup(src)
            if self._vf is not None:
                piece.add(make_text(self.weights.in_units(c.product), self._vf, th.text)
                          .move_to(src.get_center()))
            stamp.add(piece)
            landed = piece.copy().move_to(self._canvas.cell_center(c.out_index))
            if len(landed) > 1:  # the product's digits go as it lands: the sum replaces them
                landed[1].set_opacity(0)
            target.add(landed)
            self._count[c.out_index] += 1
            self._drawn[c.out_index] += c.product
            self.stamped.setdefault(c.out_index, []).append(
                (st.in_index, c.kernel_index, c.product))
        return stamp, target

    def _sum_updates(self, st: ScatterStep) -> list[Animation]:
        """The touched cells: tint by stamp count, running sums rewritten."""
        updates: list[Animation] = []
        for o in dict.fromkeys(c.out_index for c in st.contributions):
            updates.append(self._tints[o].animate(rate_func=_at_once).set_fill(
                opacity=0.7 * self._count[o] / self._top_count))
            pips = count_marks(self._canvas, o, self._count[o], self.theme.ink("text"))
            if o in self._pips:
                updates.append(Transform(self._pips[o], pips, rate_func=_at_once))
            else:
                self._pips[o] = pips
                updates.append(FadeIn(pips, rate_func=_at_once))
            if self._vf is None:
                continue
            new = make_text(self.weights.in_units(st.partial[o]), self._vf,
                            self.theme.text).move_to(
                self._canvas.cell_center(o))
            self._shown_value[o] = float(st.partial[o])
            if o in self._shown:  # the old sum is replaced by a cut, never morphed
                updates.append(Transform(self._shown[o], new, rate_func=_at_once))
            else:
                self._shown[o] = new
                updates.append(FadeIn(new, rate_func=_at_once))
        return updates

    def _stamp(self, st: ScatterStep, full: bool) -> list[AnimationGroup]:
        """Highlight the input cell and show the stamp (the kernel times it) in the kernel's
        place, beside the canvas, with the canvas cells it lands on outlined; the sums are
        rewritten there (never under a stamp drawn over the old digits); the stamp goes: the
        three phases of one stamp, for one flat Succession."""
        th = self.theme
        hl = self.input_grid.get_cell(st.in_index, color=th.highlight, stroke_width=5)
        stamp, _ = self._stamp_pieces(st)
        where = self._canvas.get_window([c.out_index for c in st.contributions],
                                        color=th.highlight, fill_opacity=0, stroke_width=3)
        updates = self._sum_updates(st)
        self.record("stamp", in_index=st.in_index,
                    cells={c.out_index: c.kernel_index for c in st.contributions},
                    stamp_box=_box_of(stamp), canvas_box=_box_of(self._canvas),
                    kernel_box=_box_of(self.kernel_grid))
        # Played in one Succession with other stamps, the marks are in the scene from the
        # start of the play(): they start transparent and are shown by a Transform (a FadeIn
        # would leave them visible until their turn).
        label = self._stamp_caption_mob(st)
        self.record("stamp_label", in_index=st.in_index, text=self._stamp_label(st))
        shown = VGroup(hl, stamp, where, label)
        on = shown.copy()
        shown.set_opacity(0)
        for m in (shown[0], shown[2]):
            m.set_fill(opacity=0)
        # The stamp's caption ("3 × kernel") replaces the slot's own by cuts, and back.
        cap = self._stamp_cap
        hidden, back = cap.copy().set_opacity(0), cap.copy()
        return [
            AnimationGroup(Transform(shown, on, rate_func=_at_once),
                           Transform(cap, hidden, rate_func=_at_once)),
            AnimationGroup(*updates),
            AnimationGroup(FadeOut(shown, rate_func=_at_once),
                           Transform(cap, back, rate_func=_at_once)),
        ]

    def _stamp_label(self, st: ScatterStep | None) -> str:
        """The stamp slot's caption: "3 × kernel" for a stamp (the input cell's name in the
        schematic view), "input × kernel" while no stamp is drawn."""
        if st is None:
            return self.label("sup_scaled_any")
        v = format_number(st.x_value) if self._vf is not None else self.label(
            "sup_input_at", cell=format_index(st.in_index))
        return self._units(self.label("sup_scaled", v=v), self._vf)

    def _stamp_caption_mob(self, st: ScatterStep | None) -> VMobject:
        lay = self.layout
        return caption(self._stamp_label(st), self._stamp_slot.caption, lay.caption_font,
                       self.theme.text)

    def _stamp_caption(self, st: ScatterStep) -> str:
        """What a stamp shown in full does (values only in the numeric view)."""
        cell = format_index(st.in_index)
        if self._vf is None:
            return self.label("sup_stamp_schematic" if self.spec.transposed
                              else "sup_stamp_direct_schematic", cell=cell)
        key = "sup_stamp" if self.spec.transposed else "sup_stamp_direct"
        return self.label(key, cell=cell, v=format_number(st.x_value))

    def _overlap_sums(self, st: ScatterStep) -> str | None:
        """``old + new = sum`` for the cells where stamp ``st`` lands on earlier stamps (at most
        two; ``None`` when it overlaps none or numbers are not drawn)."""
        if self._vf is None:
            return None
        sums = []
        for c in st.contributions:
            o = c.out_index
            if o in self._shown_value and len(sums) < 2:
                old = self._shown_value[o]
                u = self.weights.in_units  # a kernel of fractions: in its units, exactly
                added = signed(self.weights.factored.in_units(c.product))  # "3 + (−2)"
                sums.append(f"{format_index(o)}: {u(old)} + {added} = {u(st.partial[o])}")
        return "   ".join(sums) or None

    def _crop_slices(self) -> tuple[slice, ...]:
        """The part of the canvas a transposed spec keeps (its padding cropped); all of it for a
        direct spec (its padding is on the input)."""
        s = self.spec
        if not s.transposed:
            return tuple(slice(None) for _ in s.output_shape)
        return tuple(slice(pb, pb + o) for (pb, _), o in zip(s.pads, s.output_shape))

    def _canvas_done(self) -> None:
        """Every stamp added: the finished canvas held, the checkerboard named where it first
        shows (transposed specs)."""
        s = self.spec
        self.stamp_counts = self._final_counts[self._crop_slices()].copy()
        self._say("caption", self.label("sup_canvas_done", n=len(self._steps)))
        if s.transposed:
            self._say("line2", self._checkerboard_text())
        else:
            self._say("line2", None)
        self.record("canvas_done", checkerboard=self.checkerboard,
                    dots={c: self._count[c] for c in self._pips})  # as count_marks drew them
        self.narration.settle()

    # -- cropping and output padding ----------------------------------------------------------

    def _crop(self) -> tuple[tuple[slice, ...], np.ndarray]:
        """Transposed with padding: the borders are cropped. Returns the crop (slices of the
        canvas) and the mask of the canvas cells kept."""
        s, cs, th = self.spec, self.canvas_spec, self.theme
        inside = np.ones(cs.output_shape, dtype=bool)
        crop = self._crop_slices()
        if s.transposed and any(b or a for b, a in s.pads):
            inside[:] = False
            inside[crop] = True
            kinds = np.where(inside, 0, -1)
            cropped = CellGrid(cs.output_shape, self.layout.cell, theme=th, role="output",
                               filled=False, kinds=kinds, center=self._canvas.outline.get_center())
            gone = [self._shown[c] for c in self._shown if not inside[c]]
            gone += [self._tints[c] for c in self._cells if not inside[c]]
            gone += [self._pips[c] for c in self._pips if not inside[c]]
            self._say("caption", self.label("sup_crop", p=format_padding(s.pads)))
            self.remove(self._canvas, *gone)  # a cut: the cropped borders go at once
            self.add(cropped)
            self.wait(self.step_time * 0.6)
            self._canvas = self.output_grid = cropped
        self.final_values = self.canvas_values[crop].copy()
        self.stamp_counts = self._final_counts[crop].copy()
        self.record("final", values=self.final_values.copy())
        return crop, inside

    def _output_padding(self, inside: np.ndarray) -> None:
        """Transposed with ``output_padding``: the cells it keeps at the end, outlined."""
        s, th = self.spec, self.theme
        op = s.resolved_output_padding
        if not (s.transposed and any(op)):
            return
        marks = VGroup()
        for c in self._cells:
            if inside[c] and any(
                ci - pb >= o - p for ci, (pb, _), o, p in zip(c, s.pads, s.output_shape, op)
            ):
                marks.add(self._canvas.get_cell(c, color=th.highlight, stroke_width=3))
        self._say("caption", self.label("sup_output_padding", op=format_axes(op)))
        self.add(marks)
        self.record("output_padding", cells=len(marks))
        self.narration.settle("caption")
        self.remove(marks)

    # -- the same result by the equivalent direct convolution (the A1 view) -------------------

    def _equivalence(self, crop: tuple[slice, ...], inside: np.ndarray) -> None:
        """The result moves beside the direct view; the window sweeps; the checkerboard."""
        s = self.spec
        self._direct_steps = conv_steps(self.x, self.w, s)
        lay = self._equivalence_plan()
        grid_key, kernel_key = self._equivalence_grids(lay)
        self._move_result(lay, crop, inside)
        self._say_units(lay)
        self._say("title", self.label("sup_recap_title"), kind="title")
        self._crop_said = self._say_crop(lay)
        window = self._sweep(lay)
        same = "sup_equal" if self._vf is not None else "sup_equal_schematic"
        self.remove(window)
        self.add(self._equals)
        self._say("caption", self.label(same, grid=self.label(grid_key),
                                        kernel=self.label(kernel_key))
                  if s.transposed else self.label("sup_equal_direct", grid=self.label(grid_key)))
        if s.transposed:
            self._say("line2", self._checkerboard_text())

    def _say_units(self, lay) -> None:
        """A kernel of fractions: the direct view's sums are in its units, said once (its
        captions say it only on the kernel)."""
        f = self.weights.factor_text
        if f is not None and lay.numeric:
            self._say("line2", self.label("sup_units", factor=f), role="muted_text")
            self.narration.settle("line2")

    def _say_crop(self, lay) -> bool:
        """The direct view of a spec whose padding crops the stretched input: what the greyed
        cells beyond the crop line are (:func:`convmath.transposed_crop`), while the window
        sweeps past them."""
        crop = transposed_crop(self.spec)
        words = crop_words(crop, self.lang)
        if words is None:
            return False
        self.record("crop", crop=crop, cells=dict(self._grid.crop_cells))
        self._say("line2", None)
        lines = wrap_words(self.label("crop_note", crop=words), lay.row_chars, 2)
        self.narration.say_lines("caption", lines, lay.bottom[: len(lines)], role="muted_text",
                                 font=lay.text_font)
        return True

    def _equivalence_plan(self):
        """The layout of the direct view: grid, kernel, direct output, superposition output,
        each column as wide as its caption allows (:meth:`_equivalence_keys`)."""
        s = self.spec
        gk = grid_kernel(self.weights.values, s)
        units = np.vectorize(self.weights.factored.in_units)
        chars = value_chars(grid_values(self.x, s), gk, units(self.final_values))
        g = uncropped_spec(s).grid_shape  # the drawn grid with its cropped cells (issue 12 #3)
        texts = self._equivalence_keys()[2]
        lengths = [len(t) for t in texts]
        lengths[1] = len(self._units(texts[1], 1.0 if self.numeric else None))
        return self.plan(
            [[g], [s.kernel_shape], [s.output_shape], [s.output_shape]],
            top_rows=1, bottom_rows=2, chars=chars, caption_chars=[[n] for n in lengths],
        )

    def _equivalence_keys(self) -> tuple[str, str, list[str]]:
        """The direct view's grid and kernel wording keys, and its four captions (before any
        factor is said). The grid is named from what the engine laid in it: inserted zeros,
        padding, or neither."""
        s = self.spec
        kinds = grid_input_index(s)
        grid_key = ("sup_stretched" if (kinds == INSERTED_ZERO).any()
                    else "sup_padded" if (kinds == PADDING_CELL).any() else "input")
        kernel_key = "flipped_kernel" if s.flip != s.transposed else "kernel"
        return grid_key, kernel_key, [
            self.label(grid_key), self.label(kernel_key),
            self.label("sup_direct" if s.transposed else "sup_sliding"),
            self.label("sup_superposition")]

    def _equivalence_grids(self, lay) -> tuple[str, str]:
        """The direct view's grids and captions (shown by :meth:`_move_result`); returns the
        grid's and the kernel's names."""
        s, th = self.spec, self.theme
        vf = lay.value_font if lay.numeric else None
        g_grid, g_k, g_direct, g_sup = lay.grids
        grid_key, kernel_key, texts = self._equivalence_keys()
        colors = [self._kcolors[_flat(t.kernel_index, s.kernel_shape)]
                  for t in self._direct_steps[0].taps]
        self._grid = drawn_grid(s, self.x, lay.cell, theme=th, value_font=vf,
                                center=g_grid.box.center)
        kernel = CellGrid(s.kernel_shape, lay.cell, theme=th, role="kernel", colors=colors,
                          values=grid_kernel(self.weights.values, s), value_font=vf,
                          center=g_k.box.center)
        self._direct = CellGrid(s.output_shape, lay.cell, theme=th, role="output", filled=False,
                                center=g_direct.box.center)
        self.record("equivalence", grid=grid_key, kernel=kernel_key)
        # The kernel's caption says the factor, over the whole gap between its neighbours'
        # grids (their captions stay over their own grids); the outputs' unit is said once in
        # words (_say_units): with "(× 1/16)" on each of four columns the captions fell below
        # the text floor.
        gap = 0.25 * lay.cell
        left, right = g_grid.box.right + gap, g_direct.box.left - gap
        k_box = Box((left + right) / 2, g_k.caption.y, max(right - left, g_k.caption.width),
                    g_k.caption.height)
        boxes = (g_grid.caption, k_box, g_direct.caption, g_sup.caption)
        caps = VGroup(*(caption(self._units(t, vf) if n == 1 else t, box, lay.caption_font,
                                th.text)
                        for n, (t, box) in enumerate(zip(texts, boxes))))
        self._sup = CellGrid(s.output_shape, lay.cell, theme=th, role="output", filled=False,
                             center=g_sup.box.center)
        self._equals = make_text("=", lay.caption_font, th.text).move_to(
            (self._direct.outline.get_right() + self._sup.outline.get_left()) / 2)
        self._direct_view = (self._grid, kernel, self._direct, caps)
        return grid_key, kernel_key

    def _move_result(self, lay, crop: tuple[slice, ...], inside: np.ndarray) -> None:
        """The stamping view goes at once and the result moves cell by cell (tint onto tint,
        number onto number, the outlines of its cells) into its column; then the direct view
        appears at once (cross-fading both layouts redrew most of the frame)."""
        s, th = self.spec, self.theme
        vf = lay.value_font if lay.numeric else None
        offset = [sl.start or 0 for sl in crop]
        result: dict[Index, tuple[VMobject, Text | None, VMobject | None]] = {}
        for idx in np.ndindex(*s.output_shape):
            c = tuple(int(i + o) for i, o in zip(idx, offset))
            result[tuple(int(v) for v in idx)] = (self._tints[c], self._shown.get(c),
                                                   self._pips.get(c))
        inside_cells = [tuple(int(v) for v in c) for c in np.argwhere(inside)]
        here = CellGrid(s.output_shape, self._canvas.cell_size, theme=th, role="output",
                        filled=False, center=self._canvas.cells_box(inside_cells).center)
        moves = [ReplacementTransform(here, self._sup)]
        for idx, (tint, text, pips) in result.items():
            target = self._sup.get_cell(idx, color=th.output, stroke_width=0,
                                        fill_opacity=0.7 * self.stamp_counts[idx]
                                        / self._top_count)
            moves.append(ReplacementTransform(tint, target))
            if self.stamp_counts[idx]:
                dots = count_marks(self._sup, idx, int(self.stamp_counts[idx]), th.ink("text"))
                moves.append(ReplacementTransform(pips, dots) if pips is not None
                             else FadeIn(dots))
            if vf is not None:
                number = make_text(self.weights.in_units(self.final_values[idx]), vf,
                                   th.text).move_to(
                    self._sup.cell_center(idx))
                moves.append(ReplacementTransform(text, number) if text is not None
                             else FadeIn(number))
        self._say("caption", None)
        self._say("line2", None)
        keep = [said.mob for said in self.narration.on_screen.values()]
        old = [m for m in self.mobjects if m not in keep]
        pieces = [m for pair in result.values() for m in pair if m is not None]
        # Everything else goes at once; the pieces are re-added once each (a running sum shown
        # by FadeIn in a batch of stamps can be listed twice, and would stay behind).
        # The input and kernel stay while the result moves (never a lone, unlabelled grid);
        # they give way to the direct view when it arrives.
        self.remove(self._canvas, self._canvas_cap, *pieces)
        self.add(here, *pieces)
        self.play(*moves, run_time=self.step_time)
        self.remove(*[m for m in old if m not in (self._canvas, self._canvas_cap)])
        self.add(self._sup.copy())  # outlines above the tint
        self.add(*self._direct_view)
        self.wait(self.step_time * 0.6)

    def _sweep(self, lay) -> VMobject:
        """The window sweeps every step; its value goes into the direct output, tinted like the
        stamps (the window covers one real input cell per stamp). Returns the window."""
        s, th = self.spec, self.theme
        vf = lay.value_font if lay.numeric else None
        steps = self._direct_steps
        window = self._grid.get_window(steps[0])
        values = np.zeros(s.output_shape)
        real_taps = np.zeros(s.output_shape, dtype=np.int64)
        anims = []
        for n, step in enumerate(steps):
            values[step.out_index] = step.value
            val = []
            if vf is not None:
                val = [FadeIn(make_text(self.weights.in_units(step.value), vf, th.text)
                              .move_to(self._direct.cell_center(step.out_index)),
                              rate_func=_at_once)]
            real = sum(t.in_index is not None for t in step.taps)
            real_taps[step.out_index] = real
            mark = self._direct.get_cell(step.out_index, color=th.output, stroke_width=0,
                                         fill_opacity=0.7 * real / self._top_count)
            if real:  # the real cells under the window, as the stamps were counted: dots
                val.append(FadeIn(count_marks(self._direct, step.out_index, real,
                                              th.ink("text")), rate_func=_at_once))
            anims.append(AnimationGroup(Transform(window, self._grid.get_window(step)) if n
                                        else FadeIn(window), FadeIn(mark, rate_func=_at_once),
                                        *val))
        self.direct_values = values
        self.direct_real_taps = real_taps
        self.record("direct", values=values.copy())
        # The first windows land one by one, a step each; the rest together (one changed
        # frame), announced: a quick recap, not a second lesson.
        n_slide = min(len(anims), _SWEEP_STEPS)
        for anim in anims[:n_slide]:
            self.play(anim, run_time=self.step_time * 0.3)
            self.wait(self.step_time * 0.7)
        self.record("sweep", slid=n_slide, together=len(anims) - n_slide,
                    step_seconds=self.step_time)
        if len(anims) > n_slide:
            if not self._crop_said:  # the crop note holds both rows
                self._say("line2", self.label("sup_recap_rest", n=len(anims) - n_slide),
                          role="muted_text")
            rest = [a for g in anims[n_slide:] for a in g.animations[1:]]
            self.play(Transform(window, self._grid.get_window(steps[-1]), rate_func=_at_once),
                      *rest, run_time=self.step_time * 0.3)
            self.wait(self.step_time * 0.7)
        return window

    def _units(self, caption_text: str, font: float | None) -> str:
        """The caption of the kernel or of a grid of sums: a kernel of fractions says their
        unit (× 1/9) where numbers are written (``font``, the grid's value font)."""
        return self.kernel_caption(caption_text) if font is not None else caption_text

    def _checkerboard_text(self) -> str:
        """The checkerboard, named from the engine's stamp counts (or its absence)."""
        s, counts = self.spec, self.stamp_counts
        axes = checkerboard_axes(s)
        self.checkerboard = bool(axes)
        k = format_axes(s.kernel_shape)  # type: ignore[arg-type]
        st = format_axes(s.stride)
        if axes and len(axes) < s.ndim:  # name the uneven axis only
            k = self.label("sup_on_axis", v=s.kernel_shape[axes[0]], axis=axes[0])
            st = str(s.stride[axes[0]])
        levels = ", ".join(str(v) for v in sorted(set(int(v) for v in counts.ravel())))
        if axes and any(s.dilation[a] > 1 for a in axes):
            return self.label("sup_checkerboard_dilated", counts=levels)
        if axes:
            return self.label("sup_checkerboard", k=k, s=st, counts=levels)
        return self.label("sup_even", k=k, s=st, n=int(counts.max()))


def _box_of(mob: VMobject) -> tuple[float, float, float, float]:
    """``(left, right, bottom, top)`` of a mobject, in scene units."""
    return (float(mob.get_left()[0]), float(mob.get_right()[0]), float(mob.get_bottom()[1]),
            float(mob.get_top()[1]))
