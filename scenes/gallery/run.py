"""`run_gallery`: render every entry in worker processes, each entry's state reported truly.

Each entry goes through :func:`scenes.pipeline.run.render_request` (so it reuses the cache and is
written atomically). One failing entry does not stop the others; a worker process that dies
(``kill -9``, the OOM killer) breaks only the entries it took down with the pool: they are
submitted again to a fresh pool (entries already written are then found in the cache), and an
entry whose worker dies on every attempt is reported as such.

The presets ``arithmetic`` and ``post`` are TOML files in ``scenes/presets/`` (:func:`preset_path`).
"""

from __future__ import annotations

import concurrent.futures as cf
import multiprocessing
import os
import time
from collections.abc import Callable
from concurrent.futures.process import BrokenProcessPool
from importlib import resources
from pathlib import Path

from convmath import ConvMathError
from scenes.gallery.model import EntryResult, GalleryEntry
from scenes.pipeline.errors import PipelineError, RenderError

__all__ = ["PRESETS", "preset_path", "run_gallery", "default_jobs", "ATTEMPTS"]

PRESETS: tuple[str, ...] = ("arithmetic", "post")
#: How many times an entry is tried when its worker process dies.
ATTEMPTS = 3


def preset_path(name: str) -> Path:
    """The shipped TOML file of preset ``name``.

    Raises
    ------
    ConvMathError
        ``param="preset"`` for an unknown preset.
    """
    if name not in PRESETS:
        raise ConvMathError(
            f"preset={name!r} is invalid: preset must be one of {', '.join(PRESETS)}",
            param="preset",
        )
    return Path(str(resources.files("scenes") / "presets" / f"{name}.toml"))


def default_jobs() -> int:
    """Worker processes by default: the CPU cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def _render_entry(entry: GalleryEntry, out_dir: Path, cache: bool) -> EntryResult:
    """Worker: render one entry; every failure becomes an :class:`EntryResult` with an error."""
    from scenes.pipeline.request import RenderRequest
    from scenes.pipeline.run import render_request

    start = time.monotonic()
    try:
        request = RenderRequest.make(
            entry.scene, entry.spec, entry.x, entry.w, output=out_dir / entry.filename,
            bias=entry.bias, stack=entry.stack,
            **{k: v for k, v in entry.options.record().items()},
        )
        info = render_request(request, cache=cache)
    except RenderError as exc:
        return EntryResult(entry, error=str(exc), log_path=str(exc.log_path),
                           seconds=time.monotonic() - start)
    except (ConvMathError, PipelineError, ValueError, OSError) as exc:
        return EntryResult(entry, error=str(exc), seconds=time.monotonic() - start)
    except Exception as exc:  # noqa: BLE001 - one entry must not stop the others
        return EntryResult(entry, error=f"{type(exc).__name__}: {exc}",
                           seconds=time.monotonic() - start)
    return EntryResult(
        entry, path=info.path, bytes=info.bytes, frames=info.frames, duration=info.duration,
        width=info.width, height=info.height, cached=info.cached,
        seconds=time.monotonic() - start, poster=info.poster,
    )


def _needs_render(entry: GalleryEntry, out_dir: Path, cache: bool) -> bool:
    """Whether the entry will be drawn (no valid cached file), as far as the parent can tell;
    an entry the worker will reject counts as not drawn."""
    from scenes.pipeline.cache import cache_hit
    from scenes.pipeline.request import RenderRequest

    if not cache:
        return True
    try:
        request = RenderRequest.make(
            entry.scene, entry.spec, entry.x, entry.w, output=out_dir / entry.filename,
            bias=entry.bias, **{k: v for k, v in entry.options.record().items()},
        )
        return cache_hit(request.path, request.key()) is None
    except (ConvMathError, PipelineError, ValueError, OSError):
        return False


def _died(entry: GalleryEntry) -> EntryResult:
    return EntryResult(entry, error=f"the worker process rendering it died {ATTEMPTS} times "
                       "(killed, or out of memory); nothing was written for it")


def _one_pool(todo: dict[int, GalleryEntry], out: Path, jobs: int, cache: bool,
              on_result: Callable[[int, EntryResult], None]) -> list[int]:
    """Run ``todo`` in one pool; return the indices lost when a worker died."""
    # Forked workers render several entries each. When one entry needs drawing, manim is
    # imported here first, so that the workers inherit it instead of each paying ≈2 s for it.
    ctx = multiprocessing.get_context("fork" if os.name == "posix" else None)
    if ctx.get_start_method() == "fork" and any(_needs_render(e, out, cache)
                                               for e in todo.values()):
        import manim  # noqa: F401
    lost: list[int] = []
    with cf.ProcessPoolExecutor(max_workers=min(jobs, len(todo)), mp_context=ctx) as pool:
        futures = {pool.submit(_render_entry, e, out, cache): i for i, e in todo.items()}
        try:
            for fut in cf.as_completed(futures):
                try:
                    on_result(futures[fut], fut.result())
                except BrokenProcessPool:
                    lost.append(futures[fut])
        except BaseException:
            pool.shutdown(wait=True, cancel_futures=True)
            raise
    return sorted(lost)


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
    the others, nor does a worker process that dies (its entries are tried again, up to
    :data:`ATTEMPTS` times). ``on_result`` is called in the parent as each entry finishes.

    Returns
    -------
    list of EntryResult
        In the order of ``entries``.

    Raises
    ------
    ConvMathError
        ``param="jobs"`` for ``jobs < 1``.
    OutputError
        When ``out_dir`` cannot be created or written.
    """
    from scenes.pipeline.request import prepare_folder

    out = Path(out_dir)
    jobs = default_jobs() if jobs is None else jobs
    if isinstance(jobs, bool) or not isinstance(jobs, int) or jobs < 1:
        raise ConvMathError(f"jobs={jobs!r} is invalid: jobs must be an integer >= 1",
                            param="jobs")
    prepare_folder(out, "output")
    results: dict[int, EntryResult] = {}

    def done(i: int, res: EntryResult) -> None:
        results[i] = res
        if on_result is not None:
            on_result(res)

    todo = dict(enumerate(entries))
    for _attempt in range(ATTEMPTS):
        if not todo:
            break
        lost = _one_pool(todo, out, jobs, cache, done)
        todo = {i: entries[i] for i in lost}
    for i, entry in todo.items():
        done(i, _died(entry))
    return [results[i] for i in range(len(entries))]
