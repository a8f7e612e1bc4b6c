"""`RenderInfo`: what a render wrote (light module: no manim, no PyAV, so cache hits stay fast).

It is usable as a path (``os.fspath(info)``, ``open(info)``, ``Path(info)``) and Jupyter shows
it inline (``_repr_mimebundle_``: the GIF, PNG or video itself, with its alt text), so
``scenes.render("sliding", spec)`` as the last line of a notebook cell shows the animation.
"""

from __future__ import annotations

import base64
import html
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = ["RenderInfo", "MIME_TYPES"]

#: Media types by file extension (the writers' ``mime``), for notebooks.
MIME_TYPES = {".gif": "image/gif", ".png": "image/png", ".mp4": "video/mp4",
              ".webm": "video/webm", ".svg": "image/svg+xml", ".pdf": "application/pdf"}
#: Files larger than this are shown by reference (their path), not embedded in the notebook.
_EMBED_LIMIT = 20 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class RenderInfo:
    """What a render wrote, as measured (and recorded in the cache's sidecar).

    Attributes
    ----------
    path : pathlib.Path
        The file.
    bytes : int
        Its size.
    frames : int
        Frames stored in it: GIF frames after merging identical ones, video frames, 1 for PNG.
    duration : float
        The animation's length in seconds (0 for PNG).
    width, height : int
        Pixel size.
    fps : float
        Frame rate the scene was rendered at.
    cached : bool
        True when an existing file was reused instead of rendered.
    alt : str
        The alt text (what the scene shows, in the render's language).
    poster : pathlib.Path or None
        For video: the preview frame as a PNG beside it (``<name>.poster.png``), written by the
        same render.
    """

    path: Path
    bytes: int
    frames: int
    duration: float
    width: int
    height: int
    fps: float
    cached: bool = False
    alt: str = ""
    poster: Path | None = None

    def __fspath__(self) -> str:
        return os.fspath(self.path)

    def __str__(self) -> str:
        return str(self.path)

    @property
    def mime(self) -> str:
        """The file's media type (``image/gif``, ``video/mp4``, …)."""
        return MIME_TYPES.get(self.path.suffix.lower(), "application/octet-stream")

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None
                          ) -> tuple[dict[str, Any], dict[str, Any]]:
        """Jupyter's rich display: the file itself (base64) with its alt text, or a link to it
        when it is too large to embed."""
        text = f"{self.path} ({self.bytes:,} bytes, {self.width}×{self.height} px)"
        try:
            data = None if self.bytes > _EMBED_LIMIT else self.path.read_bytes()
        except OSError:
            data = None
        alt = html.escape(self.alt, quote=True)
        size = f'width="{self.width}" height="{self.height}"'
        if data is None:
            src = html.escape(self.path.as_posix(), quote=True)
        else:
            src = f"data:{self.mime};base64,{base64.b64encode(data).decode('ascii')}"
        if self.mime.startswith("video/"):
            tag = (f'<video src="{src}" {size} controls loop muted playsinline autoplay '
                   f'aria-label="{alt}">{alt}</video>')
        else:
            tag = f'<img src="{src}" alt="{alt}" {size}>'
        bundle: dict[str, Any] = {"text/plain": text, "text/html": tag}
        meta: dict[str, Any] = {}
        if data is not None and self.mime in ("image/png", "image/gif"):
            bundle[self.mime] = base64.b64encode(data).decode("ascii")
            meta[self.mime] = {"width": self.width, "height": self.height, "alt": self.alt}
        return bundle, meta
