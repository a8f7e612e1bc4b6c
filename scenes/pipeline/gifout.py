"""Frame sinks that encode a stream of RGB(A) frames: our GIF writer and an MP4/WebM writer.

:mod:`scenes.pipeline.frames` hooks manim's frame stream (``write_frame(pixels, repeat=n)``) into
one of these sinks, so frames are encoded as they are drawn and nothing holds the whole animation.

GIF (:class:`GifWriter`), two passes over a lossless intermediate:

1. Every *changed* frame (identical consecutive frames are merged, their repeat counts added) is
   fed to FFmpeg's ``palettegen`` filter, which keeps a colour histogram, not frames, and kept
   losslessly in a temporary file as the rectangle that changed since the previous frame,
   zlib-compressed (:class:`_RectStore`; a frame of an animation changes in a few per cent of
   its area, so this costs a tenth of encoding whole frames with a lossless video codec).
2. The palette — 255 colours for the whole animation plus a transparent index, with the theme's
   colours written in exactly — maps each rebuilt frame with ``paletteuse`` (no dithering by
   default; only the changed rectangle is re-mapped), frames that quantise identically are merged
   again, and FFmpeg's GIF encoder stores only the changed rectangle of each frame, unchanged
   pixels inside it transparent. The muxer writes centisecond delays and the loop flag.

Memory stays flat in the animation's length: the writer holds the previous frame, one list entry
per distinct frame, and the encoders' small fixed buffers. Colour quantisation and GIF encoding
use PyAV's bundled FFmpeg, compression the standard library's zlib.
"""

from __future__ import annotations

import contextlib
import math
import queue
import shutil
import struct
import threading
import zlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Protocol

import av
import numpy as np
from numpy.typing import NDArray

from scenes.pipeline.files import temp_folder_name
from scenes.pipeline.options import GIF_MAX_FPS

__all__ = [
    "FrameSink",
    "GifWriter",
    "GifStats",
    "VideoWriter",
    "ThreadedSink",
    "VideoSettings",
    "VIDEO_SETTINGS",
    "DITHERS",
    "GIF_MAX_FPS",
    "MAX_KEEP_COLORS",
    "parse_color",
]

#: Dither modes of FFmpeg's ``paletteuse`` we allow (``"none"`` is the default: flat colours).
DITHERS: tuple[str, ...] = ("none", "bayer", "floyd_steinberg", "sierra2", "sierra2_4a")
#: Palette slots that may be reserved for exact colours (the rest are generated).
MAX_KEEP_COLORS = 64
_CS = Fraction(1, 100)


class FrameSink(Protocol):
    """What :mod:`scenes.pipeline.writers` feed frames into.

    ``write_frame`` takes ownership of a top-left-origin ``uint8`` array of shape
    ``(height, width, 3 or 4)`` (RGB or RGBA, alpha ignored) shown for ``repeat`` frame periods.
    ``close`` finishes the file; ``abort`` discards it.
    """

    frames_in: int

    def write_frame(self, pixels: NDArray[np.uint8], repeat: int = 1) -> None: ...

    def close(self) -> object: ...

    def abort(self) -> None: ...


def parse_color(color: str | Sequence[int]) -> tuple[int, int, int]:
    """``"#RRGGBB"`` or an ``(r, g, b)`` triple of 0–255 integers → ``(r, g, b)``.

    Raises
    ------
    ValueError
        Naming the colour when it is neither.
    """
    if isinstance(color, str):
        c = color.strip().lstrip("#")
        if len(c) == 6:
            with contextlib.suppress(ValueError):
                return (int(c[0:2], 16), int(c[2:4], 16), int(c[4:6], 16))
    elif len(color) == 3 and all(isinstance(v, int | np.integer) and 0 <= v <= 255 for v in color):
        return (int(color[0]), int(color[1]), int(color[2]))
    raise ValueError(
        f"keep_colors entry {color!r} is invalid: expected '#RRGGBB' or (r, g, b) in 0..255"
    )


