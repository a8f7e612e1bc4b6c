"""Worked explanations as text, like seed 001's hand computation, in English and Spanish."""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction

import numpy as np
from numpy.typing import ArrayLike

from convmath.channels import conv_counts
from convmath.errors import ConvMathError
from convmath.fmt import (
    MATH_STYLES,
    MINUS,
    format_axes,
    format_index,
    format_int,
    format_number,
    format_padding,
    format_shape,
    latex_math,
)
from convmath.i18n import Lang, article, check_lang, text
from convmath.ops import (
    ConvStep,
    check_array,
    check_bias,
    check_spec,
    convolve,
    iter_conv_steps,
    w_expected,
    x_expected,
)
from convmath.sizes import derive_output_size
from convmath.spec import ConvSpec

__all__ = [
    "MAX_DENOMINATOR",
    "common_factor",
    "FactoredWeights",
    "factored_weights",
    "format_number",
    "format_shape",
    "format_index",
    "explain_step",
    "signed",
    "describe_spec",
    "shape_words",
    "explain",
    "markdown_table",
]



def signed(value: float) -> str:
    """``format_number(value)``, in brackets when negative (a factor in a product:
    ``3·(−2)``, ``1/9 · (−3)``)."""
    s = format_number(value)
    return f"({s})" if s.startswith(MINUS) else s


#: Largest denominator :func:`common_factor` pulls out of a kernel (1/9, 1/16, 1/256 …).
MAX_DENOMINATOR = 1024


def common_factor(w: ArrayLike) -> Fraction | None:
    """``1/q`` when every weight is an integer multiple of ``1/q`` and not every weight is an
    integer: ``box-blur`` → ``1/9``, ``gaussian`` → ``1/16``; ``None`` otherwise.

    ``q`` is the smallest such denominator up to :data:`MAX_DENOMINATOR` (weights within 1e−9
    of a multiple). With it, a step is written exactly: ``1/9 · (3·1 + …) = 1/9 · 25 = 2.78``.
    """
    wa = check_array("w", w, np.shape(w), "its own shape")
    if wa.size == 0 or np.all(np.abs(wa - np.round(wa)) < 1e-9):
        return None
    for q in range(2, MAX_DENOMINATOR + 1):
        scaled = wa * q
        if np.all(np.abs(scaled - np.round(scaled)) < 1e-9 * max(1.0, q)):
            return Fraction(1, q)
    return None


@dataclass(frozen=True, eq=False)
class FactoredWeights:
    """A kernel as ``factor × multiples``: what every view writes for its weights (issue 12 #7).

    ``factor`` is :func:`common_factor`'s (``None``: the weights are written as they are, and
    ``multiples`` is ``w`` itself); ``multiples`` are then the integers ``w / factor`` (box-blur:
    all 1; gaussian: 1 2 1 / 2 4 2 / 1 2 1), read-only, of ``w``'s shape.
    """

    factor: Fraction | None
    multiples: np.ndarray

    @property
    def factor_text(self) -> str | None:
        """``"1/9"`` (``None`` without a factor)."""
        f = self.factor
        return None if f is None else f"{f.numerator}/{f.denominator}"

    def multiple(self, weight: float) -> float:
        """The number written for ``weight``: ``weight / factor`` (an integer), or ``weight``."""
        if self.factor is None:
            return float(weight)
        return float(round(float(weight) * self.factor.denominator / self.factor.numerator))

    def in_units(self, value: float) -> float:
        """``value`` in units of the factor (``value / factor``: 25 for 25/9), or ``value``: a
        sum of products written as the integers' products add up."""
        if self.factor is None:
            return float(value)
        return float(value) * self.factor.denominator / self.factor.numerator

    def inner(self, pairs: Iterable[tuple[float, float]]) -> float:
        """``Σ x · multiple(w)`` over ``(x, w)`` pairs: the sum inside ``factor · (…)``."""
        return float(sum(float(x) * self.multiple(w) for x, w in pairs))

    def worked(self, head: str, terms: str, inner: float, value: float) -> str:
        """``head + terms = value``, or with a factor
        ``head + 1/9 · (terms) = 1/9 · inner = value`` (numbers as :func:`format_number`)."""
        if self.factor is None:
            return f"{head}{terms} = {format_number(value)}"
        f = self.factor_text
        return f"{head}{f} · ({terms}) = {f} · {signed(inner)} = {format_number(value)}"


