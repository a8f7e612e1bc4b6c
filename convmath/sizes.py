"""Size arithmetic: one small function per formula, and derivations to show them.

Every formula is per axis (the formulas themselves live in :mod:`convmath.formulas`, which
:mod:`convmath.spec` uses; they are re-exported here). The references are V. Dumoulin and
F. Visin, "A guide to convolution arithmetic for deep learning" (arXiv 1603.07285), PyTorch's
``ConvTranspose`` and TensorFlow's ``"SAME"`` padding.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from convmath.errors import ConvMathError
from convmath.formulas import (
    _positive,
    conv_output_size,
    effective_kernel_size,
    full_padding,
    input_sizes_for_output,
    leftover_cells,
    output_padding_for,
    same_output_sizes,
    same_padding,
    stretched_size,
    transposed_grid_padding,
    transposed_output_size,
    transposed_same_padding,
    window_positions,
)
from convmath.i18n import Lang, check_lang, text
from convmath.spec import ConvSpec

__all__ = [
    "effective_kernel_size",
    "conv_output_size",
    "transposed_output_size",
    "same_padding",
    "full_padding",
    "transposed_same_padding",
    "transposed_grid_padding",
    "stretched_size",
    "leftover_cells",
    "window_positions",
    "output_padding_for",
    "input_sizes_for_output",
    "same_output_sizes",
    "LayerField",
    "receptive_field",
    "AxisDerivation",
    "SizeDerivation",
    "derive_output_size",
    "NamedCase",
    "named_cases",
    "padding_phrase",
]


@dataclass(frozen=True, slots=True)
class LayerField:
    """Receptive-field arithmetic after one layer (Dumoulin & Visin; Araujo et al.).

    Attributes
    ----------
    size : int
        Number of output cells (``n``).
    jump : int
        Distance between two adjacent outputs, in input cells (``j``).
    receptive_field : int
        Input cells one output sees (``r``).
    start : float
        Centre of the first output's receptive field, in input coordinates.
    """

    size: int
    jump: int
    receptive_field: int
    start: float


def receptive_field(input_size: int, layers: list[tuple[int, int, int]] | list[ConvSpec],
                    ) -> tuple[LayerField, ...]:
    """Size, jump, receptive field and start after each stacked layer (1D, or one axis).

    ``layers`` are ``(k, s, p)`` triples (symmetric padding, dilation 1) or 1D direct
    :class:`~convmath.spec.ConvSpec` objects (their input sizes are ignored: each layer takes the
    previous output). ``j ← j·s``, ``r ← r + (k_eff−1)·j``,
    ``start ← start + ((k_eff−1)/2 − p)·j``. A ``'same'`` spec keeps the padding resolved
    for its own input size.

    Raises
    ------
    ConvMathError
        For ``input_size < 1``, a malformed layer, a negative padding, a transposed or 2D spec,
        or a kernel larger than the padded input it meets.
    """
    _positive("input_size", input_size)
    n, j, r, start = input_size, 1, 1, 0.5
    out = []
    for layer in layers:
        if isinstance(layer, tuple) and len(layer) == 3:
            k, s, p = layer
            _positive("padding", p, 0)
            pb = pa = p
            d = 1
        else:
            if not isinstance(layer, ConvSpec):
                raise ConvMathError(
                    f"layers=[..., {layer!r}, ...] is invalid: each layer must be a (k, s, p) "
                    f"triple or a 1D direct ConvSpec", param="layers"
                )
            if layer.transposed or layer.ndim != 1:
                raise ConvMathError(
                    f"layers={layer!r} is invalid: receptive_field takes 1D direct specs",
                    param="layers",
                )
            k, s, d = layer.kernel_shape[0], layer.stride[0], layer.dilation[0]
            pb, pa = layer.pads[0]
        k_eff = effective_kernel_size(k, d)
        n = conv_output_size(n, k, s, pb, pa, d)
        start = start + ((k_eff - 1) / 2 - pb) * j
        r = r + (k_eff - 1) * j
        j = j * s
        out.append(LayerField(n, j, r, start))
    return tuple(out)


# ---------------------------------------------------------------------------------------------
# Derivations: the general formula, then the same formula with one spec's numbers.


@dataclass(frozen=True, slots=True)
class AxisDerivation:
    """The output size of one axis, derived step by step.

    Attributes
    ----------
    axis : int
        The axis (0 = rows / the only axis in 1D).
    general : str
        The general formula.
    substituted : str
        The formula with this axis's numbers.
    result : int
        The output size.
    leftover : int
        Padded cells that no window reaches (direct; 0 for transposed).
    notes : tuple of str
        Sentences: left-over cells, the ``output_padding`` that recovers a given size, …
    values : dict
        The numbers used (``i, k, s, p_before, p_after, d, k_eff, output_padding``).
    """

    axis: int
    general: str
    substituted: str
    result: int
    leftover: int
    notes: tuple[str, ...]
    values: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class SizeDerivation:
    """Per-axis derivations of a spec's output shape, in one language."""

    lang: Lang
    transposed: bool
    axes: tuple[AxisDerivation, ...]
    output_shape: tuple[int, ...]

    @property
    def lines(self) -> tuple[str, ...]:
        """Every line: the general formula once, then each axis's substitution and notes."""
        out = [self.axes[0].general]
        for ax in self.axes:
            prefix = text("axis_prefix", self.lang, axis=ax.axis) if len(self.axes) > 1 else ""
            out.append(prefix + ax.substituted)
            out.extend(ax.notes)
        return tuple(out)

    @property
    def text(self) -> str:
        """All lines joined by newlines."""
        return "\n".join(self.lines)


