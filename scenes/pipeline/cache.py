"""The whole-output cache: a sidecar ``.<name>.json`` beside each file, and the digest of the
sources that draw it.

A sidecar records the request's key (:meth:`scenes.pipeline.request.RenderRequest.key`), the
file's measurements and the SHA-256 of its bytes; a file is reused only when the key matches
and the file's size and hash are still the recorded ones (an edited, truncated or swapped file
is rendered again).

:func:`source_digest` hashes the convanim modules a scene's pixels depend on, found
automatically: the scene's module, the modules that turn frames into files, and everything they
import from ``convmath`` and ``scenes`` (transitively, read from their ``import`` statements), so
editing a scene invalidates its own files and only those, and a new module is covered the
moment something imports it.
"""

from __future__ import annotations

import ast
import hashlib
import json
import os
from dataclasses import asdict, replace
from importlib import metadata
from pathlib import Path
from typing import Any

from scenes.pipeline.files import write_atomic
from scenes.pipeline.info import RenderInfo

__all__ = [
    "SOURCE_ROOT",
    "PIXEL_MODULES",
    "source_modules",
    "source_digest",
    "version",
    "sidecar_path",
    "read_info",
    "cache_hit",
    "write_sidecar",
    "file_sha256",
    "read_record",
]

#: The folder holding the ``convmath`` and ``scenes`` packages.
SOURCE_ROOT = Path(__file__).resolve().parents[2]
#: Modules every render's pixels go through besides the scene's own (frames, writers, encoders).
PIXEL_MODULES: tuple[str, ...] = (
    "scenes.pipeline.frames", "scenes.pipeline.writers", "scenes.pipeline.gifout",
)
_PACKAGES = frozenset({"convmath", "scenes"})
_SIDECAR_VERSION = 2
_MAX_SIDECAR_BYTES = 1_000_000
_SOURCE_DIGESTS: dict[str, str] = {}


def _module_file(name: str, root: Path) -> Path | None:
    base = root.joinpath(*name.split("."))
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def _imports(name: str, path: Path) -> set[str]:
    """Module names ``path`` (module ``name``) imports, relative imports resolved."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    tree = ast.parse(path.read_bytes(), filename=str(path))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                parts = package.split(".")
                base = ".".join(parts[: len(parts) - node.level + 1])
                module = f"{base}.{node.module}" if node.module else base
            else:
                module = node.module or ""
            found.add(module)
            found.update(f"{module}.{alias.name}" for alias in node.names)
    return {m for m in found if m.split(".")[0] in _PACKAGES}


def source_modules(roots: tuple[str, ...], root: Path | None = None) -> dict[str, Path]:
    """Every convanim module ``roots`` import, transitively, with the packages' ``__init__``
    files on the way: ``{module name: file}``."""
    root = SOURCE_ROOT if root is None else root
    seen: dict[str, Path] = {}
    todo = list(roots)
    while todo:
        name = todo.pop()
        parts = name.split(".")
        todo += [".".join(parts[:i]) for i in range(1, len(parts)) if ".".join(parts[:i])
                 not in seen]
        if name in seen or (path := _module_file(name, root)) is None:
            continue
        seen[name] = path
        todo += [m for m in _imports(name, path) if m not in seen]
    return seen


def source_digest(scene_module: str) -> str:
    """A digest of the sources that draw a scene of ``scene_module`` (see the module's text)."""
    if scene_module not in _SOURCE_DIGESTS:
        modules = source_modules((scene_module, *PIXEL_MODULES))
        h = hashlib.sha256()
        for name in sorted(modules):
            h.update(name.encode() + b"\0")
            h.update(modules[name].read_bytes())
        _SOURCE_DIGESTS[scene_module] = h.hexdigest()[:16]
    return _SOURCE_DIGESTS[scene_module]


def version(dist: str) -> str:
    """The installed version of ``dist``, or ``"unknown"``."""
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "unknown"


def sidecar_path(path: Path) -> Path:
    """The hidden record beside ``path``: ``.<name>.json``, or ``.<hash of name>.json`` when
    that would be longer than a file name may be (255 bytes)."""
    name = f".{path.name}.json"
    if len(os.fsencode(name)) > 255:
        digest = hashlib.sha256(os.fsencode(path.name)).hexdigest()[:24]
        name = f".{digest}.json"
    return path.with_name(name)


def file_sha256(path: Path) -> str:
    """The SHA-256 of the file's bytes."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def read_record(path: Path) -> dict[str, Any] | None:
    """The sidecar beside ``path`` as a dict, or ``None`` (missing, too large, not JSON)."""
    side = sidecar_path(path)
    try:
        if side.stat().st_size > _MAX_SIDECAR_BYTES:
            return None
        data = json.loads(side.read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError, MemoryError):
        return None
    return data if isinstance(data, dict) else None


def _info(path: Path, data: dict[str, Any]) -> RenderInfo | None:
    info = data.get("info")
    try:
        if not isinstance(info, dict) or info.get("bytes") != path.stat().st_size:
            return None
        if data.get("sha256") != file_sha256(path):
            return None
        poster = _poster(path, data)
        if poster is False:
            return None
        return RenderInfo(
            path=path, bytes=int(info["bytes"]), frames=int(info["frames"]),
            duration=float(info["duration"]), width=int(info["width"]),
            height=int(info["height"]), fps=float(info["fps"]), alt=str(info.get("alt", "")),
            poster=poster or None,
        )
    except (OSError, KeyError, TypeError, ValueError):
        return None


def _poster(path: Path, data: dict[str, Any]) -> Path | None | bool:
    """The recorded poster beside ``path`` if intact; ``None`` if none was recorded; ``False``
    if it was recorded but is missing or changed (the record no longer holds)."""
    name, digest = data.get("poster"), data.get("poster_sha256")
    if name is None:
        return None
    poster = path.with_name(str(name))
    if poster.parent != path.parent or not poster.is_file() or file_sha256(poster) != digest:
        return False
    return poster


def read_info(path: str | os.PathLike[str]) -> RenderInfo | None:
    """The measurements recorded for an output written by :func:`scenes.render`, or ``None``.

    ``None`` also when the file is missing or no longer matches its record (size or content).
    """
    path = Path(path)
    data = read_record(path)
    return None if data is None else _info(path, data)


def cache_hit(path: Path, key: str) -> RenderInfo | None:
    """The file's :class:`RenderInfo` (``cached=True``) when its record has ``key`` and the
    file is unchanged; else ``None``."""
    data = read_record(path)
    if data is None or data.get("key") != key:
        return None
    info = _info(path, data)
    return None if info is None else replace(info, cached=True)


def write_sidecar(path: Path, key: str, info: RenderInfo, extra: dict[str, Any]) -> None:
    """Record ``info`` (and the file's hash) for ``path`` under ``key``, atomically."""
    record = {
        "version": _SIDECAR_VERSION,
        "key": key,
        **extra,
        "sha256": file_sha256(path),
        "info": {k: v for k, v in asdict(info).items() if k not in ("path", "cached", "poster")},
    }
    if info.poster is not None:
        record["poster"] = info.poster.name
        record["poster_sha256"] = file_sha256(info.poster)
    write_atomic(sidecar_path(path), json.dumps(record, indent=1, sort_keys=True))
