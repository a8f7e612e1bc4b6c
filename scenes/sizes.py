"""`OutputSize`: the output-size formula built from the picture, the named paddings, conv → deconv.

Four screens, every number read from :mod:`convmath.sizes`:

1. **The formula from the picture** — per axis, the padded input as a row of cells, the (dilated)
   window stepping by the stride over it while the output row counts the positions; the cells no
   window reaches are highlighted, and the engine's derivation (general formula, this spec's
   numbers, notes) is written underneath.
2. **Named paddings** — ``valid``, ``same``/``half`` (TensorFlow's uneven split, extra cell after)
   and ``full`` as one-line specialisations (:func:`convmath.sizes.named_cases`), each with its own
   padded row.
3. **Conv → "deconv"** — the input sizes that give the same output (stride > 1; beyond three,
   the smallest, the spec's own and the largest are drawn and the range is stated), the
   transposed formula and the ``output_padding`` that brings each size back (PyTorch's
   ``output_size``).
4. **The name** — why "deconvolution" is the wrong word.
5. **Summary** — screen 1's figure again, all at once (every window position, the unreached
   cells, the general and substituted formula): the last frame, so a PNG teaches the formula.

Run with the defaults: ``manim -ql scenes/sizes.py OutputSize``.
"""

from __future__ import annotations

import dataclasses
import re
from typing import Any, ClassVar

from manim import DOWN, Dot, FadeIn, FadeOut, MarkupText, Transform, VGroup

from convmath import (
    ConvMathError,
    ConvSpec,
    derive_output_size,
    grid_input_index,
)
from convmath.explain import format_shape
from convmath.facts import axis_spec, axis_windows, dropped_cells, same_output_input_sizes
from convmath.fmt import format_axes, format_padding
from convmath.i18n import LANGS
from convmath.sizes import (
    AxisDerivation,
    NamedCase,
    named_cases,
    output_padding_for,
)
from scenes.kit.base import ConvScene
from scenes.kit.grid import CellGrid, show_or_move
from scenes.kit.log import FormulaShown, Preview, ResultWritten, WindowLanded
from scenes.kit.marks import cross_out
from scenes.kit.text import formula_markup, make_markup
from scenes.kit.text import text_line as caption
from scenes.layout import (
    DIGIT_HEIGHT,
    MIN_CELL_PX_480P,
    MIN_GLYPH_PX_480P,
    REF_FRAME_HEIGHT,
    REF_FRAME_WIDTH,
    Box,
    Layout,
    check_cells,
    fit_text,
    largest_square_input,
    plan,
    plan_labelled_rows,
    px_480p,
    split_box,
    text_screen,
)
from scenes.wording import text

__all__ = ["OutputSize", "NamedPaddings", "ConvToTransposed", "formula_markup", "formula_text",
           "axis_spec", "wrap_rows", "same_derivation", "shown_sizes", "MAX_DECONV_ROWS"]

#: Largest ``font_size`` of the numbers counting the window positions.
_POSITION_FONT = 30.0
#: Smallest diameter of the dots marking the window positions, in pixels at 480p.
_MIN_DOT_PX_480P = 3.0

#: Most rows of cells the conv → deconv screen stacks, one per input size with the same output.
#: With more sizes (stride > 3) it draws the smallest, the spec's own and the largest, and states
#: the whole range in text: the ends show everything (no cell left over / ``s − 1`` left over, the
#: same window positions), while more rows would shrink every cell (stride 4 gave 5-px cells).
MAX_DECONV_ROWS = 3

def formula_text(s: str, box: Box, font_size: float, color: str, *,
                 result_color: str | None = None, align: str = "center") -> MarkupText:
    """A formula line as Pango ``MarkupText`` (subscripts, true symbols), fitted into ``box``."""
    mob = make_markup(formula_markup(s, result_color=result_color), font_size, color)
    return fit_text(mob, box, align=align)


def _windows(spec1d: ConvSpec) -> list[tuple[tuple[int, ...], ...]]:
    """Grid cells of every window of a 1D spec (:func:`convmath.facts.axis_windows`)."""
    return [tuple((j,) for j in w) for w in axis_windows(spec1d, 0)]


def _unreached(spec1d: ConvSpec) -> list[int]:
    """Grid cells after the last window's last tap: the cells the floor drops
    (:func:`convmath.facts.dropped_cells`)."""
    return list(dropped_cells(spec1d, 0))


def _align_first_cells(lay: Layout) -> Layout:
    """``lay`` with its rows of cells moved to start at the same x (the longest row's left
    edge): the window positions of rows of different lengths line up."""
    left = min(g.box.left for g in lay.grids)
    grids = tuple(dataclasses.replace(g, box=Box(left + g.box.width / 2, g.box.y, g.box.width,
                                                 g.box.height)) for g in lay.grids)
    return dataclasses.replace(lay, grids=grids)


def wrap_rows(rows: list[tuple[str, str]], max_chars: int) -> list[tuple[str, str]]:
    """Split ``(kind, text)`` rows longer than ``max_chars`` in two at the separator (``; ``,
    ``: ``, ``, ``, a space) nearest the middle; the second half keeps the kind."""
    out: list[tuple[str, str]] = []
    for kind, s in rows:
        if len(s) <= max_chars:
            out.append((kind, s))
            continue
        mid = len(s) / 2
        cut = None
        for sep in ("; ", ": ", ", ", " "):
            spots = [m.start() for m in re.finditer(re.escape(sep), s)]
            spots = [p for p in spots if abs(p - mid) < 0.3 * len(s)]
            if spots:
                p = min(spots, key=lambda q: abs(q - mid))
                cut = (s[: p + len(sep.rstrip())], s[p + len(sep):])
                break
        head_kind = "plain" if kind == "sub" else kind  # the result is in the second half
        out.extend([(head_kind, cut[0]), (kind, cut[1])] if cut else [(kind, s)])
    return out