def derive_output_size(spec: ConvSpec, lang: Lang = "en") -> SizeDerivation:
    """Derive ``spec.output_shape`` axis by axis, in English (``"en"``) or Spanish (``"es"``).

    Direct: ``o = ⌊(i + p_b + p_a − d(k−1) − 1)/s⌋ + 1`` and the cells left over when the span is
    not a multiple of the stride. Transposed: ``o = (i−1)s − p_b − p_a + d(k−1) + output_padding
    + 1``, the direct sizes it inverts and the ``output_padding`` that recovers each.
    """
    if not isinstance(spec, ConvSpec):
        raise ConvMathError(f"spec={spec!r} is invalid: it must be a ConvSpec", param="spec")
    lang = check_lang(lang)
    # One general formula for every axis: "2p" only when every axis is padded symmetrically.
    symmetric = all(pb == pa for pb, pa in spec.pads)
    axes = []
    for a in range(spec.ndim):
        i, k, s, d = spec.input_shape[a], spec.kernel_shape[a], spec.stride[a], spec.dilation[a]
        pb, pa = spec.pads[a]
        k_eff = spec.effective_kernel_shape[a]
        op = spec.resolved_output_padding[a]
        values = dict(i=i, k=k, s=s, p_before=pb, p_after=pa, d=d, k_eff=k_eff, output_padding=op)
        if spec.transposed:
            axes.append(_derive_transposed(a, values, spec.output_shape[a], lang, symmetric))
        else:
            axes.append(_derive_direct(a, values, spec.output_shape[a], lang, symmetric))
    return SizeDerivation(lang, spec.transposed, tuple(axes), spec.output_shape)


def _pad_terms(pb: int, pa: int, symmetric: bool, negated: bool = False) -> tuple[str, str]:
    """The padding part of a formula, general and substituted (``2p`` when symmetric).

    ``negated``: the terms follow a minus sign, so the asymmetric sum is parenthesised.
    """
    if symmetric:
        return "2p", f"2·{pb}"
    if negated:
        return "(p_b + p_a)", f"({pb} + {pa})"
    return "p_b + p_a", f"{pb} + {pa}"


def _derive_direct(a: int, v: dict[str, int], o: int, lang: Lang,
                   symmetric: bool) -> AxisDerivation:
    i, k, s, pb, pa, d, k_eff = (v[n] for n in ("i", "k", "s", "p_before", "p_after", "d", "k_eff"))
    gen_pad, sub_pad = _pad_terms(pb, pa, symmetric)
    general = f"o = ⌊(i + {gen_pad} − d(k−1) − 1) / s⌋ + 1"
    span = i + pb + pa - k_eff
    substituted = (
        f"o = ⌊({i} + {sub_pad} − {d}·({k}−1) − 1) / {s}⌋ + 1 = ⌊{span} / {s}⌋ + 1 = {o}"
    )
    left = span % s
    notes = [text("note_padded_length", lang, n=i + pb + pa, k_eff=k_eff, positions=o, s=s)]
    if left:
        notes.append(text("note_leftover", lang, span=span, s=s, left=left))
        sizes = same_output_sizes(o, k, s, pb, pa, d)
        if len(sizes) > MAX_LISTED:
            notes.append(text("note_same_output_range", lang, lo=sizes[0], hi=sizes[-1], o=o,
                              ns=len(sizes)))
        else:
            notes.append(text("note_same_output", lang, sizes=_join(sizes, lang), o=o,
                              ns=len(sizes)))
    return AxisDerivation(a, general, substituted, o, left, tuple(notes), v)


