"""Pacing: the one "first steps in full, then faster" helper, keeping cause before effect.

:func:`plan_pacing` cuts a run of steps into phases: the first ``full`` steps one by one with
their products written out (``"full"``), then single quick steps (``"fast"``), and for long runs
whole output rows (2D) or stretches of steps (1D) at a time (``"rows"``), so a run never takes
more than about :data:`MAX_GROUPS` moves after the full steps.

:class:`Pacer` plays the phases on a scene through a :class:`StepView` the scene provides. For each
group of steps it plays, in this order and never overlapping: the window lands (a slide along a
row; a cut when the row changes, never a diagonal slide), then — full steps only — the products
are said, then the results are written; the worked text goes before the window moves on
(a sum on screen always belongs to the window shown). Each is logged
(:class:`~scenes.kit.log.WindowLanded`, :class:`~scenes.kit.log.ProductsShown`,
:class:`~scenes.kit.log.ResultWritten`), every phase and
every full step starts a ``next_section()``, and a faster phase is announced on screen.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from manim import Animation

from scenes.kit.log import ProductsShown, ResultWritten, WindowLanded

if TYPE_CHECKING:
    from scenes.kit.base import ConvScene

__all__ = ["Phase", "plan_pacing", "StepView", "Pacer", "Timing", "FULL_STEPS", "MAX_GROUPS",
           "MAX_FAST"]

Index = tuple[int, ...]

#: Steps shown in full (window, products, result) before the rest speed up.
FULL_STEPS = 2
#: Most single quick steps after the full ones before the run goes a row at a time.
MAX_FAST = 12
#: Most moves (rows or stretches) of a long run after its full and quick steps.
MAX_GROUPS = 16


@dataclass(frozen=True, slots=True)
class Phase:
    """A part of a run: ``kind`` ``"full"``, ``"fast"`` or ``"rows"``; ``groups``: the step
    numbers that land together (one step each, except in ``"rows"``)."""

    kind: str
    groups: tuple[tuple[int, ...], ...]

    @property
    def steps(self) -> list[int]:
        """Every step of the phase, in order."""
        return [n for g in self.groups for n in g]


def _stretches(steps: list[int], out_indices: Sequence[Index]) -> list[tuple[int, ...]]:
    """Groups of a long remainder: whole output rows in 2D (merged so at most MAX_GROUPS), else
    equal stretches of consecutive steps."""
    if out_indices and len(out_indices[0]) == 2:
        rows: list[list[int]] = []
        for n in steps:
            if rows and out_indices[rows[-1][0]][0] == out_indices[n][0]:
                rows[-1].append(n)
            else:
                rows.append([n])
        per = -(-len(rows) // MAX_GROUPS)
        return [tuple(n for r in rows[i:i + per] for n in r) for i in range(0, len(rows), per)]
    per = -(-len(steps) // MAX_GROUPS)
    return [tuple(steps[i:i + per]) for i in range(0, len(steps), per)]


def plan_pacing(out_indices: Sequence[Index], *, full: int = FULL_STEPS,
                max_fast: int = MAX_FAST) -> list[Phase]:
    """The phases of a run of ``len(out_indices)`` steps (``out_indices[n]``: step ``n``'s
    output cell, row-major order).

    The first ``full`` steps are ``"full"``. If at most ``max_fast`` remain they are ``"fast"``
    one by one; else the rest of the current output row is ``"fast"`` and what follows goes by
    whole rows (2D) or stretches (1D), at most :data:`MAX_GROUPS` of them (``"rows"``).
    """
    n = len(out_indices)
    n_full = min(max(0, int(full)), n)
    phases = [Phase("full", tuple((k,) for k in range(n_full)))] if n_full else []
    rest = list(range(n_full, n))
    if not rest:
        return phases
    if len(rest) <= max_fast:
        return [*phases, Phase("fast", tuple((k,) for k in rest))]
    fast: list[int] = []
    if len(out_indices[0]) == 2:  # finish the row the full steps began
        row = out_indices[n_full - 1][0] if n_full else None
        while rest and out_indices[rest[0]][0] == row and len(fast) < max_fast:
            fast.append(rest.pop(0))
    else:
        fast, rest = rest[: max_fast // 2], rest[max_fast // 2:]
    if fast:
        phases.append(Phase("fast", tuple((k,) for k in fast)))
    if rest:
        phases.append(Phase("rows", tuple(_stretches(rest, out_indices))))
    return phases


@dataclass(frozen=True, slots=True)
class Timing:
    """Seconds (times ``step_time``) of each beat: a full step's window move and result; a quick
    step's move, result and pause; a row's move and result."""

    full_move: float = 0.6
    full_write: float = 0.7
    fast_move: float = 0.3
    fast_write: float = 0.25
    fast_pause: float = 0.1
    row_move: float = 0.35
    row_write: float = 0.35
    row_pause: float = 0.3


class StepView(Protocol):
    """What a scene tells the :class:`Pacer` about its steps."""

    def land(self, steps: tuple[int, ...], jump: bool) -> list[Animation]:
        """Animations that bring the window over ``steps`` (one step, or a row: one window over
        them all); for ``jump`` the window may be moved at once and ``[]`` returned."""

    def where(self, step: int) -> tuple[Index, tuple[Index, ...], tuple]:
        """``(out_index, cells, centers)`` of step ``step`` as now drawn."""

    def products(self, step: int) -> list[str] | None:
        """Say step ``step``'s products (a full step); returns the lines said (``None``: none)."""

    def write(self, steps: tuple[int, ...]) -> list[Animation]:
        """Animations that write the results of ``steps`` into their output cells."""

    def result_text(self, step: int) -> str | None:
        """The number written for ``step`` (``None``: schematic)."""

    def announce(self, phase: Phase) -> None:
        """Say on screen how the run goes on (before a ``"fast"`` or ``"rows"`` phase)."""


