"""The one formatter for numbers and per-axis values (engine, scenes, pipeline and CLI alike).

No language here: words ("crop", "padding") come from :mod:`convmath.i18n`. Every minus sign is
the true minus ``−`` (U+2212), never an ASCII hyphen.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterable

from convmath.errors import ConvMathError

__all__ = [
    "MINUS",
    "SCI_ABOVE",
    "format_int",
    "format_number",
    "format_shape",
    "format_axes",
    "format_index",
    "format_padding",
    "MATH_STYLES",
    "UNICODE_MATH",
    "latex_math",
]

MINUS = "\u2212"
#: Magnitudes from here up are written in scientific notation (``1.23e7``).
SCI_ABOVE = 1e7


def format_int(value: int) -> str:
    """An integer with a true minus: ``-2`` → ``−2``."""
    return str(int(value)).replace("-", MINUS)


def _number(value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ConvMathError(f"value={value!r} is invalid: it must be a real number",
                            param="value")
    try:
        return float(value)
    except OverflowError:
        raise ConvMathError(f"value={value!r} is invalid: it is beyond the float range",
                            param="value") from None


def format_number(value: float, digits: int = 2) -> str:
    """A value as shown on screen: short, exact for integers, never vanishing, true minus.

    - integers without decimals (``−1``), other values rounded to ``digits`` decimals with
      trailing zeros stripped (``0.25``, ``0.33``);
    - magnitudes of :data:`SCI_ABOVE` and more, and (``digits >= 1``) non-zero values that
      would round to ``0``, in scientific notation with ``digits`` decimals in the mantissa:
      ``1e300``, ``1.5e−12``, ``−2.35e7`` (``digits=0`` asks for whole numbers: ``−0.4`` → ``0``);
    - ``∞``, ``−∞``, ``NaN`` for non-finite values.

    Raises
    ------
    ConvMathError
        ``param="value"`` for a non-number (``bool`` included) or an int beyond float range.

    >>> format_number(-1.0), format_number(0.25), format_number(1 / 3), format_number(1e300)
    ('−1', '0.25', '0.33', '1e300')
    >>> format_number(-1.5e-12)
    '−1.5e−12'
    """
    v = _number(value)
    if math.isnan(v):
        return "NaN"
    if math.isinf(v):
        return "∞" if v > 0 else MINUS + "∞"
    if v == 0:
        return "0"
    if abs(v) >= SCI_ABOVE:
        return _scientific(v, digits)
    if abs(v - round(v)) < 1e-9:
        s = str(int(round(v)))
    else:
        s = f"{v:.{digits}f}"
        if "." in s:  # strip trailing decimal zeros only, never an integer's (digits=0)
            s = s.rstrip("0").rstrip(".")
    if s in ("-0", "0"):
        return _scientific(v, digits) if digits >= 1 else "0"  # never let a value vanish
    return s.replace("-", MINUS)


def _scientific(v: float, digits: int) -> str:
    """``1.5e−12``: ``max(digits, 0)`` decimals in the mantissa, trailing zeros stripped."""
    mantissa, _, exponent = f"{v:.{max(digits, 0)}e}".partition("e")
    if "." in mantissa:
        mantissa = mantissa.rstrip("0").rstrip(".")
    return f"{mantissa}e{int(exponent)}".replace("-", MINUS)


def format_shape(shape: Iterable[int]) -> str:
    """Every axis: ``(5, 5)`` → ``5×5``; ``(5,)`` → ``5``."""
    return "×".join(format_int(v) for v in shape)


def format_axes(values: Iterable[int]) -> str:
    """A per-axis parameter, once when every axis agrees: ``(2, 2)`` → ``2``; ``(2, 1)`` → ``2×1``.
    """
    values = tuple(values)
    if len(set(values)) == 1:
        return format_int(values[0])
    return format_shape(values)


def format_index(index: Iterable[int]) -> str:
    """``(1, 2)`` → ``[1,2]``."""
    return "[" + ",".join(format_int(v) for v in index) + "]"


def format_padding(pads: Iterable[tuple[int, int]]) -> str:
    """``(before, after)`` pads per axis, compactly: ``1``, ``1:2``, or per axis ``1, 0:1``.

    A side is written once when before equals after, an axis once when every axis agrees. A
    negative value (the grid of a transposed spec that crops its stretched input) keeps its
    true minus here; say it in words with :func:`convmath.sizes.padding_phrase`.

    >>> format_padding(((1, 1), (1, 1))), format_padding(((1, 2),))
    ('1', '1:2')
    >>> format_padding(((1, 1), (0, 1)))
    '1, 0:1'
    """
    per_axis = [format_int(b) if b == a else f"{format_int(b)}:{format_int(a)}" for b, a in pads]
    return per_axis[0] if len(set(per_axis)) == 1 else ", ".join(per_axis)


#: How formulas are written: ``"unicode"`` (plain text, the default) or ``"latex"`` (``$…$`` for
#: KaTeX / MathJax sites).
MATH_STYLES = ("unicode", "latex")

#: The Unicode math symbols the formatter and the formulas use, and their LaTeX.
UNICODE_MATH = {
    MINUS: "-",
    "·": r" \cdot ",
    "×": r" \times ",
    "⌊": r"\lfloor ",
    "⌋": r"\rfloor ",
    "⌈": r"\lceil ",
    "⌉": r"\rceil ",
    "Σ": r"\sum ",
    "→": r" \to ",
    "∞": r"\infty ",
    "≤": r" \le ",
    "≥": r" \ge ",
    "≠": r" \ne ",
    "°": r"^\circ ",
}
_LATEX_WORDS = {"output_padding": r"\mathrm{output\_padding}", "NaN": r"\mathrm{NaN}"}


def latex_math(expr: str) -> str:
    """A formula written by this package (``o = ⌊(5 + 2·1 − 3) / 2⌋ + 1``) as the inside of a
    LaTeX ``$…$``: ``o = \\lfloor (5 + 2 \\cdot 1 - 3) / 2\\rfloor  + 1``.

    Every symbol of :data:`UNICODE_MATH` becomes its command (the true minus an ASCII ``-``),
    the word ``output_padding`` and ``NaN`` become upright names; digits, letters, brackets and
    operators stay as they are, so the numbers read the same. Runs of spaces are collapsed.

    Raises
    ------
    ConvMathError
        ``param="expr"`` when ``expr`` holds ``$``, ``%`` or a brace (it is not one of our
        formulas and would break out of the math).
    """
    if not isinstance(expr, str) or any(c in expr for c in "$%{}"):
        raise ConvMathError(f"expr={expr!r} is invalid: it must be a formula without $, % or "
                            "braces", param="expr")
    out = expr
    for word, tex in _LATEX_WORDS.items():
        out = out.replace(word, tex)
    out = "".join(UNICODE_MATH.get(c, c) for c in out)
    return " ".join(out.split())
