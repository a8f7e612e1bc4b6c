"""The typed scene log: what a scene drew and when, in scene seconds, for tests and rule checks.

Every scene owns a :class:`SceneLog` (``scene.log``). The kit writes it: the pacing helper
(:mod:`scenes.kit.pacing`) logs each window landing, its products and its result; the narration
(:mod:`scenes.kit.narration`) logs each text shown and hidden with its box, colours and the time it
must stay; :meth:`scenes.kit.base.ConvScene.preview` and :meth:`~scenes.kit.base.ConvScene.close`
log the first and the last frame. Scenes add their own facts as :class:`Fact` events.

:meth:`SceneLog.violations` checks the teaching rules on the log, not on timings of a machine:

- cause before effect: a result is written only after its window landed (and, for a step shown in
  full, after its products);
- time to read: a text stays at least its :attr:`TextShown.hold` before it is hidden or replaced;
- no cross-fade: two texts whose boxes overlap are never on screen at the same time (a text that
  replaces another in its place comes in by a hard cut);
- contrast: every text has at least :data:`scenes.kit.theme.MIN_TEXT_CONTRAST` against the
  background;
- the first frame is a preview (logged at scene time 0) and the closing frame holds at least
  :data:`CLOSING_HOLD` seconds.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, TypeVar

from scenes.kit.theme import MIN_TEXT_CONTRAST, contrast_ratio
from scenes.layout import Box

__all__ = [
    "Event",
    "Preview",
    "Section",
    "WindowLanded",
    "ProductsShown",
    "ResultWritten",
    "TextShown",
    "TextHidden",
    "FormulaShown",
    "ClosingHold",
    "Fact",
    "SceneLog",
    "CLOSING_HOLD",
    "reading_time",
]

#: Seconds the closing frame holds before a GIF loops.
CLOSING_HOLD = 4.0
#: Reading time: a base plus this many seconds per word (an equation: per 6 characters).
READ_BASE, READ_PER_WORD, CHARS_PER_EQUATION_WORD = 1.0, 0.3, 6
#: Seconds a worked step of the full phase (its products and sum) stays.
WORKED_HOLD = 3.0

Index = tuple[int, ...]
E = TypeVar("E", bound="Event")


def reading_time(text: str, kind: str = "caption") -> float:
    """Least seconds ``text`` stays on screen: 1 s + 0.3 s per word; an equation or formula
    (``kind`` ``"equation"``/``"formula"``) counts a word per 6 characters; a worked step
    (``"worked"``) at least :data:`WORKED_HOLD`; a ``"label"`` (grid captions, titles: they stay
    for the whole screen) the caption time."""
    if kind in ("equation", "formula", "worked"):
        words = len(text.replace(" ", "")) / CHARS_PER_EQUATION_WORD
    else:
        words = len(text.split())
    t = READ_BASE + READ_PER_WORD * words
    return max(t, WORKED_HOLD) if kind == "worked" else t


@dataclass(frozen=True, slots=True)
class Event:
    """Something the scene did: it started at scene time ``t`` and was complete at ``end``."""

    t: float
    end: float


@dataclass(frozen=True, slots=True)
class Preview(Event):
    """The first frame, added at once: ``parts`` names what it shows (``"title"``, ``"window"``,
    ``"grids"``, ``"formula"`` …)."""

    parts: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Section(Event):
    """A ``next_section()`` mark (one clip per step with ``manim --save_sections``)."""

    name: str = ""


@dataclass(frozen=True, slots=True)
class WindowLanded(Event):
    """Step ``step``'s window is over its cells (``cells``: grid indices; ``centers``: where the
    drawn window's squares are, frame units); ``jump``: it came by a cut (a new row), not a slide.
    ``group`` names the view when a scene shows several (e.g. the two sides of ``flip``)."""

    step: int = 0
    out_index: Index = ()
    cells: tuple[Index, ...] = ()
    centers: tuple[tuple[float, float, float], ...] = ()
    jump: bool = False
    group: str = ""


@dataclass(frozen=True, slots=True)
class ProductsShown(Event):
    """Step ``step``'s products (and sum) are on screen: ``lines`` as written."""

    step: int = 0
    out_index: Index = ()
    lines: tuple[str, ...] = ()
    group: str = ""


