"""`render_to_file`: run one manim scene and write exactly one GIF, MP4, WebM or PNG.

Everything manim-specific about producing a file lives here: a ``tempconfig`` for the render
(pixel size and frame rate from the quality, manim's own caching off, no progress bar, manim's log
silenced or sent to a file, a temporary media folder removed afterwards), and a hook on the
renderer's ``write_frame`` that streams each frame into one of our encoders
(:mod:`scenes.gifout`) instead of manim's per-animation partial movies. Nothing here touches
``manim.config`` outside that ``tempconfig``.

The caller (:mod:`scenes.render`) picks the file name, does the atomic replace and the
whole-output cache; this module writes ``path`` and nothing else, and removes it again if the
render fails or is interrupted.
"""

from __future__ import annotations

import contextlib
import dataclasses
import logging
import shutil
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from convmath import ConvMathError
from scenes.gifout import GIF_MAX_FPS, VIDEO_SETTINGS, GifWriter, ThreadedSink, VideoWriter
from scenes.info import RenderInfo

__all__ = [
    "RenderInfo",
    "Quality",
    "QUALITIES",
    "QUALITY_ALIASES",
    "FORMATS",
    "GIF_WIDTH",
    "GIF_FPS",
    "resolve_quality",
    "frame_size",
    "output_geometry",
    "theme_colors",
    "render_to_sink",
    "render_to_file",
]


@dataclass(frozen=True, slots=True)
class Quality:
    """A named render quality: pixel size and frame rate (manim's ``-ql/-qm/-qh/-qk``)."""

    name: str
    width: int
    height: int
    fps: float


QUALITIES: dict[str, Quality] = {
    "low": Quality("low", 854, 480, 15.0),
    "medium": Quality("medium", 1280, 720, 30.0),
    "high": Quality("high", 1920, 1080, 60.0),
    "4k": Quality("4k", 3840, 2160, 60.0),
}
QUALITY_ALIASES: dict[str, str] = {"l": "low", "m": "medium", "h": "high", "k": "4k"}
FORMATS: tuple[str, ...] = ("gif", "mp4", "webm", "png")  # png = the last frame only

#: Post-friendly GIF defaults, used at quality ``"low"`` (see :func:`output_geometry`).
GIF_WIDTH = 854
GIF_FPS = 12.5

_MANIM_LOGGER = "manim"
_VP9_INLINE_PIXELS = 2560 * 1440  # WebM frames this large are encoded without a worker thread


def resolve_quality(quality: str) -> Quality:
    """The :class:`Quality` called ``quality`` (``low``/``medium``/``high``/``4k`` or
    ``l``/``m``/``h``/``k``).

    Raises
    ------
    ConvMathError
        For an unknown name.
    """
    name = QUALITY_ALIASES.get(quality, quality) if isinstance(quality, str) else quality
    if name not in QUALITIES:
        raise ConvMathError(
            f"quality={quality!r} is invalid: quality must be one of "
            f"{', '.join(QUALITIES)} (or {', '.join(QUALITY_ALIASES)})"
        )
    return QUALITIES[name]


def frame_size(width: int) -> tuple[int, int]:
    """``(width, height)`` for a pixel ``width``: both even (4:2:0 video needs it), the height
    following manim's 16:9 frame.

    Raises
    ------
    ConvMathError
        If ``width`` is not an integer in 64..7680.
    """
    if isinstance(width, bool) or not isinstance(width, int | np.integer) or not (
        64 <= width <= 7680
    ):
        raise ConvMathError(f"width={width!r} is invalid: width must be an integer in 64..7680")
    w = int(width) // 2 * 2
    h = max(2, round(w * 9 / 16 / 2) * 2)
    return w, h


