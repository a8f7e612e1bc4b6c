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
  registers its magic as usual;
- answers ``networkx`` (for ``Graph``, ≈0.07 s) and ``bs4`` (for ``Code``, ≈0.04 s) with
  stand-in modules whose names are :class:`Deferred`: the real library is imported the first
  time one is called, subclassed or used in ``isinstance`` (a scene that draws a ``Graph`` or
  a ``Code`` still gets them whole).

Nothing else changes: when manim is imported before ``scenes`` (say by a notebook's ``from
manim import *``), it is imported whole, as usual.
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import sys
import types
from typing import Any

__all__ = ["Deferred", "LightRotation", "install"]

_STUB = "scipy.spatial.transform"
#: Libraries manim imports for mobjects no scene draws, stood in for by :class:`Deferred` names.
DEFERRED = ("networkx", "bs4")


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


class Deferred:
    """A name of a library not imported yet (``networkx.layout.circular_layout``): imports the
    library and stands for the real object when called, subclassed or used in ``isinstance``;
    an attribute of it is another deferred name."""

    __slots__ = ("_module", "_path", "_real")

    def __init__(self, module: str, path: tuple[str, ...]) -> None:
        self._module, self._path, self._real = module, path, None

    def resolve(self) -> Any:
        if self._real is None:
            import importlib

            obj: Any = importlib.import_module(self._module)
            for name in self._path:
                obj = getattr(obj, name)
            self._real = obj
        return self._real

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        if self._real is not None:
            return getattr(self._real, name)
        return Deferred(self._module, (*self._path, name))

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self.resolve()(*args, **kwargs)

    def __instancecheck__(self, obj: Any) -> bool:
        return isinstance(obj, self.resolve())

    def __subclasscheck__(self, cls: Any) -> bool:
        return issubclass(cls, self.resolve())

    def __mro_entries__(self, bases: tuple) -> tuple:
        return (self.resolve(),)

    def __repr__(self) -> str:
        return f"<deferred {'.'.join((self._module, *self._path))}>"


def _deferred_module(name: str) -> types.ModuleType:
    module = types.ModuleType(name)

    def __getattr__(attr: str) -> Deferred:
        if attr.startswith("__"):
            raise AttributeError(attr)
        return Deferred(name, (attr,))

    module.__getattr__ = __getattr__  # type: ignore[method-assign]
    return module


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
        stubs: dict[str, types.ModuleType] = {}
        if _STUB not in sys.modules:
            stubs[_STUB] = types.ModuleType(_STUB)
            stubs[_STUB].Rotation = LightRotation  # type: ignore[attr-defined]
        stubs.update((name, _deferred_module(name)) for name in DEFERRED
                     if name not in sys.modules)
        sys.modules.update(stubs)
        blocker = None if "IPython" in sys.modules else _NoIPython()
        if blocker is not None:
            sys.meta_path.insert(0, blocker)
        try:
            self.inner.exec_module(module)
        finally:
            if blocker is not None:
                sys.meta_path.remove(blocker)
            for name, stub in stubs.items():
                if sys.modules.get(name) is stub:
                    del sys.modules[name]


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