@dataclass(frozen=True, slots=True)
class ResultWritten(Event):
    """Step ``step``'s result appears in its output cell (``text``: the number, ``None`` in the
    schematic view); ``full``: the step was shown in full (products first)."""

    step: int = 0
    out_index: Index = ()
    text: str | None = None
    full: bool = False
    group: str = ""


@dataclass(frozen=True, slots=True)
class TextShown(Event):
    """A text came on screen in place ``slot`` (``box``: where it is drawn; ``hold``: least
    seconds it must stay, :func:`reading_time`; ``fade``: faded in rather than cut in; ``font``:
    the smallest ``font_size`` of its lines as drawn, after any fitting)."""

    slot: str = ""
    text: str = ""
    kind: str = "caption"
    box: Box = Box(0.0, 0.0, 0.0, 0.0)
    color: str = "#000000"
    background: str = "#FFFFFF"
    hold: float = 0.0
    fade: bool = False
    font: float = 0.0  # the smallest font_size in it as drawn (after fitting), 0: unknown


@dataclass(frozen=True, slots=True)
class TextHidden(Event):
    """The text shown in ``slot`` left the screen (``fade``: faded out, ``moved``: moved away)."""

    slot: str = ""
    text: str = ""
    fade: bool = False
    moved: bool = False


@dataclass(frozen=True, slots=True)
class FormulaShown(Event):
    """The size formula (or another closing formula) is on screen: ``lines`` as written."""

    lines: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ClosingHold(Event):
    """The closing frame: nothing changes from ``t`` to ``end`` (the end of the scene)."""


@dataclass(frozen=True, slots=True)
class Fact(Event):
    """A scene's own record (``kind`` plus ``data``): what a test reads besides the kit events."""

    kind: str = ""
    data: dict[str, Any] = field(default_factory=dict)

    def __getitem__(self, key: str) -> Any:
        return self.data[key]


