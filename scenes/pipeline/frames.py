"""`render_to_file`: run one manim scene and write exactly one file through a registered writer.

Everything manim-specific about producing a file lives here: a ``tempconfig`` for the render
(pixel size and frame rate, manim's own caching off, no progress bar, manim's log silenced or
sent to a file, a temporary media folder removed afterwards), and a hook on the renderer's
``write_frame`` that streams each frame into the writer (:mod:`scenes.pipeline.writers`) instead
of manim's per-animation partial movies. Nothing here touches ``manim.config`` outside that
``tempconfig``.

The caller (:mod:`scenes.pipeline.run`) picks the file name, does the atomic replace and the
cache; this module writes ``path`` and nothing else, and removes it again if the render fails or
is interrupted.
"""

from __future__ import annotations

import contextlib
import logging
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from scenes.pipeline.info import RenderInfo
from scenes.pipeline.options import RenderOptions
from scenes.pipeline.writers import WRITERS, FrameWriter

__all__ = ["render_to_sink", "render_to_file"]

_MANIM_LOGGER = "manim"


@contextlib.contextmanager
def _manim_logging(verbose: bool, log_path: Path | None) -> Iterator[None]:
    """Silence manim's log (or keep it when ``verbose``), copying it to ``log_path`` if given."""
    logger = logging.getLogger(_MANIM_LOGGER)
    saved_level, saved_handlers = logger.level, list(logger.handlers)
    saved_propagate = logger.propagate
    file_handler: logging.Handler | None = None
    try:
        if not verbose:
            for handler in saved_handlers:
                logger.removeHandler(handler)
            logger.propagate = False
        if log_path is not None:
            log_path.parent.mkdir(parents=True, exist_ok=True)
            file_handler = logging.FileHandler(log_path, encoding="utf-8")
            file_handler.setFormatter(
                logging.Formatter("%(asctime)s %(levelname)s %(message)s")
            )
            logger.addHandler(file_handler)
        logger.setLevel(logging.INFO if (verbose or log_path is not None) else logging.CRITICAL)
        yield
    finally:
        if file_handler is not None:
            logger.removeHandler(file_handler)
            file_handler.close()
        for handler in saved_handlers:
            if handler not in logger.handlers:
                logger.addHandler(handler)
        logger.propagate = saved_propagate
        logger.setLevel(saved_level)


def _manim_config(width: int, height: int, fps: float, media_dir: Path, still: bool,
                  verbose: bool, log_path: Path | None) -> dict[str, Any]:
    level = "INFO" if (verbose or log_path is not None) else "CRITICAL"
    return {
        "renderer": "cairo",
        # "none": manim renders every frame but writes no movie (our hook takes the frames);
        # "png": manim skips the animations and saves the last frame.
        "format": "png" if still else "none",
        "pixel_width": width,
        "pixel_height": height,
        "frame_rate": fps,
        "disable_caching": True,
        "disable_caching_warning": True,
        "progress_bar": "none",
        "preview": False,
        "show_in_file_browser": False,
        "log_to_file": False,
        "save_sections": False,
        "write_all": False,
        "media_dir": str(media_dir),
        "verbosity": level,
        "from_animation_number": 0,
        "upto_animation_number": -1,
        "dry_run": False,
    }


def _hook(scene: Any, write_frame: Callable[[NDArray[np.uint8], int], None] | None,
          still: bool, last: list[NDArray[np.uint8]]) -> None:
    renderer = getattr(scene, "renderer", None)
    writer = getattr(renderer, "file_writer", None)
    if writer is None or not hasattr(writer, "write_frame"):
        raise TypeError(
            f"make_scene returned {type(scene).__name__}: expected a Cairo manim Scene"
        )
    if still:
        writer.save_image = lambda pixels: last.append(np.asarray(pixels))
    elif write_frame is not None:

        def hook(pixels: NDArray[np.uint8], *, repeat: int = 1) -> None:
            write_frame(pixels, repeat)

        writer.write_frame = hook


def render_to_sink(
    make_scene: Callable[[], Any],
    write_frame: Callable[[NDArray[np.uint8], int], None] | None,
    *,
    width: int,
    height: int,
    fps: float,
    still: bool = False,
    verbose: bool = False,
    log_path: Path | None = None,
) -> tuple[Any, NDArray[np.uint8] | None]:
    """Render the scene ``make_scene()`` builds, handing each frame to ``write_frame``.

    The scene is constructed and rendered inside a manim ``tempconfig`` (size, frame rate,
    caching off, a temporary media folder that is removed afterwards, even on errors).

    Parameters
    ----------
    make_scene
        Builds the scene; called inside the ``tempconfig``.
    write_frame
        ``write_frame(rgba, repeat)``, called with each frame manim draws (consecutive ones
        may be identical), as a top-left ``(height, width, 4)`` ``uint8`` array the callee may
        keep, and how many frame periods it lasts (more than 1 for a still ``wait``). Unused when
        ``still``; ``None`` draws the frames and drops them.
    width, height, fps
        Pixel size and frame rate.
    still
        Render only the final frame (manim skips the animations) and return it.
    verbose, log_path
        Keep manim's log on the console / also write it to ``log_path``.

    Returns
    -------
    (scene, last_frame)
        The rendered scene and, when ``still``, its last frame (RGBA), else ``None``.
    """
    from manim import tempconfig

    from scenes.kit.text import use_disk_cache
    from scenes.pipeline.files import temp_folder_name, text_cache_dir

    use_disk_cache(text_cache_dir())
    media_dir = temp_folder_name("convanim-manim-")
    last: list[NDArray[np.uint8]] = []
    try:
        media_dir.mkdir(mode=0o700)
        with _manim_logging(verbose, log_path), tempconfig(
            _manim_config(width, height, fps, media_dir, still, verbose, log_path)
        ):
            scene = make_scene()
            _hook(scene, write_frame, still, last)
            scene.render()
    finally:
        shutil.rmtree(media_dir, ignore_errors=True)
    return scene, (last[-1] if last else None)


