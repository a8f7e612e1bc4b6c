"""A1 `SlidingFilter`: a kernel sliding over an input, filling the output cell by cell.

Everything drawn comes from the engine: the drawn grid (``grid_input_index``/``grid_values``:
padding ring, inserted zeros for transposed specs), the kernel as laid on the grid
(``grid_kernel``), the windows and the weight each window cell meets (``conv_steps`` taps), the
worked sums (``explain_step``), the title (``describe_spec``) and the output-size formula
(``derive_output_size``). The scene only places and animates, as a story of named steps:
:meth:`~SlidingFilter.construct`.

Run with defaults: ``manim -ql scenes/sliding.py SlidingFilter``.
"""

from __future__ import annotations

import numpy as np
from manim import (
    PI,
    Animation,
    FadeIn,
    FadeOut,
    Succession,
    Transform,
    UpdateFromAlphaFunc,
    VGroup,
    Wait,
)

from convmath import (
    ConvSpec,
    conv_steps,
    derive_output_size,
    describe_spec,
    explain_step,
    grid_input_index,
    grid_kernel,
    grid_values,
    substitute,
    transposed_crop,
    uncropped_spec,
)
from convmath.explain import format_shape
from scenes.equation import cells_line, chosen_index, general_key, index_line, show_markup, sum_line
from scenes.kit.base import ConvScene
from scenes.kit.grid import CellGrid, drawn_grid
from scenes.kit.log import FormulaShown
from scenes.kit.marks import (
    BADGE_SHIFT,
    backing,
    cross_out,
    dashed_box,
    ghost,
    link,
    span_outline,
    square_centers,
    stride_arrow,
    weight_badges,
)
from scenes.kit.pacing import FULL_STEPS, Pacer, Phase, plan_pacing
from scenes.kit.text import make_markup, text_lines, wrap_words
from scenes.layout import (
    DIGIT_HEIGHT,
    MIN_GLYPH_PX_480P,
    Box,
    fit_font,
    fit_text,
    px_480p,
    readable,
    value_chars,
)
from scenes.plans import sliding as sliding_plan
from scenes.plans.sliding import BOTTOM_ROWS
from scenes.wording import crop_words

__all__ = ["SlidingFilter", "FULL_STEPS", "FAST_SECONDS", "equation_lines", "equation_greys"]

#: Longest duration of the quick and row phases, in units of ``step_time`` (the pacing keeps a
#: long run to a dozen quick steps and a dozen row moves: about 17 s at most).
FAST_SECONDS = 20.0
#: How many first jumps of the window show the stride (a ghost of the last window and an arrow).
STRIDE_JUMPS = 2


#: Fill opacity of the weights' copies that fly onto the input (dilation): the input's
#: numbers under them stay readable.
GHOST_OPACITY = 0.35


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


def equation_greys(lines: list[str], greys: list[bool], grey: str) -> list[str]:
    """Pango markup of :func:`equation_lines`' ``lines`` with the terms whose ``greys`` flag is
    set (a product with padding or an inserted zero) in the colour ``grey``.

    Terms are matched in order; an elided ``…`` skips to the terms left at the end."""
    import html

    n_shown = sum(len(_terms_of(line)[1]) for line in lines)
    k, out = 0, []
    for line in lines:
        head, terms, tail = _terms_of(line)
        parts = []
        for t in terms:
            if t == "…":
                k = len(greys) - (n_shown - (k + 1))  # the terms after the gap are the last ones
                parts.append(t)
                continue
            esc = html.escape(t, quote=False)
            parts.append(f'<span foreground="{grey}">{esc}</span>' if greys[k] else esc)
            k += 1
        out.append(html.escape(head, quote=False) + " + ".join(parts)
                   + html.escape(tail, quote=False))
    return out


def _terms_of(line: str) -> tuple[str, list[str], str]:
    """``(head, terms, tail)`` of one equation line (``y[0] = `` / ``+ `` and `` = value``)."""
    head, body = ("", line)
    if " = " in body and not body.startswith("+ "):
        h, body = body.split(" = ", 1)
        head = h + " = "
    elif body.startswith("+ "):
        head, body = "+ ", body[2:]
    tail = ""
    if " = " in body:
        body, t = body.rsplit(" = ", 1)
        tail = " = " + t
    return head, body.split(" + "), tail


