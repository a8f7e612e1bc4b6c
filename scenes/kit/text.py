"""The one text factory of every scene: Pango text in the project's font, cached, fitted in a box.

:func:`text_line` is the one way a scene puts a line of text (title, caption, equation, formula,
label) into a :class:`~scenes.layout.Box`; :func:`text_lines` fits several at one apparent size.
Text is built once and handed out as copies of a light prototype (Pango layout and SVG parsing
are slow; every animation copies its mobject): once per process in memory, and, where the render
pipeline or the test suite names a folder (:func:`use_disk_cache`), once per machine, as
compressed pickles shared by processes (gallery workers, test workers, repeated renders).
Colours are the caller's: scenes pass :meth:`scenes.kit.theme.Theme.ink` colours (contrast
>= 4.5:1) through :meth:`scenes.kit.base.ConvScene.text`.
"""

from __future__ import annotations

import hashlib
import html
import os
import pickle
import re
import secrets
import zlib
from collections import OrderedDict
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeVar

from manim import MarkupText, Mobject, Text

from scenes.layout import Box, fit_text, wrap_words  # wrap_words: re-exported (no manim)

__all__ = ["FONT", "light", "make_text", "make_markup", "text_line", "text_lines", "wrap_words",
           "formula_markup", "shown_text", "word_count", "use_disk_cache", "disk_cache_dir"]

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


#: Bump when what a cached prototype holds changes (old files are then never read).
_DISK_FORMAT = 2
#: The disk cache's folder (``None``: memory only), set by :func:`use_disk_cache`.
_DISK: Path | None = None
#: When the folder holds more than this many bytes, the least recently written half goes.
DISK_CACHE_BYTES = 64 * 2**20
_STORES_BETWEEN_PRUNES = 200
_stores = 0


def use_disk_cache(folder: str | os.PathLike[str] | None) -> Path | None:
    """Keep parsed text in ``folder`` too (``None``: in memory only); returns the previous folder.

    The folder must be the caller's own and closed to others (the pipeline passes its 0700
    per-user state folder, :func:`scenes.pipeline.files.state_dir`): what is in it is unpickled.
    Entries are keyed by the text, its size, colour and weight, the font and the versions of
    manim and ManimPango, so an upgrade never reads an old entry; a file that cannot be read is
    ignored and rebuilt. Writes are atomic (a random temporary name, then :func:`os.replace`),
    so processes may share the folder.
    """
    global _DISK
    previous, _DISK = _DISK, (None if folder is None else Path(folder))
    return previous


def disk_cache_dir() -> Path | None:
    """The folder :func:`use_disk_cache` set (``None`` when text is cached in memory only)."""
    return _DISK


def _versions() -> str:
    import manim
    import manimpango

    return f"{_DISK_FORMAT}/{manim.__version__}/{manimpango.__version__}/{FONT}"


def _disk_path(key: tuple) -> Path | None:
    if _DISK is None:
        return None
    digest = hashlib.sha256(repr((_versions(), key)).encode()).hexdigest()
    return _DISK / f"{digest[:40]}.pkl.z"


def _disk_load(path: Path | None) -> Mobject | None:
    if path is None:
        return None
    try:
        mob = pickle.loads(zlib.decompress(path.read_bytes()))
    except Exception:  # missing, truncated, from another version: build it again
        return None
    return mob if isinstance(mob, Mobject) else None


def _disk_store(path: Path | None, mob: Mobject) -> None:
    global _stores
    if path is None:
        return
    tmp = path.with_name(f".{secrets.token_hex(6)}.tmp")
    try:
        with open(tmp, "xb") as f:
            f.write(zlib.compress(pickle.dumps(mob, protocol=pickle.HIGHEST_PROTOCOL), 6))
        os.replace(tmp, path)
    except (OSError, pickle.PicklingError, RecursionError):  # a read-only or full disk: memory only
        tmp.unlink(missing_ok=True)
        return
    _stores += 1
    if _stores % _STORES_BETWEEN_PRUNES == 0:
        _prune(path.parent)


def _prune(folder: Path, limit: int = DISK_CACHE_BYTES) -> None:
    """Drop the least recently written half of ``folder``'s entries when it outgrows ``limit``."""
    try:
        entries = [(e.stat().st_mtime, e.stat().st_size, e) for e in folder.glob("*.pkl.z")]
    except OSError:
        return
    if sum(size for _, size, _ in entries) <= limit:
        return
    entries.sort()
    for _, _, entry in entries[: len(entries) // 2]:
        entry.unlink(missing_ok=True)


def _canvas() -> tuple[int, int]:
    """The pixel size Pango lays text out on (manim's ``pixel_width`` × ``pixel_height``): a
    line wider than it wraps, so the same string is another text at another render size."""
    from manim import config

    return int(config.pixel_width), int(config.pixel_height)


def _cached(key: tuple, build: Callable[[], M]) -> M:
    """A copy of the light prototype stored under ``key`` (and the render's pixel size): from
    memory (LRU-bounded), else from the disk cache, else built (and stored in both)."""
    key = (*key, _canvas())
    proto = _TEXT_CACHE.get(key)
    if proto is None:
        path = _disk_path(key)
        proto = _disk_load(path)
        if proto is None:
            proto = light(build())
            _disk_store(path, proto)
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
