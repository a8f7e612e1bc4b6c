"""`write_index`: ``index.html`` and ``index.md`` beside a gallery's files.

Both list every entry in order with its parameters (named in the page's language), its size in
bytes and copy-ready Markdown and HTML snippets (:mod:`scenes.pipeline.snippets`) whose alt text
is :func:`scenes.alt.alt_text` (what the scene shows) in the entry's language. Every field the
gallery file supplies (title, caption, values labels) is escaped for HTML in the page and for
Markdown *and* HTML in ``index.md``, one field per line, so a caption cannot inject markup into a
blog that renders it.
"""

from __future__ import annotations

import html
import json
import os
from pathlib import Path

from scenes.gallery.model import EntryResult, GalleryEntry
from scenes.pipeline.files import write_atomic
from scenes.pipeline.snippets import (
    html_snippet,
    is_video,
    link_target,
    markdown_snippet,
    md_text,
    one_line,
)
from scenes.wording import text

__all__ = ["write_index", "snippets", "param_text"]

_BOOL_KEYS = ("transposed", "flip")


def snippets(res: EntryResult, prefix: str = "") -> tuple[str, str]:
    """(Markdown, HTML) for embedding the file, with the alt text."""
    e = res.entry
    return (markdown_snippet(e.filename, e.alt(), e.fmt, prefix=prefix),
            html_snippet(e.filename, e.alt(), e.fmt, res.width, res.height, prefix=prefix,
                         lazy=True, poster=_poster_name(res)))


def _poster_name(res: EntryResult) -> str | None:
    return None if res.poster is None else res.poster.name


def _measure_text(res: EntryResult, lang: str) -> str:
    """Frames, duration and pixel size (just the pixel size for a still PNG)."""
    if res.entry.fmt == "png":
        return f"{res.width}×{res.height} px"
    return text("gallery_frames", lang, frames=res.frames, duration=f"{res.duration:.1f}",
                width=res.width, height=res.height)


def param_text(e: GalleryEntry, lang: str) -> str:
    """The parameters as written, named in ``lang``: ``stride 2, padding 1`` / ``paso 2, …``."""
    parts = []
    for key, value in e.params.items():
        if key in _BOOL_KEYS:
            value = text("gallery_yes" if value == "yes" else "gallery_no", lang)
        parts.append(f"{text('gallery_param_' + key, lang)} {value}")
    return ", ".join(parts)


def _error_text(res: EntryResult, lang: str) -> str:
    return text("gallery_failed_detail", lang, error=one_line(res.error or ""))


_CSS = """
:root { color-scheme: light dark; --fg: #1d1d1f; --bg: #fafafa; --card: #fff; --muted: #666;
  --line: #ddd; --accent: #0072b2; --bad: #b00020; }
@media (prefers-color-scheme: dark) { :root { --fg: #eee; --bg: #151515; --card: #202020;
  --muted: #aaa; --line: #3a3a3a; --accent: #56b4e9; --bad: #ff6b81; } }
body { font: 15px/1.45 system-ui, sans-serif; margin: 0 auto; max-width: 1100px; padding: 1.5rem;
  color: var(--fg); background: var(--bg); }
h1 { margin: 0 0 .3rem; } p.intro { color: var(--muted); margin: 0 0 1.2rem; }
a { color: var(--accent); }
.grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(440px, 1fr)); gap: 1rem; }
figure { margin: 0; background: var(--card); border: 1px solid var(--line); border-radius: 8px;
  padding: .8rem; }
figure img, figure video { display: block; max-width: 100%; height: auto; margin: 0 auto .5rem;
  border-radius: 4px; }
figcaption h2 { font-size: 1.05rem; margin: .2rem 0; }
.meta { color: var(--muted); font-size: .85rem; margin: .2rem 0; }
.snippet { margin: .5rem 0 0; }
.snippet .bar { display: flex; justify-content: space-between; align-items: center;
  color: var(--muted); font-size: .8rem; margin-bottom: .15rem; }
.snippet pre { margin: 0; padding: .45rem .6rem; background: var(--bg);
  border: 1px solid var(--line); border-radius: 4px; white-space: pre-wrap; word-break: break-all;
  font-size: .8rem; }
.snippet button { font: inherit; font-size: .8rem; border: 1px solid var(--line);
  border-radius: 4px; background: var(--card); color: var(--accent); cursor: pointer;
  padding: .05rem .6rem; }
.failed { border-color: var(--bad); } .failed .error { color: var(--bad); white-space: pre-wrap; }
"""

_JS = """
document.querySelectorAll('.snippet button').forEach(function (b) {
  b.addEventListener('click', function () {
    var box = b.closest('.snippet'), code = box.querySelector('code').textContent;
    var done = function () { var t = b.textContent; b.textContent = b.dataset.done;
      setTimeout(function () { b.textContent = t; }, 1200); };
    if (navigator.clipboard) { navigator.clipboard.writeText(code).then(done); }
    else { var r = document.createRange(); r.selectNodeContents(box.querySelector('code'));
      var s = getSelection(); s.removeAllRanges(); s.addRange(r); document.execCommand('copy');
      done(); }
  });
});
"""