def _derive_transposed(a: int, v: dict[str, int], o: int, lang: Lang,
                       symmetric: bool) -> AxisDerivation:
    i, k, s, pb, pa, d, op = (
        v[n] for n in ("i", "k", "s", "p_before", "p_after", "d", "output_padding")
    )
    gen_pad, sub_pad = _pad_terms(pb, pa, symmetric, negated=True)
    general = f"o = (i − 1)·s − {gen_pad} + d(k−1) + output_padding + 1"
    substituted = (
        f"o = ({i} − 1)·{s} − {sub_pad} + {d}·({k}−1) + {op} + 1 = {o}"
    )
    gb, ga = transposed_grid_padding(k, d, pb, pa, op)
    notes = [text("note_transposed_grid", lang, zeros=s - 1,
                  grid_padding=padding_phrase(gb, ga, lang))]
    base = transposed_output_size(i, k, s, pb, pa, d, 0)
    direct_inputs = same_output_sizes(i, k, s, pb, pa, d)
    if s > 1 and len(direct_inputs) > MAX_LISTED:  # a range, never O(stride) lines
        lo, hi = direct_inputs[0], direct_inputs[-1]
        notes.append(text("note_many_inputs_range", lang, lo=lo, hi=hi, n=len(direct_inputs),
                          i=i))
        notes.append(text("note_recover_range", lang, lo=lo, hi=hi, op_lo=lo - base,
                          op_hi=hi - base))
    elif s > 1 and len(direct_inputs) > 1:
        notes.append(text("note_many_inputs", lang, sizes=_join(direct_inputs, lang), i=i,
                          ns=len(direct_inputs)))
        for n in direct_inputs:
            notes.append(text("note_recover", lang, n=n, op=n - base))
    return AxisDerivation(a, general, substituted, o, 0, tuple(notes), v)


#: Up to this many input sizes with the same output are listed one by one; more are a range.
MAX_LISTED = 5


def padding_phrase(before: int, after: int, lang: Lang = "en") -> str:
    """A grid's ``(before, after)`` padding in words; a negative side is said as a crop.

    >>> padding_phrase(2, 1), padding_phrase(-1, -1)
    ('padding 2 before and 1 after', 'crop 1 cell before and 1 after')
    >>> padding_phrase(-1, 2)
    'crop 1 cell before and pad 2 after'
    >>> padding_phrase(-2, -1, "es")
    'recorta 2 celdas antes y 1 después'
    """
    lang = check_lang(lang)
    if before >= 0 and after >= 0:
        key = "grid_pad"
    elif before < 0 and after < 0:
        key = "grid_crop"
    else:
        key = "grid_crop_before" if before < 0 else "grid_crop_after"
    return text(key, lang, b=abs(before), a=abs(after))


def _join(values: list[int] | tuple[int, ...] | range, lang: Lang) -> str:
    items = [str(v) for v in values]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + text("and", lang) + items[-1]


# ---------------------------------------------------------------------------------------------
# The named paddings (valid, same/half, full) as one-line specialisations of the formula.


@dataclass(frozen=True, slots=True)
class NamedCase:
    """One named padding specialised to one axis: the paper's valid, half and full, TF's same.

    Attributes
    ----------
    name : str
        ``"valid"``, ``"half"`` (``"same"`` with stride 1 and symmetric padding), ``"same"``
        (TensorFlow's rule, padding split unevenly when the total is odd) or ``"full"``.
    label : str
        The name as shown on screen, in the chosen language.
    pads : tuple of (int, int)
        ``(before, after)`` padding of the case.
    output : int or None
        The output size, ``None`` when the kernel does not fit (``valid`` with ``k_eff > i``).
    general : str
        The specialised formula, one line.
    substituted : str
        The same line with this axis's numbers.
    note : str
        One sentence on the padding (where the extra cell goes, …).
    """

    name: str
    label: str
    pads: tuple[int, int]
    output: int | None
    general: str
    substituted: str
    note: str