class _Complete(Exception):
    """Raised through manim when the writer has what it needs (stops the render early)."""


class _Stream:
    """Opens the writer once the scene exists (a writer may read the scene's theme) and counts
    the frames it is given."""

    def __init__(self, writer_cls: type[FrameWriter], path: Path, options: RenderOptions,
                 progress: Callable[[int], None] | None, frame: int | None = None) -> None:
        self.writer_cls, self.path, self.options, self.frame = writer_cls, path, options, frame
        self.width, self.height, self.fps = options.geometry()
        self.progress = progress
        self.writer: FrameWriter | None = None
        self.count = 0
        self.first: NDArray[np.uint8] | None = None

    def open(self, scene: Any) -> None:
        self.writer = self.writer_cls(self.path, self.width, self.height, self.fps,
                                      quality=self.options.quality, scene=scene,
                                      frame=self.frame)

    def write(self, pixels: NDArray[np.uint8], repeat: int) -> None:
        assert self.writer is not None
        if self.first is None:
            self.first = np.array(pixels, copy=True)  # the preview frame (a video's poster)
        self.writer.write_frame(pixels, repeat)
        self.count += repeat
        if self.progress is not None:
            self.progress(self.count)
        if self.writer.complete:  # a vector still has its frame: no need to draw the rest
            raise _Complete

    def finish(self, last: NDArray[np.uint8] | None) -> tuple[int, float]:
        """Close the file; ``(frames stored, duration in s)``."""
        assert self.writer is not None
        if self.writer_cls.still:
            if last is None:
                raise RuntimeError("manim produced no last frame")
            self.writer.write_still(last)
            if self.progress is not None:
                self.progress(1)
            return self.writer.close(), 0.0
        if self.count == 0:
            raise RuntimeError("the scene played no animation: nothing to encode")
        if self.writer_cls.vector:
            return self.writer.close(), 0.0
        return self.writer.close(), self.count / self.fps


def _discard(stream: _Stream, path: Path, poster: Path | None) -> None:
    """After a failure or an interruption: the writer aborted, ``path`` and ``poster`` gone."""
    if stream.writer is not None:
        stream.writer.abort()
    for written in (path, poster):
        if written is not None:
            with contextlib.suppress(OSError):
                written.unlink(missing_ok=True)


def render_to_file(
    make_scene: Callable[[], Any],
    path: Path,
    *,
    fmt: str = "gif",
    quality: str = "low",
    fps: float | None = None,
    width: int | None = None,
    progress: Callable[[int], None] | None = None,
    verbose: bool = False,
    log_path: Path | None = None,
    poster: Path | None = None,
    frame: int | None = None,
) -> RenderInfo:
    """Render the scene ``make_scene()`` builds into exactly one file, ``path`` (and, for
    video, its poster).

    Parameters
    ----------
    make_scene
        Builds the manim scene (called inside the render's ``tempconfig``).
    path
        The file to write. Nothing else is written; on failure or interruption ``path`` is
        removed and temporary folders are cleaned up.
    fmt
        A registered writer (:data:`scenes.pipeline.writers.WRITERS`): ``"gif"``, ``"mp4"``
        (H.264), ``"webm"`` (VP9) or ``"png"`` (the last frame only).
    quality, fps, width
        See :class:`scenes.pipeline.options.RenderOptions` (pixel size and frame rate).
    progress
        Called as ``progress(n)`` with the number of frames written so far.
    verbose
        Keep manim's log on the console (it is silenced otherwise).
    log_path
        Also write manim's log to this file.
    poster
        Video only: also write the first frame (the preview) to this PNG file.
    frame
        SVG and PDF: the frame to draw (default 0, the preview); the render stops there.

    Returns
    -------
    RenderInfo

    Raises
    ------
    ConvMathError
        For an invalid ``fmt``, ``quality``, ``fps`` or ``width``.
    """
    options = RenderOptions(fmt=fmt, quality=quality, fps=fps, width=width)
    path = Path(path)
    stream = _Stream(WRITERS[fmt], path, options, progress, frame)

    def make() -> Any:
        scene = make_scene()
        stream.open(scene)
        return scene

    try:
        try:
            _scene, last = render_to_sink(
                make, stream.write, width=stream.width, height=stream.height, fps=stream.fps,
                still=stream.writer_cls.still, verbose=verbose, log_path=log_path,
            )
        except _Complete:
            last = None
        frames, duration = stream.finish(last)
        if poster is not None and stream.writer_cls.video and stream.first is not None:
            WRITERS["png"](poster, stream.width, stream.height, stream.fps,
                           quality=options.quality).write_still(stream.first)
    except BaseException:
        _discard(stream, path, poster)
        raise
    return RenderInfo(
        path=path, bytes=path.stat().st_size, frames=frames, duration=duration,
        width=stream.width, height=stream.height, fps=stream.fps,
        poster=poster if poster is not None and poster.is_file() else None,
    )
