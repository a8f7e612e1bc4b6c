"""The size scenes' plans and limits (:class:`scenes.sizes.OutputSize`,
:class:`scenes.sizes.NamedPaddings`, :class:`scenes.sizes.ConvToTransposed`), manim-free.

Each scene shows some of three kinds of screen with rows of cells (its ``SCREENS``):
``"formula"`` (the padded rows of the output-size formula, :func:`plan_figure`), ``"cases"``
(one row per named padding, :func:`plan_cases`) and ``"deconv"`` (the input sizes a transposed
convolution maps back to, :func:`plan_deconv`). :func:`check_screens` judges them; the catalog's
checks are :func:`check_output_size`, :func:`check_named_paddings` and
:func:`check_sizes_transposed`. ``frame`` keywords are ``frame_width``, ``frame_height`` (frame
units) and ``numeric`` (as :func:`scenes.layout.plan`).
"""

from __future__ import annotations

import dataclasses
import re
from typing import Any

from convmath import ConvMathError, ConvSpec, derive_output_size
from convmath.explain import format_shape
from convmath.facts import axis_spec, same_output_input_sizes
from convmath.i18n import LANGS
from convmath.sizes import AxisDerivation, NamedCase, named_cases, output_padding_for
from scenes.layout import (
    DIGIT_HEIGHT,
    MIN_CELL_PX_480P,
    MIN_GLYPH_PX_480P,
    REF_FRAME_HEIGHT,
    REF_FRAME_WIDTH,
    Box,
    Layout,
    check_cells,
    largest_square_input,
    plan,
    plan_labelled_rows,
    px_480p,
    split_box,
)
from scenes.wording import text

__all__ = [
    "MAX_DECONV_ROWS", "POSITION_FONT", "OUTPUT_SIZE_SCREENS", "NAMED_PADDINGS_SCREENS",
    "SIZES_TRANSPOSED_SCREENS", "DeconvPlan", "wrap_rows", "shown_sizes", "same_derivation",
    "primed", "pair_of", "distinct_axes", "wide_caption", "plan_rows", "plan_figure",
    "plan_cases", "plan_deconv", "plans", "check_screens", "check_output_size",
    "check_named_paddings", "check_sizes_transposed",
]

#: Largest ``font_size`` of the numbers counting the window positions.
POSITION_FONT = 30.0

#: Most rows of cells the conv → deconv screen stacks, one per input size with the same output.
#: With more sizes (stride > 3) it draws the smallest, the spec's own and the largest, and states
#: the whole range in text: the ends show everything (no cell left over / ``s − 1`` left over, the
#: same window positions), while more rows would shrink every cell (stride 4 gave 5-px cells).
MAX_DECONV_ROWS = 3

#: The screens of each size scene (its class's ``SCREENS``).
OUTPUT_SIZE_SCREENS: tuple[str, ...] = ("formula",)
NAMED_PADDINGS_SCREENS: tuple[str, ...] = ("cases",)
SIZES_TRANSPOSED_SCREENS: tuple[str, ...] = ("deconv",)


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


def primed(s: str) -> str:
    """The transposed formula with primes: ``o′ = (i′ − 1)·s …`` (display only)."""
    return s.replace("o = ", "o′ = ").replace("(i − 1)", "(i′ − 1)")


@dataclasses.dataclass(frozen=True)
class DeconvPlan:
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


def pair_of(s: ConvSpec) -> tuple[ConvSpec | None, ConvSpec | None]:
    """(direct, transposed): ``s`` and its adjoint, whichever way round (``None`` when the
    spec has no adjoint)."""
    try:
        other = s.adjoint()
    except ConvMathError:
        other = None
    return (other, s) if s.transposed else (s, other)


def distinct_axes(spec: ConvSpec) -> list[int]:
    """Axes whose engine derivations differ (:func:`same_derivation`): identical axes are
    shown once."""
    axes = derive_output_size(spec).axes
    out: list[int] = []
    for a, ax in enumerate(axes):
        if not any(same_derivation(ax, axes[b]) for b in out):
            out.append(a)
    return out


