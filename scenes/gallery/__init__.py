"""``convanim gallery``: many renders from one TOML file, and a page to browse and copy from.

| module | owns |
| --- | --- |
| `model` | `GalleryEntry`, `EntryResult` |
| `load` | `load_gallery`: the TOML file, checked by the same parsers and validator as the CLI |
| `run` | `run_gallery`: parallel workers, each entry's true state; the shipped presets |
| `page` | `write_index`: `index.html` and `index.md`, escaped |
"""

from __future__ import annotations

from scenes.gallery.load import ENTRY_KEYS, GalleryFileError, load_gallery
from scenes.gallery.model import EntryResult, GalleryEntry
from scenes.gallery.page import write_index
from scenes.gallery.run import PRESETS, default_jobs, preset_path, run_gallery

__all__ = [
    "GalleryEntry", "EntryResult", "load_gallery", "GalleryFileError", "ENTRY_KEYS",
    "run_gallery", "write_index", "preset_path", "PRESETS", "default_jobs",
]