def shown_sizes(sizes: tuple[int, ...] | list[int], own: int) -> list[int]:
    """The input sizes the conv → deconv screen draws as rows, ascending: all of ``sizes`` when
    there are at most :data:`MAX_DECONV_ROWS`, else the smallest, ``own`` and the largest."""
    if len(sizes) <= MAX_DECONV_ROWS:
        return list(sizes)
    return sorted({sizes[0], own, sizes[-1]})


def same_derivation(a: AxisDerivation, b: AxisDerivation) -> bool:
    """Whether two axes' derivations are identical (everything but the axis number)."""
    return dataclasses.replace(a, axis=0) == dataclasses.replace(b, axis=0)


def _primed(s: str) -> str:
    """The transposed formula with primes: ``o′ = (i′ − 1)·s …`` (display only)."""
    return s.replace("o = ", "o′ = ").replace("(i − 1)", "(i′ − 1)")


@dataclasses.dataclass(frozen=True)
class _DeconvPlan:
    """The conv → deconv screen's plan: the drawn rows' specs, the text rows, the layout
    (grids: the drawn rows then the output row), each grid's labels and their boxes (``right``:
    the drawn rows only) and whether the labels sit beside the rows (``side``) or above."""

    specs: list[ConvSpec]
    rows: list[tuple[str, str]]
    lay: Layout
    lefts: list[str]
    rights: list[str]
    left_boxes: list[Box]
    right_boxes: list[Box]
    side: bool


@dataclasses.dataclass
class _Figure:
    """Screen 1's mobjects: one padded row and one output row per drawn axis."""

    lay: Layout
    title: Any
    grids: list[CellGrid] = dataclasses.field(default_factory=list)
    outs: list[CellGrid] = dataclasses.field(default_factory=list)
    caps: list[Any] = dataclasses.field(default_factory=list)
    formulas: list[MarkupText] = dataclasses.field(default_factory=list)
    rows: list[str] = dataclasses.field(default_factory=list)
    windows: list[list[tuple[tuple[int, ...], ...]]] = dataclasses.field(default_factory=list)
    unreached: list[list[int]] = dataclasses.field(default_factory=list)
    kinds: list[str] = dataclasses.field(default_factory=list)


#: The number under the floor in a substituted formula: ``⌊5 / 2⌋`` (not ``⌊(6 + 2 …) / 2⌋``).
_FLOOR_NUMBER = re.compile(r"⌊(\d+) / \d+⌋")


def linked_number(rows: list[tuple[str, str]]) -> str | None:
    """The number the leftover note starts with (``5 is not a multiple of 2``) when a
    substituted row floors it (``⌊5 / 2⌋``): the two are drawn linked."""
    subs = {m.group(1) for kind, s in rows if kind == "sub" for m in _FLOOR_NUMBER.finditer(s)}
    for kind, s in rows:
        head = s.split(" ", 1)[0]
        if kind == "leftover" and head in subs:
            return head
    return None


def _underline(markup: str, number: str, color: str, *, floor: bool) -> str:
    """``markup`` with its ``number`` (the one under the floor, or the leading one)
    underlined and coloured."""
    span = f'<span foreground="{color}" underline="single">{number}</span>'
    if floor:
        return re.sub(rf"⌊{number} / ", f"⌊{span} / ", markup, count=1)
    return re.sub(rf"^{number}\b", span, markup, count=1)