def wide_caption(box: Box, lay: Layout) -> Box:
    """A caption box as wide as a text row (single-column screens: nothing beside it)."""
    return Box(box.x, box.y, lay.top[0].width, box.height)


def plan_rows(columns, rows: list[tuple[str, str]], **frame: Any
              ) -> tuple[list[tuple[str, str]], Layout]:
    """Plan grids plus text rows, splitting rows too long to stay readable. ``frame``:
    ``frame_width``, ``frame_height``, ``numeric`` (as :func:`scenes.layout.plan`)."""
    lay = plan(columns, top_rows=1, bottom_rows=len(rows), **frame)
    wrapped = wrap_rows(rows, lay.row_chars)
    if len(wrapped) != len(rows):
        lay = plan(columns, top_rows=1, bottom_rows=len(wrapped), **frame)
    return wrapped, lay


def plan_figure(spec: ConvSpec, lang: str, **frame: Any
                ) -> tuple[list[int], list[ConvSpec], list[tuple[str, str]], Layout]:
    """Screen 1 (and the closing summary): per distinct axis the padded row over its output
    row, and the formula rows (general, substituted, notes). Returns ``(axes, per_axis
    specs, rows, layout)``."""
    der = derive_output_size(spec, lang)
    # Identical axes (same derivation) are drawn once, with a note that it holds for both.
    axes = distinct_axes(spec)
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
    rows, lay = plan_rows(columns, rows, **frame)
    return axes, per_axis, rows, lay


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


def plan_deconv(direct: ConvSpec, transposed: ConvSpec, a: int, lang: str,
                **frame: Any) -> DeconvPlan:
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
    rows: list[tuple[str, str]] = [("general", primed(tax.general)),
                                   ("sub", primed(tax.substituted))]
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
    best: DeconvPlan | None = None
    # Labels beside the rows: "To recover n: …", or when the range is written below (long
    # rows of a large stride) just "output_padding = …"; else labels above the rows.
    choices: list[list[str] | None] = [full]
    if len(sizes) > MAX_DECONV_ROWS:
        choices.append([f"output_padding = {op_n}" for op_n in ops])
    for rights in [*choices, None]:
        try:
            cand = _plan_deconv_labels(lengths, rows, lefts, rights, **frame)
        except ValueError:
            continue
        if best is None or cand.lay.cell > best.lay.cell:
            best = cand
    if best is None:
        raise ValueError(f"the conv → deconv rows of {lengths} cells cannot fit the frame")
    return dataclasses.replace(best, specs=specs,
                               rights=best.rights if best.side else full)


def _plan_deconv_labels(lengths: list[int], rows: list[tuple[str, str]],
                        lefts: list[str], rights: list[str] | None, **frame: Any
                        ) -> DeconvPlan:
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
        return DeconvPlan([], wrapped, lay, lefts, rights, [g.caption for g in lay.grids],
                           list(side.right), True)
    wrapped, lay = plan_rows([[(n,) for n in lengths]], rows, **frame)
    lay = _align_first_cells(lay)
    halves = [split_box(wide_caption(g.caption, lay), 2) for g in lay.grids[:-1]]
    return DeconvPlan([], wrapped, lay, lefts, [],
                       [h[0] for h in halves] + [wide_caption(lay.grids[-1].caption, lay)],
                       [h[1] for h in halves], False)


def plans(spec: ConvSpec, lang: str, screens: tuple[str, ...], **frame: Any
          ) -> list[tuple[str, Layout]]:
    """``(screen name, layout)`` of every screen with grids among ``screens``, as the scenes'
    ``construct`` plans them (the closing summary is screen 1 again); none when ``spec`` has
    no direct counterpart."""
    direct, transposed = pair_of(spec)
    out: list[tuple[str, Layout]] = []
    if direct is None:
        return out
    if "formula" in screens:
        out.append(("the padded rows of the formula screen",
                    plan_figure(direct, lang, **frame)[3]))
    for a in distinct_axes(direct):
        if "cases" in screens:
            out.append(("the rows of the named paddings",
                        plan_cases(direct, a, lang, **frame)[2]))
        if transposed is not None and "deconv" in screens:
            out.append(("the rows of the conv → deconv screen",
                        plan_deconv(direct, transposed, a, lang, **frame).lay))
    return out