def _check_frame(pixels: NDArray[np.uint8], width: int, height: int, repeat: int) -> None:
    if isinstance(repeat, bool) or not isinstance(repeat, int | np.integer) or repeat < 1:
        raise ValueError(f"repeat={repeat!r} is invalid: repeat must be an integer >= 1")
    if (
        not isinstance(pixels, np.ndarray)
        or pixels.dtype != np.uint8
        or pixels.ndim != 3
        or pixels.shape[:2] != (height, width)
        or pixels.shape[2] not in (3, 4)
    ):
        shape = getattr(pixels, "shape", None)
        raise ValueError(
            f"frame of shape {shape} is invalid: expected uint8 ({height}, {width}, 3 or 4)"
        )


def _to_frame(pixels: NDArray[np.uint8]) -> av.VideoFrame:
    return av.VideoFrame.from_ndarray(
        np.ascontiguousarray(pixels), format="rgba" if pixels.shape[2] == 4 else "rgb24"
    )


def _changed_box(a: NDArray[np.uint8], b: NDArray[np.uint8]) -> tuple[int, int, int, int] | None:
    """``(y0, y1, x0, x1)``: the smallest rectangle outside which frames ``a`` and ``b`` (same
    shape) are identical, ``None`` when they are identical everywhere."""
    if a.shape[2] == 4 and a.flags.c_contiguous and b.flags.c_contiguous:
        diff = a.view(np.uint32)[:, :, 0] != b.view(np.uint32)[:, :, 0]
    else:
        diff = (a != b).any(axis=2)
    rows = np.flatnonzero(diff.any(axis=1))
    if not len(rows):
        return None
    y0, y1 = int(rows[0]), int(rows[-1]) + 1
    cols = np.flatnonzero(diff[y0:y1].any(axis=0))
    return y0, y1, int(cols[0]), int(cols[-1]) + 1


class _RectStore:
    """The GIF writer's lossless intermediate: each distinct frame's RGB pixels inside the
    rectangle that changed since the previous frame, zlib-compressed, appended to a file.

    A record is a header (first frame period, ``y0, y1, x0, x1``, compressed length) and the
    rectangle's bytes; :meth:`frames` reads the records back in order and rebuilds every frame.
    Alpha is dropped (a GIF frame is opaque; transparency comes from the quantiser)."""

    _HEAD = struct.Struct("<qIIIII")

    def __init__(self, path: Path, width: int, height: int) -> None:
        self.path, self.width, self.height = path, width, height
        self._file = open(path, "xb")  # noqa: SIM115 (closed by close)

    def append(self, start: int, pixels: NDArray[np.uint8],
               box: tuple[int, int, int, int]) -> None:
        y0, y1, x0, x1 = box
        rect = zlib.compress(np.ascontiguousarray(pixels[y0:y1, x0:x1, :3]), 1)
        self._file.write(self._HEAD.pack(start, y0, y1, x0, x1, len(rect)))
        self._file.write(rect)

    def close(self) -> None:
        """Done appending (the file is closed, ready for :meth:`frames`)."""
        self._file.close()

    def frames(self) -> Iterator[tuple[int, NDArray[np.uint8]]]:
        """``(first frame period, RGB frame)`` of every record, in order (the array is reused:
        copy it before the next one is read)."""
        canvas = np.zeros((self.height, self.width, 3), np.uint8)
        head = self._HEAD
        with open(self.path, "rb") as f:
            while raw := f.read(head.size):
                start, y0, y1, x0, x1, n = head.unpack(raw)
                rect = np.frombuffer(zlib.decompress(f.read(n)), np.uint8)
                canvas[y0:y1, x0:x1] = rect.reshape(y1 - y0, x1 - x0, 3)
                yield start, canvas


def _drain(sink: av.filter.context.FilterContext) -> list[av.VideoFrame]:
    out: list[av.VideoFrame] = []
    while True:
        try:
            out.append(sink.pull())
        except (av.error.BlockingIOError, av.error.EOFError):
            return out


