"""The one text factory of every scene: Pango text in the project's font, cached, fitted in a box.

:func:`text_line` is the one way a scene puts a line of text (title, caption, equation, formula,
label) into a :class:`~scenes.layout.Box`; :func:`text_lines` fits several at one apparent size.
Text is built once per process and handed out as copies of a light prototype (Pango layout and
SVG parsing are slow; every animation copies its mobject). Colours are the caller's: scenes pass
:meth:`scenes.kit.theme.Theme.ink` colours (contrast >= 4.5:1) through
:meth:`scenes.kit.base.ConvScene.text`.
"""

from __future__ import annotations

import html
import re
from collections import OrderedDict
from collections.abc import Callable, Sequence
from typing import TypeVar

from manim import MarkupText, Mobject, Text

from scenes.layout import Box, fit_text

__all__ = ["FONT", "light", "make_text", "make_markup", "text_line", "text_lines", "wrap_words",
           "formula_markup", "shown_text", "word_count"]

M = TypeVar("M", bound=Mobject)

#: The one font family of every scene (Pango).
FONT = "DejaVu Sans"

Index = tuple[int, ...]
M = TypeVar("M", bound=Mobject)


_TEXT_CACHE: OrderedDict[tuple, Text | MarkupText] = OrderedDict()
_TEXT_CACHE_SIZE = 1024


def light(mob: M) -> M:
    """Drop what Pango glyphs keep only to build their points; returns ``mob``.

    Each glyph (``VMobjectFromSVGPath``) keeps its parsed SVG path (``path_obj``) and a text keeps
    its glyph groups by SVG id; every animation deep-copies its mobject, and with them a text
    copies about 50x slower. Nothing drawn changes.
    """
    for m in mob.get_family():
        if getattr(m, "path_obj", None) is not None:
            m.path_obj = None
        if getattr(m, "id_to_vgroup_dict", None):
            m.id_to_vgroup_dict = {}
    return mob


def _cached(key: tuple, build: Callable[[], M]) -> M:
    """A copy of the light prototype stored under ``key`` (built on first use; LRU-bounded)."""
    proto = _TEXT_CACHE.get(key)
    if proto is None:
        proto = light(build())
        _TEXT_CACHE[key] = proto
        if len(_TEXT_CACHE) > _TEXT_CACHE_SIZE:
            _TEXT_CACHE.popitem(last=False)
    else:
        _TEXT_CACHE.move_to_end(key)
    return proto.copy()


def make_text(s: str, font_size: float, color: str, *, weight: str = "NORMAL") -> Text:
    """A Pango ``Text`` in the project's font: the ONE way scenes build text.

    Every text is built once per process (Pango layout and SVG parsing are slow) and handed out
    as copies of a :func:`light` prototype, so animating it (each animation copies) is cheap too.
    """
    key = ("text", s, round(float(font_size), 4), str(color), weight)
    return _cached(key, lambda: Text(s, font=FONT, font_size=font_size, color=color,
                                     weight=weight))


def make_markup(markup: str, font_size: float, color: str) -> MarkupText:
    """A Pango ``MarkupText`` (subscripts, coloured spans) like :func:`make_text`."""
    key = ("markup", markup, round(float(font_size), 4), str(color))
    return _cached(key, lambda: MarkupText(markup, font=FONT, font_size=font_size, color=color))


def text_lines(strings: Sequence[str], boxes: Sequence[Box], font_size: float,
               color: str) -> list[Text]:
    """Captions fitted into their boxes at one apparent size.

    They share the smallest scale among those that need only a little shrinking (to 80 %); a
    caption that needs more shrinks alone rather than making every caption hard to read.
    """
    mobs = [make_text(s, font_size, color) for s in strings]
    own = [
        min(1.0, b.width / m.width, b.height / m.height) * 0.999 if m.width > 0 else 1.0
        for m, b in zip(mobs, boxes)
    ]
    shared = min([f for f in own if f >= 0.8] or [1.0])
    for m, b, f in zip(mobs, boxes, own):
        m.scale(min(shared, f)).move_to(b.center)
    return mobs