class SlidingFilter(ConvScene):
    """A1: the window slides over the (padded / stretched) input and fills the output.

    The story (:meth:`construct`): the preview (title, grids, the window on its first position
    with the weight each cell meets in its corner, linked to its output cell); the kernel's flip
    (each weight travels half a turn, digits upright) or its dilation; the steps, paced by the kit
    (the first in full with their products, then quicker, long runs a whole row at a time, said
    on screen; the stride drawn on the first jumps); the input cells no window reaches crossed
    out; the output-size formula; the closing hold.

    Attributes set by :meth:`construct` (besides :class:`ConvScene`'s): ``layout``, ``steps``,
    ``window`` (the window outline), ``connector`` (its link to the output cell),
    ``output_texts`` (``out_index → Text``, numeric mode), ``captions`` (input, kernel, output),
    ``caption_backings`` and ``unreached`` (crossed-out grid cells). The log holds the kit's
    events (window landings, products, results, texts, the formula) and the facts ``"flip"``
    (``kernel``: as laid on the grid) and ``"numbers_dropped"``.

    Sizes (:meth:`check_spec`: cells of at least 6 px at 480p; numbers are dropped, not
    refused, when too small to read): with a kernel of 3, 1D inputs up to 136 cells, 2D up to
    43×43 (41×41 with padding 1), transposed with stride 2 up to 66 (1D) and 20×20 (2D).
    """

    # -- plan (scenes.plans.sliding: static, manim-free) -----------------------------------------

    plan_layout = staticmethod(sliding_plan.plan_layout)

    @classmethod
    def check_spec(cls, spec: ConvSpec, mode: str = "numeric") -> None:
        """:func:`scenes.plans.sliding.check_spec` (cells of :meth:`plan_layout` at 480p), the
        message naming this class."""
        sliding_plan.check_spec(spec, mode, name=cls.__name__)

    # -- the story ----------------------------------------------------------------------------

    def construct(self) -> None:
        self._build()
        self._preview()
        self._introduce()
        self._say_crop()
        self._run_steps()
        self._cross_out_unreached()
        self._show_formula()
        self._closing_equation()
        self.close()

    def _build(self) -> None:
        """Engine data, the layout, the three grids (fonts per grid), captions and title."""
        s = self.spec
        self.steps = conv_steps(self.x, self.w, s)
        # A kernel of fractions: the output cells show each sum in its units (the bracket of
        # the worked sum, 1/9 · (…) = 1/9 · 7), the output's caption says the factor.
        self.shown = [self._shown_value(st) for st in self.steps]
        self.rotate = s.flip != s.transposed
        # A kernel of fractions is drawn as integers, its factor in the caption (issue 12 #7).
        fw, fh = self.frame_size()
        gvals = grid_values(self.x, uncropped_spec(s))  # cropped cells show their numbers too
        # Numbers are judged per grid: the plan asks only that the input's fit (one wide result
        # must not drop the input's numbers); kernel and output get their own fonts below.
        self.caption_strings = self._caption_strings()
        flipped = [self._kernel_caption("sliding_flipped_caption")] * self.rotate
        labels = self.caption_strings + flipped
        which, lay, title_lines = self.plan_layout(
            s, frame_width=fw, frame_height=fh, numeric=self.numeric,
            chars=value_chars(gvals), title=describe_spec(s, self.lang), labels=labels,
        )
        self.layout, self.text_font, self.title_lines = lay, lay.text_font, title_lines
        order = ("grid", "kernel", "output") if which == 1 else ("kernel", "grid", "output")
        self.slots = dict(zip(order, lay.grids))
        self.kernel_colors = self.theme.kernel_colors(s.kernel_size)
        fonts = {k: self._font(arr, cap) for k, arr, cap in
                 (("grid", gvals, 0.42), ("kernel", self.weights.values, 0.45),
                  ("output", np.array(self.shown), 0.45))}
        self.fonts = fonts
        self.input_grid = drawn_grid(s, self.x, lay.cell, theme=self.theme,
                                     value_font=fonts["grid"],
                                     center=self.slots["grid"].box.center, value_shift=BADGE_SHIFT)
        self.kernel_grid = self._kernel_grid(self.weights.values, self.kernel_colors)
        self.output_grid = CellGrid(s.output_shape, lay.cell, theme=self.theme, role="output",
                                    filled=False, value_font=fonts["output"],
                                    center=self.slots["output"].box.center)
        self._build_captions()

    def _font(self, values, height: float) -> float | None:
        """The value font of one grid: as large as its own longest number allows (one wide
        value elsewhere does not shrink it), digits at most ``height`` of a cell (the input's
        numbers leave room for the weight badges); ``None`` when unreadable or schematic."""
        lay = self.layout
        if not lay.numeric:
            return None
        font = min(fit_font(lay.cell, value_chars(values), lay.frame_height),
                   height * lay.cell / DIGIT_HEIGHT)
        return font if readable(font, lay.frame_height, 480.0) else None

    def _kernel_grid(self, w, colors) -> CellGrid:
        return CellGrid(self.spec.kernel_shape, self.layout.cell, theme=self.theme, role="kernel",
                        values=w, value_font=self.fonts["kernel"], colors=colors,
                        center=self.slots["kernel"].box.center)

    def _caption_strings(self) -> list[str]:
        """The input's, the kernel's and the output's captions."""
        s = self.spec
        if s.transposed:
            in_key = "sliding_stretched_caption"
        elif s.grid_shape != s.input_shape:
            in_key = "sliding_input_padded_caption"
        else:
            in_key = "sliding_input_caption"
        return [self.label(in_key, shape=format_shape(s.input_shape)),
                self._kernel_caption("sliding_kernel_caption", shape=format_shape(s.kernel_shape)),
                self._kernel_caption("sliding_output_caption", shape=format_shape(s.output_shape))]

    def _shown_value(self, st) -> float:
        """What step ``st``'s output cell shows: its value, or for a kernel of fractions the
        sum in the factor's units (exact: the inner sum of the integer multiples)."""
        if self.weights.factor_text is None:
            return st.value
        return self.weights.inner((t.x_value, t.w_value) for t in st.taps)

    def _kernel_caption(self, key: str, **fmt) -> str:
        """Caption ``key`` with the factor of a kernel of fractions said (the kernel's, and the
        output's, whose cells show its sums in the factor's units)."""
        return self.kernel_caption(self.label(key, **fmt))

    def _build_captions(self) -> None:
        boxes = [self.slots[k].caption for k in ("grid", "kernel", "output")]
        self.captions = text_lines(self.caption_strings, boxes, self.layout.caption_font,
                                   self.theme.ink("text"))
        self.caption_backings = [backing([c], self.theme.background) for c in self.captions]

    def _preview(self) -> None:
        """The first frame: title, grids, captions and the window on its first position with its
        weights and its link to the output cell (what a blog shows before the GIF plays)."""
        for n, (line, box) in enumerate(zip(self.title_lines, self.layout.top)):
            self.say(f"title{n}", line, box, kind="title")
        for key, cap, text in zip(("cap_in", "cap_k", "cap_out"), self.captions,
                                  self.caption_strings):
            self.narration.show(key, cap, text, kind="label")
        self.window, self.badges, self.connector = self._window_parts((0,))
        self.span = self._span((0,))
        self.band = None
        self.output_texts: dict = {}
        self.preview(*self.caption_backings, self.input_grid, self.kernel_grid, self.output_grid,
                     self.connector, self.window, self.badges, *self.span,
                     parts=("title", "grids", "window"))
        self.wait(0.8 * self.step_time)

    # -- introduction: flip, dilation, notes --------------------------------------------------

    def _introduce(self) -> None:
        """Before the steps: the flip rule or the transposed view said while the kernel turns,
        the dilation, and — when numbers had to go — that they were dropped. What the corner
        badges mean is said beside the first steps (:meth:`_run_steps`)."""
        lay = self.layout
        notes = self._intro_notes()
        if any(d > 1 for d in self.spec.dilation):
            notes.append(self.label("sliding_dilation_note", d=_axis_text(self.spec.dilation)))
        dropped = [k for k, f in self.fonts.items() if f is None]
        if self.numeric and dropped:
            self.record("numbers_dropped", grids=dropped)
            notes.append(self.label("sliding_numbers_dropped"))
        text = " ".join(notes)
        if text:
            lines = wrap_words(text, lay.row_chars, BOTTOM_ROWS)
            self.narration.say_lines("note", lines, lay.bottom[: len(lines)], role="muted_text")
        if self.rotate:
            self._rotate_kernel()
        if any(d > 1 for d in self.spec.dilation):
            self._spread_kernel()
        self.narration.clear("note")

    def _say_crop(self) -> None:
        """A transposed spec whose padding crops the stretched input: what the greyed cells
        beyond the crop line are (:func:`convmath.transposed_crop`), said before the steps."""
        crop = transposed_crop(self.spec)
        words = crop_words(crop, self.lang)
        if words is None:
            return
        self.record("crop", crop=crop, cells=dict(self.input_grid.crop_cells))
        lines = wrap_words(self.label("crop_note", crop=words), self.layout.row_chars,
                           BOTTOM_ROWS)
        self.narration.say_lines("note", lines, self.layout.bottom[: len(lines)],
                                 role="muted_text")
        self.narration.clear("note")

    def _intro_notes(self) -> list[str]:
        """The flip rule, or the transposed view's note (from the engine's derivation)."""
        if self.spec.transposed:
            der = derive_output_size(self.spec, self.lang)
            out: list[str] = []
            for ax in der.axes:
                if ax.notes and ax.notes[0] not in out:
                    out.append(ax.notes[0])
            return out
        if self.spec.flip:
            return [self.label("sliding_flip_note_1") + " " + self.label("sliding_flip_note_2")]
        return []

    def _kernel_pieces(self, numbers: bool = True) -> list[CellGrid]:
        """The kernel as one small grid per weight over the kernel grid (each can travel);
        ``numbers=False``: colours only (pieces that land on the input's numbers)."""
        s, k = self.spec, self.kernel_grid
        one = (1,) * s.ndim
        font = self.fonts["kernel"] if numbers else None
        return [CellGrid(one, k.cell_size, theme=self.theme, role="kernel",
                         values=np.full(one, self.weights.values[idx]), value_font=font,
                         colors=[self.kernel_colors[flat]], center=k.cell_center(idx))
                for flat, idx in enumerate(np.ndindex(*s.kernel_shape))]

    def _rotate_kernel(self) -> None:
        """Each weight swaps with its mirror on a shallow arc through the kernel's centre, to
        where the engine lays it (digits stay upright); then the caption changes by a cut. A
        symmetric kernel says
        that rotating changes nothing."""
        s, laid = self.spec, grid_kernel(self.w, self.spec)
        shown = grid_kernel(self.weights.values, s)
        k = self.kernel_grid
        pieces = self._kernel_pieces()
        ends = [k.cell_center(tuple(int(s.kernel_shape[a] - 1 - i[a]) for a in range(s.ndim)))
                for i in np.ndindex(*s.kernel_shape)]
        self.remove(k)
        self.add(*pieces)
        arc = PI / 2 if s.ndim == 2 else PI / 3  # shallow arcs: within the kernel's own room
        self.play(*(p.animate(path_arc=arc).move_to(c) for p, c in zip(pieces, ends)),
                  run_time=1.2 * self.step_time)
        rotated = [self.kernel_colors[int(np.ravel_multi_index(
            tuple(s.kernel_shape[a] - 1 - i[a] for a in range(s.ndim)), s.kernel_shape))]
            for i in np.ndindex(*s.kernel_shape)]
        self.kernel_grid = self._kernel_grid(shown, rotated)
        self.remove(*pieces)
        self.add(self.kernel_grid)  # the same picture, as one grid: nothing snaps
        flipped = self._kernel_caption("sliding_flipped_caption")
        cap = self.narration.make(flipped, self.slots["kernel"].caption,
                                  font=self.layout.caption_font)
        self.narration.show("cap_k", cap, flipped, kind="label")
        self.record("flip", kernel=laid.copy())
        if np.array_equal(laid, self.w):
            self.narration.clear("note")
            self.say("note", self.label("sliding_symmetric"), self.layout.bottom[0],
                     role="muted_text")

    def _spread_kernel(self) -> None:
        """Dilation, once at the start: a copy of each weight flies from the kernel onto the
        input as the undilated kernel would lie there, then the copies spread out to the cells
        the first window meets (``d`` apart) while the span's outline grows with them."""
        st, g = self.steps[0], self.input_grid
        shape = self.spec.kernel_shape
        origin = st.taps[0].grid_index
        compact = [tuple(int(o + m) for o, m in zip(origin, np.unravel_index(n, shape)))
                   for n in range(len(st.taps))]
        pieces = self._kernel_pieces(numbers=False)
        by_kernel = {tuple(int(v) for v in idx): p for idx, p in zip(np.ndindex(*shape), pieces)}
        for p in pieces:
            for sub in p.family_members_with_points():  # see-through: the numbers show
                if sub.get_fill_opacity() > 0:
                    sub.set_fill(opacity=GHOST_OPACITY)
        self.add(*pieces)
        scale = g.cell_size / self.kernel_grid.cell_size
        span = self.span[0]
        self.play(*(by_kernel[t.kernel_index].animate.scale(scale).move_to(g.cell_center(c))
                    for t, c in zip(st.taps, compact)), self._grow_span(span, compact, compact),
                  run_time=1.0 * self.step_time)
        self.play(*(by_kernel[t.kernel_index].animate.move_to(g.cell_center(t.grid_index))
                    for t in st.taps),
                  self._grow_span(span, compact, [t.grid_index for t in st.taps]),
                  run_time=1.0 * self.step_time)
        self.record("spread", cells=[t.grid_index for t in st.taps], compact=compact,
                    opacity=max(m.get_fill_opacity() for p in pieces
                                for m in p.family_members_with_points()))
        self.play(*(FadeOut(p) for p in pieces), run_time=0.4 * self.step_time)

    def _grow_span(self, span, start: list, end: list) -> Animation:
        """The span outline redrawn from the box of cells ``start`` to that of ``end``."""
        g = self.input_grid
        a, b = g.cells_box(start), g.cells_box(end)

        def at(mob, t: float) -> None:
            box = Box(*(u + (v - u) * t for u, v in ((a.x, b.x), (a.y, b.y),
                                                      (a.width, b.width), (a.height, b.height))))
            mob.become(dashed_box(box, g.cell_size, self.theme.span))

        return UpdateFromAlphaFunc(span, at)

    # -- the window and its parts ---------------------------------------------------------------

    def _cells(self, steps: tuple[int, ...]) -> list[tuple[int, ...]]:
        return [t.grid_index for n in steps for t in self.steps[n].taps]

    def _window_parts(self, steps: tuple[int, ...]):
        """The window over ``steps`` (one step, or a row band), its weight badges (one step
        only) and its link to the output cells."""
        g, og = self.input_grid, self.output_grid
        cells = self._cells(steps)
        if len(steps) > 1:
            cells = list(dict.fromkeys(cells))  # a band: each cell once (no stacked fills)
        win = g.get_window(cells, stroke_width=3.0)
        font = self._badge_font()
        if len(steps) == 1 and font is not None:  # tabs without a number would be colour alone
            taps = self.steps[steps[0]].taps
            texts = [self.weights.text(t.w_value) for t in taps]
            colors = [self.kernel_colors[int(np.ravel_multi_index(t.kernel_index,
                                                                  self.spec.kernel_shape))]
                      for t in taps]
            badges = weight_badges(g, cells, texts, colors, self.theme, font)
        else:
            badges = VGroup()
        outs = [self.steps[n].out_index for n in steps]
        conn = link(g.cells_box(cells), og.cells_box(outs), self.theme.connector)
        return win, badges, conn

    def _badge_font(self) -> float | None:
        """Font of the weight in a badge when readable at 480p, else ``None`` (no badges:
        a tab without its number would carry meaning by colour alone)."""
        if self.fonts["grid"] is None:
            return None
        font = 0.2 * self.layout.cell / DIGIT_HEIGHT
        px = px_480p(font * DIGIT_HEIGHT, self.layout.frame_height)
        return font if px >= MIN_GLYPH_PX_480P * 0.75 else None

    def _span(self, steps: tuple[int, ...]) -> list:
        """The dashed box a dilated window spans (nothing without dilation)."""
        if all(d == 1 for d in self.spec.dilation) or len(steps) != 1:
            return []
        return [span_outline(self.input_grid, self._cells(steps), self.theme)]

    # -- StepView (the kit's pacer drives these) ------------------------------------------------

    def land(self, steps: tuple[int, ...], jump: bool) -> list:
        """Bring the window (or, for a row, a band) over ``steps``."""
        win, badges, conn = self._window_parts(steps)
        span = self._span(steps)
        self._clear_stride_marks()
        if len(steps) > 1 or self.band is not None:  # rows: the band cuts from row to row
            self.remove(self.window, self.badges, *self.span, self.connector)
            if self.band is not None:
                self.remove(*self.band)
            self.band = [win, conn]
            self.window, self.connector, self.badges, self.span = win, conn, VGroup(), []
            self.add(conn, win)
            return []
        if jump:
            self.window.become(win)
            self.badges.become(badges)
            self.connector.become(conn)
            for old, new in zip(self.span, span):
                old.become(new)
            return []
        anims = [Transform(self.window, win), Transform(self.badges, badges),
                 Transform(self.connector, conn)]
        anims += [Transform(old, new) for old, new in zip(self.span, span)]
        return anims + self._stride_marks(steps[0])

    def _stride_marks(self, n: int) -> list:
        """On the first jumps along a row: a ghost of the last window and an arrow labelled with
        the stride (only where the stride is more than 1)."""
        if n == 0 or n > STRIDE_JUMPS or self.spec.transposed:
            return []
        prev, cur = self.steps[n - 1], self.steps[n]
        axis = len(cur.out_index) - 1
        s = self.spec.stride[axis]  # type: ignore[index]
        if s == 1 or (self.spec.ndim == 2 and prev.out_index[0] != cur.out_index[0]):
            return []
        g = self.input_grid
        old = [t.grid_index for t in prev.taps]
        a, b = g.cell_center(old[0]), g.cell_center(cur.taps[0].grid_index)
        # Along the window's bottom border: over no number, no tab (tabs sit in the top
        # corners) and clear of the caption above the grid (the top border touched it).
        y = g.cells_box(old).bottom
        a, b = np.array([a[0], y, 0.0]), np.array([b[0], y, 0.0])
        self.stride_marks = [ghost(g, old, self.theme),
                             stride_arrow(a, b, self.theme, tip=0.28 * g.cell_size)]
        if not self.log.facts("stride"):  # said once, beside the first jump
            self.narration.clear("aside")
            self.say("stride", self.label("sliding_stride_note", s=s), self.layout.bottom[2],
                     role="highlight")
        shaft = (float(min(a[0], b[0])), float(max(a[0], b[0])), float(y), float(y))
        tip = _lrbt(self.stride_marks[1].tip)
        self.record("stride", step=n, stride=s, arrow=[shaft, tip])
        return [FadeIn(m) for m in self.stride_marks]

    def _clear_stride_marks(self) -> None:
        if getattr(self, "stride_marks", None):
            self.remove(*self.stride_marks)
            self.stride_marks = []

    def where(self, step: int):
        st = self.steps[step]
        cells = tuple(t.grid_index for t in st.taps)
        if self.band is not None:  # the band's squares over this step's cells
            centers = tuple(tuple(c) for c in self.input_grid.cell_centers(cells))
        else:
            centers = tuple(tuple(c) for c in square_centers(self.window))
        return st.out_index, cells, centers

    def products(self, step: int) -> list[str] | None:
        """Say step ``step``'s worked sum, products with padding or inserted zeros in grey."""
        if self.fonts["grid"] is None:
            return None
        st, lay = self.steps[step], self.layout
        # Fraction weights (box-blur, gaussian) are written with their common factor pulled
        # out, so the products add up as shown (issue 12 #7).
        lines = equation_lines(explain_step(st, factor=self.weights.factored.factor),
                               lay.row_chars, 2)
        greys = [t.in_index is None for t in st.taps]
        marks = equation_greys(lines, greys, self.theme.ink("padding"))
        ink = self.theme.ink("text")
        mobs = VGroup(*(fit_text(make_markup(m, lay.text_font, ink), box)
                        for m, box in zip(marks, lay.bottom)))
        self.narration.show("eq", mobs, " ".join(lines), kind="worked")
        return lines

    def write(self, steps: tuple[int, ...]) -> list:
        """Fill the output cells of ``steps``. A full step's link lights up first (window →
        cell), then the number appears in its cell: nothing travels across other numbers."""
        og, th = self.output_grid, self.theme
        anims, lit = [], []
        for n in steps:
            st = self.steps[n]
            sq = og.get_cell(st.out_index, color=th.grid_stroke, stroke_width=2)
            sq.set_fill(th.fill("output"), opacity=1.0)
            anims.append(FadeIn(sq))
            if self.fonts["output"] is None:
                continue
            t = og.value_text(st.out_index, self.shown[n], font_size=self.fonts["output"])
            t.z_index = 1  # over the cell filling in under it
            self.output_texts[st.out_index] = t
            if len(steps) == 1 and n < FULL_STEPS:
                lit = self._light_link()
                anims.append(Succession(Wait(0.45), FadeIn(t, scale=1.3)))
            else:
                anims.append(FadeIn(t))
        return lit + anims

    def _light_link(self) -> list:
        """The link from the window to its output cell, lit in the highlight colour (the cue
        that the sum goes there); the next landing draws it plain again."""
        lit = self.connector.copy().set_stroke(self.theme.highlight, width=4, opacity=1.0)
        return [Transform(self.connector, lit)]

    def result_text(self, step: int) -> str | None:
        t = self.output_texts.get(self.steps[step].out_index)
        return None if t is None else t.text

    def announce(self, phase: Phase) -> None:
        """Clear the worked sum and say how the run goes on."""
        self.narration.clear("eq")
        self.narration.clear("stride")
        self.narration.clear("aside")
        self._clear_stride_marks()
        self.say_pace(phase, self.layout.bottom[0])

    # -- the run, the unreached cells, the formula ---------------------------------------------

    def _run_steps(self) -> None:
        """The paced run; beside the first steps, what the corner badges mean."""
        phases = plan_pacing([st.out_index for st in self.steps])
        f = self.weights.factor_text
        note = (self.label("sliding_weights_note") if f is None
                else self.label("sliding_weights_note_factor", factor=f))
        if self._badge_font() is not None:  # no tabs when no number fits them
            self.say("aside", note, self.layout.bottom[2], role="muted_text")
        self.record("badges", font=self._badge_font())
        Pacer(self, self).run(phases)
        self.wait(0.3 * self.step_time)

    def _cross_out_unreached(self) -> None:
        """Cross out the input cells no window reaches (the floor in the size formula)."""
        kinds = grid_input_index(self.spec)
        reached = {t.grid_index for st in self.steps for t in st.taps}
        self.unreached = [tuple(int(v) for v in idx) for idx in zip(*np.nonzero(kinds >= 0))
                          if tuple(int(v) for v in idx) not in reached]
        self.record("unreached", cells=list(self.unreached))
        if not self.unreached:
            return
        self._clear_notes()
        marks = cross_out(self.input_grid, self.unreached, self.theme)
        self.play(FadeIn(marks), run_time=0.5 * self.step_time)
        self.say("pace", self.label("sliding_unreached"), self.layout.bottom[0],
                 role="muted_text")

    def _clear_notes(self) -> None:
        """Take the worked sum and the notes away (once read); titles and captions stay."""
        for slot in ("eq", "pace", "note", "stride", "aside"):
            self.narration.clear(slot)
        self._clear_stride_marks()

    def _show_formula(self) -> None:
        """The output-size formula in the text rows; the window and its link leave."""
        der = derive_output_size(self.spec, self.lang)
        lines = [der.axes[0].general]
        subs = [ax.substituted for ax in der.axes]
        if len(set(subs)) == 1:
            lines.append(subs[0])
        else:
            lines += [self.label("axis_prefix", axis=ax.axis) + ax.substituted for ax in der.axes]
        lines = lines[: len(self.layout.bottom)]
        self._clear_notes()
        t0 = self.time
        self.narration.say_lines("formula", lines, self.layout.bottom, kind="formula",
                                 formula=True)
        gone = [self.window, self.connector, self.badges, *self.span]
        self.play(*(FadeOut(m) for m in gone), run_time=0.5 * self.step_time)
        self.log.add(FormulaShown(t0, self.time, lines=tuple(lines)))


    def _closing_output(self):
        """The output the closing beat substitutes: the equation scene's choice
        (:func:`scenes.equation.chosen_index`), or — when its terms read only padding — the
        first output that reads an input cell."""
        first = chosen_index(self.spec)
        for idx in [first, *np.ndindex(*self.spec.output_shape)]:
            eq = substitute(self.x, self.w, self.spec, tuple(int(v) for v in idx))
            if any(t.in_input for t in eq.terms):
                return eq
        return substitute(self.x, self.w, self.spec, first)

    def _closing_equation(self) -> None:
        """The closing beat (direct specs): the general equation (flipped form for ``flip``)
        with one output index of this spec substituted (:func:`convmath.substitute`), and the
        window back on the cells its terms read, linked to that output cell. A transposed spec
        has no such gather equation (its scatter is the superposition scene's)."""
        if self.spec.transposed:
            return
        self.mark("equation")
        eq = self._closing_output()
        n = int(np.ravel_multi_index(eq.out_index, self.spec.output_shape))
        rows, th, lay = self.layout.bottom, self.theme, self.layout
        self.narration.clear("formula")
        self.window, self.badges, self.connector = self._window_parts((n,))
        self.span = self._span((n,))
        self.connector.set_stroke(th.highlight, width=4, opacity=1.0)  # this sum goes there
        cell = self.output_grid.get_cell(eq.out_index, color=th.highlight, stroke_width=4)
        self.add(self.window, self.badges, self.connector, *self.span, cell)
        self.say("eqc0", self.label(general_key(self.spec)), rows[0], kind="equation")
        lines = [index_line(eq, th, self.kernel_colors, self.label, max_chars=lay.row_chars)]
        numbers = self.fonts["grid"] is not None
        lines.append(sum_line(eq, th, self.kernel_colors, lhs=self.spec.ndim != 1,
                              weights=self.weights) if numbers
                     else cells_line(eq, th, self.kernel_colors))
        # a line too long for its row is left out (never shrunk below the text floor): the
        # window still points at the cells
        lines = [m for m in lines if len(_plain(m)) <= lay.row_chars]
        plain = [show_markup(self, f"eqc{k + 1}", m, rows[k + 1]) for k, m in enumerate(lines)]
        self.record("closing_equation", out_index=eq.out_index, terms=eq.terms,
                    cells=[tuple(c) for c in self._cells((n,))], lines=plain)
        self.narration.settle()


def _lrbt(m) -> tuple[float, float, float, float]:
    """``m``'s bounding box as (left, right, bottom, top), for the scene's records."""
    return (float(m.get_left()[0]), float(m.get_right()[0]), float(m.get_bottom()[1]),
            float(m.get_top()[1]))


def _plain(markup: str) -> str:
    """The text of Pango ``markup``."""
    import html
    import re

    return html.unescape(re.sub(r"<[^>]+>", "", markup))


def _axis_text(values) -> str:
    values = tuple(values)
    return str(values[0]) if len(set(values)) == 1 else "×".join(str(v) for v in values)
