"""Worked explanations as text, like seed 001's hand computation, in English and Spanish."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from convmath.errors import ConvMathError
from convmath.fmt import (
    MINUS,
    format_axes,
    format_index,
    format_number,
    format_padding,
    format_shape,
)
from convmath.i18n import Lang, check_lang, text
from convmath.ops import ConvStep, check_spec, conv_steps, convolve
from convmath.sizes import derive_output_size
from convmath.spec import ConvSpec

__all__ = [
    "format_number",
    "format_shape",
    "format_index",
    "explain_step",
    "describe_spec",
    "explain",
]



def _factor(value: float) -> str:
    s = format_number(value)
    return f"({s})" if s.startswith(MINUS) else s


def explain_step(step: ConvStep, name: str = "y") -> str:
    """One step written out: ``y[0] = (2·1) + (1·(−1)) = 1``.

    Raises
    ------
    ConvMathError
        ``param="step"`` when ``step`` is not a :class:`~convmath.ops.ConvStep`.
    """
    if not isinstance(step, ConvStep):
        raise ConvMathError(
            f"step={step!r} is invalid: it must be a ConvStep (from conv_steps)", param="step"
        )
    terms = " + ".join(f"({_factor(t.x_value)}·{_factor(t.w_value)})" for t in step.taps)
    return f"{name}{format_index(step.out_index)} = {terms} = {format_number(step.value)}"


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
    return text(
        "explain_config",
        lang,
        kind=text(kind, lang),
        input=_shape_words(spec.input_shape, lang),
        kernel=_shape_words(spec.kernel_shape, lang),  # type: ignore[arg-type]
        stride=_axis_text(spec.stride),
        padding=_pad_text(spec),
        extra=extra,
        output=_shape_words(spec.output_shape, lang),
    )


def _matrix_md(arr: np.ndarray) -> str:
    rows = np.atleast_2d(arr)
    return "\n".join("    " + "  ".join(f"{format_number(v):>5}" for v in row) for row in rows)


def explain(x: ArrayLike, w: ArrayLike, spec: ConvSpec, lang: Lang = "en",
            max_steps: int | None = None) -> str:
    """The whole computation as Markdown: configuration, size derivation, steps, result.

    ``max_steps`` limits how many steps are written out (``None``: all).

    Raises
    ------
    ConvMathError
        For an unknown ``lang``, a negative or non-integer ``max_steps``, or invalid arrays.
    """
    lang = check_lang(lang)
    if max_steps is not None and (
        not isinstance(max_steps, int) or isinstance(max_steps, bool) or max_steps < 0
    ):
        raise ConvMathError(
            f"max_steps={max_steps!r} is invalid: max_steps must be None or an integer >= 0",
            param="max_steps",
        )
    steps = conv_steps(x, w, spec)
    result = convolve(x, w, spec)
    mode = (
        "explain_mode_transposed" if spec.transposed
        else "explain_mode_conv" if spec.flip else "explain_mode_corr"
    )
    lines = [f"**{describe_spec(spec, lang)}**", "", text(mode, lang), ""]
    lines += [f"### {text('explain_sizes_title', lang)}", ""]
    lines += [f"- {line}" for line in derive_output_size(spec, lang).lines]
    lines += ["", f"### {text('explain_title', lang)}", ""]
    shown = steps if max_steps is None else steps[:max_steps]
    lines += [f"- `{explain_step(s)}`" for s in shown]
    if len(shown) < len(steps):
        lines.append(f"- {text('explain_more_steps', lang, n=len(steps) - len(shown))}")
    lines += ["", f"### {text('explain_result', lang)}", "", _matrix_md(result), ""]
    return "\n".join(lines)
