"""The render options' vocabulary, declared once, and :class:`RenderOptions`, their one validator.

Formats (the writer registry's names), qualities and their one-letter aliases, modes, themes and
languages: the CLI builds its choices and help from these, gallery files are checked by
:class:`RenderOptions` exactly as the CLI and the Python API are. No manim, no PyAV here.
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass
from typing import Any

from convmath import ConvMathError
from convmath.i18n import LANGS
from scenes.pipeline.writers import WRITERS

__all__ = [
    "Quality",
    "QUALITIES",
    "QUALITY_NAMES",
    "QUALITY_ALIASES",
    "QUALITY_CHOICES",
    "DEFAULT_QUALITY",
    "FORMATS",
    "MODES",
    "THEMES",
    "LANGS",
    "GIF_WIDTH",
    "GIF_FPS",
    "GIF_MAX_FPS",
    "VIDEO_MAX_FPS",
    "WIDTH_RANGE",
    "GIF_WARN_BYTES",
    "STEP_TIME_RANGE",
    "RenderOptions",
    "resolve_quality",
    "frame_size",
    "check_choice",
    "output_geometry",
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
QUALITY_NAMES: tuple[str, ...] = tuple(QUALITIES)
QUALITY_ALIASES: dict[str, str] = {"l": "low", "m": "medium", "h": "high", "k": "4k"}
QUALITY_CHOICES: tuple[str, ...] = (*QUALITY_NAMES, *QUALITY_ALIASES)
DEFAULT_QUALITY = "low"
#: Output formats: the names in the writer registry (``gif``, ``mp4``, ``webm``, ``png``).
FORMATS: tuple[str, ...] = WRITERS.names()
MODES: tuple[str, ...] = ("numeric", "schematic")
#: Theme names (the palettes themselves live with the scene kit's theme module).
THEMES: tuple[str, ...] = ("light", "dark")

#: Post-friendly GIF defaults, used at quality ``"low"`` (see :meth:`RenderOptions.geometry`).
GIF_WIDTH = 854
GIF_FPS = 12.5
#: GIF delays are whole centiseconds and browsers slow delays under 2 cs down to 10 cs.
GIF_MAX_FPS = 50.0
VIDEO_MAX_FPS = 120.0
WIDTH_RANGE = (64, 7680)
#: A GIF larger than this (500 KB) is heavy for a post: the CLI says so and names lighter choices.
GIF_WARN_BYTES = 500 * 1024
STEP_TIME_RANGE = (0.05, 10.0)


def check_choice(param: str, value: object, allowed: tuple[str, ...]) -> str:
    """``value`` if it is one of ``allowed``; :class:`ConvMathError` (``param=param``) else."""
    if not isinstance(value, str) or value not in allowed:
        raise ConvMathError(
            f"{param}={value!r} is invalid: {param} must be one of {', '.join(allowed)}",
            param=param,
        )
    return value


def resolve_quality(quality: str) -> Quality:
    """The :class:`Quality` called ``quality`` (``low``/``medium``/``high``/``4k`` or
    ``l``/``m``/``h``/``k``).

    Raises
    ------
    ConvMathError
        ``param="quality"`` for an unknown name.
    """
    name = QUALITY_ALIASES.get(quality, quality) if isinstance(quality, str) else quality
    if name not in QUALITIES:
        raise ConvMathError(
            f"quality={quality!r} is invalid: quality must be one of "
            f"{', '.join(QUALITY_NAMES)} (or {', '.join(QUALITY_ALIASES)})", param="quality",
        )
    return QUALITIES[name]  # type: ignore[index]


def _is_real(value: object) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


def frame_size(width: int) -> tuple[int, int]:
    """``(width, height)`` for a pixel ``width``: both even (4:2:0 video needs it), the height
    following manim's 16:9 frame.

    Raises
    ------
    ConvMathError
        ``param="width"`` if ``width`` is not an integer in 64..7680.
    """
    lo, hi = WIDTH_RANGE
    if not isinstance(width, numbers.Integral) or isinstance(width, bool) or not (
        lo <= width <= hi
    ):
        raise ConvMathError(
            f"width={width!r} is invalid: width must be an integer in {lo}..{hi}", param="width"
        )
    w = int(width) // 2 * 2
    return w, max(2, round(w * 9 / 16 / 2) * 2)


def _check_fps(fps: object, fmt: str) -> float | None:
    if fps is None:
        return None
    limit = GIF_MAX_FPS if fmt == "gif" else VIDEO_MAX_FPS
    if not _is_real(fps):
        raise ConvMathError(f"fps={fps!r} is invalid: fps must be a number", param="fps")
    if not (math.isfinite(float(fps)) and 1 <= float(fps) <= limit):  # type: ignore[arg-type]
        raise ConvMathError(
            f"fps={fps!r} is invalid: fps must be a number in 1..{limit:g}"
            + (" for a GIF" if fmt == "gif" else ""), param="fps",
        )
    return float(fps)  # type: ignore[arg-type]


def _check_step_time(step_time: object) -> float:
    lo, hi = STEP_TIME_RANGE
    if not _is_real(step_time) or not (
        math.isfinite(float(step_time)) and lo <= float(step_time) <= hi  # type: ignore[arg-type]
    ):
        raise ConvMathError(
            f"step_time={step_time!r} is invalid: it must be a number of seconds in "
            f"{lo:g}..{hi:g}", param="step_time",
        )
    return float(step_time)  # type: ignore[arg-type]


def _check_frame(frame: object, fmt: str) -> None:
    if not WRITERS[fmt].vector:
        vector = ", ".join(n for n in WRITERS.names() if WRITERS[n].vector)
        raise ConvMathError(f"frame={frame!r} is invalid for the format {fmt}: a frame is chosen "
                            f"for the vector stills only ({vector})", param="frame")
    if not isinstance(frame, numbers.Integral) or isinstance(frame, bool) or frame < 0:
        raise ConvMathError(f"frame={frame!r} is invalid: frame must be an integer >= 0 "
                            "(0 is the preview)", param="frame")


@dataclass(frozen=True, slots=True)
class RenderOptions:
    """How to render: the look (``mode``, ``theme``, ``lang``, ``step_time``) and the file
    (``fmt``, ``quality``, ``fps``, ``width``), validated on construction.

    Attributes
    ----------
    mode : str
        One of :data:`MODES`.
    theme : str
        One of :data:`THEMES`.
    lang : str
        One of :data:`LANGS`.
    step_time : float
        Seconds per step, in :data:`STEP_TIME_RANGE`.
    fmt : str
        One of :data:`FORMATS`.
    quality : str
        A :data:`QUALITIES` name (aliases are resolved: ``"l"`` becomes ``"low"``).
    fps : float or None
        Frame rate override: 1..50 for a GIF, 1..120 for video; ``None`` = the quality's.
    width : int or None
        Pixel width override, 64..7680; ``None`` = the quality's.
    frame : int or None
        SVG and PDF only: the frame to draw, an integer >= 0; ``None`` = 0, the preview.

    Raises
    ------
    ConvMathError
        ``param`` = the field's name, quoting the value and what is allowed.
    """

    mode: str = "numeric"
    theme: str = "light"
    lang: str = "en"
    step_time: float = 1.0
    fmt: str = "gif"
    quality: str = DEFAULT_QUALITY
    fps: float | None = None
    width: int | None = None
    frame: int | None = None

    def __post_init__(self) -> None:
        put = object.__setattr__
        check_choice("mode", self.mode, MODES)
        check_choice("theme", self.theme, THEMES)
        check_choice("lang", self.lang, LANGS)
        check_choice("fmt", self.fmt, FORMATS)
        put(self, "quality", resolve_quality(self.quality).name)
        put(self, "fps", _check_fps(self.fps, self.fmt))
        if self.width is not None:
            frame_size(self.width)  # type: ignore[arg-type]
            put(self, "width", int(self.width))
        put(self, "step_time", _check_step_time(self.step_time))
        if self.frame is not None:
            _check_frame(self.frame, self.fmt)

    def geometry(self) -> tuple[int, int, float]:
        """``(width, height, fps)`` of the file.

        The quality gives pixel size and frame rate; ``width`` and ``fps`` override them. A GIF
        at quality ``"low"`` uses the post-friendly :data:`GIF_WIDTH` and :data:`GIF_FPS`, and a
        GIF's frame rate never exceeds :data:`GIF_MAX_FPS`.
        """
        q = QUALITIES[self.quality]
        gif_low = self.fmt == "gif" and q.name == "low"
        default_w, default_fps = (GIF_WIDTH, GIF_FPS) if gif_low else (q.width, q.fps)
        if self.fmt == "gif":
            default_fps = min(default_fps, GIF_MAX_FPS)
        w, h = frame_size(default_w if self.width is None else self.width)
        return w, h, float(default_fps if self.fps is None else self.fps)

    def scene_options(self) -> dict[str, Any]:
        """The keyword arguments a scene takes: ``mode``, ``theme``, ``lang``, ``step_time``."""
        return {"mode": self.mode, "theme": self.theme, "lang": self.lang,
                "step_time": self.step_time}

    def record(self) -> dict[str, Any]:
        """Every field as JSON-ready values (for the cache key and the sidecar)."""
        out = {"mode": self.mode, "theme": self.theme, "lang": self.lang,
               "step_time": self.step_time, "fmt": self.fmt, "quality": self.quality,
               "fps": self.fps, "width": self.width}
        return out if self.frame is None else out | {"frame": self.frame}


def output_geometry(fmt: str, quality: str = DEFAULT_QUALITY, fps: float | None = None,
                    width: int | None = None) -> tuple[int, int, float]:
    """``(width, height, fps)`` a render of ``fmt`` at ``quality`` uses (see
    :meth:`RenderOptions.geometry`).

    Raises
    ------
    ConvMathError
        Naming the bad ``fmt``, ``quality``, ``fps`` or ``width``.
    """
    return RenderOptions(fmt=fmt, quality=quality, fps=fps, width=width).geometry()
