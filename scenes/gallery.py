"""`run_gallery` and `write_index`: many renders in parallel, and a page to browse and copy from.

``convanim gallery`` parses a TOML file into :class:`GalleryEntry` objects (:mod:`cli`), then
:func:`run_gallery` renders them in worker processes through :func:`scenes.render.render_info`
(so each entry reuses the whole-output cache and is written atomically), and :func:`write_index`
writes ``index.html`` and ``index.md`` beside the files: every animation with its parameters, its
size in bytes, and copy-ready Markdown and HTML snippets whose alt text is
:func:`convmath.describe_spec` in the entry's language.

The presets ``arithmetic`` and ``post`` are TOML files in ``scenes/presets/`` (:func:`preset_path`).
"""

from __future__ import annotations

import concurrent.futures as cf
import html
import json
import multiprocessing
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from convmath import ConvMathError, ConvSpec, describe_spec
from scenes.wording import text

__all__ = [
    "GalleryEntry",
    "EntryResult",
    "PRESETS",
    "preset_path",
    "run_gallery",
    "write_index",
    "default_jobs",
]

PRESETS: tuple[str, ...] = ("arithmetic", "post")


def preset_path(name: str) -> Path:
    """The shipped TOML file of preset ``name``.

    Raises
    ------
    ConvMathError
        For an unknown preset.
    """
    if name not in PRESETS:
        raise ConvMathError(
            f"preset={name!r} is invalid: preset must be one of {', '.join(PRESETS)}"
        )
    return Path(str(resources.files("scenes") / "presets" / f"{name}.toml"))


@dataclass(frozen=True)
class GalleryEntry:
    """One animation of a gallery, fully parsed.

    Attributes
    ----------
    name : str
        File stem (``<name>.<fmt>``) and heading.
    scene : str
        A scene name of :data:`scenes.catalog.SCENE_NAMES`.
    spec : ConvSpec
        The convolution.
    x, w : numpy.ndarray or None
        Explicit values (``None``: the defaults).
    options : dict
        ``mode``, ``theme``, ``lang``, ``step_time``, ``fmt``, ``quality``, ``fps``, ``width``:
        keyword arguments of :func:`scenes.render.render_info`.
    params : dict
        The parameters as the user wrote them (shown on the page).
    caption : str
        Optional text shown under the heading.
    """

    name: str
    scene: str
    spec: ConvSpec
    x: np.ndarray | None = None
    w: np.ndarray | None = None
    options: dict[str, Any] = field(default_factory=dict)
    params: dict[str, str] = field(default_factory=dict)
    caption: str = ""

    @property
    def fmt(self) -> str:
        return str(self.options.get("fmt", "gif"))

    @property
    def lang(self) -> str:
        return str(self.options.get("lang", "en"))

    @property
    def filename(self) -> str:
        return f"{self.name}.{self.fmt}"

    def alt(self) -> str:
        """The alt text: the configuration in one sentence, in the entry's language."""
        return describe_spec(self.spec, self.lang)


@dataclass(frozen=True)
class EntryResult:
    """What happened to one entry: its file's measurements, or why it failed."""

    entry: GalleryEntry
    path: Path | None = None
    bytes: int = 0
    frames: int = 0
    duration: float = 0.0
    width: int = 0
    height: int = 0
    cached: bool = False
    seconds: float = 0.0
    error: str | None = None
    log_path: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


