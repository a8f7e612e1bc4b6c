"""The kit's pacing and narration on a real (tiny) scene, read through the typed scene log.

Rules checked on the log, never on a machine's timings: cause before effect, reading times, no two
texts overlapping on screen, contrast, a preview first frame, a closing hold, sections per step.
"""

from __future__ import annotations

import numpy as np
import pytest
from manim import Transform, tempconfig
from scene_helpers import tiny_config

from convmath import ConvSpec, conv_steps
from scenes.kit import CellGrid, ConvScene, plan_pacing
from scenes.kit.log import (
    CLOSING_HOLD,
    ClosingHold,
    Preview,
    ProductsShown,
    ResultWritten,
    SceneLog,
    Section,
    TextHidden,
    TextShown,
    WindowLanded,
    reading_time,
)
from scenes.kit.pacing import MAX_GROUPS, Pacer
from scenes.layout import Box


def outs(shape):
    return [tuple(int(v) for v in i) for i in np.ndindex(*shape)]


@pytest.mark.parametrize("shape, full, kinds", [
    ((4,), 2, ["full", "fast"]),
    ((3, 3), 2, ["full", "fast"]),
    ((1,), 2, ["full"]),
    ((16, 16), 2, ["full", "fast", "rows"]),
    ((130,), 2, ["full", "fast", "rows"]),
    ((3, 3), 0, ["fast"]),
    ((5, 5), 0, ["rows"]),
])
def test_plan_pacing_covers_every_step_once_in_order(shape, full, kinds):
    phases = plan_pacing(outs(shape), full=full)
    assert [p.kind for p in phases] == kinds
    steps = [n for p in phases for n in p.steps]
    assert steps == list(range(int(np.prod(shape))))
    assert all(len(g) == 1 for p in phases if p.kind != "rows" for g in p.groups)
    rows = [p for p in phases if p.kind == "rows"]
    if rows:
        assert len(rows[0].groups) <= MAX_GROUPS
    if len(shape) == 2 and rows:
        # whole output rows: every group ends at a row's last cell; all but the first (the rest
        # of the row the quick steps began) start at a row's first cell
        o = outs(shape)
        for k, g in enumerate(rows[0].groups):
            assert o[g[-1]][1] == shape[1] - 1 and (k == 0 or o[g[0]][1] == 0)


@pytest.mark.parametrize("text, kind, expected", [
    ("one two three four", "caption", 1 + 0.3 * 4),
    ("y[0] = 2·1 + 1·(−1) = 1", "equation", 1 + 0.3 * len("y[0]=2·1+1·(−1)=1") / 6),
    ("y = 1", "worked", 3.0),
])
def test_reading_time(text, kind, expected):
    assert reading_time(text, kind) == pytest.approx(expected)


class Probe(ConvScene):
    """A minimal scene on the kit: a window over a 1D or 2D grid, paced, with a caption."""

    default_spec = ConvSpec((4, 4), 2)

    def construct(self):
        s = self.spec
        self.steps = conv_steps(self.x, self.w, s)
        self.text_font = 14
        g = CellGrid(s.grid_shape, 0.5, theme=self.theme, center=(-3, 0, 0))
        out = CellGrid(s.output_shape, 0.5, theme=self.theme, role="output", filled=False,
                       center=(3, 0, 0))
        self.input_grid, self.output_grid = g, out
        self.window = g.get_window(self.steps[0])
        self.say("title", "a probe", Box(0, 3.5, 12, 0.6), kind="title")
        self.preview(g, out, self.window, parts=("title", "window"))
        self.cells = {}
        pacer = Pacer(self, self)
        pacer.run(plan_pacing([st.out_index for st in self.steps]))
        self.narration.clear("pace")
        self.close()

    # StepView
    def land(self, steps, jump):
        cells = [t.grid_index for n in steps for t in self.steps[n].taps]
        target = self.input_grid.get_window(cells)
        if jump:
            self.window.become(target)
            return []
        return [Transform(self.window, target)]

    def where(self, step):
        st = self.steps[step]
        return st.out_index, tuple(t.grid_index for t in st.taps), ()

    def products(self, step):
        line = f"step {step}"
        self.say("eq", line, Box(0, -3.0, 12, 0.6), kind="worked")
        return [line]

    def write(self, steps):
        from manim import FadeIn
        return [FadeIn(self.output_grid.get_cell(self.steps[n].out_index, fill_opacity=0.5))
                for n in steps]

    def result_text(self, step):
        return None

    def announce(self, phase):
        self.narration.clear("eq")
        self.say("pace", f"faster: {len(phase.steps)} steps", Box(0, -3.0, 12, 0.6))


def render(spec=None, **kw):
    import tempfile
    with tempfile.TemporaryDirectory() as d, tempconfig(tiny_config(d)):
        scene = Probe(spec, step_time=0.2, **kw)
        scene.render()
    return scene