def _html_card(res: EntryResult, lang: str, prefix: str) -> str:
    e = res.entry
    esc = html.escape
    head = (f"<h2>{esc(e.name)}</h2>"
            f'<p class="meta">{esc(text("gallery_scene", lang))}: {esc(e.scene)} · '
            f"{esc(text('gallery_parameters', lang))}: {esc(param_text(e, lang))}</p>")
    if e.caption:
        head += f"<p>{esc(e.caption)}</p>"
    if not res.ok:
        return (f'<figure class="failed" id="{esc(e.name)}"><figcaption>{head}'
                f'<p class="error"><strong>{esc(text("gallery_failed", lang))}:</strong> '
                f"{esc(_error_text(res, lang))}</p></figcaption></figure>")
    md, tag = snippets(res, prefix)
    media = html_snippet(e.filename, e.alt(), e.fmt, res.width, res.height,
                         poster=_poster_name(res))
    meta = (f"{esc(text('gallery_file', lang))}: <a href=\"{esc(e.filename)}\">"
            f"{esc(e.filename)}</a> · {esc(text('gallery_bytes', lang, n=f'{res.bytes:,}'))} · "
            + esc(_measure_text(res, lang)))
    copy = esc(text("gallery_copy", lang))
    copied = esc(text("gallery_copied", lang))
    boxes = "".join(
        f'<div class="snippet" data-kind="{kind}"><div class="bar"><span>{kind}</span>'
        f'<button type="button" data-done="{copied}" aria-label="{copy} {kind}">{copy}</button>'
        "</div>"
        f"<pre><code>{esc(code)}</code></pre></div>"
        for kind, code in (("Markdown", md), ("HTML", tag))
    )
    return (f'<figure id="{esc(e.name)}" data-bytes="{res.bytes}">{media}<figcaption>{head}'
            f'<p class="meta">{meta}</p>{boxes}</figcaption></figure>')


def _html_page(results: list[EntryResult], title: str, lang: str, prefix: str) -> str:
    esc = html.escape
    cards = "\n".join(_html_card(r, lang, prefix) for r in results)
    return (
        f'<!doctype html>\n<html lang="{esc(lang)}">\n<head>\n<meta charset="utf-8">\n'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{esc(title)}</title>\n<style>{_CSS}</style>\n</head>\n<body>\n"
        f"<h1>{esc(title)}</h1>\n<p class=\"intro\">"
        f"{esc(text('gallery_intro', lang, n=len(results)))}</p>\n"
        f'<main class="grid">\n{cards}\n</main>\n<script>{_JS}</script>\n</body>\n</html>\n'
    )


def _md_entry(r: EntryResult, lang: str, prefix: str) -> list[str]:
    e = r.entry
    lines = [f"## {md_text(e.name)}", ""]
    if e.caption:
        lines += [md_text(e.caption), ""]
    lines += [f"- {text('gallery_scene', lang)}: `{e.scene}`",
              f"- {text('gallery_parameters', lang)}: {md_text(param_text(e, lang))}"]
    if not r.ok:
        return lines + [f"- **{text('gallery_failed', lang)}:** {md_text(_error_text(r, lang))}",
                        ""]
    md, tag = snippets(r, prefix)
    return lines + [
        f"- {text('gallery_file', lang)}: [{md_text(e.filename)}]({link_target(e.filename)}), "
        f"{text('gallery_bytes', lang, n=f'{r.bytes:,}')}, " + _measure_text(r, lang),
        "",
        md if not is_video(e.fmt) else tag,
        "",
        "```markdown", md, "```", "",
        "```html", tag, "```", "",
    ]


def write_index(
    results: list[EntryResult], out_dir: str | os.PathLike[str], *, title: str | None = None,
    lang: str = "en", link_prefix: str = "",
) -> tuple[Path, Path]:
    """Write ``index.html`` and ``index.md`` into ``out_dir`` (atomically) and return their paths.

    Both list every entry in order with its parameters, file size in bytes and copy-ready
    Markdown and HTML snippets (alt text in the entry's language); failed entries show why.
    ``link_prefix`` (a URL or path, e.g. ``/assets/conv/``) is put before the file names in the
    snippets, where the blog serves the files; the page itself links the files beside it.
    """
    out = Path(out_dir)
    title = one_line(title or text("gallery_title", lang))
    # The front matter is data a theme may print unescaped: no markup in it either.
    front = json.dumps(html.escape(title, quote=False), ensure_ascii=False)
    lines = ["---", f"title: {front}", "---", "",
             f"# {md_text(title)}", "", text("gallery_intro", lang, n=len(results)), ""]
    for r in results:
        lines += _md_entry(r, lang, link_prefix)
    html_path, md_path = out / "index.html", out / "index.md"
    write_atomic(html_path, _html_page(results, title, lang, link_prefix))
    write_atomic(md_path, "\n".join(lines).rstrip("\n") + "\n")
    return html_path, md_path
