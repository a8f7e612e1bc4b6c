"""scenes.kit.fastpaths: the faster family walk, list dedup and mobject copy give manim's results.

The oracle is manim's own implementation (kept in ``fastpaths.ORIGINAL``), run on random trees
that share submobjects and contain cycles, and on random lists with repeats.
"""

from __future__ import annotations

import copy
import random

import numpy as np
import pytest
from manim import AnimationGroup, Circle, FadeIn, Mobject, Scene, Square, VGroup, VMobject, Wait

from scenes.kit import fastpaths
from scenes.kit.text import make_text


def random_tree(rng: random.Random, n: int, *, share: bool, cycle: bool) -> Mobject:
    """``n`` mobjects wired into a tree, with shared submobjects and back edges if asked."""
    nodes = [Mobject() for _ in range(n)]
    for k in range(1, n):
        nodes[rng.randrange(k)].submobjects.append(nodes[k])
    for _ in range(n // 3 if share else 0):  # a node under a second parent (a DAG)
        a, b = sorted(rng.sample(range(n), 2))
        nodes[a].submobjects.append(nodes[b])
    for _ in range(2 if cycle else 0):  # a node under one of its descendants (a cycle)
        a, b = sorted(rng.sample(range(n), 2))
        nodes[b].submobjects.append(nodes[a])
    for node in nodes:
        rng.shuffle(node.submobjects)
    return nodes[0]


@pytest.mark.parametrize("share,cycle", [(False, False), (True, False), (True, True),
                                         (False, True)])
@pytest.mark.parametrize("seed", range(12))
def test_get_family_is_manims(seed, share, cycle):
    rng = random.Random(seed)
    root = random_tree(rng, rng.randrange(1, 40), share=share, cycle=cycle)
    expected = fastpaths.ORIGINAL["get_family"](root)
    assert fastpaths.get_family(root) == expected
    for node in expected:  # every subtree too
        assert fastpaths.get_family(node) == fastpaths.ORIGINAL["get_family"](node)


@pytest.mark.parametrize("seed", range(30))
def test_remove_list_redundancies_keeps_the_last_of_each_like_manims(seed):
    rng = random.Random(seed)
    items = [rng.randrange(8) for _ in range(rng.randrange(0, 30))]
    if seed % 3 == 0:
        items = list(dict.fromkeys(items))  # no repeats at all
    expected = fastpaths.ORIGINAL["remove_list_redundancies"](items)
    got = fastpaths.remove_list_redundancies(items)
    assert got == expected and got is not items
    assert fastpaths.remove_list_redundancies(reversed(items)) == \
        fastpaths.ORIGINAL["remove_list_redundancies"](list(reversed(items)))


def test_install_puts_them_in_every_manim_module():
    fastpaths.install()
    import manim.mobject.mobject as mm
    import manim.utils.family as mf

    assert Mobject.get_family is fastpaths.get_family
    assert Mobject.family_members_with_points is fastpaths.family_members_with_points
    assert mf.extract_mobject_family_members is fastpaths.extract_mobject_family_members
    assert Scene.get_moving_mobjects is fastpaths.get_moving_mobjects
    assert Mobject.__deepcopy__ is fastpaths.mobject_deepcopy
    assert mm.remove_list_redundancies is fastpaths.remove_list_redundancies
    assert mf.remove_list_redundancies is fastpaths.remove_list_redundancies


def _state(mob: Mobject, seen: dict[int, int]) -> object:
    """A comparable picture of ``mob``'s attributes (arrays by value, mobjects by shape)."""
    out = {}
    for k, v in sorted(mob.__dict__.items()):
        if k == "original_id":
            continue
        if isinstance(v, np.ndarray):
            out[k] = ("array", v.dtype.str, v.shape, v.tobytes())
        elif isinstance(v, Mobject):
            out[k] = ("mobject", type(v).__name__)
        elif isinstance(v, list) and all(isinstance(s, Mobject) for s in v):
            out[k] = [(type(s).__name__, _state(s, seen)) for s in v]
        else:
            out[k] = repr(v)
    return out


def _built() -> list[Mobject]:
    sq = Square().set_fill("#ff0000", opacity=0.5).shift([1.0, 2.0, 0.0])
    group = VGroup(sq, Circle(), make_text("a = 1", 24, "#000000"))
    shared = VMobject()
    shared.set_points(np.arange(12.0).reshape(4, 3))
    shared.extra = shared.points  # one array under two names
    shared.tags = ["x", 3, 2.5, None]
    return [sq, group, shared, VGroup(group, group[0])]  # the last one shares a square


@pytest.mark.parametrize("k", range(4))
def test_deepcopy_is_manims(k):
    fastpaths.install()
    mob = _built()[k]
    fast = copy.deepcopy(mob)
    fastpaths.uninstall()
    try:
        slow = copy.deepcopy(mob)
    finally:
        fastpaths.install()
    assert type(fast) is type(slow) is type(mob)
    assert _state(fast, {}) == _state(slow, {}) == _state(mob, {})
    assert fast.original_id == slow.original_id == str(id(mob))
    # Independent of the source, and shared arrays or mobjects stay shared in the copy.
    fast.points += 1.0 if len(fast.points) else 0.0
    assert _state(mob, {}) == _state(slow, {})
    if k == 2:
        assert fast.extra is fast.points and slow.extra is slow.points
    if k == 3:
        assert fast[1] is fast[0][0] and slow[1] is slow[0][0]


def _with_points(rng: random.Random, root: Mobject) -> None:
    for node in fastpaths.ORIGINAL["get_family"](root):
        if rng.random() < 0.5:
            node.points = np.zeros((rng.choice((0, 4, 8)), 3))


@pytest.mark.parametrize("seed", range(12))
def test_family_members_with_points_is_manims(seed):
    rng = random.Random(seed)
    root = random_tree(rng, rng.randrange(1, 30), share=seed % 2 == 0, cycle=False)
    _with_points(rng, root)
    assert fastpaths.family_members_with_points(root) == \
        fastpaths.ORIGINAL["family_members_with_points"](root)


class _FakeScene:
    """What ``Scene.get_moving_mobjects`` reads of a scene."""

    def __init__(self, tops: list[Mobject], foreground: list[Mobject]) -> None:
        self.mobjects, self.foreground_mobjects = tops, foreground

    def get_mobject_family_members(self) -> list[Mobject]:
        return fastpaths.remove_list_redundancies(
            [f for m in self.mobjects for f in m.get_family()])


@pytest.mark.parametrize("seed", range(20))
def test_get_moving_mobjects_is_manims(seed):
    rng = random.Random(seed)
    tops = [random_tree(rng, rng.randrange(1, 12), share=seed % 2 == 0, cycle=False)
            for _ in range(rng.randrange(1, 6))]
    members = [f for t in tops for f in fastpaths.ORIGINAL["get_family"](t)]
    for m in rng.sample(members, min(len(members), rng.randrange(0, 3))):
        m.add_updater(lambda mob, dt: None)
    foreground = rng.sample(members, min(len(members), rng.randrange(0, 2)))
    picked = rng.sample(members, min(len(members), rng.randrange(0, 3)))
    anims = [FadeIn(m) for m in picked]
    if len(anims) > 1 and seed % 3 == 0:
        anims = [AnimationGroup(*anims)]
    if not anims:
        anims = [Wait()]
    scene = _FakeScene(tops, foreground)
    assert fastpaths.get_moving_mobjects(scene, *anims) == \
        fastpaths.ORIGINAL["get_moving_mobjects"](scene, *anims)


@pytest.mark.parametrize("use_z,points_only", [(False, False), (True, False), (False, True),
                                                (True, True)])
@pytest.mark.parametrize("seed", range(10))
def test_extract_mobject_family_members_is_manims(seed, use_z, points_only):
    """On lists of roots and of members (what the camera passes), with repeats."""
    rng = random.Random(seed)
    tops = [random_tree(rng, rng.randrange(1, 10), share=seed % 2 == 0, cycle=False)
            for _ in range(rng.randrange(1, 5))]
    for t in tops:
        _with_points(rng, t)
        for m in fastpaths.ORIGINAL["get_family"](t):
            m.z_index = rng.choice((-1, 0, 0, 2))
    members = [f for t in tops for f in fastpaths.ORIGINAL["get_family"](t)]
    for mobjects in (tops, members, members + rng.sample(members, min(3, len(members)))):
        assert fastpaths.extract_mobject_family_members(mobjects, use_z, points_only) == \
            fastpaths.ORIGINAL["extract_mobject_family_members"](mobjects, use_z, points_only)
