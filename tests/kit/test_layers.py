"""Static layers (scenes.kit.layers): what does not move is drawn once, and the picture stays.

Structural counts, not timings: how many mobjects manim draws per frame in the default A1, and
the frames of scenes rendered through the layers against the same scenes through manim's own
camera and split (pixel for pixel, up to 8-bit compositing rounding).
"""

from __future__ import annotations

import numpy as np
import pytest
from manim import Camera
from manim.renderer.cairo_renderer import CairoRenderer

from convmath import ConvSpec
from scenes.kit.layers import StaticLayer
from scenes.pipeline.frames import render_to_sink

#: Frame size of these renders (small, but every mark still several pixels wide).
W, H, FPS = 192, 108, 4
#: Largest difference of a colour channel allowed between the two renders (compositing a layer
#: in premultiplied 8-bit ARGB rounds an antialiased edge differently from drawing it directly).
ROUNDING = 3


def render(make, monkeypatch) -> tuple[list[np.ndarray], float]:
    """Every frame period of the scene ``make()`` builds (RGB arrays) and the mean number of
    mobjects (a layer counts as one) drawn per frame."""
    frames: list[np.ndarray] = []
    counts = {"frames": 0, "draws": 0}
    inside = [False]
    capture, render_frame = Camera.capture_mobjects, CairoRenderer.render

    def capture_mobjects(self, mobjects, **kw):
        if inside[0]:
            counts["draws"] += len(self.get_mobjects_to_display(mobjects, **kw))
        return capture(self, mobjects, **kw)

    def counted_render(self, *a, **kw):
        inside[0] = True
        counts["frames"] += 1
        try:
            return render_frame(self, *a, **kw)
        finally:
            inside[0] = False

    def write(pixels: np.ndarray, repeat: int) -> None:
        frames.extend([np.array(pixels[:, :, :3], dtype=np.int16)] * repeat)

    with monkeypatch.context() as m:
        m.setattr(Camera, "capture_mobjects", capture_mobjects)
        m.setattr(CairoRenderer, "render", counted_render)
        render_to_sink(make, write, width=W, height=H, fps=FPS)
    assert counts["frames"] > 10
    return frames, counts["draws"] / counts["frames"]


def assert_same_frames(layered: list[np.ndarray], plain: list[np.ndarray]) -> None:
    assert len(layered) == len(plain)
    worst = max(int(np.abs(a - b).max()) for a, b in zip(layered, plain))
    assert worst <= ROUNDING
    changed = sum(int((np.abs(a - b).max(axis=2) > 0).sum()) for a, b in zip(layered, plain))
    assert changed <= 0.03 * len(plain) * W * H  # rounding on some edges, nothing moved


def test_default_a1_redraws_only_what_moves_and_looks_the_same(monkeypatch):
    from scenes.sliding import SlidingFilter

    layered, draws = render(SlidingFilter, monkeypatch)
    plain, plain_draws = render(lambda: SlidingFilter(camera_class=Camera), monkeypatch)
    assert plain_draws > 100  # manim alone: the connector under the grids makes everything move
    assert draws <= 25
    assert draws < plain_draws / 4
    assert_same_frames(layered, plain)


CASES = [
    ("matrix", None),  # many plays over a big static part
    ("superposition", ConvSpec((3, 3), 2, stride=2, transposed=True)),  # Successions
]


@pytest.mark.parametrize(("name", "spec"), CASES, ids=lambda v: str(v) if v else "defaults")
def test_layers_draw_the_same_frames_as_manim(name, spec, monkeypatch):
    from scenes.catalog import load_scene_class

    cls = load_scene_class(name)
    args = () if spec is None else (spec,)
    layered, draws = render(lambda: cls(*args), monkeypatch)
    plain, plain_draws = render(lambda: cls(*args, camera_class=Camera), monkeypatch)
    assert draws <= plain_draws
    assert_same_frames(layered, plain)


def test_a_static_layer_needs_points_to_be_drawn():
    from manim import Square

    layer = StaticLayer([Square()])
    assert len(layer.points) == 4  # manim skips mobjects without points
    assert layer.z_index == 0