def default_jobs() -> int:
    """Worker processes by default: the CPU cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def _render_entry(entry: GalleryEntry, out_dir: Path, cache: bool) -> EntryResult:
    """Worker: render one entry; every failure becomes an :class:`EntryResult` with an error."""
    from scenes.render import RenderError, render_info

    start = time.monotonic()
    try:
        info = render_info(
            entry.scene, entry.spec, entry.x, entry.w, output=out_dir / entry.filename,
            cache=cache, **entry.options,
        )
    except RenderError as exc:
        return EntryResult(entry, error=str(exc), log_path=str(exc.log_path),
                           seconds=time.monotonic() - start)
    except (ConvMathError, ValueError) as exc:
        return EntryResult(entry, error=str(exc), seconds=time.monotonic() - start)
    except Exception as exc:  # noqa: BLE001 - one entry must not stop the others
        return EntryResult(entry, error=f"{type(exc).__name__}: {exc}",
                           seconds=time.monotonic() - start)
    return EntryResult(
        entry, path=info.path, bytes=info.bytes, frames=info.frames, duration=info.duration,
        width=info.width, height=info.height, cached=info.cached,
        seconds=time.monotonic() - start,
    )


def run_gallery(
    entries: list[GalleryEntry],
    out_dir: str | os.PathLike[str],
    *,
    jobs: int | None = None,
    cache: bool = True,
    on_result: Callable[[EntryResult], None] | None = None,
) -> list[EntryResult]:
    """Render every entry into ``out_dir`` with ``jobs`` worker processes.

    Entries whose cached file is still valid are reused at once; one failing entry does not stop
    the others. ``on_result`` is called in the parent as each entry finishes (progress).

    Returns
    -------
    list of EntryResult
        In the order of ``entries``.
    """
    from scenes.render import prepare_folder

    out = Path(out_dir)
    prepare_folder(out, "output")
    jobs = default_jobs() if jobs is None else jobs
    if jobs < 1:
        raise ConvMathError(f"jobs={jobs!r} is invalid: jobs must be an integer >= 1")
    results: dict[int, EntryResult] = {}
    # Fork is cheap and manim is not imported in the parent yet; each worker imports it once.
    ctx = multiprocessing.get_context("fork" if os.name == "posix" else None)
    with cf.ProcessPoolExecutor(max_workers=min(jobs, max(1, len(entries))),
                                mp_context=ctx) as pool:
        futures = {pool.submit(_render_entry, e, out, cache): i for i, e in enumerate(entries)}
        try:
            for fut in cf.as_completed(futures):
                i = futures[fut]
                try:
                    res = fut.result()
                except Exception as exc:  # a worker died (e.g. killed by the OOM killer)
                    res = EntryResult(entries[i], error=f"worker failed: {type(exc).__name__}: "
                                      f"{exc}")
                results[i] = res
                if on_result is not None:
                    on_result(res)
        except BaseException:
            pool.shutdown(wait=True, cancel_futures=True)
            raise
    return [results[i] for i in range(len(entries))]


# --- the page ------------------------------------------------------------------------------------


def _snippets(res: EntryResult) -> tuple[str, str]:
    """(Markdown, HTML) for embedding the file, with the alt text."""
    e = res.entry
    alt = e.alt()
    name = e.filename
    size = f' width="{res.width}" height="{res.height}"' if res.width and res.height else ""
    if e.fmt in ("mp4", "webm"):
        md = f"[{alt}]({name})"
        tag = (f'<video src="{html.escape(name)}"{size} autoplay loop muted playsinline '
               f'aria-label="{html.escape(alt)}"></video>')
    else:
        md = f"![{alt}]({name})"
        tag = f'<img src="{html.escape(name)}" alt="{html.escape(alt)}"{size} loading="lazy">'
    return md, tag


def _measure_text(res: EntryResult, lang: str) -> str:
    """Frames, duration and pixel size (just the pixel size for a still PNG)."""
    if res.entry.fmt == "png":
        return f"{res.width}×{res.height} px"
    return text("gallery_frames", lang, frames=res.frames, duration=f"{res.duration:.1f}",
                width=res.width, height=res.height)


def _param_text(e: GalleryEntry) -> str:
    return ", ".join(f"{k} {v}" for k, v in e.params.items())


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


def _html_card(res: EntryResult, lang: str) -> str:
    e = res.entry
    esc = html.escape
    head = (f"<h2>{esc(e.name)}</h2>"
            f'<p class="meta">{esc(text("gallery_scene", lang))}: {esc(e.scene)} · '
            f"{esc(text('gallery_parameters', lang))}: {esc(_param_text(e))}</p>")
    if e.caption:
        head += f"<p>{esc(e.caption)}</p>"
    if not res.ok:
        return (f'<figure class="failed" id="{esc(e.name)}"><figcaption>{head}'
                f'<p class="error"><strong>{esc(text("gallery_failed", lang))}:</strong> '
                f"{esc(res.error or '')}</p></figcaption></figure>")
    md, tag = _snippets(res)
    media = tag.replace(' loading="lazy"', "") if e.fmt not in ("mp4", "webm") else tag
    meta = (f"{esc(text('gallery_file', lang))}: <a href=\"{esc(e.filename)}\">"
            f"{esc(e.filename)}</a> · {esc(text('gallery_bytes', lang, n=f'{res.bytes:,}'))} · "
            + esc(_measure_text(res, lang)))
    copy = esc(text("gallery_copy", lang))
    copied = esc(text("gallery_copied", lang))
    snippets = "".join(
        f'<div class="snippet" data-kind="{kind}"><div class="bar"><span>{kind}</span>'
        f'<button type="button" data-done="{copied}" aria-label="{copy} {kind}">{copy}</button>'
        "</div>"
        f"<pre><code>{esc(code)}</code></pre></div>"
        for kind, code in (("Markdown", md), ("HTML", tag))
    )
    return (f'<figure id="{esc(e.name)}" data-bytes="{res.bytes}">{media}<figcaption>{head}'
            f'<p class="meta">{meta}</p>{snippets}</figcaption></figure>')


def write_index(
    results: list[EntryResult], out_dir: str | os.PathLike[str], *, title: str | None = None,
    lang: str = "en",
) -> tuple[Path, Path]:
    """Write ``index.html`` and ``index.md`` into ``out_dir`` (atomically) and return their paths.

    Both list every entry in order with its parameters, file size in bytes and copy-ready
    Markdown and HTML snippets (alt text in the entry's language); failed entries show why.
    """
    from scenes.render import _write_atomic

    out = Path(out_dir)
    title = title or text("gallery_title", lang)
    esc = html.escape
    n = len(results)
    cards = "\n".join(_html_card(r, lang) for r in results)
    page = (
        f'<!doctype html>\n<html lang="{esc(lang)}">\n<head>\n<meta charset="utf-8">\n'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{esc(title)}</title>\n<style>{_CSS}</style>\n</head>\n<body>\n"
        f"<h1>{esc(title)}</h1>\n<p class=\"intro\">{esc(text('gallery_intro', lang, n=n))}</p>\n"
        f'<main class="grid">\n{cards}\n</main>\n<script>{_JS}</script>\n</body>\n</html>\n'
    )
    lines = ["---", f"title: {json.dumps(title, ensure_ascii=False)}", "---", "",
             f"# {title}", "", text("gallery_intro", lang, n=n), ""]
    for r in results:
        e = r.entry
        lines += [f"## {e.name}", ""]
        if e.caption:
            lines += [e.caption, ""]
        lines += [f"- {text('gallery_scene', lang)}: `{e.scene}`",
                  f"- {text('gallery_parameters', lang)}: {_param_text(e)}"]
        if not r.ok:
            lines += [f"- **{text('gallery_failed', lang)}:** {r.error}", ""]
            continue
        md, tag = _snippets(r)
        lines += [
            f"- {text('gallery_file', lang)}: [{e.filename}]({e.filename}), "
            f"{text('gallery_bytes', lang, n=f'{r.bytes:,}')}, "
            + _measure_text(r, lang),
            "",
            md if e.fmt not in ("mp4", "webm") else tag,
            "",
            "```markdown", md, "```", "",
            "```html", tag, "```", "",
        ]
    html_path, md_path = out / "index.html", out / "index.md"
    _write_atomic(html_path, page)
    _write_atomic(md_path, "\n".join(lines).rstrip("\n") + "\n")
    return html_path, md_path
