"""convanim scenes: Manim views of the engine's data.

Importing this package does not import manim: the scene modules (``scenes.sliding``, …) do, and
:func:`scenes.render` imports them only when it renders. ``scenes.render(scene, spec, x, w,
**options)`` is the Python API for notebooks and scripts (see :mod:`scenes.pipeline.run`); it
returns a :class:`scenes.pipeline.info.RenderInfo`.
"""

from __future__ import annotations

import importlib
from typing import Any

from scenes import manim_boot

manim_boot.install()  # before any scene module imports manim (issue 20)

__all__ = ["render", "SCENE_NAMES"]


def __getattr__(name: str) -> Any:
    if name == "render":
        return importlib.import_module("scenes.pipeline.run").render
    if name == "SCENE_NAMES":
        return importlib.import_module("scenes.catalog").SCENE_NAMES
    raise AttributeError(f"module 'scenes' has no attribute {name!r}")
