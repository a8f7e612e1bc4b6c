"""The scene's family walked once per ``play`` for manim's set-up of its animations (issue 20).

manim's ``Scene.begin_animations`` sets each animation up in the scene before beginning it; an
introducer (``FadeIn``, ``Create``, ``Write``…) first asks whether its mobject is in the scene
(``Scene.get_mobject_family_members``: a walk of every family of the scene) and, if not, adds it
(``Scene.add``: another walk of every family, to take the new mobjects out of wherever they
already are). A play that writes a whole row of results fades in hundreds of texts at once, and
with a large grid on screen those walks cost more than drawing the play.

:class:`FamilyMemo` walks the family once when the set-up begins and keeps it as it grows: what
an animation's ``begin`` adds to a mobject of the scene (a ``Transform`` aligning submobjects),
and what ``Scene.add`` appends. ``ConvScene`` uses it only while its animations are set up
(:meth:`scenes.kit.base.ConvScene.begin_animations`), and adds directly only what manim's
restructuring would leave as it is: mobjects whose families are not in the scene yet, with no
foreground mobjects to move to the top. Anything else (a mobject already on screen, the
top-level list changed by someone else) goes through manim's own ``add`` and a fresh walk.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from manim import Mobject, Scene

__all__ = ["FamilyMemo"]


class _Family(list):
    """The scene's family (manim's list, in its order), with membership by identity in O(1)."""

    def __init__(self, items: Iterable[Mobject]) -> None:
        super().__init__(items)
        self.ids = {id(m) for m in self}

    def __contains__(self, mob: object) -> bool:
        return id(mob) in self.ids

    def grow(self, mobs: Iterable[Mobject]) -> None:
        for f in mobs:
            if id(f) not in self.ids:
                self.ids.add(id(f))
                self.append(f)


class FamilyMemo:
    """``scene``'s family, walked now and kept while the scene's top-level list is only
    changed through :meth:`add`."""

    def __init__(self, scene: Any) -> None:
        self.scene = scene
        self.refresh()

    def refresh(self) -> None:
        self.family = _Family(Scene.get_mobject_family_members(self.scene))
        self._top = tuple(map(id, self.scene.mobjects))

    def members(self) -> _Family:
        """The scene's family (walked again if its top-level list changed behind our back)."""
        if tuple(map(id, self.scene.mobjects)) != self._top:
            self.refresh()
        return self.family

    def begun(self, mob: Mobject | None) -> None:
        """After an animation's ``begin``: what it added to its mobject's family, if that
        mobject is in the scene."""
        if mob is not None and mob in self.family:
            self.family.grow(mob.get_family())

    def add(self, mobjects: tuple[Mobject, ...]) -> bool:
        """Append ``mobjects`` to the scene as manim's ``Scene.add`` would, when that is all it
        would do (no family of theirs in the scene, no foreground mobjects); ``False`` (nothing
        done) otherwise."""
        scene = self.scene
        if scene.foreground_mobjects:
            return False
        fams = [f for m in mobjects for f in m.get_family()]
        if any(f in self.members() for f in fams):
            return False
        scene.mobjects += list(mobjects)
        if scene.moving_mobjects:
            scene.moving_mobjects += list(mobjects)
        self._top = tuple(map(id, scene.mobjects))
        self.family.grow(fams)
        return True
