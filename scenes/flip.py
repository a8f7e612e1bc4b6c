"""`FlipVsCorrelation`: convolution (kernel rotated 180°) beside cross-correlation.

Seed 001 computes ``y[0] = 2·1 + 1·(−1) = 1`` by hand and then prints numpy's
``np.convolve([2,1,0,1,2], [1,-1], 'valid') = [−1, −1, 1, 1]``: the two disagree because numpy
flips the kernel. This scene runs both on the same input side by side — left the cross-correlation
(``flip=False``: PyTorch, TensorFlow), right the convolution (``flip=True``: numpy, scipy) whose
kernel first rotates 180° on screen — writing every step's products and sum from
:func:`convmath.conv_steps`. At the end it says whether the two results agree (decided by comparing
the engine's two results: they do for a kernel symmetric under a 180° rotation, like seed 001's 2D
kernel) and states the rule.

Equations are written only when the numbers are readable with them; otherwise the grids take
their room (numbers only in the cells if that makes them readable).
In schematic mode (asked for, or numbers too small to read) no equation is written: the kernels
carry one colour per weight, the window lays those colours on the input cells it covers (reversed
on the right), the outputs fill, and only the verdict and the rule are written.

Run with the defaults (seed 001's 1D example): ``manim -ql scenes/flip.py FlipVsCorrelation``.
"""

from __future__ import annotations

import dataclasses
from typing import Any, ClassVar

import numpy as np
from manim import PI, FadeIn, FadeOut, VGroup
from numpy.typing import ArrayLike, NDArray

from convmath import ConvSpec, ConvStep, conv_steps, convolve, format_number, grid_input_index
from convmath import grid_values as engine_grid_values
from convmath.explain import format_index, format_shape
from scenes.kit.base import ConvScene
from scenes.kit.grid import CellGrid, show_or_move
from scenes.kit.text import make_text
from scenes.kit.text import text_line as caption
from scenes.layout import (
    REF_FRAME_HEIGHT,
    REF_FRAME_WIDTH,
    Layout,
    check_cells,
    fit_text,
    halves_over,
    plan_best,
    px_480p,
    value_chars,
)

__all__ = ["FlipVsCorrelation", "step_lines", "SEED_X"]

#: Seed 001's 1D input (its kernel is the preset ``"difference"``, ``[1, −1]``).
SEED_X: tuple[float, ...] = (2.0, 1.0, 0.0, 1.0, 2.0)

MINUS = "\u2212"


def _factor(value: float) -> str:
    s = format_number(value)
    return f"({s})" if s.startswith(MINUS) else s


def step_lines(step: ConvStep, per_line: int, name: str = "y") -> list[str]:
    """One step written out over lines of ``per_line`` products each.

    ``y[0] = 2·1 + 1·(−1) = 1`` on one line when it fits; otherwise the first line starts with
    ``y[0] = ``, the next ones with ``+`` and the last ends with ``= value``.
    """
    terms = [f"{_factor(t.x_value)}·{_factor(t.w_value)}" for t in step.taps]
    chunks = [terms[i:i + per_line] for i in range(0, len(terms), per_line)]
    lines = []
    for n, chunk in enumerate(chunks):
        body = " + ".join(chunk)
        lines.append((f"{name}{format_index(step.out_index)} = " if n == 0 else "+ ") + body)
    lines[-1] += f" = {format_number(step.value)}"
    return lines


