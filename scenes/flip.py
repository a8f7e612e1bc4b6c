"""`FlipVsCorrelation`: convolution (kernel rotated 180°) beside cross-correlation.

Seed 001 computes ``y[0] = 2·1 + 1·(−1) = 1`` by hand and then prints numpy's
``np.convolve([2,1,0,1,2], [1,-1], 'valid') = [−1, −1, 1, 1]``: the two disagree because numpy
flips the kernel. This scene runs both on the same input side by side — left the cross-correlation
(``flip=False``: PyTorch, TensorFlow), right the convolution (``flip=True``: numpy, scipy) whose
kernel first rotates 180° on screen. The point is which weight meets which input: every window
cell is tinted with the colour of the weight it meets, on both sides, one step at a time (left,
then right, then a pause), each step's products written from :func:`convmath.conv_steps`. It ends
on the two results (1D: the two vectors) with the verdict (decided by the engine's two results:
they agree for a kernel symmetric under a 180° rotation) and the rule, held at least 4 s.

Equations are written only when the numbers are readable with them; otherwise the grids take
their room. In schematic mode (asked for, or numbers too small to read) no number or equation is
written: the colours carry the story, and the verdict and the rule are said.

Run with the defaults (seed 001's 1D example): ``manim -ql scenes/flip.py FlipVsCorrelation``.
"""

from __future__ import annotations

import dataclasses
import html

import numpy as np
from manim import PI, FadeIn, Transform, VGroup

from convmath import (
    ConvSpec,
    ConvStep,
    conv_steps,
    convolve,
    format_number,
    transposed_crop,
)
from convmath.explain import format_index, signed
from scenes.kit.base import ConvScene
from scenes.kit.grid import CellGrid, drawn_grid
from scenes.kit.log import FormulaShown
from scenes.kit.pacing import Pacer, Phase, plan_pacing
from scenes.kit.text import make_markup, make_text, wrap_words
from scenes.kit.weights import KernelWeights
from scenes.layout import (
    fit_text,
    halves_over,
    value_chars,
)
from scenes.plans import flip as flip_plan
from scenes.wording import crop_words

__all__ = ["FlipVsCorrelation", "step_lines", "SEED_X", "SIDES"]

#: Seed 001's 1D input (its kernel is the preset ``"difference"``, ``[1, −1]``).
SEED_X: tuple[float, ...] = (2.0, 1.0, 0.0, 1.0, 2.0)
#: The two sides, left to right.
SIDES: tuple[str, str] = ("correlation", "convolution")
#: Steps written out in full (both sides) before the rest go quicker.
WRITTEN_STEPS = 3

MINUS = "\u2212"


#: Weights written as they are (no factor): integer weights have none.
_AS_GIVEN = KernelWeights([0.0])


def _rows(step: ConvStep, per_line: int, terms: list[str], name: str,
          weights: KernelWeights | None, esc=lambda t: t) -> list[str]:
    """``terms`` over lines of ``per_line`` each: ``y[0] = `` first, ``+ `` after, the sum last;
    a kernel of fractions with its factor pulled out (``1/9 · (…) = 1/9 · 25 = 2.78``)."""
    chunks = [terms[i:i + per_line] for i in range(0, len(terms), per_line)]
    f = None if weights is None else weights.factor_text
    head = f"{name}{format_index(step.out_index)} = " + (f"{f} · (" if f else "")
    lines = [(head if n == 0 else "+ ") + " + ".join(c) for n, c in enumerate(chunks)]
    if f:
        inner = weights.inner((t.x_value, t.w_value) for t in step.taps)  # type: ignore[union-attr]
        lines[-1] += f") = {f} · {esc(format_number(inner))}"
    lines[-1] += f" = {esc(format_number(step.value))}"
    return lines


def step_lines(step: ConvStep, per_line: int, name: str = "y",
               weights: KernelWeights | None = None) -> list[str]:
    """One step written out over lines of ``per_line`` products each.

    ``y[0] = 2·1 + 1·(−1) = 1`` on one line when it fits; otherwise the first line starts with
    ``y[0] = ``, the next ones with ``+`` and the last ends with ``= value``. With ``weights``
    (:class:`~scenes.kit.weights.KernelWeights`) the weights are written as drawn: a kernel of
    fractions as its integers, the factor pulled out.
    """
    kw = weights or _AS_GIVEN
    terms = [kw.product(t.x_value, t.w_value) for t in step.taps]
    return _rows(step, per_line, terms, name, weights)