def factored_weights(w: ArrayLike) -> FactoredWeights:
    """``w`` as :class:`FactoredWeights`: with :func:`common_factor` pulled out when it has one.

    >>> factored_weights([[0.25, 0.5], [0.25, 0.0]]).multiples.tolist()
    [[1.0, 2.0], [1.0, 0.0]]
    """
    wa = np.array(check_array("w", w, np.shape(w), "its own shape"), dtype=float)
    factor = common_factor(wa)
    if factor is not None:
        wa = np.round(wa * factor.denominator / factor.numerator)
    wa.setflags(write=False)
    return FactoredWeights(factor, wa)


def _terms(taps, nums=None) -> str:
    ws = [t.w_value for t in taps] if nums is None else nums
    return " + ".join(f"({signed(t.x_value)}·{signed(v)})" for t, v in zip(taps, ws))


def _by_channel(step: ConvStep) -> list[list]:
    """The step's taps, one list per input channel (in tap order)."""
    groups: dict[int, list] = {}
    for t in step.taps:
        groups.setdefault(t.in_channel, []).append(t)
    return list(groups.values())


def explain_step(step: ConvStep, name: str = "y", factor: Fraction | None = None,
                 channels: bool = False) -> str:
    """One step written out: ``y[0] = (2·1) + (1·(−1)) = 1``.

    With ``factor`` (from :func:`common_factor`), the weights are written as integer multiples
    of it and the factor is pulled out, so the terms add up exactly as shown:
    ``y[0,0] = 1/9 · ((3·1) + (2·1) + …) = 1/9 · 25 = 2.78``.

    A non-zero ``step.bias`` is added last (``… + 0.5 = 1.5``). With ``channels`` (a spec with
    channels) the index starts with the output channel and each input channel's products are
    one bracket, whose sums are then added with the bias:
    ``y[1,0] = [(2·1) + (1·(−1))] + [(0·3) + (1·1)] + 0.5 = 1 + 1 + 0.5 = 2.5``
    (``factor`` is not used there).

    Raises
    ------
    ConvMathError
        ``param="step"`` when ``step`` is not a :class:`~convmath.ops.ConvStep`.
    """
    if not isinstance(step, ConvStep):
        raise ConvMathError(
            f"step={step!r} is invalid: it must be a ConvStep (from conv_steps)", param="step"
        )
    bias = f" + {signed(step.bias)}" if step.bias != 0 else ""
    if channels:
        head = f"{name}{format_index((step.out_channel, *step.out_index))} = "
        parts = _by_channel(step)
        brackets = " + ".join(f"[{_terms(p)}]" for p in parts)
        sums = " + ".join(signed(sum(t.product for t in p)) for p in parts)
        return f"{head}{brackets}{bias} = {sums}{bias} = {format_number(step.value)}"
    head = f"{name}{format_index(step.out_index)} = "
    if factor is None:
        if not bias:
            return f"{head}{_terms(step.taps)} = {format_number(step.value)}"
        inner = sum(t.product for t in step.taps)
        return (f"{head}{_terms(step.taps)}{bias} = {signed(inner)}{bias} = "
                f"{format_number(step.value)}")
    q = factor.denominator
    nums = [round(t.w_value * q) for t in step.taps]
    inner = sum(t.x_value * n for t, n in zip(step.taps, nums))
    return (f"{head}{factor.numerator}/{q} · ({_terms(step.taps, nums)}){bias} = "
            f"{factor.numerator}/{q} · {signed(inner)}{bias} = "
            f"{format_number(step.value)}")


def _pad_text(spec: ConvSpec) -> str:
    if spec.padding_mode is not None:
        pads = ", ".join(f"{b}:{a}" if b != a else str(b) for b, a in spec.pads)
        return f"'{spec.padding_mode}' ({pads})"
    return format_padding(spec.pads)


_axis_text = format_axes  # the old private name


def _shape_words(shape: tuple[int, ...], lang: Lang) -> str:
    """``5×5`` in 2D; ``length-5`` / ``de longitud 5`` in 1D, so a sentence reads naturally."""
    if len(shape) == 1:
        return text("explain_length", lang, n=shape[0])
    return format_shape(shape)