class SceneLog:
    """The events of one scene in the order they happened (see the module docstring)."""

    def __init__(self) -> None:
        self.events: list[Event] = []

    def add(self, event: E) -> E:
        """Append ``event``; returns it."""
        self.events.append(event)
        return event

    def __iter__(self) -> Iterator[Event]:
        return iter(self.events)

    def __len__(self) -> int:
        return len(self.events)

    def of(self, kind: type[E], **match: Any) -> list[E]:
        """The events of type ``kind`` whose fields equal ``match``, in order."""
        return [e for e in self.events if isinstance(e, kind)
                and all(getattr(e, k) == v for k, v in match.items())]

    def facts(self, kind: str) -> list[Fact]:
        """The :class:`Fact` events of one ``kind``, in order."""
        return [e for e in self.events if isinstance(e, Fact) and e.kind == kind]

    def texts(self) -> list[str]:
        """Every text shown, in order."""
        return [e.text for e in self.of(TextShown)]

    # -- the rules ---------------------------------------------------------------------------

    def violations(self, *, closing: bool = True, preview: bool = True) -> list[str]:
        """Every broken rule, one line each (``[]``: the scene keeps them all)."""
        out = (self._cause_before_effect() + self._stale_work() + self._reading()
               + self._contrast())
        if preview:
            out += self._preview()
        if closing:
            out += self._closing()
        return out

    def _cause_before_effect(self) -> list[str]:
        out = []
        landed: dict[tuple[str, int], float] = {}
        products: dict[tuple[str, int], float] = {}
        for e in self.events:
            if isinstance(e, WindowLanded):
                landed[(e.group, e.step)] = e.end
            elif isinstance(e, ProductsShown):
                products[(e.group, e.step)] = e.end
            elif isinstance(e, ResultWritten):
                key = (e.group, e.step)
                if key not in landed or e.t < landed[key] - 1e-9:
                    out.append(f"result of step {e.step}{e.group and ' (' + e.group + ')'} "
                               f"written at {e.t:.2f} s before its window landed")
                if e.full and (key not in products or e.t < products[key] - 1e-9):
                    out.append(f"result of full step {e.step} written before its products")
        return out

    def _stale_work(self) -> list[str]:
        """A full step's worked text must be gone before the window lands on another step of
        its run (a sum on screen belongs to the window shown: cause before effect)."""
        out: list[str] = []
        worked: dict[str, tuple[str, int] | None] = {}  # slot -> (group, step) it works out
        for e in self.events:
            if isinstance(e, TextShown):
                if e.kind == "worked":
                    worked[e.slot] = None
                else:
                    worked.pop(e.slot, None)
            elif isinstance(e, TextHidden):
                worked.pop(e.slot, None)
            elif isinstance(e, ProductsShown):
                for slot, key in worked.items():
                    if key is None:
                        worked[slot] = (e.group, e.step)
            elif isinstance(e, WindowLanded):
                for slot, key in list(worked.items()):
                    if key is not None and key[0] == e.group and key[1] != e.step:
                        out.append(f"the worked text of step {key[1]} ({slot!r}) is still on "
                                   f"screen when the window lands on step {e.step}")
                        worked[slot] = None  # said once
        return out

    def _reading(self) -> list[str]:
        out = []
        shown: dict[str, TextShown] = {}
        end = max((e.end for e in self.events), default=0.0)
        for e in self.events:
            if isinstance(e, TextShown):
                for other in shown.values():
                    if other.slot != e.slot and other.box.overlaps(e.box):
                        out.append(f"texts {other.text!r} and {e.text!r} overlap on screen")
                if e.slot in shown:
                    out.append(f"text {e.text!r} shown in {e.slot!r} over {shown[e.slot].text!r}")
                shown[e.slot] = e
            elif isinstance(e, TextHidden) and e.slot in shown:
                s = shown.pop(e.slot)
                if e.t - s.end < s.hold - 1e-6:
                    out.append(f"text {s.text!r} held {e.t - s.end:.2f} s < {s.hold:.2f} s")
                if e.fade and not e.moved:
                    for later in self.events:
                        if (isinstance(later, TextShown) and later.fade and later.t < e.end
                                and later.t >= e.t and later.box.overlaps(s.box)):
                            out.append(f"{later.text!r} cross-fades over {s.text!r}")
        for s in shown.values():  # on screen to the end: the end counts as its hiding
            if end - s.end < s.hold - 1e-6 and s.kind not in ("label", "title"):
                out.append(f"text {s.text!r} held {end - s.end:.2f} s < {s.hold:.2f} s at the end")
        return out

    def _contrast(self) -> list[str]:
        out = []
        for e in self.of(TextShown):
            ratio = contrast_ratio(e.color, e.background)
            if ratio < MIN_TEXT_CONTRAST:
                out.append(f"text {e.text!r} in {e.color} has contrast {ratio:.2f} < "
                           f"{MIN_TEXT_CONTRAST} on {e.background}")
        return out

    def _preview(self) -> list[str]:
        first = self.of(Preview)
        if not first or first[0].t > 1e-9:
            return ["the first frame is not a preview (no Preview event at t = 0)"]
        return []

    def _closing(self) -> list[str]:
        holds = self.of(ClosingHold)
        if not holds:
            return ["no closing hold"]
        h = holds[-1]
        end = max(e.end for e in self.events)
        out = []
        if h.end - h.t < CLOSING_HOLD - 1e-6:
            out.append(f"closing frame held {h.end - h.t:.2f} s < {CLOSING_HOLD} s")
        if any(e.t > h.t + 1e-9 for e in self.events if not isinstance(e, ClosingHold)) \
                or h.end < end - 1e-9:
            out.append("something changes during the closing hold")
        return out