class _SizeScreens(ConvScene):
    """What the three size scenes share: the spec and its adjoint, the plans of their screens
    (static: :meth:`check_spec` plans them too), rows of cells, formula texts (logged, read
    before a screen changes; screens change by a cut).

    Attributes
    ----------
    direct, transposed : ConvSpec or None
        The direct spec and its adjoint. A transposed input spec is shown as the adjoint of its
        direct counterpart.
    drawn_texts : list of str
        Every formula and caption string written on screen, in order.
    """

    #: The screens of this scene for :meth:`check_spec`: names of :meth:`plans` entries.
    SCREENS: ClassVar[tuple[str, ...]] = ()

    def setup(self) -> None:
        super().setup()
        self.drawn_texts: list[str] = []
        self._pending: list[tuple[Any, str, str]] = []
        self.direct, self.transposed = self._pair()

    # -- helpers -----------------------------------------------------------------------------

    def _pair(self) -> tuple[ConvSpec | None, ConvSpec | None]:
        """(direct, transposed): the spec and its adjoint, whichever way round."""
        return self.pair_of(self.spec)

    @staticmethod
    def pair_of(s: ConvSpec) -> tuple[ConvSpec | None, ConvSpec | None]:
        """(direct, transposed): ``s`` and its adjoint, whichever way round (``None`` when the
        spec has no adjoint)."""
        try:
            other = s.adjoint()
        except ConvMathError:
            other = None
        return (other, s) if s.transposed else (s, other)

    @staticmethod
    def _distinct_axes(spec: ConvSpec) -> list[int]:
        """Axes whose engine derivations differ (:func:`same_derivation`): identical axes are
        shown once."""
        axes = derive_output_size(spec).axes
        out: list[int] = []
        for a, ax in enumerate(axes):
            if not any(same_derivation(ax, axes[b]) for b in out):
                out.append(a)
        return out

    def _prefix(self, spec: ConvSpec, a: int) -> str:
        if spec.ndim == 1:
            return ""
        same = len(self._distinct_axes(spec)) == 1
        return "" if same else self.label("axis_prefix", axis=a)

    def _formula(self, s: str, box: Box, lay: Layout, *, muted: bool = False,
                 result: bool = False, color: str | None = None,
                 link: str | None = None) -> MarkupText:
        """A formula row; ``link``: a number drawn underlined in the highlight ink (the 5 of
        ``5 is not a multiple of 2`` and of ``⌊5 / 2⌋``: same colour and an underline)."""
        self.drawn_texts.append(s)
        c = self.theme.ink(color or ("muted_text" if muted else "text"))
        markup = formula_markup(s, result_color=self.theme.ink("output") if result else None)
        if link is not None:
            markup = _underline(markup, link, self.theme.ink("highlight"), floor=result)
        self.record("formula", text=s, link=link if link and link in s else None)
        mob = fit_text(make_markup(markup, lay.text_font, c), box)
        self._pending.append((mob, s, "formula"))
        return mob

    def _caption(self, s: str, box: Box, lay: Layout, color: str | None = None,
                 align: str = "center"):
        self.drawn_texts.append(s)
        mob = caption(s, box, lay.caption_font, self.theme.ink(color or "text"), align=align)
        self._pending.append((mob, s, "label"))
        return mob

    def _title(self, s: str, box: Box, font: float):
        """A screen's title row (logged like every text)."""
        self.drawn_texts.append(s)
        mob = caption(s, box, font, self.theme.ink("text"))
        self._pending.append((mob, s, "title"))
        return mob

    def _track(self, shown: list | None = None) -> None:
        """Log the texts built so far (or those among ``shown``) as on screen now: their reading
        time starts."""
        keep = []
        ids = None if shown is None else {id(m) for m in shown}
        for mob, s, kind in self._pending:
            if ids is not None and id(mob) not in ids:
                keep.append((mob, s, kind))
                continue
            self.narration.show(f"t{len(self.log)}", mob, s, kind=kind)
        self._pending = keep

    def _open(self, *mobs: Any, run_time: float = 0.6, cut: bool = False) -> None:
        """Show a screen: the scene's first at once (its preview: the first frame of a GIF),
        later ones faded in after a cut (``cut``: at once too); their texts are tracked."""
        if not self.log.of(Preview):
            self.preview(*mobs, parts=("title", "figure"))
        elif cut:
            self.add(*mobs)
        else:
            self.play(FadeIn(*mobs), run_time=run_time * self.step_time)
        self._track(list(mobs))

    def _reveal(self, *mobs: Any, run_time: float = 0.8) -> None:
        """Fade more of a screen in (nothing is under it), then track its texts."""
        self.play(*(FadeIn(m) for m in mobs), run_time=run_time * self.step_time)
        self._track(list(mobs))

    def _row(self, spec1d: ConvSpec, slot, lay: Layout) -> CellGrid:
        return CellGrid(spec1d.grid_shape, lay.cell, theme=self.theme,
                        kinds=grid_input_index(spec1d), center=slot.box.center)

    def _unreached_marks(self, grid: CellGrid, cells: list[int]) -> VGroup:
        """Highlighted, crossed-out cells: the ones no window reaches (the kit's mark)."""
        return cross_out(grid, [(j,) for j in cells], self.theme)

    def _start_dot(self, grid: CellGrid, window: tuple[tuple[int, ...], ...]) -> Dot:
        """A dot under a window's first cell: the positions 0, s, 2s, … it can take."""
        s = grid.cell_size
        # At least _MIN_DOT_PX_480P across at 480p (small cells of long rows), at most 0.6 cell.
        r = min(max(0.07 * s, _MIN_DOT_PX_480P / 2 / px_480p(1.0, self.frame_size()[1])),
                0.3 * s)
        return Dot(grid.cell_center(window[0]) + max(0.64 * s, 0.5 * s + 1.3 * r) * DOWN,
                   radius=r, color=self.theme.window)

    @staticmethod
    def _wide(box: Box, lay: Layout) -> Box:
        """A caption box as wide as a text row (single-column screens: nothing beside it)."""
        return Box(box.x, box.y, lay.top[0].width, box.height)

    @staticmethod
    def plan_rows(columns, rows: list[tuple[str, str]], **frame: Any
                  ) -> tuple[list[tuple[str, str]], Layout]:
        """Plan grids plus text rows, splitting rows too long to stay readable. ``frame``:
        ``frame_width``, ``frame_height``, ``numeric`` (as :func:`scenes.layout.plan`)."""
        lay = plan(columns, top_rows=1, bottom_rows=len(rows), **frame)
        wrapped = wrap_rows(rows, lay.row_chars)
        if len(wrapped) != len(rows):
            lay = plan(columns, top_rows=1, bottom_rows=len(wrapped), **frame)
        return wrapped, lay

    def _frame_kw(self) -> dict[str, Any]:
        fw, fh = self.frame_size()
        return dict(frame_width=fw, frame_height=fh, numeric=self.numeric)

    # -- the plans of the screens with grids (static: check_spec plans them too) -----------------

    @classmethod
    def plan_figure(cls, spec: ConvSpec, lang: str, **frame: Any
                    ) -> tuple[list[int], list[ConvSpec], list[tuple[str, str]], Layout]:
        """Screen 1 (and the closing summary): per distinct axis the padded row over its output
        row, and the formula rows (general, substituted, notes). Returns ``(axes, per_axis
        specs, rows, layout)``."""
        der = derive_output_size(spec, lang)
        # Identical axes (same derivation) are drawn once, with a note that it holds for both.
        axes = cls._distinct_axes(spec)
        single = len(axes) == 1
        per_axis = [axis_spec(spec, a) for a in axes]
        rows: list[tuple[str, str]] = [("general", der.axes[0].general)]
        for a in axes:
            ax = der.axes[a]
            prefix = "" if single else text("axis_prefix", lang, axis=a)
            rows.append(("sub", prefix + ax.substituted))
            # notes: [padded length and positions, left-over cells, inputs with this output]
            if single:
                rows.append(("note", ax.notes[0]))
            rows.extend(("leftover", n) for n in ax.notes[1:2])
            if single:
                notes = list(ax.notes[2:])  # [inputs with this output], listed or as a range
                sizes = same_output_input_sizes(spec, a)
                if notes and len(sizes) > MAX_DECONV_ROWS:
                    notes[0] = text("note_same_output_range", lang, lo=sizes[0], hi=sizes[-1],
                                    o=ax.result, ns=len(sizes))
                rows.extend(("note", n) for n in notes)
        if single and spec.ndim > 1:
            rows.append(("both", text("sizes_both_axes", lang, o=der.axes[0].result)))
        columns = [[s1.grid_shape, (der.axes[a].result,)] for a, s1 in zip(axes, per_axis)]
        rows, lay = cls.plan_rows(columns, rows, **frame)
        return axes, per_axis, rows, lay

    @staticmethod
    def plan_cases(spec: ConvSpec, a: int, lang: str, **frame: Any
                   ) -> tuple[list[NamedCase], list[ConvSpec | None], Layout]:
        """Screen 2 for axis ``a``: one padded row per named padding (``None`` where the case
        gives no valid spec), two formula rows each."""
        i, k = spec.input_shape[a], spec.kernel_shape[a]  # type: ignore[index]
        s, d = spec.stride[a], spec.dilation[a]  # type: ignore[index]
        cases = named_cases(i, k, s, d, lang)
        specs: list[ConvSpec | None] = []
        for c in cases:
            try:
                specs.append(ConvSpec((i,), k, stride=s, padding=(c.pads,), dilation=d))
            except ConvMathError:
                specs.append(None)
        shapes = [sp.grid_shape if sp is not None else (i,) for sp in specs]
        lay = plan([shapes], top_rows=1, bottom_rows=2 * len(cases), **frame)
        return cases, specs, lay

    @classmethod
    def plan_deconv(cls, direct: ConvSpec, transposed: ConvSpec, a: int, lang: str,
                    **frame: Any) -> _DeconvPlan:
        """Screen 3 for axis ``a``: one row per input size with the same output (at most
        :data:`MAX_DECONV_ROWS`: :func:`shown_sizes`, the whole range then said in text), the
        output row, the transposed formula rows. Each row is labelled ``i = n → o`` and with
        the ``output_padding`` recovering ``n``: beside the row
        (:func:`scenes.layout.plan_labelled_rows`, rows aligned so the window positions line
        up) or above it (:func:`scenes.layout.plan`), whichever gives the larger cells."""
        ax: AxisDerivation = derive_output_size(direct, lang).axes[a]
        tax: AxisDerivation = derive_output_size(transposed, lang).axes[a]
        v = ax.values
        i, k, s, d = v["i"], v["k"], v["s"], v["d"]
        pb, pa = v["p_before"], v["p_after"]
        o = ax.result
        sizes = same_output_input_sizes(direct, a)
        specs = [axis_spec(direct, a, n) for n in shown_sizes(sizes, i)]
        rows: list[tuple[str, str]] = [("general", _primed(tax.general)),
                                       ("sub", _primed(tax.substituted))]
        if len(sizes) > MAX_DECONV_ROWS:  # not every size is drawn: the range, in words
            lo, hi = sizes[0], sizes[-1]
            rows.append(("note", text("note_many_inputs_range", lang, lo=lo, hi=hi,
                                      n=len(sizes), i=o)))
            rows.append(("note", text("note_recover_range", lang, lo=lo, hi=hi,
                                      op_lo=output_padding_for(lo, o, k, s, pb, pa, d),
                                      op_hi=output_padding_for(hi, o, k, s, pb, pa, d))))
        else:
            rows.extend(("note", n) for n in tax.notes[1:2])  # inputs with the same output
        if len(sizes) == 1:
            rows.append(("note", text("sizes_stride1", lang)))
        op = output_padding_for(i, o, k, s, pb, pa, d)
        rows.append(("pytorch", text("sizes_pytorch", lang, n=i, op=op)))
        drawn = [sp.input_shape[0] for sp in specs]
        lefts = [f"i = {n} → o = {o}" for n in drawn] + [
            f"{text('output', lang)}: o = i′ = {o}"]
        ops = [output_padding_for(n, o, k, s, pb, pa, d) for n in drawn]
        full = [text("note_recover", lang, n=n, op=op_n) for n, op_n in zip(drawn, ops)]
        lengths = [sp.grid_shape[0] for sp in specs] + [o]
        best: _DeconvPlan | None = None
        # Labels beside the rows: "To recover n: …", or when the range is written below (long
        # rows of a large stride) just "output_padding = …"; else labels above the rows.
        choices: list[list[str] | None] = [full]
        if len(sizes) > MAX_DECONV_ROWS:
            choices.append([f"output_padding = {op_n}" for op_n in ops])
        for rights in [*choices, None]:
            try:
                cand = cls._plan_deconv_labels(lengths, rows, lefts, rights, **frame)
            except ValueError:
                continue
            if best is None or cand.lay.cell > best.lay.cell:
                best = cand
        if best is None:
            raise ValueError(f"the conv → deconv rows of {lengths} cells cannot fit the frame")
        return dataclasses.replace(best, specs=specs,
                                   rights=best.rights if best.side else full)

    @classmethod
    def _plan_deconv_labels(cls, lengths: list[int], rows: list[tuple[str, str]],
                            lefts: list[str], rights: list[str] | None, **frame: Any
                            ) -> _DeconvPlan:
        """The conv → deconv layout with the labels beside the rows (``rights`` given) or above
        them (``None``: the left label and ``note_recover`` share each caption row)."""
        if rights is not None:
            chars = dict(left_chars=max(map(len, lefts)) + 1,
                         right_chars=max(map(len, rights)) + 1)
            side = plan_labelled_rows(lengths, top_rows=1, bottom_rows=len(rows), **chars,
                                      **frame)
            wrapped = wrap_rows(rows, side.layout.row_chars)
            if len(wrapped) != len(rows):
                side = plan_labelled_rows(lengths, top_rows=1, bottom_rows=len(wrapped),
                                          **chars, **frame)
            lay = side.layout
            return _DeconvPlan([], wrapped, lay, lefts, rights, [g.caption for g in lay.grids],
                               list(side.right), True)
        wrapped, lay = cls.plan_rows([[(n,) for n in lengths]], rows, **frame)
        lay = _align_first_cells(lay)
        halves = [split_box(cls._wide(g.caption, lay), 2) for g in lay.grids[:-1]]
        return _DeconvPlan([], wrapped, lay, lefts, [],
                           [h[0] for h in halves] + [cls._wide(lay.grids[-1].caption, lay)],
                           [h[1] for h in halves], False)

    @classmethod
    def plans(cls, spec: ConvSpec, lang: str, **frame: Any) -> list[tuple[str, Layout]]:
        """``(screen name, layout)`` of every screen with grids, as :meth:`construct` plans
        them (the closing summary is screen 1 again)."""
        direct, transposed = cls.pair_of(spec)
        out: list[tuple[str, Layout]] = []
        if direct is None:
            return out
        if "formula" in cls.SCREENS:
            out.append(("the padded rows of the formula screen",
                        cls.plan_figure(direct, lang, **frame)[3]))
        for a in cls._distinct_axes(direct):
            if "cases" in cls.SCREENS:
                out.append(("the rows of the named paddings", cls.plan_cases(direct, a, lang,
                                                                             **frame)[2]))
            if transposed is not None and "deconv" in cls.SCREENS:
                out.append(("the rows of the conv → deconv screen",
                            cls.plan_deconv(direct, transposed, a, lang, **frame).lay))
        return out

    @classmethod
    def check_spec(cls, spec: ConvSpec, mode: str = "numeric") -> None:
        """Raise :class:`ConvMathError` when :meth:`plans` at the reference 480p frame (in
        either language) give cells smaller than :data:`scenes.layout.MIN_CELL_PX_480P`, or
        rows that cannot fit at all (many input sizes stacked for a large stride).

        In numeric mode the numbers counting the window positions (0, 1, 2, … in the output
        row: how the figure derives the formula) must also be readable, at least
        :data:`scenes.layout.MIN_GLYPH_PX_480P` high; past that the error points to
        ``mode="schematic"``, which counts with dots. The sizes it accepts are listed in the
        class docstring.
        """
        frame = dict(frame_width=REF_FRAME_WIDTH, frame_height=REF_FRAME_HEIGHT)

        def smallest_cells(sp: ConvSpec) -> tuple[str, float]:
            try:
                plans = [p for lang in LANGS for p in cls.plans(sp, lang, numeric=False,
                                                                **frame)]
            except ValueError:  # the rows do not fit the frame at any size
                return "the stacked rows of cells", 0.0
            if not plans:
                return "the rows of cells", float("inf")
            desc, lay = min(plans, key=lambda p: p[1].cell)
            return desc, px_480p(lay.cell)

        check_cells(cls.__name__, spec, smallest_cells)
        if mode != "numeric" or "formula" not in cls.SCREENS:
            return

        def digit_px(sp: ConvSpec) -> tuple[str, float]:
            direct, _ = cls.pair_of(sp)
            if direct is None:
                return "the position numbers", float("inf")
            lay = min((cls.plan_figure(direct, lang, numeric=True, **frame)[3] for lang in LANGS),
                      key=lambda la: la.value_font)
            return "the numbers counting the window positions", px_480p(
                min(lay.value_font, _POSITION_FONT) * DIGIT_HEIGHT)

        n = largest_square_input(spec, lambda sp: smallest_cells(sp)[1] >= MIN_CELL_PX_480P)
        shown = "" if n is None else f" (up to about {format_shape((n,) * spec.ndim)})"
        check_cells(
            cls.__name__, spec, digit_px, min_px=MIN_GLYPH_PX_480P, limit="MIN_GLYPH_PX_480P",
            what="digits",
            hint=f"mode='schematic' (--mode schematic) counts with dots instead and draws larger "
                 f"inputs{shown}",
        )

    def _clear(self) -> None:
        """The next screen: once every text was read, everything leaves by a cut."""
        self.narration.clear()
        self.remove(*self.mobjects)

    # -- screen 1: the formula from the picture ----------------------------------------------

    def _formula_figure(self, spec: ConvSpec, *, record: bool = True) -> _Figure:
        """Screen 1's construction: per drawn axis the padded row and its output row, the title
        and the formula rows (general, substituted, notes). Used again by the closing summary."""
        der = derive_output_size(spec, self.lang)
        axes, per_axis, rows, lay = self.plan_figure(spec, self.lang, **self._frame_kw())
        single = len(axes) == 1
        fig = _Figure(lay, self._title(self.label("explain_sizes_title") + " — "
                                         + self._describe(spec), lay.top[0], lay.text_font))
        for n_ax, (a, s1) in enumerate(zip(axes, per_axis)):
            g_slot, o_slot = lay.grids[2 * n_ax], lay.grids[2 * n_ax + 1]
            prefix = "" if single else self.label("axis_prefix", axis=a)
            n = s1.grid_shape[0]
            fig.caps.append(self._caption(f"{prefix}{self.label('sizes_padded')}: {n}",
                                          g_slot.caption, lay))
            o = der.axes[a].result
            fig.outs.append(CellGrid((o,), lay.cell, theme=self.theme, role="output",
                                     filled=False, center=o_slot.box.center))
            fig.caps.append(self._caption(f"{self.label('output')}: o = {o}", o_slot.caption,
                                          lay))
            wins = _windows(s1)
            left = _unreached(s1)
            if record:
                self.record("axis", axis=a, padded=n, windows=wins, unreached=left, output=o,
                            leftover=der.axes[a].leftover, values=dict(der.axes[a].values))
            fig.grids.append(self._row(s1, g_slot, lay))
            fig.windows.append(wins)
            fig.unreached.append(left)
        fig.rows = [s for _, s in rows]
        fig.kinds = [k for k, _ in rows]
        link = linked_number(rows)
        for (kind, s), box in zip(rows, lay.bottom):
            if kind in ("general", "plain", "both"):
                fig.formulas.append(self._formula(s, box, lay))
            elif kind == "sub":
                fig.formulas.append(self._formula(s, box, lay, result=True, link=link))
            elif kind == "leftover":
                fig.formulas.append(self._formula(s, box, lay, color=self.theme.highlight,
                                                  link=link))
            else:
                fig.formulas.append(self._formula(s, box, lay, muted=True))
        return fig

    def _position(self, fig: _Figure, a: int, k: int) -> list[Any]:
        """Window position ``k`` on drawn row ``a``: its output cell (numbered in numeric mode)
        and the dot under the window's first cell."""
        lay = fig.lay
        out = [fig.outs[a].get_cell((k,), color=self.theme.output, fill_opacity=0.35,
                                    stroke_width=3)]
        if lay.numeric:  # the window's number, counting the positions
            out.append(fig.outs[a].value_text((k,), k,
                                              font_size=min(lay.value_font, _POSITION_FONT)))
        return [*out, self._start_dot(fig.grids[a], fig.windows[a][k])]

    def _screen_formula(self, spec: ConvSpec) -> None:
        fig = self._formula_figure(spec)
        t = self.step_time
        # Shown at once: a GIF's first frame is its preview (thumbnails, before autoplay).
        self._open(fig.title, *fig.grids, *fig.caps, *fig.outs, fig.formulas[0])
        # The preview holds until its title and formula are read: the sweep then shows why
        # (it flashed for one frame before the windows started).
        self.narration.settle()
        self.record("preview_hold", until=self.time)
        self.mark("windows")
        # The window steps by the stride; once it has landed, its position fills one output
        # cell (cause before effect, as the kit's pacing does).
        n_rows = len(fig.grids)
        wins_mob: list[Any] = [None] * n_rows
        for k in range(max(len(w) for w in fig.windows)):
            rows = [a for a in range(n_rows) if k < len(fig.windows[a])]
            moves = []
            for a in rows:
                win = fig.grids[a].get_window(fig.windows[a][k])
                wins_mob[a], anim = show_or_move(wins_mob[a], win)
                moves.append(anim)
            t0 = self.time
            self.play(*moves, run_time=(0.5 if k < 3 else 0.25) * t)
            for a in rows:
                self.log.add(WindowLanded(t0, self.time, step=k, out_index=(k,),
                                          cells=fig.windows[a][k], group=f"row{a}"))
            t1 = self.time
            self.play(*(FadeIn(m) for a in rows for m in self._position(fig, a, k)),
                      run_time=(0.4 if k < 3 else 0.2) * t)
            for a in rows:
                self.log.add(ResultWritten(t1, self.time, step=k, out_index=(k,),
                                           text=str(k), group=f"row{a}"))
        self.mark("formula")
        self._derive(fig, wins_mob)
        self._clear()

    def _derive(self, fig: _Figure, wins_mob: list[Any]) -> None:
        """The derivation row by row, each with what it reads and held for its reading time:
        the padded length and the windows that fit (just drawn), the cells no window reaches
        (crossed out as their note comes), the floor, then the rest."""
        t, kinds = self.step_time, fig.kinds
        first_note = [n for n, k in enumerate(kinds) if k == "note"][:1]
        while first_note and kinds[first_note[-1] + 1:first_note[-1] + 2] == ["note"]:
            first_note.append(first_note[-1] + 1)  # the note wrapped over the next row
        order = first_note + [n for n, k in enumerate(kinds) if k == "leftover"]
        order += [n for n, k in enumerate(kinds) if k == "sub"]
        order += [n for n in range(1, len(kinds)) if n not in order]
        marks = [self._unreached_marks(g, u) for g, u in zip(fig.grids, fig.unreached)]
        groups: list[list[int]] = []  # a note wrapped over two rows comes as one
        for n in order:
            if groups and n == groups[-1][-1] + 1 and kinds[n] == kinds[groups[-1][-1]]:
                groups[-1].append(n)
            else:
                groups.append([n])
        for group in groups:
            n = group[0]
            extra: list[Any] = []
            if kinds[n] == "leftover" and marks:
                # the window steps aside where it would hide the unreached cells' highlight
                extra = [FadeOut(w) for w, u in zip(wins_mob, fig.unreached) if u]
                extra.append(FadeIn(*marks))
                marks = []
            mobs = [fig.formulas[m] for m in group]
            self.play(*extra, *(FadeIn(m) for m in mobs), run_time=0.6 * t)
            for m in group:
                self.record("derivation_row", row=m, row_kind=kinds[m], text=fig.rows[m],
                            time=self.time)
            self._track(mobs)
            self.narration.settle()
        if marks:
            self.play(FadeIn(*marks), run_time=0.4 * t)

    def _screen_summary(self, spec: ConvSpec) -> None:
        """The closing figure (the last frame, i.e. the PNG): screen 1's padded rows with every
        window position, the first window, the unreached cells and the formula rows, at once."""
        fig = self._formula_figure(spec, record=False)
        parts: list[Any] = [fig.title, *fig.grids, *fig.caps, *fig.outs, *fig.formulas]
        for a, (grid, wins, left) in enumerate(zip(fig.grids, fig.windows, fig.unreached)):
            for k in range(len(wins)):
                parts.extend(self._position(fig, a, k))
            # the last window, where the sweep left it (it never jumps back to position 0)
            parts.extend([grid.get_window(wins[-1]), self._unreached_marks(grid, left)])
        self.record("summary", rows=fig.rows, windows=fig.windows, unreached=fig.unreached,
                    shown_windows=[w[-1] for w in fig.windows])
        self.mark("summary")
        self._open(*parts, cut=True)  # screen 1 again, complete: no fade, no flicker
        self.log.add(FormulaShown(self.time, self.time, lines=tuple(fig.rows)))

    @staticmethod
    def _describe(spec: ConvSpec) -> str:
        """``i = 6, k = 3, s = 2, p = 1`` (per axis joined with ×, the padding as the CLI and
        A1's title write it: ``1:2`` before:after), from the engine's formatters."""
        parts = [f"i = {format_axes(spec.input_shape)}",
                 f"k = {format_axes(spec.kernel_shape)}",  # type: ignore[arg-type]
                 f"s = {format_axes(spec.stride)}",  # type: ignore[arg-type]
                 f"p = {format_padding(spec.pads)}"]
        if any(d > 1 for d in spec.dilation):  # type: ignore[union-attr]
            parts.append(f"d = {format_axes(spec.dilation)}")  # type: ignore[arg-type]
        return ", ".join(parts)

    # -- screen 2: the named paddings -------------------------------------------------------------

    @staticmethod
    def _ends_with_output(case: NamedCase) -> bool:
        """Whether a case's substituted line ends with its output size (then it is coloured as
        the result; TF's "same" line ends with the padding split instead)."""
        return case.output is not None and case.substituted.endswith(f" = {case.output}")

    def _screen_cases(self, spec: ConvSpec, a: int, *, last: bool = False) -> None:
        i, k = spec.input_shape[a], spec.kernel_shape[a]  # type: ignore[index]
        s, d = spec.stride[a], spec.dilation[a]  # type: ignore[index]
        cases, specs, lay = self.plan_cases(spec, a, self.lang, **self._frame_kw())
        prefix = self._prefix(spec, a)
        title = self._title(f"{self.label('sizes_named_title')} — {prefix}"
                              f"i = {i}, k = {k}, s = {s}" + (f", d = {d}" if d > 1 else ""),
                              lay.top[0], lay.text_font)
        mobs: list[Any] = [title]
        for c, sp, slot in zip(cases, specs, lay.grids):
            if sp is None:
                row = CellGrid((i,), lay.cell, theme=self.theme, center=slot.box.center)
                mobs.append(row)
            else:
                row = self._row(sp, slot, lay)
                left = _unreached(sp)
                mobs.extend([row, self._unreached_marks(row, left)])
                self.record("case", axis=a, name=c.name, pads=c.pads, output=c.output,
                            padded=sp.grid_shape[0], unreached=left, substituted=c.substituted)
            out = "—" if c.output is None else f"o = {c.output}"
            mobs.append(self._caption(f"{c.label} → {out}: {c.note}",
                                      self._wide(slot.caption, lay), lay))
        lines = []
        for n, c in enumerate(cases):
            lines.append(self._formula(f"{c.label}:  {c.general}", lay.bottom[2 * n], lay,
                                       muted=True))
            lines.append(self._formula(c.substituted, lay.bottom[2 * n + 1], lay,
                                       result=self._ends_with_output(c)))
        self._open(*mobs)
        self._reveal(*lines)
        if not last:
            self._clear()

    # -- screen 3: conv → deconv ---------------------------------------------------------------

    def _screen_deconv(self, direct: ConvSpec, transposed: ConvSpec, a: int) -> None:
        ax: AxisDerivation = derive_output_size(direct, self.lang).axes[a]
        tax: AxisDerivation = derive_output_size(transposed, self.lang).axes[a]
        v = ax.values
        i, k, s, d = v["i"], v["k"], v["s"], v["d"]
        pb, pa = v["p_before"], v["p_after"]
        o = ax.result
        dp = self.plan_deconv(direct, transposed, a, self.lang, **self._frame_kw())
        specs, rows, lay = dp.specs, dp.rows, dp.lay
        op = output_padding_for(i, o, k, s, pb, pa, d)
        self.record("transposed", axis=a, input=o, output=tax.result,
                    sizes=list(same_output_input_sizes(direct, a)),
                    shown=[sp.input_shape[0] for sp in specs],
                    output_padding=tax.values["output_padding"], pytorch=(i, op))
        t = self.step_time
        prefix = self._prefix(direct, a)
        title = self._title(f"{self.label('sizes_deconv_title')} — {prefix}"
                              f"k = {k}, s = {s}, p = {pb if pb == pa else f'{pb}+{pa}'}"
                              + (f", d = {d}" if d > 1 else ""), lay.top[0], lay.text_font)
        rows_g, wins_all, marks, recover = [], [], [], []
        for n_row, (sp, slot) in enumerate(zip(specs, lay.grids)):
            row = self._row(sp, slot, lay)
            wins = _windows(sp)
            left = _unreached(sp)
            n = sp.input_shape[0]
            self.record("deconv_input", axis=a, input=n, output=len(wins), unreached=left,
                        box=slot.box)
            cap = self._caption(dp.lefts[n_row], dp.left_boxes[n_row], lay, align="right")
            self.record("recover", axis=a, input=n,
                        output_padding=output_padding_for(n, o, k, s, pb, pa, d))
            recover.append(self._caption(dp.rights[n_row], dp.right_boxes[n_row], lay,
                                         color="output", align="left"))
            rows_g.append(VGroup(row, cap))
            wins_all.append((row, wins))
            marks.append(self._unreached_marks(row, left))
        o_slot = lay.grids[-1]
        out = CellGrid((o,), lay.cell, theme=self.theme, role="output", filled=False,
                       center=o_slot.box.center)
        # beside the row: against it, like the others
        out_cap = self._caption(dp.lefts[-1], dp.left_boxes[-1], lay,
                                align="right" if dp.side else "center")
        lines = []
        for (kind, s_), box in zip(rows, lay.bottom):
            lines.append(self._formula(s_, box, lay, muted=kind == "general",
                                       result=kind == "sub"))
        self._open(title, out, out_cap, *rows_g)
        # Every input size takes the same window positions: the same number of outputs. The
        # windows land, then the output cell they all write fills.
        win_mobs: list[Any] = []
        for k_ in range(o):
            moves, dots = [], []
            for r, (row, wins) in enumerate(wins_all):
                win = row.get_window(wins[k_])
                if k_ == 0:
                    win_mobs.append(win)
                    moves.append(FadeIn(win))
                else:
                    moves.append(Transform(win_mobs[r], win))
                dots.append(FadeIn(self._start_dot(row, wins[k_])))
            t0 = self.time
            self.play(*moves, run_time=(0.5 if k_ < 3 else 0.25) * t)
            for r, (_, wins) in enumerate(wins_all):
                self.log.add(WindowLanded(t0, self.time, step=k_, out_index=(k_,),
                                          cells=wins[k_], group=f"row{r}"))
            t1 = self.time
            self.play(*dots, FadeIn(out.get_cell((k_,), color=self.theme.output,
                                                 fill_opacity=0.35, stroke_width=3)),
                      run_time=(0.4 if k_ < 3 else 0.2) * t)
            for r in range(len(wins_all)):
                self.log.add(ResultWritten(t1, self.time, step=k_, out_index=(k_,),
                                           group=f"row{r}"))
        self.play(FadeOut(*win_mobs), FadeIn(*marks), run_time=0.5 * t)
        self._reveal(*lines, *recover)
        self._clear()

    def _screen_transposed_only(self, spec: ConvSpec, *, clear: bool = True) -> None:
        """The transposed derivation as text, for a spec with no direct adjoint."""
        der = derive_output_size(spec, self.lang)
        rows = [_primed(der.axes[0].general)]
        for ax in der.axes:
            prefix = self.label("axis_prefix", axis=ax.axis) if spec.ndim > 1 else ""
            rows.append(prefix + _primed(ax.substituted))
        fw, fh = self.frame_size()
        lay = text_screen(len(rows), frame_width=fw, frame_height=fh)
        title = self._title(self.label("sizes_transposed_title") + " — " + self._describe(spec),
                            lay.top[0], lay.text_font)
        mobs = [self._formula(r, box, lay, muted=n == 0, result=n > 0)
                for n, (r, box) in enumerate(zip(rows, lay.bottom))]
        self._open(title, *mobs)
        if clear:
            self._clear()

    # -- screen 4: the name -----------------------------------------------------------------------

    def _screen_name(self) -> None:
        body = self.label("sizes_deconv_name")
        lines = body.split("\n")
        fw, fh = self.frame_size()
        lay = text_screen(len(lines), frame_width=fw, frame_height=fh)
        title = self._title(self.label("sizes_deconv_title"), lay.top[0], lay.text_font)
        mobs = [self._formula(s, box, lay) for s, box in zip(lines, lay.bottom)]
        self._open(title, *mobs)


