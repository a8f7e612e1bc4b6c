"""The render pipeline: a request in, one file out, cached and written atomically.

* ``options``: the options' vocabulary (formats, qualities and aliases, modes, themes,
  languages), declared once, and ``RenderOptions``, their one validator.
* ``request``: ``RenderRequest`` (scene, inputs, options, checked output path), the size bound,
  the format from the extension.
* ``naming``: default file names.
* ``writers``: the writer registry (gif, mp4, webm, png registered by name).
* ``gifout``: the encoders behind the writers (GIF palette pipeline, H.264, VP9).
* ``frames``: manim glue; ``render_to_file`` streams a scene's frames into a writer.
* ``cache``: sidecars with content hashes; the digest of the sources a scene depends on.
* ``files``: per-user state folders, random temporary names, atomic replace, locks (filelock).
* ``snippets``: Markdown and HTML embeds, escaped.
* ``info``: ``RenderInfo`` (a path-like, shown inline by Jupyter).
* ``run``: ``render()`` / ``render_info()``, the Python API (``scenes.render``).
* ``errors``: ``OutputError``, ``RenderError``, ``BusyError``, ``StateError`` (with exit codes).

Importing this package imports nothing heavy (no manim, no PyAV): names load on first use.
"""

from __future__ import annotations

import importlib
from typing import Any

__all__ = [
    "render", "render_info", "render_request", "RenderRequest", "RenderOptions", "RenderInfo",
    "RenderError", "OutputError", "BusyError", "StateError", "PipelineError", "read_info",
    "WRITERS",
]

_WHERE = {
    "render": "run", "render_info": "run", "render_request": "run",
    "RenderRequest": "request", "RenderOptions": "options", "RenderInfo": "info",
    "RenderError": "errors", "OutputError": "errors", "BusyError": "errors",
    "StateError": "errors", "PipelineError": "errors", "read_info": "cache",
    "WRITERS": "writers",
}


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        return getattr(importlib.import_module(f"scenes.pipeline.{_WHERE[name]}"), name)
    raise AttributeError(f"module 'scenes.pipeline' has no attribute {name!r}")
