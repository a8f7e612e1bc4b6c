"""The writer registry: output formats registered by name, like matplotlib's animation writers.

Each writer turns the frames manim draws into one file. A new format is one class::

    @WRITERS.register("apng")
    class ApngWriter(FrameWriter):
        suffix, mime = ".png", "image/apng"
        ...

and every part of convanim (the CLI's ``--format`` choices, the options' validation, the
extension check of ``-o``, the page's snippets) picks it up from :data:`WRITERS`. Importing this
module is cheap: encoders (PyAV, Pillow) are imported when a writer opens.
"""

from __future__ import annotations

import abc
import contextlib
import dataclasses
from pathlib import Path
from typing import Any, ClassVar

import numpy as np
from numpy.typing import NDArray

from convmath import ConvMathError

__all__ = ["WriterRegistry", "WRITERS", "FrameWriter", "theme_colors"]


class WriterRegistry:
    """Writer classes by format name, in registration order."""

    def __init__(self) -> None:
        self._writers: dict[str, type[FrameWriter]] = {}

    def register(self, name: str):  # noqa: ANN201 - a class decorator
        """Class decorator: register the writer under ``name`` (its ``--format`` value)."""

        def add(cls: type[FrameWriter]) -> type[FrameWriter]:
            cls.name = name
            self._writers[name] = cls
            return cls

        return add

    def names(self) -> tuple[str, ...]:
        """The registered format names."""
        return tuple(self._writers)

    def __contains__(self, name: object) -> bool:
        return name in self._writers

    def __getitem__(self, name: str) -> type[FrameWriter]:
        if name not in self._writers:
            raise ConvMathError(
                f"fmt={name!r} is invalid: fmt must be one of {', '.join(self._writers)}",
                param="fmt",
            )
        return self._writers[name]

    def for_suffix(self, suffix: str) -> str | None:
        """The format whose files end in ``suffix`` (``".mp4"`` → ``"mp4"``), or ``None``."""
        suffix = suffix.lower()
        return next((n for n, c in self._writers.items() if c.suffix == suffix), None)


WRITERS = WriterRegistry()


class FrameWriter(abc.ABC):
    """Base of the writers: one file from a stream of RGBA frames.

    Class attributes
    ----------------
    name : str
        The format name (set by :meth:`WriterRegistry.register`).
    suffix : str
        The file extension, with its dot.
    mime : str
        The file's media type (for ``<source type=…>`` and notebooks).
    still : bool
        ``True``: the file is one picture, the last frame (manim skips the animations).
    video : bool
        ``True``: embedded with ``<video>``, not ``<img>``.

    Parameters
    ----------
    path
        The file to write.
    width, height, fps
        Pixel size and frame rate.
    quality
        The quality name (some encoders tune for it).
    scene
        The manim scene being rendered (a writer may read its theme).
    """

    name: ClassVar[str] = ""
    suffix: ClassVar[str] = ""
    mime: ClassVar[str] = ""
    still: ClassVar[bool] = False
    video: ClassVar[bool] = False
    #: ``False``: embedded as a link, not shown inline (PDF).
    inline: ClassVar[bool] = True
    #: ``True``: the file is one chosen frame (``frame``), drawn as vectors.
    vector: ClassVar[bool] = False

    def __init__(self, path: Path, width: int, height: int, fps: float, *, quality: str,
                 scene: Any = None, frame: int | None = None) -> None:
        self.path, self.width, self.height, self.fps = Path(path), width, height, fps
        self.quality, self.scene, self.frame = quality, scene, frame
        self.frames_written = 0
        #: Set once the writer has all it needs (the render may stop there).
        self.complete = False

    def write_frame(self, pixels: NDArray[np.uint8], repeat: int = 1) -> None:
        """Add a frame lasting ``repeat`` frame periods (animated writers).

        Raises
        ------
        TypeError
            For a still writer, which takes one picture through :meth:`write_still`.
        """
        raise TypeError(f"the {self.name or type(self).__name__} writer writes one still "
                        "picture: call write_still, not write_frame")

    def write_still(self, pixels: NDArray[np.uint8]) -> None:
        """Write the one picture (still writers).

        Raises
        ------
        TypeError
            For an animated writer, which takes frames through :meth:`write_frame`.
        """
        raise TypeError(f"the {self.name or type(self).__name__} writer writes an animation: "
                        "call write_frame, not write_still")

    @abc.abstractmethod
    def close(self) -> int:
        """Finish the file; return the number of frames stored in it."""

    def abort(self) -> None:  # noqa: B027 - optional hook: most writers hold nothing to free
        """Stop after a failure, releasing resources (the caller removes the file)."""


class _SinkWriter(FrameWriter):
    """A writer that feeds a :mod:`scenes.pipeline.gifout` sink, on a worker thread."""

    threaded: ClassVar[bool] = True

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from scenes.pipeline.gifout import ThreadedSink

        sink = self._make_sink()
        self._sink = ThreadedSink(sink) if self.threaded and self._thread_ok() else sink

    @abc.abstractmethod
    def _make_sink(self) -> Any:
        """The :mod:`scenes.pipeline.gifout` sink the frames go to."""

    def _thread_ok(self) -> bool:
        return True

    def write_frame(self, pixels: NDArray[np.uint8], repeat: int = 1) -> None:
        self._sink.write_frame(pixels, repeat)
        self.frames_written += repeat

    def close(self) -> int:
        result = self._sink.close()
        return int(getattr(result, "frames", self.frames_written))

    def abort(self) -> None:
        self._sink.abort()


