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
    ConvSpec,
    derive_output_size,
    grid_input_index,
)
from convmath.facts import axis_spec, axis_windows, dropped_cells, same_output_input_sizes
from convmath.fmt import format_axes, format_padding
from convmath.sizes import (
    AxisDerivation,
    NamedCase,
    output_padding_for,
)
from scenes.kit.base import ConvScene
from scenes.kit.grid import CellGrid, show_or_move
from scenes.kit.log import FormulaShown, Preview, ResultWritten, WindowLanded
from scenes.kit.marks import cross_out
from scenes.kit.text import formula_markup, make_markup
from scenes.kit.text import text_line as caption
from scenes.layout import (
    Box,
    Layout,
    fit_text,
    px_480p,
    text_screen,
)
from scenes.plans import sizes as sizes_plan
from scenes.plans.sizes import (
    MAX_DECONV_ROWS,
    POSITION_FONT,
    primed,
    same_derivation,
    shown_sizes,
    wrap_rows,
)

__all__ = ["OutputSize", "NamedPaddings", "ConvToTransposed", "formula_markup", "formula_text",
           "axis_spec", "wrap_rows", "same_derivation", "shown_sizes", "MAX_DECONV_ROWS"]

#: Smallest diameter of the dots marking the window positions, in pixels at 480p.
_MIN_DOT_PX_480P = 3.0



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

    def _frame_kw(self) -> dict[str, Any]:
        fw, fh = self.frame_size()
        return dict(frame_width=fw, frame_height=fh, numeric=self.numeric)

    # -- the plans of the screens with grids (scenes.plans.sizes: static, manim-free) -----------

    pair_of = staticmethod(sizes_plan.pair_of)
    _distinct_axes = staticmethod(sizes_plan.distinct_axes)
    _wide = staticmethod(sizes_plan.wide_caption)
    plan_rows = staticmethod(sizes_plan.plan_rows)
    plan_figure = staticmethod(sizes_plan.plan_figure)
    plan_cases = staticmethod(sizes_plan.plan_cases)
    plan_deconv = staticmethod(sizes_plan.plan_deconv)

    @classmethod
    def plans(cls, spec: ConvSpec, lang: str, **frame: Any) -> list[tuple[str, Layout]]:
        """:func:`scenes.plans.sizes.plans` of this scene's :attr:`SCREENS`."""
        return sizes_plan.plans(spec, lang, cls.SCREENS, **frame)

    @classmethod
    def check_spec(cls, spec: ConvSpec, mode: str = "numeric") -> None:
        """:func:`scenes.plans.sizes.check_screens` of this scene's :attr:`SCREENS`, the
        message naming this class. The sizes it accepts are listed in the class docstring."""
        sizes_plan.check_screens(spec, mode, name=cls.__name__, screens=cls.SCREENS)

    # -- screens ----------------------------------------------------------------------------------

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
                                              font_size=min(lay.value_font, POSITION_FONT)))
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
        rows = [primed(der.axes[0].general)]
        for ax in der.axes:
            prefix = self.label("axis_prefix", axis=ax.axis) if spec.ndim > 1 else ""
            rows.append(prefix + primed(ax.substituted))
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

    SCREENS = sizes_plan.OUTPUT_SIZE_SCREENS

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

    SCREENS = sizes_plan.NAMED_PADDINGS_SCREENS

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

    SCREENS = sizes_plan.SIZES_TRANSPOSED_SCREENS

    def construct(self) -> None:
        if self.transposed is not None and self.direct is not None:
            for a in self._distinct_axes(self.direct):
                self._screen_deconv(self.direct, self.transposed, a)
        elif self.transposed is not None:  # no direct adjoint (output_padding >= stride)
            self._screen_transposed_only(self.transposed)
        self._screen_name()
        self.close()