def _greedy_wrap(words: list[str], max_chars: int, max_lines: int | None) -> list[str]:
    lines: list[str] = []
    cur = ""
    for word in words:
        if cur and len(cur) + 1 + len(word) > max_chars and (
            max_lines is None or len(lines) < max_lines - 1
        ):
            lines.append(cur)
            cur = word
        else:
            cur = f"{cur} {word}" if cur else word
    if cur:
        lines.append(cur)
    return lines


def wrap_words(s: str, max_chars: int, max_lines: int | None = None) -> list[str]:
    """Word wrap of ``s`` into as few lines of at most ``max_chars`` as possible, balanced: the
    lines are as even as that number of lines allows (no orphan word alone on a last line). A
    word longer than ``max_chars`` stays whole.

    With ``max_lines``, when more lines would be needed the last line takes the rest (to be
    scaled down by :func:`fit_text`).
    """
    words = s.split()
    lines = _greedy_wrap(words, max_chars, None)
    if max_lines is not None and len(lines) > max_lines:
        return _greedy_wrap(words, max_chars, max_lines)
    if len(lines) < 2:
        return lines
    # The narrowest width that still needs no more lines (greedy line count only grows as the
    # width shrinks, so bisect it).
    lo, hi = max(len(w) for w in words), max_chars
    while lo < hi:
        mid = (lo + hi) // 2
        if len(_greedy_wrap(words, mid, None)) <= len(lines):
            hi = mid
        else:
            lo = mid + 1
    return _greedy_wrap(words, lo, None)


_SUBSCRIPTS = re.compile(r"\b([pko])_(b|a|eff)\b")


def formula_markup(s: str, *, result_color: str | None = None) -> str:
    """Pango markup for a formula line: ``p_b`` → p<sub>b</sub>, escaped, result coloured.

    ``result_color`` colours what follows the last ``" = "`` (the result of a substitution).
    """
    head, sep, tail = s.rpartition(" = ") if result_color else ("", "", s)
    out = _SUBSCRIPTS.sub(r"\1<sub>\2</sub>", html.escape(head, quote=False)) + sep
    tail_m = _SUBSCRIPTS.sub(r"\1<sub>\2</sub>", html.escape(tail, quote=False))
    if result_color and sep:
        tail_m = f'<span foreground="{result_color}">{tail_m}</span>'
    return out + tail_m


def shown_text(s: str) -> str:
    """The characters :func:`text_line` draws for ``s`` (subscripts as plain letters, no tags):
    ``"p_b + p_a"`` → ``"pb + pa"``. For tests of what reaches the screen."""
    if not _SUBSCRIPTS.search(s):
        return s
    return html.unescape(re.sub(r"<[^>]+>", "", formula_markup(s)))


def text_line(s: str, box: Box, font_size: float, color: str, *, align: str = "center",
              formula: bool = False, result_color: str | None = None) -> Text | MarkupText:
    """A line of text fitted into ``box`` (scaled down if too long, never up): the ONE factory.

    ``formula`` writes it as Pango markup (:func:`formula_markup`: subscripts, the result in
    ``result_color``); a line holding ``p_b``, ``p_a`` or ``k_eff`` gets its subscripts even
    without it (no underscore between letters reaches the screen); ``align`` is ``"center"``,
    ``"left"`` or ``"right"`` within the box.
    """
    if formula or _SUBSCRIPTS.search(s):  # p_b, k_eff: subscripts in prose too (issue 12 #6)
        mob = make_markup(formula_markup(s, result_color=result_color), font_size, color)
    else:
        mob = make_text(s, font_size, color)
    return fit_text(mob, box, align=align)


def word_count(s: str) -> int:
    """Words of a caption for its reading time (an equation counts one word per 6 characters)."""
    return len(s.split())