def step_markup(step: ConvStep, per_line: int, inks: list[str], name: str = "y",
                weights: KernelWeights | None = None) -> list[str]:
    """:func:`step_lines` as Pango markup with each weight in the ink of its colour
    (``inks[k]``: tap ``k``'s), so the equation names the same colours as the window."""
    kw = weights or _AS_GIVEN
    terms = [f"{html.escape(signed(t.x_value))}·<span foreground=\"{ink}\">"
             f"{html.escape(signed(kw.value(t.w_value)))}</span>"
             for t, ink in zip(step.taps, inks)]
    return _rows(step, per_line, terms, name, weights, esc=html.escape)


class _Side:
    """One side's view of the steps (the kit's :class:`~scenes.kit.pacing.StepView`)."""

    def __init__(self, scene: FlipVsCorrelation, k: int, steps, grid: CellGrid,
                 out: CellGrid, window: VGroup) -> None:
        self.scene, self.k, self.name = scene, k, SIDES[k]
        self.steps, self.grid, self.out = steps, grid, out
        self.window: VGroup | None = window
        self.texts: dict = {}

    def land(self, steps: tuple[int, ...], jump: bool) -> list:
        win = self.scene.window_for(self.grid, self.steps[steps[-1]])
        if self.window is None:
            self.window = win
            return [FadeIn(win)]
        if jump:
            self.window.become(win)
            return []
        return [Transform(self.window, win)]

    def where(self, step: int):
        st = self.steps[step]
        cells = tuple(t.grid_index for t in st.taps)
        return st.out_index, cells, tuple(tuple(self.grid.cell_center(c)) for c in cells)

    def products(self, step: int) -> list[str] | None:
        return self.scene.say_step(self.k, self.steps[step])

    def write(self, steps: tuple[int, ...]) -> list:
        sc, anims = self.scene, []
        for n in steps:
            st = self.steps[n]
            anims.append(FadeIn(self.out.get_cell(st.out_index, color=sc.theme.output,
                                                  fill_opacity=0.3, stroke_width=2)))
            if sc.value_font is not None:
                t = self.out.value_text(st.out_index, st.value, font_size=sc.value_font)
                t.z_index = 1
                self.texts[st.out_index] = t
                anims.append(FadeIn(t))
            sc.result_values[self.name][st.out_index] = st.value
            sc.record("step", side=self.name, out_index=st.out_index,
                      window=[tp.grid_index for tp in st.taps],
                      lines=step_lines(st, sc.per_line, weights=sc.weights),
                      written=sc.is_written(n),
                      value=st.value, colors=sc.tap_colors(st))
        return anims

    def result_text(self, step: int) -> str | None:
        t = self.texts.get(self.steps[step].out_index)
        return None if t is None else t.text

    def announce(self, phase: Phase) -> None:
        self.scene.announce(phase)