@dataclass(frozen=True, slots=True)
class GifStats:
    """What :meth:`GifWriter.close` wrote.

    Attributes
    ----------
    path : pathlib.Path
        The GIF.
    frames_in : int
        Frame periods received (the animation's length in frames, repeats included).
    frames : int
        GIF frames stored after merging identical consecutive frames.
    duration_cs : int
        The delays' sum in centiseconds: ``frames_in / fps`` seconds, rounded.
    palette : tuple of (r, g, b)
        The opaque palette entries.
    psnr : float or None
        PSNR in dB of the quantised frames against the lossless ones, weighted by display time
        (``inf`` when identical); ``None`` unless ``measure_psnr`` was asked.
    """

    path: Path
    frames_in: int
    frames: int
    duration_cs: int
    palette: tuple[tuple[int, int, int], ...]
    psnr: float | None


class _GifMux:
    """Muxes quantised frames into the GIF, merging frames identical after quantisation, and
    keeps the squared error against the lossless frames (for :attr:`GifStats.psnr`)."""

    def __init__(self, gif: GifWriter, out: av.container.OutputContainer) -> None:
        self.gif, self.out = gif, out
        self.stream = out.add_stream("gif", rate=Fraction(100, 1))
        self.stream.width, self.stream.height = gif.width, gif.height
        self.stream.pix_fmt = "pal8"
        self.stream.time_base = _CS
        self.stream.codec_context.time_base = _CS
        self.last = gif._distinct - 1
        self.starts: dict[int, tuple[int, av.VideoFrame]] = {}  # inside paletteuse (1 or 2)
        self.pending: tuple[av.VideoFrame, NDArray[np.uint8], int] | None = None
        self.kept = 0
        self.sq_err, self.err_prev, self.start_prev = 0.0, 0.0, 0

    def emit(self, q: av.VideoFrame, start: int, end: int) -> None:
        cs = self.gif._cs
        q.pts = cs(start)
        q.time_base = _CS
        q.duration = cs(end) - cs(start)
        for packet in self.stream.encode(q):
            self.out.mux(packet)
        self.kept += 1

    def take(self, q: av.VideoFrame) -> None:
        i = int(q.pts)
        start, decoded = self.starts.pop(i)
        if self.gif.measure_psnr:
            self.sq_err += self.err_prev * (start - self.start_prev)
            a = decoded.to_ndarray(format="rgb24").astype(np.int32)
            b = q.to_ndarray(format="rgb24").astype(np.int32)
            self.err_prev, self.start_prev = float(np.mean((a - b) ** 2)), start
        index = q.to_ndarray()
        if isinstance(index, tuple):  # pal8 gives (indices, palette)
            index = index[0]
        pending = self.pending
        if pending is not None and i != self.last and np.array_equal(index, pending[1]):
            return  # identical after quantisation: the kept frame lasts longer
        if pending is not None:
            self.emit(pending[0], pending[2], start)
        self.pending = (q, index, start)

    def finish(self) -> None:
        pending = self.pending
        if self.starts or pending is None or pending[2] != self.gif._last_start:
            raise RuntimeError("the intermediate and the quantised frames disagree")
        self.emit(pending[0], pending[2], self.gif.frames_in)
        for packet in self.stream.encode():
            self.out.mux(packet)

    def psnr(self) -> float | None:
        if not self.gif.measure_psnr:
            return None
        frames = self.gif.frames_in
        mse = (self.sq_err + self.err_prev * (frames - self.start_prev)) / frames
        return math.inf if mse == 0 else 10 * math.log10(255**2 / mse)


