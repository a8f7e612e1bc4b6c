"""Faster equivalents of manim's family walk and mobject copy, same results (issue 20).

A frame of a scene with a few hundred mobjects spends much of its time in three pure helpers of
manim that walk or copy mobject trees one Python generator step at a time:

- ``Mobject.get_family`` chains one generator per level of the tree (``yield from``), so every
  member of a deep family crosses every level above it; :func:`get_family` walks the same
  tree (pre-order, a mobject already on the path from the root skipped, as manim's
  ``_iter_family`` does) with one list, and only drops repeats when there are any;
- ``manim.utils.iterables.remove_list_redundancies`` keeps the *last* copy of each element in a
  Python loop; :func:`remove_list_redundancies` returns the same list with set and dict
  operations (C loops), and a plain copy when nothing repeats;
- ``Mobject.family_members_with_points`` calls ``get_num_points`` once per member, and
  ``Scene.get_moving_mobjects`` asks of every member whether anything below it moves,
  walking each subtree again for every ancestor; :func:`family_members_with_points` reads
  ``len(points)`` and :func:`get_moving_mobjects` decides each member once per call;
- ``manim.utils.family.extract_mobject_family_members`` (what the camera and the scene call
  on every play and frame, with lists of members) asks each member for its family;
  :func:`extract_mobject_family_members` takes a member without submobjects as it is;
- ``Mobject.__deepcopy__`` sends every attribute through ``copy.deepcopy``, numbers and
  strings included; :func:`mobject_deepcopy` copies numeric arrays and keeps atomic values
  directly (what ``copy.deepcopy`` returns for them), registering the arrays in the memo as
  ``copy.deepcopy`` does, so shared arrays stay shared in the copy.

:func:`install` (called by :mod:`scenes.kit.base`) puts them in place of manim's, and
``remove_list_redundancies`` in every manim module that imported it by name. Each is checked
against manim's own on random trees, shared and cyclic ones included
(``tests/kit/test_fastpaths.py``).
"""

from __future__ import annotations

import copy
import sys
from collections.abc import Reversible
from typing import Any, TypeVar

import numpy as np
from manim import Mobject, Scene
from manim.utils import family, iterables

__all__ = ["animated_mobjects", "extract_mobject_family_members", "family_members_with_points",
           "get_family", "get_moving_mobjects", "install", "mobject_deepcopy",
           "remove_list_redundancies"]

T = TypeVar("T")

#: manim's own implementations, kept for the tests and for :func:`uninstall`.
ORIGINAL = {
    "get_family": Mobject.get_family,
    "family_members_with_points": Mobject.family_members_with_points,
    "__deepcopy__": Mobject.__deepcopy__,
    "remove_list_redundancies": iterables.remove_list_redundancies,
    "get_moving_mobjects": Scene.get_moving_mobjects,
    "extract_mobject_family_members": family.extract_mobject_family_members,
}
_NUM_POINTS = Mobject.get_num_points

#: Types ``copy.deepcopy`` returns as they are (its ``_deepcopy_atomic`` table, the common ones).
_ATOMIC = frozenset({type(None), int, float, bool, complex, str, bytes, type,
                     np.float64, np.int64, np.bool_})


def remove_list_redundancies(lst: Reversible[T]) -> list[T]:
    """``lst`` with only the last occurrence of each element kept, in order (manim's
    ``remove_list_redundancies``: elements compared by hash and equality)."""
    items = list(lst)
    if len(set(items)) == len(items):
        return items
    kept = list(dict.fromkeys(reversed(items)))
    kept.reverse()
    return kept


def _walk(mob: Mobject, out: list[Mobject], path: set[Mobject]) -> None:
    out.append(mob)
    subs = mob.submobjects
    if not subs:
        return
    path.add(mob)
    for sub in subs:
        if sub not in path:
            _walk(sub, out, path)
    path.discard(mob)


def get_family(self: Mobject, recurse: bool = True) -> list[Mobject]:
    """``self`` and all its submobjects, recursively, pre-order, each once (its last place in
    the walk), a mobject that contains itself not walked again (manim's ``get_family``)."""
    if not self.submobjects:
        return [self]
    out: list[Mobject] = []
    _walk(self, out, set())
    return remove_list_redundancies(out)


def _has_points(m: Mobject) -> bool:
    """``m.get_num_points() > 0``, reading ``len(points)`` where that method is manim's own."""
    return (len(m.points) if type(m).get_num_points is _NUM_POINTS else m.get_num_points()) > 0


def family_members_with_points(self: Mobject) -> list[Mobject]:
    """The members of :func:`get_family` with points (manim's ``family_members_with_points``)."""
    return [m for m in self.get_family() if _has_points(m)]


