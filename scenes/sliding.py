"""A1 `SlidingFilter`: a kernel sliding over an input, filling the output cell by cell.

Everything drawn comes from the engine: the drawn grid (``grid_input_index``/``grid_values``:
padding ring, inserted zeros for transposed specs), the kernel as laid on the grid
(``grid_kernel``), the windows (``conv_steps`` taps' ``grid_index``), the worked sums
(``explain_step``), the title (``describe_spec``) and the output-size formula
(``derive_output_size``). The scene only places and animates.

Run with defaults: ``manim -ql scenes/sliding.py SlidingFilter``.
"""

from __future__ import annotations

import numpy as np
from manim import (
    PI,
    AnimationGroup,
    FadeIn,
    FadeOut,
    Rectangle,
    Rotate,
    Succession,
    Transform,
    VGroup,
    VMobject,
)

from convmath import (
    ConvSpec,
    conv_steps,
    convolve,
    derive_output_size,
    describe_spec,
    explain_step,
    grid_input_index,
    grid_kernel,
    grid_values,
)
from convmath.explain import format_shape
from scenes.kit.base import ConvScene
from scenes.kit.grid import CellGrid, segments_path
from scenes.kit.text import text_line as caption
from scenes.kit.text import text_lines as captions
from scenes.kit.text import wrap_words
from scenes.layout import (
    REF_FRAME_HEIGHT,
    REF_FRAME_WIDTH,
    Box,
    Layout,
    check_cells,
    mobject_box,
    plan_best,
    px_480p,
    value_chars,
)

__all__ = ["SlidingFilter", "FULL_STEPS", "FAST_SECONDS", "equation_lines"]

#: Steps shown in full (window move, worked sum, value flying) before the rest speed up.
FULL_STEPS = 2
#: Fast steps per ``play()`` call.
BATCH = 16
#: Longest duration of the fast steps, in units of ``step_time`` (reached past ~285 steps): the
#: run time stays bounded, so no step-count limit is needed.
FAST_SECONDS = 20.0
#: Text rows under the grids: worked sum (2 rows) / notes / size formula (3 rows).
BOTTOM_ROWS = 3


def equation_lines(step_text: str, max_chars: int, max_lines: int = 2) -> list[str]:
    """Split ``explain_step``'s text into at most ``max_lines`` lines of about ``max_chars``.

    Lines break between terms (``+``); when the terms need more lines, the middle terms are
    elided with ``…`` (the first and last terms and the result stay).
    """
    if len(step_text) <= max_chars:
        return [step_text]
    head, rest = step_text.split(" = ", 1)
    terms_text, result = rest.rsplit(" = ", 1)
    terms = terms_text.split(" + ")

    def wrap(items: list[str]) -> list[str]:
        lines, cur = [], f"{head} ="
        for i, t in enumerate(items):
            piece = (" " if i == 0 else " + ") + t
            if len(cur) + len(piece) > max_chars and i > 0:
                lines.append(cur)
                cur = "+ " + t
            else:
                cur += piece
        cur += f" = {result}"
        lines.append(cur)
        return lines

    lines = wrap(terms)
    keep = len(terms)
    while len(lines) > max_lines and keep > 2:
        keep -= 1
        first = (keep + 1) // 2
        last = keep - first
        lines = wrap(terms[:first] + ["…"] + (terms[-last:] if last else []))
    return lines


