"""Copy-ready embeds of a rendered file: a Markdown line and an HTML tag, safely escaped.

One implementation for the CLI's printed snippet and the gallery's page. Alt text is escaped for
Markdown (``[``, ``]``, ``\\``, …) or HTML (quotes, ``<``); link targets are percent-encoded, so a
path with spaces, brackets or non-ASCII characters stays one valid link; newlines never survive
into a snippet (each field stays on its line).
"""

from __future__ import annotations

import html
import re
from urllib.parse import quote

from scenes.pipeline.writers import WRITERS

__all__ = [
    "link_target", "md_text", "one_line", "markdown_snippet", "html_snippet", "picture_snippet",
    "is_video", "video_snippet",
]

_MD_SPECIAL = re.compile(r"([\\`*_\[\]|~])")
_LINE_START = re.compile(r"^(\s*)([#=+\-]|\d+[.)])")


def one_line(text: str) -> str:
    """``text`` with every run of whitespace (newlines included) as one space."""
    return " ".join(str(text).split())


def md_text(text: str) -> str:
    """``text`` as literal Markdown inline text, for CommonMark and kramdown alike: one line,
    ``&``, ``<`` and ``>`` as HTML entities (no raw HTML can open, whatever the renderer passes
    through), emphasis, code, link and table punctuation backslashed, and a heading, list or
    block-quote marker at its start neutralised."""
    out = html.escape(one_line(text), quote=False)
    out = _MD_SPECIAL.sub(r"\\\1", out)
    return _LINE_START.sub(r"\1\\\2", out)


def link_target(path: str, prefix: str = "") -> str:
    """``prefix + path`` percent-encoded for a Markdown or HTML link (``/`` kept; a URL prefix's
    own ``scheme://host`` kept as given)."""
    head, sep, tail = prefix.partition("://")
    if sep:
        host, slash, rest = tail.partition("/")
        return f"{head}://{host}{slash}{quote(rest + path, safe='/~')}"
    return quote(prefix + path, safe="/~")


def is_video(fmt: str) -> bool:
    """Whether files of ``fmt`` embed with ``<video>``."""
    return fmt in WRITERS and WRITERS[fmt].video


def markdown_snippet(path: str, alt: str, fmt: str, *, prefix: str = "") -> str:
    """``![alt](target)`` (a plain link for video, which Markdown cannot embed, and PDF)."""
    image = "" if is_video(fmt) or not WRITERS[fmt].inline else "!"
    return f"{image}[{md_text(alt)}]({link_target(path, prefix)})"


def html_snippet(path: str, alt: str, fmt: str, width: int = 0, height: int = 0, *,
                 prefix: str = "", lazy: bool = False, poster: str | None = None) -> str:
    """An ``<img>`` tag with the alt text, or for video a ``<video controls loop muted
    playsinline>`` with its ``poster`` (the preview frame), a ``<source type=…>`` and a fallback
    link carrying the alt text."""
    src = html.escape(link_target(path, prefix), quote=True)
    label = html.escape(one_line(alt), quote=True)
    size = f' width="{int(width)}" height="{int(height)}"' if width and height else ""
    if is_video(fmt):
        return video_snippet([(path, fmt)], alt, width, height, prefix=prefix, poster=poster)
    if not WRITERS[fmt].inline:
        return f'<a href="{src}">{label}</a>'
    return f'<img src="{src}" alt="{label}"{size}' + (' loading="lazy">' if lazy else ">")


def video_snippet(sources: list[tuple[str, str]], alt: str, width: int = 0, height: int = 0, *,
                  prefix: str = "", poster: str | None = None) -> str:
    """One ``<video controls loop muted playsinline poster=…>`` with a ``<source src type>`` per
    ``(path, fmt)`` in ``sources`` (the browser plays the first it can: put WebM before MP4) and
    a fallback link to the last source carrying the alt text.

    Raises
    ------
    ValueError
        For no sources or a format that is not a video.
    """
    if not sources or not all(is_video(fmt) for _, fmt in sources):
        raise ValueError(f"sources={sources!r} is invalid: give one or more (path, video format)")
    label = html.escape(one_line(alt), quote=True)
    size = f' width="{int(width)}" height="{int(height)}"' if width and height else ""
    still = (f' poster="{html.escape(link_target(poster, prefix), quote=True)}"'
             if poster else "")
    tags = "".join(f'<source src="{html.escape(link_target(p, prefix), quote=True)}" '
                   f'type="{WRITERS[f].mime}">' for p, f in sources)
    last = html.escape(link_target(sources[-1][0], prefix), quote=True)
    return (f'<video controls loop muted playsinline{still}{size} aria-label="{label}">'
            f'{tags}<a href="{last}">{label}</a></video>')


def picture_snippet(light: str, dark: str, alt: str, width: int = 0, height: int = 0, *,
                    prefix: str = "") -> str:
    """A ``<picture>`` that follows the reader's colour scheme: the dark render for
    ``prefers-color-scheme: dark``, the light one otherwise (and for every other reader)."""
    dark_src = html.escape(link_target(dark, prefix), quote=True)
    img = html_snippet(light, alt, "png", width, height, prefix=prefix)
    return (f'<picture><source srcset="{dark_src}" media="(prefers-color-scheme: dark)">'
            f"{img}</picture>")