def extract_mobject_family_members(mobjects: Any, use_z_index: bool = False,
                                   only_those_with_points: bool = False) -> list[Mobject]:
    """manim's ``extract_mobject_family_members``: the families of ``mobjects`` one after the
    other (only members with points if asked), each member once (its last place), sorted by
    ``z_index`` (stably) if asked. A member without submobjects is its own family, taken
    without a call (the lists manim passes are mostly such members)."""
    out: list[Mobject] = []
    append, extend = out.append, out.extend
    for m in mobjects:
        if m.submobjects:
            extend(family_members_with_points(m) if only_those_with_points else get_family(m))
        elif not only_those_with_points or _has_points(m):
            append(m)
    out = remove_list_redundancies(out)
    if use_z_index:
        return sorted(out, key=lambda m: m.z_index)
    return out


def animated_mobjects(animations: Any) -> list[Mobject]:
    """The families of ``animations``' mobjects and of their nested animations' (a group's own
    mobject included): what manim counts as moving in a play."""
    from manim.animation.composition import AnimationGroup

    out: list[Mobject] = []
    for anim in animations:
        out.extend(anim.mobject.get_family())
        if isinstance(anim, AnimationGroup):
            out.extend(animated_mobjects(anim.animations))
    return out


def get_moving_mobjects(self: Scene, *animations: Any) -> list[Mobject]:
    """manim's ``Scene.get_moving_mobjects``: the scene's family from the first member that
    moves (in an animation's family, with updaters, in the foreground, or with such a member
    below it) to the end; whether a member moves is decided once per call, not once per
    ancestor."""
    animated = set(animated_mobjects(animations))
    foreground = set(self.foreground_mobjects)
    memo: dict[int, bool] = {}

    def moving(mob: Mobject) -> bool:
        known = memo.get(id(mob))
        if known is None:
            known = (mob in animated or len(mob.updaters) > 0 or mob in foreground
                     or any(moving(m) for m in mob.submobjects))
            memo[id(mob)] = known
        return known

    mobjects = self.get_mobject_family_members()
    i = next((i for i, mob in enumerate(mobjects) if moving(mob)), None)
    return [] if i is None else mobjects[i:]


def mobject_deepcopy(self: Mobject, memo: dict[int, Any]) -> Mobject:
    """manim's ``Mobject.__deepcopy__``: a new instance of the class, every attribute deep
    copied (with ``memo``), ``original_id`` the source's id. Numeric arrays are copied with
    ``ndarray.copy`` (what their ``__deepcopy__`` does) and atomic values kept, both without
    the round trip through ``copy.deepcopy``."""
    cls = self.__class__
    result = cls.__new__(cls)
    memo[id(self)] = result
    for k, v in self.__dict__.items():
        t = type(v)
        if t in _ATOMIC:
            setattr(result, k, v)
        elif t is np.ndarray and not v.dtype.hasobject:
            c = memo.get(id(v))
            if c is None:
                c = v.copy()
                memo[id(v)] = c
                memo.setdefault(id(memo), []).append(v)  # copy._keep_alive
            setattr(result, k, c)
        else:
            setattr(result, k, copy.deepcopy(v, memo))
    result.original_id = str(id(self))
    return result


def _swap(old: Any, new: Any) -> None:
    """Every ``manim`` module's global bound to ``old`` rebound to ``new``."""
    for name, module in list(sys.modules.items()):
        if name != "manim" and not name.startswith("manim."):
            continue
        space = getattr(module, "__dict__", None)
        if not space:
            continue
        for attr, value in list(space.items()):
            if value is old:
                space[attr] = new


#: What :func:`install` replaces: (class, method, ours), and manim functions imported by name.
_METHODS = ((Mobject, "get_family", get_family),
            (Mobject, "family_members_with_points", family_members_with_points),
            (Mobject, "__deepcopy__", mobject_deepcopy),
            (Scene, "get_moving_mobjects", get_moving_mobjects))
_FUNCTIONS = (("remove_list_redundancies", remove_list_redundancies),
              ("extract_mobject_family_members", extract_mobject_family_members))


def install() -> None:
    """Use the helpers above in place of manim's (idempotent)."""
    if Mobject.get_family is get_family:
        return
    for owner, name, ours in _METHODS:
        setattr(owner, name, ours)
    for name, ours in _FUNCTIONS:
        _swap(ORIGINAL[name], ours)


def uninstall() -> None:
    """Put manim's own helpers back (for comparisons)."""
    for owner, name, _ in _METHODS:
        setattr(owner, name, ORIGINAL[name])
    for name, ours in _FUNCTIONS:
        _swap(ours, ORIGINAL[name])