class OutputSize(_SizeScreens):
    """The output-size formula built on the row: the window stepping by the stride, the output
    counting its positions, the cells no window reaches, the formula with its floor; it ends on
    the whole figure at once (the last frame, a PNG, teaches the formula). A transposed spec
    opens on the transposed formula with its numbers, then builds its direct counterpart's.

    Attributes
    ----------
    direct, transposed : ConvSpec or None
        The direct spec shown on screens 1–2 and its adjoint (the transposed spec of screen 3). A
        transposed input spec is shown as the adjoint of its direct counterpart.
    drawn_texts : list of str
        Every formula and caption string written on screen, in order.
    records : list of dict
        ``"axis"`` (per axis: padded length, window cells, unreached cells, output size),
        ``"case"`` (named paddings), ``"deconv_input"`` (the drawn input sizes with the same
        output, their boxes), ``"transposed"`` (per axis: size, ``output_padding``, every size
        with that output, the drawn ones), ``"formula"``, ``"summary"`` (the closing figure's
        formula rows, windows and unreached cells).

    Sizes (:meth:`check_spec`): every row of cells at least 6 px a cell at 480p and, in numeric
    mode, the numbers counting the window positions at least 8 px high (they are the count the
    formula is read from; schematic mode marks the positions with dots instead). With a kernel of
    3 (a 2D input with equal axes draws one axis): numeric up to 46 cells (46×46; 44 with
    padding 1), schematic up to 132 — the same for every stride (measured for strides 1–5 and 8;
    128 with stride 8 and padding 1). Transposed: numeric up to 22 / 11 / 6 input cells,
    schematic up to 65 / 33 / 16, for strides 2 / 4 / 8. The conv → deconv screen draws at most
    :data:`MAX_DECONV_ROWS` rows (for more input sizes with the same output: the smallest, the
    spec's own and the largest, the whole range and its ``output_padding`` values in text), so
    a large stride costs no legibility there: cells of 38 px at 480p for ``i = 9, k = 3, s = 4``
    and 16 px for ``i = 20, k = 3, s = 8, p = 1``.
    """

    SCREENS = ("formula",)

    def construct(self) -> None:
        if self.spec.transposed:
            self._screen_transposed_only(self.spec)
        if self.direct is not None:
            self._screen_formula(self.direct)
            self._screen_summary(self.direct)
        elif not self.spec.transposed:
            self._screen_transposed_only(self.transposed, clear=False)
        self.close()


