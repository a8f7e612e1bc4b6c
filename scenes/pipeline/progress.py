"""Progress on stderr for renders and galleries (rich, which manim already brings).

On a terminal a render shows a phase line while the scene is planned and built ("Planning
sliding …", "Building sliding …"), then a bar of the frames drawn with their total, the elapsed
time and an ETA. The total comes from the previous render of the same request when there is one,
else from a dry run of the scene (:func:`dry_run_frames`: manim plays it without drawing, ~10–15 %
of a render, and warms the text cache the render then reuses). A gallery shows a bar over its
entries with an ETA. When stderr is not a terminal (a CI log, a pipe) there are no bars: one
plain line per finished render and per gallery entry.
"""

from __future__ import annotations

import sys
import time
from typing import IO, Any

__all__ = ["RenderProgress", "GalleryProgress", "planned_frames", "dry_run_frames"]


def planned_frames(request: Any) -> int | None:
    """Frames the render of ``request`` will draw, when the record beside its output is of the
    same scene, spec and options (the sources may have changed); else ``None``."""
    from scenes.pipeline.cache import read_record

    data = read_record(request.path)
    if data is None:
        return None
    info = data.get("info")
    same = {k: data.get(k) for k in ("scene", "spec", "options")} == request.record()
    try:
        return round(float(info["duration"]) * float(info["fps"])) if same else None
    except (KeyError, TypeError, ValueError):
        return None


def dry_run_frames(request: Any, cache: bool = True) -> int | None:
    """Frames the render of ``request`` will draw, from a dry run: the scene is built and played
    with manim skipping the drawing (its clock still advances by every animation and wait), at
    the request's size and frame rate. ``None`` when the output is already current (``cache``:
    nothing will be drawn) or the dry run fails (the render itself then reports the error)."""
    from scenes.pipeline.cache import cache_hit
    from scenes.pipeline.frames import render_to_sink
    from scenes.pipeline.run import _scene_factory

    if cache and cache_hit(request.path, request.key()) is not None:
        return None
    width, height, fps = request.options.geometry()
    try:
        scene, _ = render_to_sink(_scene_factory(request), None, width=width, height=height,
                                  fps=fps, still=True)
        return max(1, round(float(scene.renderer.time) * fps))
    except Exception:  # noqa: BLE001 - only an estimate: the real render reports errors
        return None


def _is_terminal(stream: IO[str]) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


class RenderProgress:
    """Progress of one render: ``with RenderProgress("sliding", planned) as p:`` and pass
    ``p.frames`` as the render's ``progress`` callback; :meth:`finished` says how it ended."""

    def __init__(self, label: str, planned: int | None = None, stream: IO[str] | None = None,
                 terminal: bool | None = None) -> None:
        self.label, self.planned = label, planned
        self.stream = sys.stderr if stream is None else stream
        self.terminal = _is_terminal(self.stream) if terminal is None else terminal
        self.started = time.monotonic()
        self.count = 0
        self._progress: Any = None
        self._task: Any = None

    def __enter__(self) -> RenderProgress:
        if self.terminal:
            from rich.console import Console
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                Progress,
                SpinnerColumn,
                TextColumn,
                TimeElapsedColumn,
                TimeRemainingColumn,
            )

            columns = [SpinnerColumn(), TextColumn("{task.description}"), BarColumn(),
                       MofNCompleteColumn(), TextColumn("frames"), TimeElapsedColumn(),
                       TimeRemainingColumn()]
            console = Console(file=self.stream, force_terminal=True)
            self._progress = Progress(*columns, console=console, transient=True)
            self._progress.start()
            self._task = self._progress.add_task(f"Building {self.label} …", total=self.planned)
        return self

    def planning(self) -> None:
        """Say that the total is being worked out (before :func:`dry_run_frames`)."""
        if self._progress is not None:
            self._progress.update(self._task, description=f"Planning {self.label} …")
            self._progress.refresh()

    def plan(self, total: int | None) -> None:
        """Set the bar's total (frames planned); ``None`` leaves it unknown."""
        self.planned = total
        if self._progress is not None:
            self._progress.update(self._task, total=total,
                                  description=f"Building {self.label} …")

    def frames(self, n: int) -> None:
        """The render's progress callback: ``n`` frames drawn so far (a total planned a little
        short — manim rounds each animation up to whole frames — grows to the count)."""
        self.count = n
        if self._progress is not None:
            total = None if self.planned is None else max(self.planned, n)
            self._progress.update(self._task, completed=n, total=total,
                                  description=f"Drawing {self.label}")

    def finished(self, info: Any) -> None:
        """Say how the render ended (off a terminal: one plain line; nothing for a cache hit)."""
        if self.terminal or getattr(info, "cached", False):
            return
        seconds = time.monotonic() - self.started
        frames = f"{self.count} frame" + ("" if self.count == 1 else "s")
        print(f"Rendered {self.label} in {seconds:.1f} s ({frames} drawn)",
              file=self.stream, flush=True)

    def __exit__(self, *exc: object) -> None:
        if self._progress is not None:
            self._progress.stop()


class GalleryProgress:
    """Progress of a gallery: call :meth:`entry` as each entry finishes."""

    def __init__(self, total: int, stream: IO[str] | None = None,
                 terminal: bool | None = None) -> None:
        self.total, self.done = total, 0
        self.stream = sys.stderr if stream is None else stream
        self.terminal = _is_terminal(self.stream) if terminal is None else terminal
        self._progress: Any = None
        self._task: Any = None

    def __enter__(self) -> GalleryProgress:
        if self.terminal:
            from rich.console import Console
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                Progress,
                TextColumn,
                TimeElapsedColumn,
                TimeRemainingColumn,
            )

            self._progress = Progress(
                TextColumn("Gallery"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                TimeRemainingColumn(), TextColumn("{task.description}"),
                console=Console(file=self.stream, force_terminal=True), transient=True,
            )
            self._progress.start()
            self._task = self._progress.add_task("", total=self.total)
        return self

    def entry(self, result: Any) -> None:
        """One entry finished (an :class:`scenes.gallery.model.EntryResult`)."""
        self.done += 1
        name = result.entry.filename
        if self._progress is not None:
            self._progress.update(self._task, advance=1, description=name)
            return
        state = ("failed" if not result.ok else "cached" if result.cached else "rendered")
        print(f"[{self.done}/{self.total}] {state} {name} ({result.seconds:.1f} s)",
              file=self.stream, flush=True)

    def __exit__(self, *exc: object) -> None:
        if self._progress is not None:
            self._progress.stop()
