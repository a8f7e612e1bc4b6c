"""`RenderInfo`: what a render wrote (light module: no manim, no PyAV, so cache hits stay fast)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

__all__ = ["RenderInfo"]


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
    """

    path: Path
    bytes: int
    frames: int
    duration: float
    width: int
    height: int
    fps: float
    cached: bool = False