def named_cases(i: int, k: int, s: int = 1, d: int = 1, lang: Lang = "en",
                ) -> tuple[NamedCase, ...]:
    """The named paddings for one axis of input ``i``, kernel ``k``, stride ``s``, dilation ``d``.

    Returns the ``valid``, ``same`` (``half`` when stride 1 and the padding is symmetric) and
    ``full`` cases, each with its padding, its output size and its one-line formula, general and
    with these numbers (``k`` reads ``d(k−1)+1`` when dilated).

    Examples
    --------
    >>> [(c.name, c.pads, c.output) for c in named_cases(6, 3, 2)]
    [('valid', (0, 0), 2), ('same', (0, 1), 3), ('full', (2, 2), 4)]
    """
    lang = check_lang(lang)
    _positive("input_size", i)
    k_eff = effective_kernel_size(k, d)
    _positive("stride", s)
    dil = d > 1
    ks = f"{d}·({k}−1) + 1" if dil else f"{k}"  # k_eff with numbers
    kg = "d(k−1) + 1" if dil else "k"  # k_eff in the general formula
    cases: list[NamedCase] = []

    # valid: no padding.
    if k_eff <= i:
        o = conv_output_size(i, k, s, 0, 0, d)
        if s == 1:
            gen = "p = 0 → o = i − d(k−1)" if dil else "p = 0 → o = i − k + 1"
            sub = f"o = {i} − {d}·({k}−1) = {o}" if dil else f"o = {i} − {k} + 1 = {o}"
        else:
            gen = f"p = 0 → o = ⌊(i − {_paren(kg)}) / s⌋ + 1"
            sub = f"o = ⌊({i} − {_paren(ks)}) / {s}⌋ + 1 = {o}"
        note = text("case_note_valid", lang)
    else:
        o = None
        gen = "p = 0 → o = ⌊(i − k) / s⌋ + 1"
        sub = "—"
        note = text("case_note_impossible", lang, k_eff=k_eff, i=i)
    cases.append(NamedCase("valid", text("case_valid", lang), (0, 0), o, gen, sub, note))

    # same: output ceil(i/s); the paper's half padding when stride 1 and k_eff odd.
    pb, pa = same_padding(i, k, s, d)
    o = conv_output_size(i, k, s, pb, pa, d)
    if s == 1 and pb == pa:
        gen = "p = d(k−1)/2 → o = i" if dil else "p = ⌊k/2⌋ → o = i"
        sub = f"p = {d}·({k}−1)/2 = {pb} → o = {o}" if dil else f"p = ⌊{k}/2⌋ = {pb} → o = {o}"
        name = "half"
    else:
        gen = f"o = ⌈i/s⌉, p_b + p_a = max((o − 1)·s + {kg} − i, 0)"
        sub = (
            f"o = ⌈{i}/{s}⌉ = {o}, p_b + p_a = max(({o} − 1)·{s} + {_paren(ks)}"
            f" − {i}, 0) = {pb + pa} = {pb} + {pa}"
        )
        name = "same"
    note_key = "case_note_same_extra" if pa > pb else "case_note_same"
    cases.append(NamedCase(name, text(f"case_{name}", lang), (pb, pa), o, gen, sub,
                           text(note_key, lang, pb=pb, pa=pa)))

    # full: every partial overlap.
    pb, pa = full_padding(k, d)
    o = conv_output_size(i, k, s, pb, pa, d)
    p_sub = f"p = {d}·({k}−1) = {pb}" if dil else f"p = {k} − 1 = {pb}"
    if s == 1:
        gen = "p = d(k−1) → o = i + d(k−1)" if dil else "p = k − 1 → o = i + k − 1"
        sub = f"{p_sub} → o = {i} + {pb} = {o}" if dil else f"{p_sub} → o = {i} + {k} − 1 = {o}"
    else:
        gen = (
            "p = d(k−1) → o = ⌊(i + d(k−1) − 1) / s⌋ + 1" if dil
            else "p = k − 1 → o = ⌊(i + k − 2) / s⌋ + 1"
        )
        sub = (
            f"{p_sub} → o = ⌊({i} + {pb} − 1) / {s}⌋ + 1 = {o}" if dil
            else f"{p_sub} → o = ⌊({i} + {k} − 2) / {s}⌋ + 1 = {o}"
        )
    cases.append(NamedCase("full", text("case_full", lang), (pb, pa), o, gen, sub,
                           text("case_note_full", lang)))
    return tuple(cases)


def _paren(expr: str) -> str:
    """``expr`` in parentheses when it is a sum (``d(k−1) + 1``), bare otherwise."""
    return f"({expr})" if " + " in expr or " − " in expr else expr
