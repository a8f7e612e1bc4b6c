"""scenes.kit.members: the set-up of a play's animations with the scene's family walked once.

The oracle is manim itself: the same story played by a ConvScene whose set-up is manim's own
(``Scene.begin_animations``, ``Scene.add``, ``Scene.get_mobject_family_members``) must leave the
same top-level list, the same moving/static split and the same frames after every play —
through every path of ``Scene.add``: new mobjects, a mobject already on screen, a new group
holding a mobject that is inside a group on screen (manim takes it out of that group), a mobject
animated twice, foreground mobjects, a Transform
that grows its mobject's family, an animation whose ``begin`` adopts a mobject another one fades
in, a Succession that adds mobjects while it plays.
"""

from __future__ import annotations

import numpy as np
from manim import (
    Animation,
    AnimationGroup,
    Circle,
    FadeIn,
    Scene,
    Square,
    Succession,
    Transform,
    VGroup,
    Write,
)

from convmath import ConvSpec
from scenes.kit.base import ConvScene
from scenes.kit.text import make_text
from scenes.pipeline.frames import render_to_sink


class Adopt(Animation):
    """Gives its (on-screen) mobject a new child when it begins."""

    def __init__(self, mobject, child, **kw):
        super().__init__(mobject, **kw)
        self.child = child

    def begin(self):
        self.mobject.add(self.child)
        super().begin()


class Story(ConvScene):
    default_spec = ConvSpec((4, 4), 2)

    def construct(self):
        self.states: list[tuple] = []
        grid = VGroup(*[Square(0.4).shift(0.5 * k * np.array([1, 0, 0])) for k in range(6)])
        grid.name = "grid"
        self.add(grid)
        dots = [Circle(0.1).shift(np.array([0.5 * k - 2, -1, 0])) for k in range(8)]
        self.play(AnimationGroup(*[FadeIn(d) for d in dots]), run_time=0.5)  # new mobjects
        self.record_state()
        self.play(FadeIn(grid[2]), FadeIn(dots[0]), run_time=0.5)  # already on screen
        self.record_state()
        pair = VGroup(grid[1], Circle(0.2).shift(np.array([0, 2, 0])))
        self.play(FadeIn(pair), run_time=0.5)  # a new group holding a mobject on screen
        self.record_state()
        label = make_text("12", 20, "#000000").shift(np.array([0, 1, 0]))
        self.play(Write(label), Write(label), run_time=0.5)  # the same mobject twice
        self.record_state()
        star = Square(0.3).shift(np.array([2, 1, 0]))
        self.add_foreground_mobject(star)
        more = [Circle(0.15).shift(np.array([0.5 * k - 2, -2, 0])) for k in range(4)]
        self.play(*[FadeIn(m) for m in more], run_time=0.5)  # with a foreground mobject
        self.record_state()
        self.remove_foreground_mobject(star)
        self.play(Transform(grid, VGroup(*[Circle(0.2) for _ in range(9)]).arrange()),
                  FadeIn(Circle(0.3).shift(np.array([-3, 2, 0]))), run_time=0.5)
        self.record_state()
        child = Circle(0.1).shift(np.array([3, -1, 0]))
        self.play(Adopt(dots[3], child), FadeIn(child), run_time=0.5)  # begin grows a family
        self.record_state()
        late = [Square(0.2).shift(np.array([0.4 * k, -3, 0])) for k in range(3)]
        self.play(Succession(*[FadeIn(m) for m in late]), run_time=0.6)
        self.record_state()

    def record_state(self):
        names = {id(m): f"{type(m).__name__}@{k}"
                 for k, m in enumerate(Scene.get_mobject_family_members(self))}
        self.states.append((
            [names.get(id(m), "?") for m in self.mobjects],
            [names.get(id(m), "?") for m in self.moving_mobjects],
            [names.get(id(m), "?") for m in self.static_mobjects],
        ))


class ManimSetUp(Story):
    begin_animations = Scene.begin_animations
    add = Scene.add
    get_mobject_family_members = Scene.get_mobject_family_members


def run(cls):
    frames: list[np.ndarray] = []
    scenes = []

    def make():
        scenes.append(cls())
        return scenes[-1]

    render_to_sink(make, lambda px, n: frames.extend([np.array(px)] * n), width=160, height=90,
                   fps=4)
    return scenes[0].states, frames


def test_set_up_leaves_what_manims_leaves():
    ours, our_frames = run(Story)
    theirs, their_frames = run(ManimSetUp)
    assert len(ours) == 8
    assert ours == theirs
    assert len(our_frames) == len(their_frames)
    assert all(np.array_equal(a, b) for a, b in zip(our_frames, their_frames))


def test_the_memo_is_used_and_dropped(monkeypatch):
    from scenes.kit import members

    made = []
    init = members.FamilyMemo.__init__

    def counting(self, scene):
        made.append(self)
        init(self, scene)

    monkeypatch.setattr(members.FamilyMemo, "__init__", counting)
    states, _ = run(Story)
    assert len(made) >= 8  # one per play
    assert states