def output_geometry(
    fmt: str, quality: str = "low", fps: float | None = None, width: int | None = None
) -> tuple[int, int, float]:
    """``(width, height, fps)`` a render of ``fmt`` at ``quality`` uses.

    The quality gives pixel size and frame rate; ``width`` and ``fps`` override them. A GIF at
    quality ``"low"`` uses the post-friendly :data:`GIF_WIDTH` and :data:`GIF_FPS` instead, and a
    GIF's frame rate never exceeds 50 (GIF delays are whole centiseconds; browsers slow shorter
    ones down).

    Raises
    ------
    ConvMathError
        Naming the bad ``fmt``, ``quality``, ``fps`` or ``width``.
    """
    if fmt not in FORMATS:
        raise ConvMathError(f"fmt={fmt!r} is invalid: fmt must be one of {', '.join(FORMATS)}")
    q = resolve_quality(quality)
    if fps is not None:
        ok = isinstance(fps, int | float | np.integer | np.floating) and not isinstance(fps, bool)
        limit = GIF_MAX_FPS if fmt == "gif" else 120.0
        if not ok or not (1 <= float(fps) <= limit):
            raise ConvMathError(
                f"fps={fps!r} is invalid: fps must be a number in 1..{limit:g}"
                + (" for a GIF" if fmt == "gif" else "")
            )
    if fmt == "gif" and q.name == "low":
        default_w, default_fps = GIF_WIDTH, GIF_FPS
    else:
        default_w, default_fps = q.width, q.fps
    if fmt == "gif":
        default_fps = min(default_fps, GIF_MAX_FPS)
    w, h = frame_size(default_w if width is None else width)
    return w, h, float(default_fps if fps is None else fps)