class FlipVsCorrelation(ConvScene):
    """Cross-correlation (left) and convolution with the kernel rotated 180° (right).

    Attributes
    ----------
    corr_spec, conv_spec : ConvSpec
        The spec with ``flip=False`` and ``flip=True``.
    result_values : dict
        ``{"correlation": array, "convolution": array}``: the values written into the two output
        grids (from :func:`convmath.conv_steps`).
    rotated : list of bool
        Per side, whether its kernel turned 180° on screen (the engine lays it rotated: the
        right side of a direct convolution, the left side of a transposed one).
    agree : bool
        Whether the two engine results are equal (the verdict shown).
    schematic : bool
        Whether the schematic view was drawn (colours, no numbers or equations).
    equations : bool
        Whether the steps' equations were written (numeric mode, numbers readable with them).
    drawn_texts : list of str
        Every text said (the log's :class:`~scenes.kit.log.TextShown` events).

    The log's facts: ``"step"`` per side and step (``side``, ``out_index``, ``window`` cells,
    ``lines``, ``written``, ``value``, the ``colors`` of the weights the window cells meet) and
    ``"kernel_laid"`` per side (the kernel values in grid order).

    Sizes (:meth:`check_spec`: cells of at least 6 px at 480p; numbers and equations are
    dropped, not refused, when too small to read): with a kernel of 3, 1D inputs up to 65 cells,
    2D up to 31×31 (29×29 with padding 1). Long runs are paced by the kit.
    """

    # -- plan (scenes.plans.flip: static, manim-free) --------------------------------------------

    plan_layout = staticmethod(flip_plan.plan_layout)

    @classmethod
    def check_spec(cls, spec: ConvSpec, mode: str = "numeric") -> None:
        """:func:`scenes.plans.flip.check_spec` (cells of :meth:`plan_layout` at 480p), the
        message naming this class."""
        flip_plan.check_spec(spec, mode, name=cls.__name__)

    # -- the story ----------------------------------------------------------------------------

    def construct(self) -> None:
        self._build()
        self._preview()
        self._rotate()
        self._say_crop()
        self._run_steps()
        self._conclude()
        self.close()

    @property
    def drawn_texts(self) -> list[str]:
        return self.log.texts()

    def _build(self) -> None:
        """Both specs, their steps and results, the layout, the grids of both sides."""
        s = self.spec
        self.corr_spec = dataclasses.replace(s, flip=False)
        self.conv_spec = dataclasses.replace(s, flip=True)
        self.side_steps = [conv_steps(self.x, self.w, sp) for sp in (self.corr_spec,
                                                                      self.conv_spec)]
        self.results = [convolve(self.x, self.w, sp) for sp in (self.corr_spec, self.conv_spec)]
        self.agree = bool(np.allclose(self.results[0], self.results[1]))
        self.per_line = s.kernel_shape[-1] if s.ndim == 2 else 4  # type: ignore[index]
        n_lines = max(len(step_lines(st, self.per_line, weights=self.weights))
                      for st in self.side_steps[0])
        fw, fh = self.frame_size()
        lay, self.equations = self.plan_layout(
            s, frame_width=fw, frame_height=fh, numeric=self.numeric,
            chars=value_chars(self.x, self.weights.values, *self.results), n_lines=n_lines)
        self.layout, self.text_font = lay, lay.text_font
        self.schematic = not lay.numeric
        self.value_font = lay.value_font if lay.numeric else None
        self.colors = self.theme.kernel_colors(s.kernel_size)
        self.result_values = {n: np.full(s.output_shape, np.nan) for n in SIDES}
        self.centres = [float(np.mean([g.box.x for g in lay.grids[3 * k: 3 * k + 3]]))
                        for k in (0, 1)]
        self.inputs, self.outputs = [], []
        for k in range(2):
            g_slot, _, o_slot = lay.grids[3 * k: 3 * k + 3]
            grid = drawn_grid(s, self.x, lay.cell, theme=self.theme, value_font=self.value_font,
                              center=g_slot.box.center)
            grid.values.set_z_index(1)  # the window's tints go under the numbers
            self.inputs.append(grid)
            self.outputs.append(CellGrid(s.output_shape, lay.cell, theme=self.theme,
                                         role="output", filled=False, center=o_slot.box.center))
        self.kernels = [self._kernel_pieces(lay.grids[3 * k + 1].box.center) for k in range(2)]

    def _preview(self) -> None:
        """Title, the two heads, both sides' grids and captions and kernels (w on both): the
        first frame."""
        lay = self.layout
        self.say("title", self.label("flip_title"), lay.top[0], kind="title")
        heads = (self.label("flip_corr_head"), self.label("flip_conv_head"))
        for k, box in enumerate(self._halves(lay.top[1], heads)):
            self.say(f"head{k}", heads[k], box, kind="title")
        for k in range(2):
            g_slot, k_slot, o_slot = lay.grids[3 * k: 3 * k + 3]
            for slot, what, sym in ((g_slot, "input", "x"), (k_slot, "kernel", "w"),
                                    (o_slot, "output", "y")):
                cap = f"{self.label(what)} {sym}"
                if what == "kernel":  # a kernel of fractions says its factor
                    cap = self.kernel_caption(cap)
                self.say(f"cap_{what}{k}", cap, slot.caption,
                         kind="label", font=lay.caption_font)
        self.windows = [self.window_for(self.inputs[k], self.side_steps[k][0]) for k in range(2)]
        self.preview(*self.inputs, *self.outputs, *self.kernels, *self.windows,
                     parts=("title", "grids", "kernels", "window"))
        self.wait(0.6 * self.step_time)

    def _halves(self, row, texts) -> tuple:
        widths = tuple(make_text(t, self.text_font, "#000000").width for t in texts)
        return halves_over(row, self.centres[0], self.centres[1], widths=widths)

    # -- the rotation ----------------------------------------------------------------------------

    def _kernel_pieces(self, center) -> VGroup:
        """The kernel as one small grid per weight (each can travel), in its weight's colour;
        ``pieces`` maps the user's kernel index to its piece."""
        s, lay = self.spec, self.layout
        frame = CellGrid(s.kernel_shape, lay.cell, theme=self.theme, center=center)
        group = VGroup()
        group.pieces = {}
        one = (1,) * s.ndim
        for flat, idx in enumerate(np.ndindex(*s.kernel_shape)):  # type: ignore[misc]
            piece = CellGrid(one, lay.cell, theme=self.theme, role="kernel",
                             values=np.full(one, self.weights.values[idx]),
                             value_font=self.value_font,
                             colors=[self.colors[flat]], tint=not self.schematic,
                             center=frame.cell_center(idx))
            group.pieces[tuple(int(v) for v in idx)] = piece
            group.add(piece)
        return group

    def _rotate(self) -> None:
        """Each weight travels on an arc to where the engine lays it on the grid (the right
        side for a direct convolution; a transposed one lays its kernel rotated already, so
        there the left side turns): the 180° rotation as every weight swapping with its mirror
        through the centre. Digits stay upright; the caption changes by a cut."""
        s = self.spec
        laid = [[t.kernel_index for t in st[0].taps] for st in self.side_steps]
        upright = [tuple(int(v) for v in idx) for idx in np.ndindex(*s.kernel_shape)]
        self.rotated = [laid[k] != upright for k in range(2)]
        moves = []
        for k in (k for k in range(2) if self.rotated[k]):
            target = CellGrid(s.kernel_shape, self.layout.cell, theme=self.theme)
            target.move_to(self.layout.grids[3 * k + 1].box.center)
            for pos, kidx in enumerate(laid[k]):
                cell = tuple(int(v) for v in np.unravel_index(pos, s.kernel_shape))
                moves.append(self.kernels[k].pieces[kidx].animate(path_arc=PI / 2)
                             .move_to(target.cell_center(cell)))
        if moves:
            self.mark("rotation")
            self.play(*moves, run_time=1.2 * self.step_time)
            for k in (k for k in range(2) if self.rotated[k]):
                f = self.weights.factor_text
                rotated = (f"w {self.label('flip_rotated_short')}" if f is None
                           else self.label("flip_rotated_factor", factor=f))
                self.say(f"cap_kernel{k}", rotated,
                         self.layout.grids[3 * k + 1].caption, kind="label",
                         font=self.layout.caption_font)
        for k in range(2):
            self.record("kernel_laid", side=SIDES[k], values=[float(self.w[i]) for i in laid[k]])

    def _say_crop(self) -> None:
        """A transposed spec whose padding crops the stretched input: what the greyed cells
        beyond both crop lines are (:func:`convmath.transposed_crop`), said before the steps."""
        crop = transposed_crop(self.spec)
        words = crop_words(crop, self.lang)
        if words is None:
            return
        self.record("crop", crop=crop, cells=dict(self.inputs[0].crop_cells))
        rows = self.layout.bottom
        lines = wrap_words(self.label("crop_note", crop=words), self.layout.row_chars, len(rows))
        self.narration.say_lines("note", lines, rows[: len(lines)], role="muted_text")
        self.narration.clear("note")

    # -- the steps ------------------------------------------------------------------------------

    def tap_colors(self, step: ConvStep) -> list[str]:
        """The colour of the weight each tap multiplies (its user's kernel index, row-major)."""
        shape = self.spec.kernel_shape
        return [self.colors[int(np.ravel_multi_index(t.kernel_index, shape))] for t in step.taps]

    def window_for(self, grid: CellGrid, step: ConvStep) -> VGroup:
        """The window of ``step``: each of its cells tinted with the colour of the weight it
        meets (under the numbers), and its outline."""
        fill = (lambda c: c) if self.schematic else self.theme.tint
        cells = [grid.get_cell(t.grid_index, color=fill(c), fill_opacity=1.0, stroke_width=0)
                 for t, c in zip(step.taps, self.tap_colors(step))]
        return VGroup(*cells, grid.get_window(step, fill_opacity=0.0, stroke_width=3.0))

    def is_written(self, n: int) -> bool:
        return self.equations and n < WRITTEN_STEPS

    def say_step(self, k: int, step: ConvStep) -> list[str] | None:
        """Write step ``step``'s products under side ``k`` (weights in their colours' inks)."""
        if not self.equations:
            return None
        lines = step_lines(step, self.per_line, weights=self.weights)
        inks = [self.theme.ink(c) for c in self.tap_colors(step)]
        marks = step_markup(step, self.per_line, inks, weights=self.weights)
        widths = [make_text(line, self.text_font, "#000000").width for line in lines]
        w = max(widths)
        mobs = VGroup()
        for m, row in zip(marks, self.layout.bottom):
            box = halves_over(row, self.centres[0], self.centres[1], widths=(w, w))[k]
            mobs.add(fit_text(make_markup(m, self.text_font, self.theme.ink("text")), box,
                              align="left"))
        self.narration.show(f"eq{k}", mobs, " ".join(lines), kind="worked")
        return lines

    def announce(self, phase: Phase) -> None:
        """Before the quicker steps: the worked sums leave (once read)."""
        for k in range(2):
            self.narration.clear(f"eq{k}")

    def _run_steps(self) -> None:
        """One step at a time: the left side lands, multiplies and writes, then the right side,
        then a pause. After the first steps, quicker (the kit's pacing)."""
        views = [_Side(self, k, self.side_steps[k], self.inputs[k], self.outputs[k],
                       self.windows[k]) for k in range(2)]
        pacers = [Pacer(self, v, group=v.name) for v in views]
        phases = plan_pacing([st.out_index for st in self.side_steps[0]],
                             full=WRITTEN_STEPS if self.equations else 1)
        for phase in phases:
            if phase.kind != "full":
                self.mark(f"{phase.kind} from step {phase.groups[0][0]}")
                self.announce(phase)
            for g in phase.groups:
                if phase.kind == "full":
                    self.mark(f"step {g[0]}")
                for p in pacers:
                    p.run_group(phase.kind, g)
                if phase.kind == "full":
                    self.wait(0.6 * self.step_time)  # a pause between steps
        self.windows = [v.window for v in views]
        self.output_texts = [v.texts for v in views]

    # -- the end ----------------------------------------------------------------------------------

    def _conclude(self) -> None:
        """The results (1D: the two vectors, side by side), the verdict and the rule."""
        lay = self.layout
        for k in range(2):
            self.narration.clear(f"eq{k}")
        rows = list(lay.bottom)
        if self.spec.ndim == 1 and self.equations and len(rows) >= 3:
            vecs = ["y = [" + ", ".join(format_number(v) for v in r) + "]" for r in self.results]
            for k, box in enumerate(self._halves(rows[0], vecs)):
                self.say(f"res{k}", vecs[k], box, kind="equation", role="output")
            rows = rows[1:]
        verdict = self.label("flip_agree" if self.agree else "flip_differ")
        self.say("verdict", verdict, rows[0], role="output" if self.agree else "highlight")
        rule = wrap_words(self.label("flip_rule"), lay.row_chars, len(rows) - 1)
        self.narration.say_lines("rule", rule, rows[1:])
        self._mark_differences()
        self.log.add(FormulaShown(self.time, self.time, lines=(verdict, self.label("flip_rule"))))

    def _mark_differences(self) -> None:
        """Outline the output cells where the two results differ (both sides)."""
        if self.agree:
            return
        differ = ~np.isclose(self.results[0], self.results[1])
        marks = VGroup(*(self.outputs[k].get_cell(tuple(int(v) for v in idx),
                                                  color=self.theme.highlight, stroke_width=4)
                         for idx in zip(*np.nonzero(differ)) for k in range(2)))
        self.play(FadeIn(marks), run_time=0.6 * self.step_time)