class SlidingFilter(ConvScene):
    """A1: the window slides over the (padded / stretched) input and fills the output.

    Attributes set by :meth:`construct` (besides :class:`ConvScene`'s): ``layout``, ``steps``,
    ``window`` (the window mobject), ``output_texts`` (``out_index → Text``, numeric mode),
    ``captions`` (input, kernel, output) and ``caption_backings`` (a background box under each).
    Records: ``"window"`` per step (``step``, ``out_index``, ``cells``, ``centers``),
    ``"output"`` per step (``out_index``, ``text``), ``"flip"``, ``"formula"`` (its lines).

    Sizes (:meth:`check_spec`: cells of at least 6 px at 480p; numbers are dropped, not
    refused, when too small to read): with a kernel of 3, 1D inputs up to 136 cells (134 with
    padding 1), 2D up to 43×43 (41×41 with padding 1, also with stride 2 and padding 1),
    transposed with stride 2 up to 66 (1D) and 20×20 (2D). Everything from a length-3 input to
    a 12×12 input with padding 3 (issue 3) is accepted. Long runs need no step limit: the fast
    steps take at most :data:`FAST_SECONDS` × ``step_time``.
    """

    @staticmethod
    def plan_layout(
        spec: ConvSpec,
        *,
        frame_width: float,
        frame_height: float,
        numeric: bool = True,
        chars: int = 2,
        title: str | None = None,
    ) -> tuple[int, Layout, list[str]]:
        """The scene's layout: kernel, drawn grid and output side by side or stacked (whichever
        gives the largest cells), the title above, :data:`BOTTOM_ROWS` text rows below.

        ``title`` is wrapped into one row, or two when it does not fit one; ``None`` plans two
        rows (the most a title takes: the layout :meth:`check_spec` judges). Returns
        ``(arrangement, layout, title_lines)``; arrangement 0 is kernel │ grid │ output, 1 is
        grid │ kernel over output, 2 is all three stacked.
        """
        s = spec
        arrangements = [
            [[s.kernel_shape], [s.grid_shape], [s.output_shape]],
            [[s.grid_shape], [s.kernel_shape, s.output_shape]],
            [[s.kernel_shape, s.grid_shape, s.output_shape]],
        ]
        kw = dict(frame_width=frame_width, frame_height=frame_height, bottom_rows=BOTTOM_ROWS,
                  numeric=numeric, chars=chars)
        if title is None:
            which, lay = plan_best(arrangements, top_rows=2, **kw)
            return which, lay, []
        which, lay = plan_best(arrangements, top_rows=1, **kw)
        title_lines = wrap_words(title, lay.row_chars, 2)
        if len(title_lines) > 1:  # a long title takes two rows rather than a tiny font
            which, lay = plan_best(arrangements, top_rows=2, **kw)
            title_lines = wrap_words(title, lay.row_chars, 2)
        return which, lay, title_lines

    @classmethod
    def check_spec(cls, spec: ConvSpec, mode: str = "numeric") -> None:
        """Raise :class:`ConvMathError` when the cells of :meth:`plan_layout` at the reference
        480p frame (with a two-row title) are smaller than
        :data:`scenes.layout.MIN_CELL_PX_480P`. Numbers are never the limit: numeric mode falls
        back to the schematic view when they would be unreadable. The sizes this accepts are
        listed in the class docstring."""

        def smallest(sp: ConvSpec) -> tuple[str, float]:
            lay = cls.plan_layout(sp, frame_width=REF_FRAME_WIDTH, frame_height=REF_FRAME_HEIGHT,
                                  numeric=False)[1]
            return f"the drawn grid {format_shape(sp.grid_shape)}", px_480p(lay.cell)

        check_cells(cls.__name__, spec, smallest)

    def construct(self) -> None:
        s, th = self.spec, self.theme
        self.steps = conv_steps(self.x, self.w, s)
        result = convolve(self.x, self.w, s)
        laid_kernel = grid_kernel(self.w, s)
        rotate = s.flip != s.transposed
        fw, fh = self.frame_size()
        which, lay, title_lines = self.plan_layout(
            s, frame_width=fw, frame_height=fh, numeric=self.numeric,
            chars=value_chars(self.x, self.w, result), title=describe_spec(s, self.lang),
        )
        self.layout = lay
        vf = lay.value_font if lay.numeric else None
        slot_of = _slots(which, lay)
        kslot, gslot, oslot = slot_of["kernel"], slot_of["grid"], slot_of["output"]

        # -- the three grids, their captions and the title ----------------------------------
        self.input_grid = CellGrid(
            s.grid_shape, lay.cell, theme=th, role="input", kinds=grid_input_index(s),
            values=grid_values(self.x, s), value_font=vf, center=gslot.box.center,
        )
        self.kernel_grid = CellGrid(
            s.kernel_shape, lay.cell, theme=th, role="kernel", values=self.w, value_font=vf,
            center=kslot.box.center,
        )
        self.output_grid = CellGrid(
            s.output_shape, lay.cell, theme=th, role="output", filled=False,
            center=oslot.box.center, value_font=vf,
        )
        shape_in = format_shape(s.input_shape)
        if s.transposed:
            in_key = "sliding_stretched_caption"
        elif s.grid_shape != s.input_shape:
            in_key = "sliding_input_padded_caption"
        else:
            in_key = "sliding_input_caption"
        cap_font, txt = lay.caption_font, th.text
        in_cap, k_cap, o_cap = captions(
            [
                self.label(in_key, shape=shape_in),
                self.label("sliding_kernel_caption", shape=format_shape(s.kernel_shape)),
                self.label("sliding_output_caption", shape=format_shape(s.output_shape)),
            ],
            [gslot.caption, kslot.caption, oslot.caption], cap_font, txt,
        )
        self.captions = [in_cap, k_cap, o_cap]
        title = VGroup(*(
            self.text_row(t, box, lay.text_font) for t, box in zip(title_lines, lay.top)
        ))
        # Connector lines run under the captions, not through the gaps between their letters.
        k_cap2 = None
        if rotate:
            k_cap2 = caption(self.label("sliding_flipped_caption"), kslot.caption, cap_font, txt)
            k_cap2.scale(min(1.0, k_cap.height / max(k_cap2.height, 1e-9) * 1.2))
        backings = [_backing([in_cap], th.background),
                    _backing([k_cap] + ([k_cap2] if k_cap2 is not None else []), th.background),
                    _backing([o_cap], th.background)]
        self.caption_backings = backings
        # Shown at once (fading in every number would copy them all: slow for no lesson).
        self.add(*backings, title, self.input_grid, in_cap, self.kernel_grid, k_cap,
                 self.output_grid, o_cap)
        self.wait(0.8 * self.step_time)

        # -- flip: rotate the kernel 180° on screen, then it is the kernel laid on the grid ----
        notes = self._intro_notes(lay)
        if notes:
            self.add(*notes)
        if rotate:
            k = self.kernel_grid
            center = k.outline.get_center()
            # The whole kernel turns (numbers upside down halfway); then the upright kernel as
            # laid on the grid replaces it.
            self.play(
                Rotate(k, PI, about_point=center), Transform(k_cap, k_cap2),
                run_time=1.2 * self.step_time,
            )
            laid = CellGrid(
                s.kernel_shape, lay.cell, theme=th, role="kernel", values=laid_kernel,
                value_font=vf, center=center,
            )
            self.remove(k)
            self.add(laid)
            self.kernel_grid = laid
            self.record("flip", kernel=laid_kernel.copy())
        if notes:
            self.wait(1.5 * self.step_time)
            self.remove(*notes)

        # -- the steps --------------------------------------------------------------------------
        self._run_steps(lay)

        # -- the output-size formula ------------------------------------------------------------
        self._show_formula(lay)
        self.wait(2.0 * self.step_time)

    # ---------------------------------------------------------------------------------------

    def _intro_notes(self, lay: Layout) -> list:
        """Notes under the grids before the steps: the flip rule, or the transposed view."""
        lines: list[str] = []
        if self.spec.transposed:
            der = derive_output_size(self.spec, self.lang)
            for ax in der.axes:
                if ax.notes and ax.notes[0] not in lines:
                    lines.append(ax.notes[0])
        elif self.spec.flip:
            lines = [self.label("sliding_flip_note_1"), self.label("sliding_flip_note_2")]
        rows: list[str] = []
        per_note = max(1, BOTTOM_ROWS // max(1, len(lines)))
        for t in lines:
            rows += wrap_words(t, lay.row_chars, per_note)
        return [
            self.text_row(t, box, lay.text_font, muted=True)
            for t, box in zip(rows[:BOTTOM_ROWS], lay.bottom)
        ]

    def _window_parts(self, step, out_grid: CellGrid) -> tuple[VMobject, VMobject]:
        """The window of ``step`` and the two lines joining it to its output cell."""
        g = self.input_grid
        win = g.get_window(step)
        wb = g.cells_box(t.grid_index for t in step.taps)
        ob = out_grid.cells_box([step.out_index])
        return win, _connector(wb, ob, self.theme.connector)

    def _record_window(self, n: int, step, win: VMobject) -> None:
        self.record(
            "window", step=n, out_index=step.out_index,
            cells=tuple(t.grid_index for t in step.taps), centers=_square_centers(win),
        )

    def _run_steps(self, lay: Layout) -> None:
        th, st = self.theme, self.step_time
        steps = self.steps
        og = self.output_grid
        numeric = lay.numeric
        self.output_texts = {}
        cells = []
        texts = []
        for step in steps:
            sq = og.get_cell(step.out_index, color=th.grid_stroke, stroke_width=2)
            sq.set_fill(th.fill("output"), opacity=1.0)
            cells.append(sq)
            if numeric:
                t = og.value_text(step.out_index, step.value)
                self.output_texts[step.out_index] = t
                texts.append(t)
            else:
                texts.append(None)
        # Output cells carry the grid's stroke, so filling one redraws its outline too. All are
        # added now, invisible, cells under texts, and revealed at their step.
        for sq, t in zip(cells, texts):
            sq.set_opacity(0)
            self.add(sq)
            if t is not None:
                t.set_opacity(0)
        self.add(*(t for t in texts if t is not None))
        window = connector = None
        n_full = min(FULL_STEPS, len(steps))
        for n in range(n_full):
            step = steps[n]
            win, conn = self._window_parts(step, og)
            if window is None:
                window, connector = win, conn
                self.add(connector)
                self.play(FadeIn(window), run_time=0.5 * st)
            else:
                self.play(Transform(window, win), Transform(connector, conn), run_time=0.5 * st)
            self._record_window(n, step, window)
            if numeric:
                lines = equation_lines(explain_step(step), lay.row_chars, 2)
                eq = [
                    self.text_row(line, box, lay.text_font)
                    for line, box in zip(lines, lay.bottom)
                ]
                self.add(*eq)
                self.wait(0.6 * st)
                flying = texts[n]
                flying.move_to(window.get_center()).set_opacity(1)
                self.play(
                    cells[n].animate.set_opacity(1),
                    flying.animate.move_to(og.cell_center(step.out_index)),
                    run_time=0.6 * st,
                )
                self.wait(0.6 * st)
                self.remove(*eq)
            else:
                self.play(cells[n].animate.set_opacity(1), run_time=0.4 * st)
            self._record_output(n, step, texts[n])
        rest = list(range(n_full, len(steps)))
        if rest:
            note = self.text_row(
                self.label("sliding_fast_steps", n=len(rest)), lay.bottom[0], lay.text_font,
                muted=True,
            )
            self.add(note)
            # 0.07–0.5 s a step, and the whole fast run at most FAST_SECONDS (long runs: several
            # window positions a frame, the output still fills row by row).
            per_step = st * min(float(np.clip(8.0 / len(rest), 0.07, 0.5)),
                                FAST_SECONDS / len(rest))
            for start in range(0, len(rest), BATCH):
                batch = rest[start:start + BATCH]
                anims = []
                for n in batch:
                    step = steps[n]
                    win, conn = self._window_parts(step, og)
                    parts = [Transform(window, win), Transform(connector, conn),
                             cells[n].animate.set_opacity(1)]
                    if texts[n] is not None:
                        parts.append(texts[n].animate.set_opacity(1))
                    anims.append(AnimationGroup(*parts))
                    self._record_window(n, step, win)
                    self._record_output(n, step, texts[n])
                self.play(Succession(*anims), run_time=per_step * len(batch))
            self.remove(note)
        self.window, self.connector = window, connector
        self.wait(0.3 * st)

    def _record_output(self, n: int, step, text) -> None:
        self.record("output", step=n, out_index=step.out_index,
                    text=None if text is None else text.text)

    def _show_formula(self, lay: Layout) -> None:
        der = derive_output_size(self.spec, self.lang)
        lines = [der.axes[0].general]
        subs = [ax.substituted for ax in der.axes]
        if len(set(subs)) == 1:
            lines.append(subs[0])
        else:
            lines += [self.label("axis_prefix", axis=ax.axis) + ax.substituted for ax in der.axes]
        rows = [
            self.text_row(t, box, lay.text_font, color=self.theme.text)
            for t, box in zip(lines, lay.bottom)
        ]
        self.record("formula", lines=tuple(lines[: len(rows)]))
        self.add(*rows)
        self.play(FadeOut(self.window), FadeOut(self.connector), run_time=0.5 * self.step_time)
        self.formula_rows = rows


def _slots(which: int, lay: Layout) -> dict:
    """Which plan slot holds which grid, per arrangement of :meth:`SlidingFilter.construct`."""
    order = {0: ("kernel", "grid", "output"), 1: ("grid", "kernel", "output"),
             2: ("kernel", "grid", "output")}[which]
    return dict(zip(order, lay.grids))


def _connector(window: Box, cell: Box, color: str) -> VMobject:
    """Two lines from the window's box to the output cell's box, on the side facing it."""
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
    # Drawn under every grid (z-index -1): the lines show between the window and its output
    # cell and never run across numbers.
    path.z_index = -1
    return path


def _backing(texts: list, color: str) -> Rectangle:
    """A background-coloured box just around ``texts`` (z-index −0.5: above the connector lines at
    −1, below everything else), so lines passing a caption do not show between its letters."""
    boxes = [mobject_box(t) for t in texts]
    pad = 0.15 * max(b.height for b in boxes)
    left, right = min(b.left for b in boxes) - pad, max(b.right for b in boxes) + pad
    bottom, top = min(b.bottom for b in boxes) - pad, max(b.top for b in boxes) + pad
    rect = Rectangle(width=right - left, height=top - bottom)
    rect.set_stroke(width=0).set_fill(color, opacity=1.0)
    rect.move_to([(left + right) / 2, (bottom + top) / 2, 0.0])
    rect.z_index = -0.5
    return rect


def _square_centers(win: VMobject) -> np.ndarray:
    """Centres of the squares a window path is made of (4 segments of 4 points per square)."""
    pts = win.points.reshape(-1, 16, 3)
    return pts.mean(axis=1)