def theme_colors(theme: Any) -> list[str]:
    """The flat colours a scene of ``theme`` paints: every ``"#RRGGBB"`` field of the theme
    (and tuple of them), each role's cell fill, the tint of each kernel-palette colour, and the
    window's and inserted zeros' fills over the background.

    Anything that is not a :mod:`scenes.theme` ``Theme``-like dataclass gives ``[]``.
    """
    if theme is None or not dataclasses.is_dataclass(theme):
        return []
    colors: list[str] = []

    def add(value: object) -> None:
        if isinstance(value, str) and len(value) == 7 and value.startswith("#"):
            with contextlib.suppress(ValueError):
                int(value[1:], 16)
                colors.append(value.upper())

    for field in dataclasses.fields(theme):
        value = getattr(theme, field.name)
        if isinstance(value, tuple):
            for v in value:
                add(v)
        else:
            add(value)
    fill = getattr(theme, "fill", None)
    if callable(fill):
        for role in ("input", "kernel", "output", "padding", "inserted_zero", "window"):
            with contextlib.suppress(Exception):
                add(fill(role))
    tint = getattr(theme, "tint", None)
    if callable(tint):  # cells tinted with a kernel weight's colour
        for c in getattr(theme, "kernel_palette", ()):
            with contextlib.suppress(Exception):
                add(tint(c))
    with contextlib.suppress(Exception):
        from scenes.kit.theme import blend

        add(blend(theme.window, theme.background, theme.window_opacity))
        add(blend(theme.inserted_zero, theme.background, theme.fill_opacity / 2))
    return list(dict.fromkeys(colors))


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

    media_dir = Path(tempfile.mkdtemp(prefix="convanim-manim-"))
    last: list[NDArray[np.uint8]] = []
    try:
        with _manim_logging(verbose, log_path), tempconfig(
            _manim_config(width, height, fps, media_dir, still, verbose, log_path)
        ):
            scene = make_scene()
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
            scene.render()
    finally:
        shutil.rmtree(media_dir, ignore_errors=True)
    return scene, (last[-1] if last else None)


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
    keep_colors: list[str] | None = None,
    dither: str = "none",
    threaded: bool = True,
) -> RenderInfo:
    """Render the scene ``make_scene()`` builds into exactly one file, ``path``.

    Parameters
    ----------
    make_scene
        Builds the manim scene (called inside the render's ``tempconfig``).
    path
        The file to write. Nothing else is written; on failure or interruption ``path`` is
        removed and temporary folders are cleaned up.
    fmt
        ``"gif"`` (our palette pipeline, :class:`scenes.gifout.GifWriter`), ``"mp4"`` (H.264),
        ``"webm"`` (VP9), or ``"png"`` (the last frame only).
    quality
        ``"low"`` (854×480, 15 fps), ``"medium"`` (1280×720, 30), ``"high"`` (1920×1080, 60),
        ``"4k"`` (3840×2160, 60), or ``l``/``m``/``h``/``k``. A GIF at ``"low"`` uses
        :data:`GIF_WIDTH` and :data:`GIF_FPS`; see :func:`output_geometry`.
    fps, width
        Override the frame rate and pixel width (height follows the 16:9 frame).
    progress
        Called as ``progress(n)`` with the number of frames written so far.
    verbose
        Keep manim's log on the console (it is silenced otherwise).
    log_path
        Also write manim's log to this file.
    keep_colors
        GIF only: colours kept exact in the palette; default: the scene's ``theme`` colours
        (:func:`theme_colors`).
    dither
        GIF only: ``"none"`` (default) or an FFmpeg ``paletteuse`` dither.
    threaded
        Encode on a worker thread while manim draws the next frames (not for WebM above
        1440p, where the VP9 encoder's own memory leaves no room for queued frames).

    Returns
    -------
    RenderInfo

    Raises
    ------
    ConvMathError
        For an invalid ``fmt``, ``quality``, ``fps`` or ``width``.
    """
    w, h, rate = output_geometry(fmt, quality, fps, width)
    q = resolve_quality(quality)
    path = Path(path)
    count = 0
    sink: GifWriter | VideoWriter | ThreadedSink | None = None

    def make() -> Any:
        nonlocal sink
        scene = make_scene()
        if fmt == "gif":
            keep = keep_colors
            if keep is None:
                keep = theme_colors(getattr(scene, "theme", None))
            sink = GifWriter(path, w, h, rate, keep_colors=keep, dither=dither)
        elif fmt in ("mp4", "webm"):
            sink = VideoWriter(path, fmt, w, h, rate, VIDEO_SETTINGS[(fmt, q.name)])
        # libvpx-vp9 alone needs ~0.77 GB for 4K frames: encode those inline, with no frames
        # waiting in a queue, to stay under 1 GB.
        big_vp9 = fmt == "webm" and w * h >= _VP9_INLINE_PIXELS
        if threaded and sink is not None and not big_vp9:
            sink = ThreadedSink(sink)
        return scene

    def on_frame(pixels: NDArray[np.uint8], repeat: int) -> None:
        nonlocal count
        assert sink is not None
        sink.write_frame(pixels, repeat)
        count += repeat
        if progress is not None:
            progress(count)

    try:
        scene, last = render_to_sink(
            make, on_frame, width=w, height=h, fps=rate, still=fmt == "png",
            verbose=verbose, log_path=log_path,
        )
        if fmt == "png":
            if last is None:
                raise RuntimeError("manim produced no last frame")
            _save_png(last, path)
            frames, duration = 1, 0.0
            if progress is not None:
                progress(1)
        else:
            assert sink is not None
            if count == 0:
                raise RuntimeError("the scene played no animation: nothing to encode")
            result = sink.close()
            frames = getattr(result, "frames", count)
            duration = count / rate
    except BaseException:
        if sink is not None:
            sink.abort()
        with contextlib.suppress(OSError):
            path.unlink(missing_ok=True)
        raise
    return RenderInfo(
        path=path, bytes=path.stat().st_size, frames=frames, duration=duration,
        width=w, height=h, fps=rate,
    )


def _save_png(pixels: NDArray[np.uint8], path: Path) -> None:
    from PIL import Image

    image = Image.fromarray(np.ascontiguousarray(pixels))
    if image.mode == "RGBA" and image.getextrema()[3][0] == 255:
        image = image.convert("RGB")  # opaque: a smaller RGB PNG
    image.save(path, format="PNG", optimize=False)