class GifWriter:
    """Stream frames into one looping, palette-optimised GIF at ``path``.

    Parameters
    ----------
    path
        The file to write (written by :meth:`close`; removed if the writer fails or is aborted).
    width, height
        Frame size in pixels.
    fps
        Frame periods per second of the incoming stream (``0 < fps <= 50``: GIF delays are whole
        centiseconds and browsers slow anything under 2 cs down).
    keep_colors
        Colours (``"#RRGGBB"`` or ``(r, g, b)``) that get a palette entry of their own, so flat
        areas of those colours stay exact (at most :data:`MAX_KEEP_COLORS`).
    dither
        One of :data:`DITHERS`; ``"none"`` keeps flat areas flat and files small.
    loop
        ``0`` loops forever, ``n > 0`` plays ``n + 1`` times, ``None`` plays once (no loop block).
    max_colors
        Opaque palette size (2–255) before the kept colours are added.
    workdir
        Where the temporary directory for the intermediate goes (default: the system's).
    measure_psnr
        Also compute the quantisation PSNR (costs a colour conversion per frame).

    Notes
    -----
    ``write_frame`` keeps a reference to the last distinct frame: the caller must not modify an
    array after passing it.
    """

    def __init__(
        self,
        path: Path,
        width: int,
        height: int,
        fps: float,
        *,
        keep_colors: Iterable[str | Sequence[int]] = (),
        dither: str = "none",
        loop: int | None = 0,
        max_colors: int = 255,
        workdir: Path | None = None,
        measure_psnr: bool = False,
    ) -> None:
        if not (isinstance(width, int) and isinstance(height, int) and width > 0 and height > 0):
            raise ValueError(f"size={width}x{height} is invalid: width and height must be > 0")
        if not (isinstance(fps, int | float) and 0 < fps <= GIF_MAX_FPS and math.isfinite(fps)):
            raise ValueError(f"fps={fps!r} is invalid: a GIF needs 0 < fps <= {GIF_MAX_FPS:g}")
        if dither not in DITHERS:
            raise ValueError(f"dither={dither!r} is invalid: dither must be one of {DITHERS}")
        if loop is not None and (not isinstance(loop, int) or loop < 0):
            raise ValueError(f"loop={loop!r} is invalid: loop must be None or an integer >= 0")
        keep = list(dict.fromkeys(parse_color(c) for c in keep_colors))
        if len(keep) > MAX_KEEP_COLORS:
            raise ValueError(
                f"keep_colors has {len(keep)} colours: at most {MAX_KEEP_COLORS} are allowed"
            )
        if not (isinstance(max_colors, int) and 2 <= max_colors <= 255):
            raise ValueError(f"max_colors={max_colors!r} is invalid: it must be in 2..255")
        self.path = Path(path)
        self.width, self.height, self.fps = width, height, float(fps)
        self.keep = keep
        self.dither = dither
        self.loop = loop
        self.measure_psnr = measure_psnr
        self.frames_in = 0
        # Generated colours + kept colours + 1 transparent index fit in 256 entries.
        self._generated = min(max_colors, 255 - len(keep))
        self._distinct = 0  # distinct frames written to the intermediate
        self._last_start = 0  # first frame period of the last distinct frame
        self._prev: NDArray[np.uint8] | None = None
        self._closed = False
        self._tmp = temp_folder_name("convanim-gif-", workdir)
        try:
            self._tmp.mkdir(mode=0o700)
            self._inter = _RectStore(self._tmp / "frames.rects", width, height)
            self._pg_graph: av.filter.Graph | None = None
            self._pg_src: av.filter.context.FilterContext | None = None
            self._pg_sink: av.filter.context.FilterContext | None = None
        except BaseException:
            shutil.rmtree(self._tmp, ignore_errors=True)
            raise

    # --- pass 1 ----------------------------------------------------------------------------------

    def _palettegen(self, fmt: str) -> None:
        graph = av.filter.Graph()
        src = graph.add_buffer(width=self.width, height=self.height, format=fmt, time_base=_CS)
        # palettegen counts the reserved transparent slot in max_colors.
        gen = graph.add(
            "palettegen", f"max_colors={self._generated + 1}:reserve_transparent=1:stats_mode=full"
        )
        sink = graph.add("buffersink")
        src.link_to(gen)
        gen.link_to(sink)
        graph.configure()
        self._pg_graph, self._pg_src, self._pg_sink = graph, src, sink

    def write_frame(self, pixels: NDArray[np.uint8], repeat: int = 1) -> None:
        """Add ``pixels`` shown for ``repeat`` frame periods (merged into the previous frame when
        identical)."""
        if self._closed:
            raise RuntimeError("GifWriter is closed")
        _check_frame(pixels, self.width, self.height, repeat)
        prev = self._prev
        box: tuple[int, int, int, int] | None = (0, self.height, 0, self.width)
        if prev is not None and prev.shape == pixels.shape:
            box = _changed_box(prev, pixels)
            if box is None:  # identical: the previous frame lasts longer
                self.frames_in += int(repeat)
                return
        frame = _to_frame(pixels)
        # palettegen's input is timed by the frame's first period (pts).
        frame.pts = self.frames_in
        frame.time_base = Fraction(1, 1)
        if self._pg_src is None:
            self._palettegen(frame.format.name)
        assert self._pg_src is not None and self._pg_sink is not None
        self._pg_src.push(frame)
        # libavfilter runs filters only when asked for output: without this pull every pushed
        # frame would wait in the graph until the end (memory growing with length).
        # palettegen returns nothing before EOF, so the pull just makes it consume the frame.
        if _drain(self._pg_sink):
            raise RuntimeError("palettegen returned a palette before the end")
        self._inter.append(self.frames_in, pixels, box)
        self._last_start = self.frames_in
        self._distinct += 1
        self.frames_in += int(repeat)
        self._prev = pixels

    # --- pass 2 ----------------------------------------------------------------------------------

    def _palette_frame(self) -> tuple[av.VideoFrame, tuple[tuple[int, int, int], ...]]:
        assert self._pg_src is not None and self._pg_sink is not None
        self._pg_src.push(None)
        frames = _drain(self._pg_sink)
        if not frames:
            raise RuntimeError("palettegen produced no palette")
        pal = frames[-1]
        fmt = pal.format.name  # "bgra" on little-endian machines (FFmpeg's RGB32)
        entries = pal.to_ndarray().reshape(256, 4).copy()
        order = {"bgra": (2, 1, 0), "rgba": (0, 1, 2), "argb": (1, 2, 3), "abgr": (3, 2, 1)}
        alpha = {"bgra": 3, "rgba": 3, "argb": 0, "abgr": 0}
        if fmt not in order:
            raise RuntimeError(f"unexpected palette format {fmt}")
        ri, gi, bi = order[fmt]
        ai = alpha[fmt]
        opaque = entries[:, ai] == 255
        n_gen = int(np.count_nonzero(opaque[: self._generated]))
        for k, (r, g, b) in enumerate(self.keep):
            row = entries[n_gen + k]
            row[ri], row[gi], row[bi], row[ai] = r, g, b, 255
        used = n_gen + len(self.keep)
        # Fill unused slots with a copy of entry 0 (never preferred over it); keep the
        # transparent entry where palettegen put it (the last one).
        for i in range(used, 255):
            entries[i] = entries[0]
        new = av.VideoFrame.from_ndarray(entries.reshape(16, 16, 4), format=fmt)
        new.pts = 0
        new.time_base = _CS
        rgb = tuple(
            (int(e[ri]), int(e[gi]), int(e[bi])) for e in entries[:used] if e[ai] == 255
        )
        return new, rgb

    def _cs(self, n: int) -> int:
        """Frame period ``n`` → centiseconds (rounding boundaries, so delays sum exactly)."""
        return round(n * 100 / self.fps)

    def close(self) -> GifStats:
        """Quantise and write the GIF; remove the temporary files. Returns :class:`GifStats`."""
        if self._closed:
            raise RuntimeError("GifWriter is closed")
        self._closed = True
        try:
            if not self._distinct:
                raise RuntimeError("no frames were written")
            self._inter.close()
            palette, rgb = self._palette_frame()
            self._pg_graph = self._pg_src = self._pg_sink = None
            self._prev = None
            stats = self._encode(palette, rgb)
        except BaseException:
            with contextlib.suppress(OSError):
                self.path.unlink(missing_ok=True)
            raise
        finally:
            self._cleanup()
        return stats

    def _encode(
        self, palette: av.VideoFrame, rgb: tuple[tuple[int, int, int], ...]
    ) -> GifStats:
        # The muxer writes the last frame's delay from this option when it finishes; the last
        # frame is therefore never merged after quantisation, so its delay is known now.
        final = self._cs(self.frames_in) - self._cs(self._last_start)
        options = {"final_delay": str(final), "loop": "-1" if self.loop is None else str(self.loop)}
        src: av.filter.context.FilterContext | None = None
        sink: av.filter.context.FilterContext | None = None
        with av.open(str(self.path), "w", format="gif", options=options) as out:
            mux = _GifMux(self, out)
            for i, (start, rgb) in enumerate(self._inter.frames()):
                decoded = av.VideoFrame.from_ndarray(rgb, format="rgb24")  # a copy
                if src is None:
                    src, sink = self._paletteuse(decoded, palette)
                decoded.pts = i
                decoded.time_base = _CS
                mux.starts[i] = (start, decoded)
                src.push(decoded)
                assert sink is not None
                for q in _drain(sink):
                    mux.take(q)
            if src is None or sink is None:
                raise RuntimeError("the intermediate file holds no frames")
            src.push(None)
            for q in _drain(sink):
                mux.take(q)
            mux.finish()
        self._graph = None
        return GifStats(
            path=self.path, frames_in=self.frames_in, frames=mux.kept,
            duration_cs=self._cs(self.frames_in), palette=rgb, psnr=mux.psnr(),
        )

    def _paletteuse(self, first: av.VideoFrame, palette: av.VideoFrame
                    ) -> tuple[av.filter.context.FilterContext, av.filter.context.FilterContext]:
        """The ``paletteuse`` filter graph (frames in, the palette pushed once): source, sink."""
        graph = av.filter.Graph()
        src = graph.add_buffer(width=self.width, height=self.height, format=first.format.name,
                               time_base=_CS)
        pal_src = graph.add_buffer(width=16, height=16, format=palette.format.name, time_base=_CS)
        use = graph.add("paletteuse", f"dither={self.dither}:diff_mode=rectangle:new=0")
        sink = graph.add("buffersink")
        src.link_to(use, 0, 0)
        pal_src.link_to(use, 0, 1)
        use.link_to(sink)
        graph.configure()
        pal_src.push(palette)
        pal_src.push(None)
        self._graph = graph  # the filter contexts need their graph alive (PyAV frees it)
        return src, sink

    def abort(self) -> None:
        """Discard everything: no GIF, no temporary files."""
        self._closed = True
        with contextlib.suppress(Exception):
            self._inter.close()
        self._cleanup()
        with contextlib.suppress(OSError):
            self.path.unlink(missing_ok=True)

    def _cleanup(self) -> None:
        self._pg_graph = self._pg_src = self._pg_sink = None
        self._prev = None
        shutil.rmtree(self._tmp, ignore_errors=True)

    def __enter__(self) -> GifWriter:
        return self

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        if exc_type is not None:
            self.abort()
        elif not self._closed:
            self.close()