class NamedPaddings(_SizeScreens):
    """The named paddings of this spec's axes — ``valid``, ``same``/``half`` (TensorFlow's
    uneven split, the extra cell after) and ``full`` — each a padded row with the cells no
    window reaches and its formula (:func:`convmath.sizes.named_cases`). Facts: ``"case"``."""

    SCREENS = ("cases",)

    def construct(self) -> None:
        direct = self.direct if self.direct is not None else self.spec
        axes = self._distinct_axes(direct)
        for n, a in enumerate(axes):
            self._screen_cases(direct, a, last=n == len(axes) - 1)
        self.close()


class ConvToTransposed(_SizeScreens):
    """Conv → transposed: the input sizes that share one output size (stride > 1), the
    transposed formula and the ``output_padding`` that brings each back (PyTorch's
    ``output_size``), then why "deconvolution" is the wrong name. Facts: ``"deconv_input"``,
    ``"recover"``, ``"transposed"``."""

    SCREENS = ("deconv",)

    def construct(self) -> None:
        if self.transposed is not None and self.direct is not None:
            for a in self._distinct_axes(self.direct):
                self._screen_deconv(self.direct, self.transposed, a)
        elif self.transposed is not None:  # no direct adjoint (output_padding >= stride)
            self._screen_transposed_only(self.transposed)
        self._screen_name()
        self.close()