_REF_FRAME = dict(frame_width=REF_FRAME_WIDTH, frame_height=REF_FRAME_HEIGHT)


def _smallest_cells(sp: ConvSpec, screens: tuple[str, ...]) -> tuple[str, float]:
    """The smallest cells of :func:`plans` (both languages, no numbers) at the reference frame:
    ``(which rows, px at 480p)``; 0 px when the rows cannot fit at all."""
    try:
        planned = [p for lang in LANGS for p in plans(sp, lang, screens, numeric=False,
                                                       **_REF_FRAME)]
    except ValueError:  # the rows do not fit the frame at any size
        return "the stacked rows of cells", 0.0
    if not planned:
        return "the rows of cells", float("inf")
    desc, lay = min(planned, key=lambda p: p[1].cell)
    return desc, px_480p(lay.cell)


def _digit_px(sp: ConvSpec) -> tuple[str, float]:
    """The height at 480p of the numbers counting the window positions on the formula screen
    (numeric, the smaller of both languages)."""
    direct, _ = pair_of(sp)
    if direct is None:
        return "the position numbers", float("inf")
    lay = min((plan_figure(direct, lang, numeric=True, **_REF_FRAME)[3] for lang in LANGS),
              key=lambda la: la.value_font)
    return "the numbers counting the window positions", px_480p(
        min(lay.value_font, POSITION_FONT) * DIGIT_HEIGHT)


def check_screens(spec: ConvSpec, mode: str = "numeric", *, name: str,
                  screens: tuple[str, ...]) -> None:
    """Raise :class:`convmath.ConvMathError` when :func:`plans` of ``screens`` at the reference
    480p frame (in either language) give cells smaller than
    :data:`scenes.layout.MIN_CELL_PX_480P`, or rows that cannot fit at all (many input sizes
    stacked for a large stride). ``name`` is the scene named in the message.

    In numeric mode, with the ``"formula"`` screen, the numbers counting the window positions
    (0, 1, 2, … in the output row: how the figure derives the formula) must also be readable,
    at least :data:`scenes.layout.MIN_GLYPH_PX_480P` high; past that the error points to
    ``mode="schematic"``, which counts with dots.
    """
    check_cells(name, spec, lambda sp: _smallest_cells(sp, screens))
    if mode != "numeric" or "formula" not in screens:
        return
    n = largest_square_input(
        spec, lambda sp: _smallest_cells(sp, screens)[1] >= MIN_CELL_PX_480P)
    shown = "" if n is None else f" (up to about {format_shape((n,) * spec.ndim)})"
    check_cells(
        name, spec, _digit_px, min_px=MIN_GLYPH_PX_480P, limit="MIN_GLYPH_PX_480P",
        what="digits",
        hint=f"mode='schematic' (--mode schematic) counts with dots instead and draws larger "
             f"inputs{shown}",
    )


def check_output_size(spec: ConvSpec, mode: str = "numeric") -> None:
    """:func:`check_screens` of the ``sizes`` scene (:class:`scenes.sizes.OutputSize`)."""
    check_screens(spec, mode, name="OutputSize", screens=OUTPUT_SIZE_SCREENS)


def check_named_paddings(spec: ConvSpec, mode: str = "numeric") -> None:
    """:func:`check_screens` of the ``paddings`` scene (:class:`scenes.sizes.NamedPaddings`)."""
    check_screens(spec, mode, name="NamedPaddings", screens=NAMED_PADDINGS_SCREENS)


def check_sizes_transposed(spec: ConvSpec, mode: str = "numeric") -> None:
    """:func:`check_screens` of the ``sizes_transposed`` scene
    (:class:`scenes.sizes.ConvToTransposed`)."""
    check_screens(spec, mode, name="ConvToTransposed", screens=SIZES_TRANSPOSED_SCREENS)