# --- MP4 / WebM ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class VideoSettings:
    """Encoder settings of one format at one quality.

    Attributes
    ----------
    codec : str
        FFmpeg encoder name.
    options : tuple of (str, str)
        Encoder options.
    """

    codec: str
    options: tuple[tuple[str, str], ...]


#: Encoder settings per (format, quality), measured on the default A1 scene (480p15, 197 frames):
#: x264 ``veryfast`` was 2.6x faster than ``medium`` and no larger (245 vs 252 KB at crf 23;
#: ``tune=animation`` only made files bigger); VP9 ``deadline=good`` took 17 s where
#: ``realtime`` with ``cpu-used`` 6 took 1.9 s for 9 % more bytes; ``lag-in-frames=0`` (no
#: look-ahead queue) changed nothing in size and halves libvpx's memory at 4K;
#: ``tune-content=screen`` (flat synthetic pictures) gave 9 % smaller files, faster.
VIDEO_SETTINGS: dict[tuple[str, str], VideoSettings] = {
    ("mp4", "low"): VideoSettings("libx264", (("crf", "23"), ("preset", "veryfast"))),
    ("mp4", "medium"): VideoSettings("libx264", (("crf", "23"), ("preset", "veryfast"))),
    ("mp4", "high"): VideoSettings("libx264", (("crf", "23"), ("preset", "veryfast"))),
    # No B-frames at 4K: x264's reordering buffers cost ~210 MB of the 1 GB budget there.
    ("mp4", "4k"): VideoSettings(
        "libx264", (("crf", "24"), ("preset", "superfast"), ("bf", "0"))
    ),
    ("webm", "low"): VideoSettings(
        "libvpx-vp9",
        (("crf", "32"), ("b:v", "0"), ("deadline", "realtime"), ("cpu-used", "6"),
         ("row-mt", "1"), ("lag-in-frames", "0"), ("tune-content", "screen")),
    ),
    ("webm", "medium"): VideoSettings(
        "libvpx-vp9",
        (("crf", "32"), ("b:v", "0"), ("deadline", "realtime"), ("cpu-used", "7"),
         ("row-mt", "1"), ("lag-in-frames", "0"), ("tune-content", "screen")),
    ),
    ("webm", "high"): VideoSettings(
        "libvpx-vp9",
        (("crf", "33"), ("b:v", "0"), ("deadline", "realtime"), ("cpu-used", "8"),
         ("row-mt", "1"), ("lag-in-frames", "0"), ("tune-content", "screen")),
    ),
    ("webm", "4k"): VideoSettings(
        "libvpx-vp9",
        (("crf", "34"), ("b:v", "0"), ("deadline", "realtime"), ("cpu-used", "8"),
         ("row-mt", "1"), ("lag-in-frames", "0"), ("tune-content", "screen")),
    ),
}


