"""Narration: the one mechanism that says, replaces and clears the texts of a scene.

A scene names its text places (``"title"``, ``"caption"``, ``"equation"``, …) and says texts into
them with :meth:`Narration.say`. The narration keeps the rules of time to read and no cross-fade:

- a text stays at least its reading time (:func:`scenes.kit.log.reading_time`) before it is
  replaced or cleared: when asked sooner, the scene waits the rest first;
- a text replacing another in its place comes in by a hard cut (the old one leaves in the same
  frame); fading is only for a text entering an empty place;
- every text is drawn in :meth:`Theme.ink` colours (contrast >= 4.5:1) and logged
  (:class:`~scenes.kit.log.TextShown` / :class:`~scenes.kit.log.TextHidden`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from manim import FadeIn, Mobject

from scenes.kit.log import TextHidden, TextShown, reading_time
from scenes.kit.text import text_line
from scenes.layout import Box, mobject_box

if TYPE_CHECKING:
    from scenes.kit.base import ConvScene

__all__ = ["Narration", "Said"]


@dataclass
class Said:
    """A text on screen: its mobject, string, kind and the scene time it was complete."""

    mob: Mobject
    text: str
    kind: str
    since: float
    hold: float


def drawn_font(mob: Mobject) -> float:
    """The smallest ``font_size`` among the texts in ``mob`` as drawn now (manim's ``Text`` and
    ``MarkupText`` report their size after scaling); 0 when it holds none."""
    from manim import MarkupText, Text

    sizes = [float(m.font_size) for m in mob.get_family() if isinstance(m, Text | MarkupText)]
    return min(sizes, default=0.0)


class Narration:
    """Says texts into named places of ``scene`` (see the module docstring)."""

    def __init__(self, scene: ConvScene) -> None:
        self.scene = scene
        self.on_screen: dict[str, Said] = {}

    # -- reading ---------------------------------------------------------------------------

    def remaining(self, slot: str | None = None) -> float:
        """Seconds still owed to the text in ``slot`` (every slot: the largest) before it may
        change."""
        now = self.scene.time
        slots = [slot] if slot is not None else list(self.on_screen)
        owed = [self.on_screen[s].hold - (now - self.on_screen[s].since)
                for s in slots if s in self.on_screen]
        return max([0.0, *owed])

    def settle(self, slot: str | None = None) -> None:
        """Wait until the text in ``slot`` (every slot) has been read."""
        # Scene time advances by whole frames (a wait may come out a frame short): wait again
        # until the text has really been read.
        from manim import config

        rest = self.remaining(slot)
        while rest > 1e-6:
            self.scene.wait(max(rest, 1.0 / float(config.frame_rate)))
            rest = self.remaining(slot)

    # -- saying ------------------------------------------------------------------------------

    def make(self, text: str, box: Box, *, role: str = "text", font: float | None = None,
             align: str = "center", formula: bool = False, result_role: str | None = None
             ) -> Mobject:
        """The mobject of ``text`` fitted in ``box``, in the ink of ``role`` (``"text"``,
        ``"muted_text"``, ``"output"``, ``"highlight"`` …), without showing it."""
        th = self.scene.theme
        font = font or self.scene.text_font
        result = th.ink(result_role) if result_role else None
        return text_line(text, box, font, th.ink(role), align=align, formula=formula,
                         result_color=result)

    def say(self, slot: str, text: str, box: Box, *, kind: str = "caption", role: str = "text",
            font: float | None = None, align: str = "center", formula: bool = False,
            result_role: str | None = None, fade: bool = False, hold: float | None = None,
            run_time: float = 0.4) -> Mobject:
        """Show ``text`` in ``slot`` (replacing what is there by a hard cut, after its reading
        time); returns the mobject. ``kind`` sets the reading time (``"caption"``,
        ``"equation"``, ``"worked"``, ``"formula"``, ``"label"``, ``"title"``); ``hold``
        overrides it. ``fade`` fades the text in (only into an empty place)."""
        mob = self.make(text, box, role=role, font=font, align=align, formula=formula,
                        result_role=result_role)
        return self.show(slot, mob, text, kind=kind, role=role, fade=fade, hold=hold,
                         run_time=run_time)

    def say_lines(self, slot: str, lines: Sequence[str], boxes: Sequence[Box], **kw: Any
                  ) -> list[Mobject]:
        """:meth:`say` several lines as one text (one slot, one hold) in consecutive boxes."""
        from manim import VGroup

        kw = dict(kw)
        kind, role, fade = kw.pop("kind", "caption"), kw.get("role", "text"), kw.pop("fade", False)
        hold = kw.pop("hold", None)
        mobs = [self.make(s, b, **kw) for s, b in zip(lines, boxes)]
        self.show(slot, VGroup(*mobs), " ".join(lines), kind=kind, role=role, fade=fade,
                  hold=hold)
        return mobs

    def show(self, slot: str, mob: Mobject, text: str, *, kind: str = "caption",
             role: str = "text", fade: bool = False, hold: float | None = None,
             run_time: float = 0.4, color: str | None = None) -> Mobject:
        """Show an already built text mobject ``mob`` (see :meth:`say`)."""
        sc = self.scene
        replacing = slot in self.on_screen
        if replacing:
            self.clear(slot, _play=False)
        t0 = sc.time
        if fade and not replacing:
            sc.play(FadeIn(mob), run_time=run_time)
        else:
            sc.add(mob)
        need = reading_time(text, kind) if hold is None else hold
        self.on_screen[slot] = Said(mob, text, kind, sc.time, need)
        sc.log.add(TextShown(t0, sc.time, slot=slot, text=text, kind=kind, box=mobject_box(mob),
                             color=color or sc.theme.ink(role), background=sc.theme.background,
                             hold=need, fade=bool(fade and not replacing),
                             font=drawn_font(mob)))
        return mob

    def clear(self, slot: str | None = None, *, _play: bool = True) -> None:
        """Take the text in ``slot`` (every slot) off the screen by a cut, once it was read."""
        slots = [slot] if slot is not None else list(self.on_screen)
        self.settle(slot)
        sc = self.scene
        for s in slots:
            said = self.on_screen.pop(s, None)
            if said is None:
                continue
            sc.remove(said.mob)
            sc.log.add(TextHidden(sc.time, sc.time, slot=s, text=said.text))

    def forget(self, slot: str) -> Said | None:
        """Stop tracking ``slot`` without removing its mobject (it moves away or becomes part of
        the figure); logs it as moved. The reading time must be over."""
        self.settle(slot)
        said = self.on_screen.pop(slot, None)
        if said is not None:
            sc = self.scene
            sc.log.add(TextHidden(sc.time, sc.time, slot=slot, text=said.text, moved=True))
        return said

    def text_of(self, slot: str) -> str | None:
        """The text now in ``slot`` (``None`` when empty)."""
        said = self.on_screen.get(slot)
        return None if said is None else said.text