@WRITERS.register("gif")
class GifFileWriter(_SinkWriter):
    """GIF through :class:`scenes.pipeline.gifout.GifWriter`: one palette for the animation,
    the theme's colours kept exact, no dither, changed rectangles only."""

    suffix, mime = ".gif", "image/gif"

    def _make_sink(self) -> Any:
        from scenes.pipeline.gifout import GifWriter

        keep = theme_colors(getattr(self.scene, "theme", None))
        return GifWriter(self.path, self.width, self.height, self.fps, keep_colors=keep,
                         dither="none")


class _VideoFileWriter(_SinkWriter):
    video = True

    def _make_sink(self) -> Any:
        from scenes.pipeline.gifout import VIDEO_SETTINGS, VideoWriter

        return VideoWriter(self.path, self.name, self.width, self.height, self.fps,
                           VIDEO_SETTINGS[(self.name, self.quality)])


@WRITERS.register("mp4")
class Mp4Writer(_VideoFileWriter):
    """H.264 MP4 (yuv420p, faststart)."""

    suffix, mime = ".mp4", "video/mp4"


#: WebM frames this large are encoded without a worker thread: libvpx-vp9 alone needs ~0.77 GB
#: for 4K frames, and no frames may wait in a queue to stay under 1 GB.
_VP9_INLINE_PIXELS = 2560 * 1440


@WRITERS.register("webm")
class WebmWriter(_VideoFileWriter):
    """VP9 WebM."""

    suffix, mime = ".webm", "video/webm"

    def _thread_ok(self) -> bool:
        return self.width * self.height < _VP9_INLINE_PIXELS


@WRITERS.register("png")
class PngWriter(FrameWriter):
    """The last frame as a PNG (RGB when opaque)."""

    suffix, mime, still = ".png", "image/png", True

    def write_still(self, pixels: NDArray[np.uint8]) -> None:
        from PIL import Image

        image = Image.fromarray(np.ascontiguousarray(pixels))
        if image.mode == "RGBA" and image.getextrema()[3][0] == 255:
            image = image.convert("RGB")  # opaque: a smaller RGB PNG
        image.save(self.path, format="PNG", optimize=False)
        self.frames_written = 1

    def close(self) -> int:
        return 1


class _VectorWriter(FrameWriter):
    """One frame (``frame``, default 0: the preview) as a vector still, drawn from the scene's
    mobjects at that frame (:func:`scenes.pipeline.vector.draw_vector`); the render stops
    there."""

    vector = True

    def write_frame(self, pixels: NDArray[np.uint8], repeat: int = 1) -> None:
        target = 0 if self.frame is None else self.frame
        if not self.complete and self.frames_written <= target < self.frames_written + repeat:
            from scenes.pipeline.vector import draw_vector

            draw_vector(self.scene, self.path, self.name, _alt_of(self.scene))
            self.complete = True
        self.frames_written += repeat

    def close(self) -> int:
        if not self.complete:
            raise ConvMathError(
                f"frame={self.frame} is invalid: the animation has {self.frames_written} frames "
                f"(0..{self.frames_written - 1})", param="frame")
        return 1


@WRITERS.register("svg")
class SvgWriter(_VectorWriter):
    """The preview frame (or ``frame``) as SVG: paths, fills and strokes as Cairo draws them,
    the alt text as its ``<title>``."""

    suffix, mime = ".svg", "image/svg+xml"


@WRITERS.register("pdf")
class PdfWriter(_VectorWriter):
    """The preview frame (or ``frame``) as a one-page PDF, the alt text as its title."""

    suffix, mime, inline = ".pdf", "application/pdf", False


def _alt_of(scene: Any) -> str:
    """The alt text of a catalogued scene (its class, spec and language), else ``""``."""
    try:
        from scenes.alt import alt_text
        from scenes.catalog import entry_for_class

        return alt_text(entry_for_class(type(scene)).name, scene.spec, scene.lang)
    except Exception:  # noqa: BLE001 - a title is optional
        return ""


def theme_colors(theme: Any) -> list[str]:
    """The flat colours a scene of ``theme`` paints: every ``"#RRGGBB"`` field of the theme
    (and tuple of them), each role's cell fill, the tint and the text ink of each kernel-palette
    colour, the roles' text inks, and the window's and inserted zeros' fills over the background.

    Anything that is not a ``Theme``-like dataclass gives ``[]``.
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
        for v in value if isinstance(value, tuple) else (value,):
            add(v)
    # the weights' colours of a 3×3 kernel as scenes draw them (theme.kernel_colors)
    weights = tuple(getattr(theme, "kernel_palette", ()))
    with contextlib.suppress(Exception):
        weights = tuple(dict.fromkeys(weights + tuple(theme.kernel_colors(9))))
    for method, args in (("fill", ("input", "kernel", "output", "padding", "inserted_zero",
                                     "window")),
                         ("tint", weights),
                         # text in a weight's or a role's colour (the equation's terms …): its
                         # ink, exact, so the palette never pulls it below 4.5:1
                         ("ink", weights + ("input", "kernel", "output", "window",
                                            "highlight"))):
        fn = getattr(theme, method, None)
        if callable(fn):
            for arg in args:
                with contextlib.suppress(Exception):
                    add(fn(arg))
    blend = _module_blend(theme)
    if callable(blend):
        with contextlib.suppress(Exception):
            add(blend(theme.window, theme.background, theme.window_opacity))
            add(blend(theme.inserted_zero, theme.background, theme.fill_opacity / 2))
    return list(dict.fromkeys(colors))


def _module_blend(theme: Any) -> Any:
    """The ``blend`` function of the module that defines ``theme``'s class, if any."""
    import sys

    module = sys.modules.get(type(theme).__module__)
    return getattr(module, "blend", None)