def _laid_order(step: ConvStep) -> list[tuple[int, ...]]:
    """The user's kernel index at each kernel position on the grid (row-major), from the taps."""
    return [t.kernel_index for t in step.taps]


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
        Every equation and caption string written.
    records : list of dict
        ``"step"`` per side and step (``side``, ``out_index``, ``window`` cells, ``lines``,
        ``value``, the ``colors`` of the weights under the window), ``"kernel_laid"`` per side
        (the kernel values in grid order).

    Sizes (:meth:`check_spec`: cells of at least 6 px at 480p; numbers and equations are
    dropped, not refused, when too small to read): with a kernel of 3, 1D inputs up to 65 cells
    (63 with padding 1), 2D up to 31×31 (29×29 with padding 1), transposed with stride 2 up to 31
    (1D) and 14×14 (2D). Long runs need no step limit: the steps between the first three and the
    last are shown in about a dozen batches.
    """

    default_spec: ClassVar[ConvSpec] = ConvSpec((5,), 2)
    default_kernel: ClassVar[str] = "difference"

    def __init__(self, spec: ConvSpec | None = None, x: ArrayLike | None = None,
                 w: ArrayLike | None = None, **kwargs: Any) -> None:
        if spec is None and x is None:
            x = np.array(SEED_X)
        super().__init__(spec, x, w, **kwargs)

    # -- construct ---------------------------------------------------------------------------

    @staticmethod
    def plan_layout(spec: ConvSpec, *, frame_width: float, frame_height: float,
                    numeric: bool = True, chars: int = 2, n_lines: int = 0
                    ) -> tuple[Layout, bool]:
        """The scene's layout: per side the input, kernel and output (stacked, or the input
        beside the other two), two title rows, ``n_lines`` equation rows and two rows for the
        verdict and the rule. Returns ``(layout, equations)``.

        Equations are kept only when the numbers they name are readable in the cells; without
        them (``equations`` false) the grids get the room of the equation rows (numbers may
        become readable then). Both kernels (grids 1 and 4 in either arrangement) get room to
        turn: the right one rotates 180° in place, and its corners must not sweep over its
        caption or neighbours.
        """
        s = spec
        stacked = [[s.grid_shape, s.kernel_shape, s.output_shape]] * 2
        spread = [[s.grid_shape], [s.kernel_shape, s.output_shape]] * 2
        kw = dict(frame_width=frame_width, frame_height=frame_height, top_rows=2,
                  bottom_rows=n_lines + 2, numeric=numeric, chars=chars, turning=(1, 4))
        _, lay = plan_best([stacked, spread], **kw)
        if lay.numeric:
            return lay, True
        _, lay = plan_best([stacked, spread], **{**kw, "bottom_rows": 2})
        return lay, False

    @classmethod
    def check_spec(cls, spec: ConvSpec, mode: str = "numeric") -> None:
        """Raise :class:`ConvMathError` when the cells of :meth:`plan_layout` at the reference
        480p frame (schematic: numeric mode falls back to it) are smaller than
        :data:`scenes.layout.MIN_CELL_PX_480P`. Two copies of every grid share the frame, so the
        limit is lower than :class:`scenes.sliding.SlidingFilter`'s; the sizes it accepts are
        listed in the class docstring."""

        def smallest(sp: ConvSpec) -> tuple[str, float]:
            lay, _ = cls.plan_layout(sp, frame_width=REF_FRAME_WIDTH,
                                     frame_height=REF_FRAME_HEIGHT, numeric=False)
            return f"the drawn grids {format_shape(sp.grid_shape)}", px_480p(lay.cell)

        check_cells(cls.__name__, spec, smallest)

    def construct(self) -> None:
        t = self.step_time
        self.drawn_texts: list[str] = []
        self.corr_spec = dataclasses.replace(self.spec, flip=False)
        self.conv_spec = dataclasses.replace(self.spec, flip=True)
        specs = (self.corr_spec, self.conv_spec)
        steps = [conv_steps(self.x, self.w, sp) for sp in specs]
        results = [convolve(self.x, self.w, sp) for sp in specs]
        self.agree = bool(np.allclose(results[0], results[1]))
        s = self.spec
        ndim = s.ndim
        per_line = s.kernel_shape[-1] if ndim == 2 else 4  # type: ignore[index]
        n_lines = max(len(step_lines(st, per_line)) for st in steps[0])
        chars = value_chars(self.x, self.w, *results)
        fw, fh = self.frame_size()
        lay, self.equations = self.plan_layout(s, frame_width=fw, frame_height=fh,
                                               numeric=self.numeric, chars=chars, n_lines=n_lines)
        if not self.equations:
            n_lines = 0
        self.schematic = not lay.numeric
        vf = lay.value_font if lay.numeric else None
        names = ("correlation", "convolution")

        title = self.text_row(self.label("flip_title"), lay.top[0], lay.text_font)
        # Each side's centre: the middle of its grids (text above and below lines up with them).
        centres = [float(np.mean([g.box.x for g in lay.grids[3 * k: 3 * k + 3]])) for k in (0, 1)]
        heads = self._pair([self.label("flip_corr_head"), self.label("flip_conv_head")],
                           lay.top[1], centres, lay.text_font)
        kinds = grid_input_index(s)
        gvals = engine_grid_values(self.x, s)
        colors = self.theme.kernel_colors(s.kernel_size)
        inputs, outputs, kernels, caps = [], [], [], []
        for side in range(2):
            g_slot, k_slot, o_slot = lay.grids[3 * side: 3 * side + 3]
            inputs.append(CellGrid(s.grid_shape, lay.cell, theme=self.theme, kinds=kinds,
                                   values=gvals, value_font=vf, center=g_slot.box.center))
            outputs.append(CellGrid(s.output_shape, lay.cell, theme=self.theme, role="output",
                                    filled=False, value_font=vf, center=o_slot.box.center))
            caps.append(self._caption(f"{self.label('input')} x", g_slot, lay))
            caps.append(self._caption(f"{self.label('output')} y", o_slot, lay))
        # Both kernels start as the user's w; the right one then rotates 180°.
        k_slots = (lay.grids[1], lay.grids[4])
        for side in range(2):
            kernels.append(self._kernel_pieces(k_slots[side].box.center, lay, vf, colors))
        k_caps = [self._caption(f"{self.label('kernel')} w", slot, lay) for slot in k_slots]
        # Shown at once: a GIF's first frame is its preview (thumbnails, before autoplay).
        self.add(title, *heads, *inputs, *outputs, *caps, *k_caps, *kernels)
        self.wait(0.6 * t)

        # The rotation: each weight travels half a turn to where the engine lays it on the grid.
        # That is the right side (flip=True) for a direct convolution; a transposed one already
        # lays its kernel rotated, so there the left side turns and flip=True turns it back.
        laid = [_laid_order(st[0]) for st in steps]
        upright = [tuple(int(v) for v in idx) for idx in np.ndindex(*s.kernel_shape)]
        self.rotated = [laid[side] != upright for side in range(2)]
        moves = []
        for side in range(2):
            if not self.rotated[side]:
                continue
            target = CellGrid(s.kernel_shape, lay.cell, theme=self.theme)  # positions only
            target.move_to(k_slots[side].box.center)
            for pos, kidx in enumerate(laid[side]):
                cell_idx = tuple(int(v) for v in np.unravel_index(pos, s.kernel_shape))
                piece = kernels[side].pieces[kidx]
                moves.append(piece.animate(path_arc=PI).move_to(target.cell_center(cell_idx)))
        if moves:
            rotated_caps = {side: self._caption(f"w {self.label('flip_rotated_short')}",
                                                k_slots[side], lay)
                            for side in range(2) if self.rotated[side]}
            self.play(*moves, run_time=1.2 * t)
            for side, cap in rotated_caps.items():  # instant caption swap once it has turned
                self.remove(k_caps[side])
                self.add(cap)
        for side in range(2):
            self.record("kernel_laid", side=names[side],
                        values=[float(self.w[k]) for k in laid[side]])

        # The steps, both sides at once.
        windows: list[Any] = [None, None]
        eqs: list[VGroup] = []
        self.result_values = {n: np.full(s.output_shape, np.nan) for n in names}
        # Long runs stay short: the first steps and the last are written out one by one; the
        # others are shown in at most about a dozen batches (window jumps, outputs fill).
        n_steps = len(steps[0])
        written = {*range(min(3, n_steps)), n_steps - 1}
        batch = max(1, -(-(n_steps - len(written)) // 12))
        groups: list[list[int]] = []
        for n in range(n_steps):
            if n in written or not groups or groups[-1][0] in written or len(groups[-1]) >= batch:
                groups.append([n])
            else:
                groups[-1].append(n)
        for group in groups:
            anims = []
            last = group[-1]
            for side in range(2):
                win = self._window(inputs[side], steps[side][last], colors)
                windows[side], anim = show_or_move(windows[side], win)
                anims.append(anim)
                for n_step in group:
                    st = steps[side][n_step]
                    if vf is not None:
                        anims.append(FadeIn(outputs[side].value_text(st.out_index, st.value)))
                    anims.append(FadeIn(outputs[side].get_cell(
                        st.out_index, color=self.theme.output, fill_opacity=0.3,
                        stroke_width=2)))
                    self.result_values[names[side]][st.out_index] = st.value
                    self.record("step", side=names[side], out_index=st.out_index,
                                window=[tp.grid_index for tp in st.taps],
                                lines=step_lines(st, per_line),
                                written=n_step in written and self.equations,
                                value=st.value, colors=self._tap_colors(st, colors))
            if last in written and self.equations:
                lines = [step_lines(steps[side][last], per_line) for side in range(2)]
                for side_lines in lines:
                    self.drawn_texts.extend(side_lines)
                new_eqs = self._eq_pair(lines, lay, centres)
                anims.extend(FadeOut(e) for e in eqs if e is not None)
                anims.extend(FadeIn(e) for e in new_eqs)
                eqs = new_eqs
            self.play(*anims, run_time=(0.8 if last in written else 0.3) * t)

        # The verdict, from the engine's two results, and the rule.
        verdict_key = "flip_agree" if self.agree else "flip_differ"
        end = [
            self.text_row(self.label(verdict_key), lay.bottom[n_lines], lay.text_font,
                          color=self.theme.output if self.agree else self.theme.highlight),
            self.text_row(self.label("flip_rule"), lay.bottom[n_lines + 1], lay.text_font),
        ]
        self.drawn_texts.extend([self.label(verdict_key), self.label("flip_rule")])
        marks = VGroup()
        if not self.agree:
            differ = ~np.isclose(results[0], results[1])
            for idx in zip(*np.nonzero(differ)):
                for side in range(2):
                    marks.add(outputs[side].get_cell(tuple(int(v) for v in idx),
                                                     color=self.theme.highlight, stroke_width=4))
        anims = [FadeIn(m) for m in end] + [FadeOut(w) for w in windows if w is not None]
        if len(marks):
            anims.append(FadeIn(marks))
        if ndim == 1 and self.equations:
            vecs = ["y = [" + ", ".join(format_number(v) for v in r) + "]" for r in results]
            self.drawn_texts.extend(vecs)
            shown = self._eq_pair([[v] for v in vecs], lay, centres, color=self.theme.output)
            anims.extend([*(FadeOut(e) for e in eqs if e is not None), *map(FadeIn, shown)])
        self.play(*anims, run_time=0.8 * t)
        self.wait(2.5 * t)

    # -- helpers -----------------------------------------------------------------------------

    def _tap_colors(self, step: ConvStep, colors: list[str]) -> list[str]:
        """The colour of the weight each tap multiplies (its user's kernel index, row-major)."""
        shape = self.spec.kernel_shape
        return [colors[int(np.ravel_multi_index(t.kernel_index, shape))] for t in step.taps]

    def _window(self, grid: CellGrid, step: ConvStep, colors: list[str]) -> VGroup:
        """The window of ``step``; in schematic mode each of its cells is filled with the
        colour of the weight that lands on it (the rotated kernel lays them the other way)."""
        if not self.schematic:
            return VGroup(grid.get_window(step))
        outline = grid.get_window(step, fill_opacity=0.0)  # no wash over the weights' colours
        cells = [grid.get_cell(t.grid_index, color=c, fill_opacity=1.0, stroke_width=0)
                 for t, c in zip(step.taps, self._tap_colors(step, colors))]
        return VGroup(*cells, outline)

    def _caption(self, s: str, slot, lay: Layout):
        self.drawn_texts.append(s)
        return caption(s, slot.caption, lay.caption_font, self.theme.text)

    def _pair(self, texts: list[str], row, centres: list[float], font: float,
              color: str | None = None) -> list:
        """Two texts in one row, each centred over its side's grids."""
        mobs = [make_text(s, font, color or self.theme.text) for s in texts]
        boxes = halves_over(row, centres[0], centres[1], widths=(mobs[0].width, mobs[1].width))
        self.drawn_texts.extend(texts)
        return [fit_text(m, b) for m, b in zip(mobs, boxes)]

    def _eq_pair(self, lines: list[list[str]], lay: Layout, centres: list[float],
                 color: str | None = None) -> list[VGroup]:
        """Equation lines under each side, centred over its grids, left-aligned together.

        One scale for both sides (fitted to the longest line), so the two stay comparable.
        """
        color = color or self.theme.text
        mobs = [[make_text(s, lay.text_font, color) for s in side] for side in lines]
        widths = [max(m.width for m in side) for side in mobs]
        halves = halves_over(lay.bottom[0], centres[0], centres[1])
        factor = min(1.0, *(0.999 * h.width / w for h, w in zip(halves, widths)))
        out = []
        for side, side_mobs in enumerate(mobs):
            for m in side_mobs:
                m.scale(factor)
            width = widths[side] * factor
            group = VGroup()
            for m, row in zip(side_mobs, lay.bottom):
                box = halves_over(row, centres[0], centres[1], widths=(width, width))[side]
                group.add(fit_text(m, box, align="left"))
            out.append(group)
        return out

    def _kernel_pieces(self, center: NDArray, lay: Layout, vf: float | None,
                       colors: list[str]) -> VGroup:
        """The kernel as one small grid per weight (so each can travel on its own).

        Schematic mode fills them with the weights' full colours (no numbers to keep readable):
        the same colours the window lays on the input.

        The group's ``pieces`` maps the user's kernel index to its piece.
        """
        s = self.spec
        layout = CellGrid(s.kernel_shape, lay.cell, theme=self.theme, center=center)
        group = VGroup()
        group.pieces = {}
        one = (1,) * s.ndim
        for flat, idx in enumerate(np.ndindex(*s.kernel_shape)):  # type: ignore[misc]
            piece = CellGrid(one, lay.cell, theme=self.theme, role="kernel",
                             values=np.full(one, self.w[idx]), value_font=vf,
                             colors=[colors[flat]], tint=not self.schematic,
                             center=layout.cell_center(idx))
            group.pieces[tuple(int(v) for v in idx)] = piece
            group.add(piece)
        return group