shape_words = _shape_words  # public: the alt texts of the scenes name shapes the same way


def describe_spec(spec: ConvSpec, lang: Lang = "en") -> str:
    """One sentence describing the configuration (alt text for an image).

    >>> describe_spec(ConvSpec((5, 5), 3, stride=2, padding=1))
    'Cross-correlation of a 5×5 input with a 3×3 kernel, stride 2, padding 1 → 3×3 output'
    """
    check_spec(spec)
    lang = check_lang(lang)
    kind = (
        "kind_transposed" if spec.transposed else "kind_conv" if spec.flip else "kind_corr"
    )
    extra = ""
    if any(d > 1 for d in spec.dilation):
        extra += text("explain_dilation", lang, d=_axis_text(spec.dilation))
    if any(spec.resolved_output_padding):
        extra += text("explain_output_padding", lang, op=_axis_text(spec.resolved_output_padding))
    if spec.has_channels:
        extra += text("explain_channels", lang, cin=spec.in_channels, cout=spec.out_channels)
        if spec.groups > 1:
            extra += text("explain_groups", lang, g=spec.groups)
    inp = _shape_words(spec.input_shape, lang)
    ker = _shape_words(spec.kernel_shape, lang)  # type: ignore[arg-type]
    return text(
        "explain_config",
        lang,
        kind=text(kind, lang),
        input=inp,
        input_a=article(inp),
        kernel=ker,
        kernel_a=article(ker),
        stride=_axis_text(spec.stride),
        padding=_pad_text(spec),
        extra=extra,
        output=_shape_words(spec.output_shape, lang),
    )


def _matrix_md(arr: np.ndarray) -> str:
    rows = np.atleast_2d(arr)
    return "\n".join("    " + "  ".join(f"{format_number(v):>5}" for v in row) for row in rows)


def markdown_table(arr: ArrayLike) -> str:
    """A 1D or 2D array as a Markdown table: column indices on top, row indices in bold.

    >>> print(markdown_table([[1, -2], [3, 4]]))
    |   | 0 | 1 |
    |---|---|---|
    | **0** | 1 | −2 |
    | **1** | 3 | 4 |
    """
    rows = np.atleast_2d(np.asarray(arr, dtype=float))
    head = "|   | " + " | ".join(str(c) for c in range(rows.shape[1])) + " |"
    rule = "|---|" + "---|" * rows.shape[1]
    body = [f"| **{r}** | " + " | ".join(format_number(v) for v in row) + " |"
            for r, row in enumerate(rows)]
    return "\n".join([head, rule, *body])


def _tables(arr: np.ndarray, spec: ConvSpec, name: str, lead: int) -> list[str]:
    """One Markdown table, or with channels one per slice (``x[c]``, ``w[a,b]``, ``y[o]``)."""
    if not spec.has_channels:
        return [markdown_table(arr) if name != "y" else _matrix_md(arr), ""]
    out: list[str] = []
    for idx in np.ndindex(*arr.shape[:lead]):
        table = markdown_table(arr[idx]) if name != "y" else _matrix_md(arr[idx])
        out += [f"**{name}{format_index(idx)}**", "", table, ""]
    return out


def _counts_line(spec: ConvSpec, bias: bool, lang: Lang) -> str:
    c = conv_counts(spec)
    nb = c.biases if bias else 0
    return text("explain_counts", lang, weights=format_int(c.weights), nw=c.weights,
                biases=format_int(nb), nb=nb,
                params=format_int(c.parameters(bias)), macs=format_int(c.multiply_adds(bias)))


def _math(expr: str, style: str) -> str:
    """A formula as inline code (``unicode``) or as ``$…$`` LaTeX (``latex``)."""
    return f"${latex_math(expr)}$" if style == "latex" else f"`{expr}`"


def _size_lines(spec: ConvSpec, lang: Lang, style: str) -> list[str]:
    """The size derivation's bullet lines; in LaTeX the formulas are ``$…$`` (the notes stay
    prose), in Unicode they are exactly :attr:`SizeDerivation.lines`."""
    derivation = derive_output_size(spec.single(), lang)
    if style != "latex":
        return [f"- {line}" for line in derivation.lines]
    axes = derivation.axes
    out = [f"- {_math(axes[0].general, style)}"]
    for ax in axes:
        prefix = text("axis_prefix", lang, axis=ax.axis) if len(axes) > 1 else ""
        out.append(f"- {prefix}{_math(ax.substituted, style)}")
        out += [f"- {note}" for note in ax.notes]
    return out