class VideoWriter:
    """Stream frames into a web-compatible MP4 (H.264) or WebM (VP9) at ``path``.

    Frames are converted to ``yuv420p`` with the BT.709 matrix (limited range) and tagged so;
    MP4 files get ``+faststart`` (the index first, so playback starts before the download ends).

    Parameters
    ----------
    path
        The file to write; removed if the writer fails or is aborted.
    fmt
        ``"mp4"`` or ``"webm"``.
    width, height
        Frame size (even numbers: 4:2:0 chroma needs them).
    fps
        Frames per second.
    settings
        Encoder and options (see :data:`VIDEO_SETTINGS`).
    """

    def __init__(
        self, path: Path, fmt: str, width: int, height: int, fps: float, settings: VideoSettings
    ) -> None:
        if fmt not in ("mp4", "webm"):
            raise ValueError(f"fmt={fmt!r} is invalid: VideoWriter writes 'mp4' or 'webm'")
        if width % 2 or height % 2 or width <= 0 or height <= 0:
            raise ValueError(f"size={width}x{height} is invalid: yuv420p needs even sizes > 0")
        if not (fps > 0 and math.isfinite(fps)):
            raise ValueError(f"fps={fps!r} is invalid: fps must be > 0")
        self.path = Path(path)
        self.fmt = fmt
        self.width, self.height, self.fps = width, height, float(fps)
        self.frames_in = 0
        self._closed = False
        rate = Fraction(fps).limit_denominator(1001)
        self._time_base = 1 / rate
        container_options = {"movflags": "+faststart"} if fmt == "mp4" else {}
        self._out = av.open(str(self.path), "w", format=fmt, options=container_options)
        try:
            stream = self._out.add_stream(settings.codec, rate=rate, options=dict(settings.options))
            stream.width, stream.height, stream.pix_fmt = width, height, "yuv420p"
            cc = stream.codec_context
            cc.colorspace = 1  # AVCOL_SPC_BT709
            cc.color_primaries = 1  # AVCOL_PRI_BT709
            cc.color_trc = 1  # AVCOL_TRC_BT709
            cc.color_range = 1  # AVCOL_RANGE_MPEG (limited)
            if settings.codec == "libvpx-vp9":
                cc.thread_count = 2
            self._stream = stream
        except BaseException:
            self.abort()
            raise

    def prepare(self, pixels: NDArray[np.uint8]) -> av.VideoFrame:
        """Check ``pixels`` and convert them to the encoder's ``yuv420p`` frame (BT.709).

        :class:`ThreadedSink` calls this in the drawing thread, so only the smaller converted
        frame waits in its queue."""
        if self._closed:
            raise RuntimeError("VideoWriter is closed")
        _check_frame(pixels, self.width, self.height, 1)
        # Wrap the array without copying (33 MB at 4K) and convert straight into a new frame.
        rgb = np.ascontiguousarray(pixels)
        wrapped = av.VideoFrame.from_numpy_buffer(
            rgb, format="rgba" if rgb.shape[2] == 4 else "rgb24"
        )
        frame = wrapped.reformat(format="yuv420p", dst_colorspace="ITU709", dst_color_range="MPEG")
        del wrapped
        frame.colorspace = 1
        frame.color_range = 1
        return frame

    def write_prepared(self, frame: av.VideoFrame, repeat: int = 1) -> None:
        """Encode a frame from :meth:`prepare` for ``repeat`` consecutive frames."""
        if self._closed:
            raise RuntimeError("VideoWriter is closed")
        if isinstance(repeat, bool) or not isinstance(repeat, int | np.integer) or repeat < 1:
            raise ValueError(f"repeat={repeat!r} is invalid: repeat must be an integer >= 1")
        for _ in range(int(repeat)):
            frame.pts = self.frames_in
            frame.time_base = self._time_base
            self.frames_in += 1
            for packet in self._stream.encode(frame):
                self._out.mux(packet)

    def write_frame(self, pixels: NDArray[np.uint8], repeat: int = 1) -> None:
        """Encode ``pixels`` for ``repeat`` consecutive frames."""
        self.write_prepared(self.prepare(pixels), repeat)

    def close(self) -> Path:
        """Flush the encoder and finish the file."""
        if self._closed:
            raise RuntimeError("VideoWriter is closed")
        try:
            if not self.frames_in:
                raise RuntimeError("no frames were written")
            for packet in self._stream.encode():
                self._out.mux(packet)
            self._out.close()
            self._closed = True
        except BaseException:
            self.abort()
            raise
        return self.path

    def abort(self) -> None:
        """Discard the file."""
        self._closed = True
        with contextlib.suppress(Exception):
            self._out.close()
        with contextlib.suppress(OSError):
            self.path.unlink(missing_ok=True)