class Pacer:
    """Plays :func:`plan_pacing`'s phases on ``scene`` through ``view`` (module docstring)."""

    def __init__(self, scene: ConvScene, view: StepView, *, timing: Timing | None = None,
                 group: str = "") -> None:
        self.scene, self.view = scene, view
        self.timing = timing or Timing()
        self.group = group
        self._row: int | None = None
        self._worked: list[str] = []  # slots holding the last full step's worked text

    def run(self, phases: Sequence[Phase]) -> None:
        """Every phase, in order."""
        for phase in phases:
            if phase.kind != "full":
                self.scene.mark(f"{phase.kind} from step {phase.groups[0][0]}")
                self.view.announce(phase)
            for g in phase.groups:
                if phase.kind == "full":
                    self.scene.mark(f"step {g[0]}")
                self.run_group(phase.kind, g)

    def _jump(self, steps: tuple[int, ...]) -> bool:
        """Whether the window must cut to ``steps`` (their first output row differs from the
        last one landed; 1D never jumps)."""
        out = self.view.where(steps[0])[0]
        row = out[0] if len(out) == 2 else None
        jump = self._row is not None and row is not None and row != self._row
        last = self.view.where(steps[-1])[0]
        self._row = last[0] if len(last) == 2 else None
        return jump

    def run_group(self, kind: str, steps: tuple[int, ...]) -> None:
        """Land, (products,) write: one group of steps."""
        sc, tm, st = self.scene, self.timing, self.scene.step_time
        move = {"full": tm.full_move, "fast": tm.fast_move, "rows": tm.row_move}[kind] * st
        write = {"full": tm.full_write, "fast": tm.fast_write, "rows": tm.row_write}[kind] * st
        jump = self._jump(steps)
        self._clear_worked()  # the last step's sum goes before the window leaves its cells
        t0 = sc.time
        anims = self.view.land(steps, jump)
        if anims:
            sc.play(*anims, run_time=move)
        elif jump:
            sc.wait(0.5 * move)  # the cut is seen before the results come
        for n in steps:
            out, cells, centers = self.view.where(n)
            sc.log.add(WindowLanded(t0, sc.time, step=n, out_index=out, cells=cells,
                                    centers=centers, jump=jump, group=self.group))
        full = False
        if kind == "full":
            t1 = sc.time
            lines = self._products(steps[0])
            full = lines is not None
            if full:
                sc.wait(0.6 * st)  # the products are read before the result appears
                sc.log.add(ProductsShown(t1, sc.time, step=steps[0],
                                         out_index=self.view.where(steps[0])[0],
                                         lines=tuple(lines), group=self.group))
        t2 = sc.time
        anims = self.view.write(steps)
        if anims:
            sc.play(*anims, run_time=write)
        for n in steps:
            sc.log.add(ResultWritten(t2, sc.time, step=n, out_index=self.view.where(n)[0],
                                     text=self.view.result_text(n), full=full and n == steps[0],
                                     group=self.group))
        pause = {"full": 0.0, "fast": tm.fast_pause, "rows": tm.row_pause}[kind] * st
        if pause:
            sc.wait(pause)

    def _products(self, step: int) -> list[str] | None:
        """The view's :meth:`StepView.products`, noting the places where it said worked text
        (so the next landing clears them first)."""
        narr = self.scene.narration
        before = dict(narr.on_screen)
        lines = self.view.products(step)
        self._worked += [slot for slot, said in narr.on_screen.items()
                         if said.kind == "worked" and before.get(slot) is not said
                         and slot not in self._worked]
        return lines

    def _clear_worked(self) -> None:
        """Take the last full step's worked text off (after its reading time) before the
        window moves on: the sum on screen always belongs to the window shown."""
        for slot in self._worked:
            self.scene.narration.clear(slot)
        self._worked = []