def _check_math(math: object) -> str:
    if not isinstance(math, str) or math not in MATH_STYLES:
        raise ConvMathError(f"math={math!r} is invalid: math must be one of "
                            f"{', '.join(MATH_STYLES)}", param="math")
    return math


def explain(x: ArrayLike, w: ArrayLike, spec: ConvSpec, lang: Lang = "en",
            max_steps: int | None = None, bias: ArrayLike | None = None,
            math: str = "unicode") -> str:
    """The whole computation as Markdown: configuration, input and kernel tables, size
    derivation, steps, result.

    ``max_steps`` limits how many steps are written out (``None``: all). Steps are produced
    lazily, so the cost grows with ``max_steps``, not with the number of outputs. A kernel of
    fractions (``box-blur``, ``gaussian``) is written with its common factor pulled out
    (:func:`common_factor`), so the terms add up as shown. With channels (``spec.x_shape``,
    ``spec.w_shape``) every channel and kernel slice gets its table, each step its per-channel
    sums and the ``bias`` (``(out_channels,)``), and the counts of parameters and multiply-adds
    are stated.

    ``math="latex"`` writes the size formulas and the steps as ``$…$`` for KaTeX / MathJax
    sites (:func:`convmath.fmt.latex_math`: ``-``, ``\\cdot``, ``\\lfloor``, …) instead of
    Unicode inline code; the prose, the tables and every number stay the same.

    Raises
    ------
    ConvMathError
        For an unknown ``lang`` or ``math``, a negative or non-integer ``max_steps``, invalid
        arrays, or a result beyond the float range.
    """
    lang = check_lang(lang)
    math = _check_math(math)
    if max_steps is not None and (
        not isinstance(max_steps, int) or isinstance(max_steps, bool) or max_steps < 0
    ):
        raise ConvMathError(
            f"max_steps={max_steps!r} is invalid: max_steps must be None or an integer >= 0",
            param="max_steps",
        )
    check_spec(spec)
    xa = check_array("x", x, spec.x_shape, x_expected(spec))
    wa = check_array("w", w, spec.w_shape, w_expected(spec))
    ba = check_bias(bias, spec)
    result = convolve(xa, wa, spec, bias=ba)
    factor = None if spec.has_channels else common_factor(wa)
    mode = (
        "explain_mode_transposed" if spec.transposed
        else "explain_mode_conv" if spec.flip else "explain_mode_corr"
    )
    lines = [f"**{describe_spec(spec, lang)}**", "", text(mode, lang), ""]
    if spec.has_channels or ba is not None:
        lines += [_counts_line(spec, ba is not None, lang), ""]
    lines += [f"### {text('explain_input_title', lang)}", "", *_tables(xa, spec, "x", 1)]
    lines += [f"### {text('explain_kernel_title', lang)}", ""]
    if factor is None:
        lines += _tables(wa, spec, "w", 2)
    else:  # the weights as the scenes draw them: integers, the factor said once
        fw = factored_weights(wa)
        lines += [text("explain_kernel_factor", lang, factor=fw.factor_text), "",
                  *_tables(fw.multiples, spec, "w", 2)]
    if ba is not None:
        lines += [f"### {text('explain_bias_title', lang)}", "", markdown_table(ba), ""]
    lines += [f"### {text('explain_sizes_title', lang)}", ""]
    lines += _size_lines(spec, lang, math)
    lines += ["", f"### {text('explain_title', lang)}", ""]
    total = spec.out_channels * spec.output_size
    n_shown = total if max_steps is None else min(max_steps, total)
    shown = itertools.islice(iter_conv_steps(xa, wa, spec, bias=ba), n_shown)
    lines += [f"- {_math(explain_step(s, factor=factor, channels=spec.has_channels), math)}"
              for s in shown]
    if n_shown < total:
        lines.append(f"- {text('explain_more_steps', lang, n=total - n_shown)}")
    lines += ["", f"### {text('explain_result', lang)}", "", *_tables(result, spec, "y", 1)]
    return "\n".join(lines)