class ThreadedSink:
    """Run another sink's ``write_frame`` on a worker thread, so encoding overlaps drawing.

    At most ``queue_size`` frames wait in the queue (memory stays bounded); a sink with
    ``prepare``/``write_prepared`` (:class:`VideoWriter`) gets its frames converted in the calling
    thread. An encoder error is raised by the next ``write_frame`` or by ``close``.

    Parameters
    ----------
    sink
        A :class:`GifWriter` or :class:`VideoWriter`.
    queue_size
        Frames that may wait for the encoder; default: as many as fit in 64 MiB (1 to 4).
    """

    def __init__(self, sink: GifWriter | VideoWriter, queue_size: int | None = None) -> None:
        if queue_size is None:
            frame_bytes = sink.width * sink.height * 4
            queue_size = max(1, min(4, (64 << 20) // frame_bytes))
        self.sink = sink
        self._queue: queue.Queue[tuple[object, int] | None] = queue.Queue(queue_size)
        self._prepare = getattr(sink, "prepare", None)
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._work, name="convanim-encoder", daemon=True)
        self._thread.start()

    @property
    def frames_in(self) -> int:
        return self.sink.frames_in

    def _work(self) -> None:
        while (item := self._queue.get()) is not None:
            if self._error is None:
                try:
                    if self._prepare is not None:
                        self.sink.write_prepared(*item)  # type: ignore[union-attr]
                    else:
                        self.sink.write_frame(*item)  # type: ignore[arg-type]
                except BaseException as exc:  # re-raised in the caller's thread
                    self._error = exc

    def write_frame(self, pixels: NDArray[np.uint8], repeat: int = 1) -> None:
        """Queue a frame (blocks while the queue is full)."""
        if self._error is not None:
            raise self._error
        # A video frame is converted here, so the queue holds yuv420p frames (a third of RGBA).
        item = pixels if self._prepare is None else self._prepare(pixels)
        self._queue.put((item, repeat))

    def _join(self) -> None:
        if self._thread.is_alive():
            self._queue.put(None)
            self._thread.join()

    def close(self) -> object:
        """Wait for the queued frames, then close the sink."""
        self._join()
        if self._error is not None:
            self.sink.abort()
            raise self._error
        return self.sink.close()

    def abort(self) -> None:
        """Drop queued frames and abort the sink."""
        self._error = self._error or RuntimeError("aborted")
        with contextlib.suppress(queue.Empty):
            while True:
                self._queue.get_nowait()
        self._join()
        self.sink.abort()