@pytest.mark.render
@pytest.mark.parametrize("spec", [ConvSpec((4, 4), 2), ConvSpec((6,), 2), ConvSpec((14, 14), 2)],
                         ids=["2d", "1d", "2d-long"])
def test_probe_keeps_every_rule(spec):
    scene = render(spec)
    log = scene.log
    assert log.violations() == []
    n = len(scene.steps)
    landed = log.of(WindowLanded)
    written = log.of(ResultWritten)
    assert sorted(e.step for e in landed) == list(range(n))
    assert sorted(e.step for e in written) == list(range(n))
    for w in written:  # cause before effect, step by step
        (land,) = [e for e in landed if e.step == w.step]
        assert w.t >= land.end
    # full steps: products between landing and result
    for p in log.of(ProductsShown):
        (land,) = [e for e in landed if e.step == p.step]
        (res,) = [e for e in written if e.step == p.step]
        assert land.end <= p.t and p.end <= res.t
    # a new output row never slides the window diagonally: it cuts
    for a, b in zip(landed, landed[1:]):
        if len(a.out_index) == 2 and a.out_index[0] != b.out_index[0] and b.t > a.t:
            assert b.jump
    # worked steps hold >= 3 s (the hold is checked by violations(); here its value)
    assert all(e.hold >= 3.0 for e in log.of(TextShown) if e.kind == "worked")
    (pv,) = log.of(Preview)
    assert pv.t == 0 and "window" in pv.parts
    (close,) = log.of(ClosingHold)
    assert close.end - close.t >= CLOSING_HOLD
    sections = [e.name for e in log.of(Section)]
    assert sections[:2] == ["step 0", "step 1"] and sections[-1] == "closing"
    assert len(scene.renderer.file_writer.sections) >= len(sections)


def _shown(t, slot, text, box, **kw):
    return TextShown(t, t, slot=slot, text=text, box=box, color="#000000",
                     background="#FFFFFF", hold=kw.pop("hold", 1.0), **kw)


@pytest.mark.parametrize("events, fragment", [
    ([ResultWritten(0.0, 0.1, step=0)], "before its window landed"),
    ([WindowLanded(0.0, 1.0, step=0), ResultWritten(0.5, 0.6, step=0)], "before its window"),
    ([WindowLanded(0.0, 1.0, step=0), ResultWritten(1.0, 1.2, step=0, full=True)],
     "before its products"),
    ([_shown(0.0, "a", "x", Box(0, 0, 2, 1)), TextHidden(0.5, 0.5, slot="a", text="x")],
     "held 0.50 s"),
    ([_shown(0.0, "a", "x", Box(0, 0, 2, 1)), _shown(0.0, "b", "y", Box(0.5, 0, 2, 1))],
     "overlap on screen"),
    ([TextShown(0, 0, slot="a", text="pale", box=Box(0, 0, 1, 1), color="#44AA99",
                background="#FFFFFF")], "contrast 2.8"),
    ([ClosingHold(0.0, 2.0)], "closing frame held 2.00 s"),
    # the worked sum of step 0 still on screen as the window lands on step 1
    ([WindowLanded(0.0, 0.5, step=0), _shown(0.5, "eq", "y[0] = 2", Box(0, -3, 4, 1),
                                             kind="worked", hold=3.0),
      ProductsShown(0.5, 1.0, step=0), ResultWritten(1.0, 1.2, step=0, full=True),
      WindowLanded(3.6, 4.0, step=1)], "worked text of step 0 ('eq') is still on screen"),
])
def test_violations_name_each_broken_rule(events, fragment):
    log = SceneLog()
    for e in events:
        log.add(e)
    assert any(fragment in v for v in log.violations(preview=False)), log.violations()


def test_subclass_class_attributes_are_options():
    """Issue 16: ``lang = "es"`` (and theme, mode) on a subclass is honoured."""

    class ProbeEs(Probe):
        lang = "es"
        theme = "dark"
        mode = "schematic"

    s = ProbeEs()
    assert (s.lang, s.theme.name, s.mode) == ("es", "dark", "schematic")
    assert ProbeEs(lang="en").lang == "en"  # an argument still wins


def test_inputs_or_arrays_not_both():
    class Inputs:
        spec = ConvSpec((3,), 2)
        x = np.array([1.0, 2.0, 3.0])
        w = np.array([1.0, -1.0])

    s = Probe(inputs=Inputs())
    assert s.spec == Inputs.spec and list(s.x) == [1, 2, 3]
    with pytest.raises(ValueError, match="inputs is invalid together with spec"):
        Probe(ConvSpec((3,), 2), inputs=Inputs())


@pytest.mark.render
def test_background_is_a_manim_color():
    from manim import ManimColor
    scene = render(ConvSpec((3,), 2), theme="dark")
    bg = scene.camera.background_color
    assert isinstance(bg, ManimColor) and bg.to_hex().upper() == scene.theme.background.upper()
