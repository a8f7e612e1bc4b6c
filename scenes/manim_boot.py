"""Importing manim without the parts of it convanim never uses (issue 20; no manim here).

``import manim`` runs every module of the library, and a few of them import large libraries
at import time for features no scene draws: ``manim.utils.space_ops`` imports all of
``scipy.spatial`` (k-d trees, Qhull, distances: ≈0.3 s of CPU) for the one class it uses,
``Rotation``, in ``rotation_matrix``; ``manim/__init__`` imports IPython (≈0.1 s) to register
its notebook magic, which it does only inside a running IPython. :func:`install` (called by
``scenes/__init__``, before any scene module imports manim) puts a finder in front of
``sys.meta_path`` that, while manim's own ``__init__`` runs (and only then):

- answers ``scipy.spatial.transform`` with a module holding :class:`LightRotation` (the same
  rotation matrices, by Rodrigues' formula in numpy, to rounding), which
  ``manim.utils.space_ops`` keeps; the real ``scipy.spatial`` stays importable afterwards;
- makes ``import IPython`` fail when IPython is not running already (manim then skips its
  magic, as without IPython installed); inside a notebook IPython is imported, and manim
  registers its magic as usual.

Nothing else changes: when manim is imported before ``scenes`` (say by a notebook's ``from
manim import *``), it is imported whole, as usual.
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import sys
import types
from typing import Any

__all__ = ["LightRotation", "install"]

_STUB = "scipy.spatial.transform"


class LightRotation:
    """What ``manim.utils.space_ops.rotation_matrix`` asks of ``scipy.spatial.transform.Rotation``:
    ``Rotation.from_rotvec(v).as_matrix()``, the rotation by ``|v|`` radians about ``v``."""

    __slots__ = ("_matrix",)

    def __init__(self, matrix: Any) -> None:
        self._matrix = matrix

    @classmethod
    def from_rotvec(cls, rotvec: Any) -> LightRotation:
        import numpy as np

        v = np.asarray(rotvec, dtype=float).reshape(3)
        theta = float(np.sqrt(v @ v))
        if theta == 0.0:
            return cls(np.eye(3))
        x, y, z = v / theta
        k = np.array([[0.0, -z, y], [z, 0.0, -x], [-y, x, 0.0]])
        return cls(np.eye(3) + np.sin(theta) * k + (1.0 - np.cos(theta)) * (k @ k))

    def as_matrix(self) -> Any:
        return self._matrix.copy()


class _NoIPython(importlib.abc.MetaPathFinder):
    def find_spec(self, name: str, path: Any = None, target: Any = None) -> None:
        if name == "IPython" or name.startswith("IPython."):
            raise ImportError("IPython is not running (convanim imports manim without it)")
        return None


class _ManimLoader(importlib.abc.Loader):
    """manim's own loader, its ``exec_module`` run with the stand-ins above in place."""

    def __init__(self, inner: importlib.abc.Loader) -> None:
        self.inner = inner

    def __getattr__(self, name: str) -> Any:  # resource readers, get_filename, …
        return getattr(self.inner, name)

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> types.ModuleType | None:
        return self.inner.create_module(spec)

    def exec_module(self, module: types.ModuleType) -> None:
        stub = None
        if _STUB not in sys.modules:
            stub = types.ModuleType(_STUB)
            stub.Rotation = LightRotation  # type: ignore[attr-defined]
            sys.modules[_STUB] = stub
        blocker = None if "IPython" in sys.modules else _NoIPython()
        if blocker is not None:
            sys.meta_path.insert(0, blocker)
        try:
            self.inner.exec_module(module)
        finally:
            if blocker is not None:
                sys.meta_path.remove(blocker)
            if stub is not None and sys.modules.get(_STUB) is stub:
                del sys.modules[_STUB]


class _ManimFinder(importlib.abc.MetaPathFinder):
    def find_spec(self, name: str, path: Any = None,
                  target: Any = None) -> importlib.machinery.ModuleSpec | None:
        if name != "manim":
            return None
        spec = importlib.machinery.PathFinder.find_spec(name, path)
        if spec is None or spec.loader is None:
            return None
        spec.loader = _ManimLoader(spec.loader)
        return spec


def install() -> None:
    """Put the finder in front of ``sys.meta_path`` (once; nothing if manim is imported)."""
    if "manim" in sys.modules or any(isinstance(f, _ManimFinder) for f in sys.meta_path):
        return
    sys.meta_path.insert(0, _ManimFinder())
