"""`scenes.pipeline.frames.render_to_file` on a tiny stand-in scene (squares and Text moving, a
few play() calls), rendered for real at 160×90 and 5–10 fps; files checked with PyAV and Pillow."""

from __future__ import annotations

import logging
import tempfile
from pathlib import Path

import av
import numpy as np
import pytest
from manim import BLUE, DOWN, RIGHT, UP, FadeIn, Scene, Square, Text, VGroup, config
from PIL import Image

from convmath import ConvMathError
from scenes.kit.theme import DARK, LIGHT
from scenes.pipeline.frames import render_to_file
from scenes.pipeline.options import (
    FORMATS,
    GIF_FPS,
    GIF_WIDTH,
    QUALITIES,
    frame_size,
    output_geometry,
)
from scenes.pipeline.writers import theme_colors

pytestmark = pytest.mark.render

RUN_TIMES = (0.6, 0.4, 0.5)  # the stand-in's animations, then a wait
WAIT = 0.4


class StandIn(Scene):
    """Squares in theme colours and a Text label, moved by three play() calls and a wait."""

    def __init__(self, theme=LIGHT, fail_after: int | None = None, interrupt: bool = False):
        self.theme = theme
        self.fail_after = fail_after
        self.interrupt = interrupt
        super().__init__()

    def construct(self) -> None:
        t = self.theme
        self.camera.background_color = t.background
        squares = VGroup(
            *[
                Square(1.2, fill_color=c, fill_opacity=1, stroke_color=t.grid_stroke)
                for c in (t.input, t.kernel, t.output)
            ]
        ).arrange(RIGHT)
        label = Text("conv 3", color=t.text, font_size=40).to_edge(UP)
        self.add(label)
        steps = [
            FadeIn(squares),
            squares[0].animate.shift(DOWN),
            label.animate.shift(RIGHT * 2),
        ]
        for k, (anim, run_time) in enumerate(zip(steps, RUN_TIMES)):
            if self.fail_after is not None and k == self.fail_after:
                raise RuntimeError("scene failed on purpose")
            if self.interrupt and k == 1:
                raise KeyboardInterrupt
            self.play(anim, run_time=run_time)
        self.wait(WAIT)


class Empty(Scene):
    def construct(self) -> None:
        self.add(Square(color=BLUE))


@pytest.fixture(scope="module")
def renders(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple]:
    """One tiny render per format (shared by the checks below to keep the suite fast)."""
    out = {}
    d = tmp_path_factory.mktemp("renders")
    for fmt in FORMATS:
        seen: list[int] = []
        info = render_to_file(
            StandIn, d / f"s.{fmt}", fmt=fmt, width=160, fps=10, progress=seen.append
        )
        out[fmt] = (info, seen)
    return out


def expected_frames(fps: float) -> int:
    """manim draws ceil(run_time * fps) frames per play and int(wait * fps) per static wait."""
    return sum(int(np.ceil(r * fps)) for r in RUN_TIMES) + int(WAIT * fps)


@pytest.mark.parametrize(
    ("fmt", "container", "codec"),
    [("mp4", "mp4", "h264"), ("webm", "webm", "vp9")],
)
def test_video_container_codec_frames(renders: dict, fmt: str, container: str, codec: str) -> None:
    info, seen = renders[fmt]
    assert info.path.stat().st_size == info.bytes > 0
    with av.open(str(info.path)) as c:
        assert container in c.format.name.split(",")
        s = c.streams.video[0]
        assert (s.codec_context.name, s.codec_context.pix_fmt) == (codec, "yuv420p")
        assert (s.codec_context.width, s.codec_context.height) == (160, 90)
        n = sum(1 for _ in c.decode(s))
    assert n == info.frames == expected_frames(10) == seen[-1]
    assert info.duration == pytest.approx(n / 10)
    assert (info.width, info.height, info.fps) == (160, 90, 10.0)
    assert seen == sorted(seen) and len(seen) >= 3  # progress: frames so far, increasing


def top_level_boxes(data: bytes) -> list[bytes]:
    boxes, i = [], 0
    while i + 8 <= len(data):
        size = int.from_bytes(data[i : i + 4], "big")
        boxes.append(data[i + 4 : i + 8])
        if size < 8:
            break
        i += size
    return boxes


def test_mp4_faststart(renders: dict) -> None:
    boxes = top_level_boxes(renders["mp4"][0].path.read_bytes())
    assert boxes.index(b"moov") < boxes.index(b"mdat")


def test_gif_timing_loop_and_theme_colours(renders: dict) -> None:
    info, seen = renders["gif"]
    with Image.open(info.path) as im:
        assert im.info["loop"] == 0
        assert im.n_frames == info.frames
        assert (im.width, im.height) == (160, 90)
        palette = {tuple(im.getpalette()[3 * k : 3 * k + 3]) for k in range(256)}
        total_ms, first = 0, None
        for k in range(im.n_frames):
            im.seek(k)
            total_ms += im.info["duration"]
            if k == im.n_frames - 1:
                first = np.asarray(im.convert("RGB"))
    frames_in = expected_frames(10)
    assert seen[-1] == frames_in
    assert info.frames < frames_in  # the static wait (and any still frame) merged
    assert total_ms == round(frames_in * 100 / 10) * 10
    for color in (LIGHT.background, LIGHT.input, LIGHT.kernel, LIGHT.output, LIGHT.text):
        assert tuple(int(color[i : i + 2], 16) for i in (1, 3, 5)) in palette
    # the flat squares come out in their exact theme colours
    flat = {tuple(p) for p in first.reshape(-1, 3)}
    for color in (LIGHT.input, LIGHT.kernel, LIGHT.output, LIGHT.background):
        assert tuple(int(color[i : i + 2], 16) for i in (1, 3, 5)) in flat


def test_png_is_the_last_frame(renders: dict) -> None:
    info, seen = renders["png"]
    assert info.frames == 1 and seen == [1]
    with Image.open(info.path) as im:
        png = np.asarray(im.convert("RGB")).astype(int)
        assert im.size == (160, 90)
    with av.open(str(renders["mp4"][0].path)) as c:
        *_, last = c.decode(video=0)
        video = last.to_ndarray(format="rgb24").astype(int)
    assert np.abs(png - video).mean() < 4  # same picture (the video is lossy)


def test_gif_is_not_manims_and_config_untouched(renders: dict) -> None:
    assert config.pixel_height != 90 and config.frame_rate != 10 and config.format != "none"
    with av.open(str(renders["gif"][0].path)) as c:
        assert "Manim" not in c.metadata.get("comment", "")


def test_dark_theme_colours_exact(tmp_path: Path) -> None:
    info = render_to_file(lambda: StandIn(theme=DARK), tmp_path / "d.gif", width=128, fps=5)
    with Image.open(info.path) as im:
        im.seek(im.n_frames - 1)
        pixels = {tuple(p) for p in np.asarray(im.convert("RGB")).reshape(-1, 3)}
    for color in (DARK.background, DARK.input, DARK.kernel, DARK.output):
        assert tuple(int(color[i : i + 2], 16) for i in (1, 3, 5)) in pixels


@pytest.mark.parametrize(
    ("make", "exc", "match"),
    [
        (lambda: StandIn(fail_after=2), RuntimeError, "on purpose"),
        (lambda: StandIn(fail_after=0), RuntimeError, "on purpose"),
        (lambda: StandIn(interrupt=True), KeyboardInterrupt, None),
        (Empty, RuntimeError, "no animation"),
        (lambda: 1 / 0, ZeroDivisionError, "division"),
        (lambda: "not a scene", TypeError, "expected a Cairo manim Scene"),
    ],
)
@pytest.mark.parametrize("fmt", ["gif", "mp4"])
def test_failure_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, make, exc, match: str | None, fmt: str
) -> None:
    scratch = tmp_path / "tmp"  # our own temp root: other processes' files cannot interfere
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    out = tmp_path / "out"
    out.mkdir()
    path = out / f"f.{fmt}"
    with pytest.raises(exc, match=match):
        render_to_file(make, path, fmt=fmt, width=96, fps=5)
    assert not path.exists()
    assert list(out.iterdir()) == []
    assert list(scratch.iterdir()) == []


def test_quiet_by_default_and_log_path(tmp_path: Path, capfd: pytest.CaptureFixture) -> None:
    log = tmp_path / "logs" / "r.log"
    render_to_file(StandIn, tmp_path / "q.png", fmt="png", width=96, log_path=log)
    out, err = capfd.readouterr()
    assert out == "" and err == ""
    assert "Rendered" in log.read_text()
    assert logging.getLogger("manim").handlers  # manim's console handler is restored


@pytest.mark.parametrize(
    ("fmt", "quality", "fps", "width", "want"),
    [
        ("mp4", "low", None, None, (854, 480, 15.0)),
        ("mp4", "l", None, None, (854, 480, 15.0)),
        ("webm", "m", None, None, (1280, 720, 30.0)),
        ("mp4", "high", None, None, (1920, 1080, 60.0)),
        ("mp4", "k", None, None, (3840, 2160, 60.0)),
        ("mp4", "low", 24, 640, (640, 360, 24.0)),
        ("mp4", "low", None, 853, (852, 480, 15.0)),
        ("gif", "low", None, None, (*frame_size(GIF_WIDTH), GIF_FPS)),
        ("gif", "high", None, None, (1920, 1080, 50.0)),
        ("gif", "low", 10, 1000, (1000, 562, 10.0)),
        ("png", "medium", None, None, (1280, 720, 30.0)),
    ],
)
def test_output_geometry(fmt, quality, fps, width, want) -> None:
    w, h, rate = output_geometry(fmt, quality, fps, width)
    assert (w, h, rate) == want
    assert w % 2 == 0 and h % 2 == 0
    assert abs(w / h - 16 / 9) < 0.02


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"fmt": "avi"}, "fmt='avi'"),
        ({"quality": "ultra"}, "quality='ultra'"),
        ({"fps": 0}, "fps=0"),
        ({"fmt": "gif", "fps": 60}, "fps=60"),
        ({"width": 10}, "width=10"),
        ({"width": 640.5}, "width=640.5"),
    ],
)
def test_invalid_options(kwargs: dict, match: str) -> None:
    args = {"fmt": "mp4", "quality": "low", "fps": None, "width": None, **kwargs}
    with pytest.raises(ConvMathError, match=match):
        output_geometry(args["fmt"], args["quality"], args["fps"], args["width"])


def test_qualities_table() -> None:
    assert set(QUALITIES) == {"low", "medium", "high", "4k"}
    assert [q.height for q in QUALITIES.values()] == [480, 720, 1080, 2160]


def test_theme_colors() -> None:
    colors = theme_colors(LIGHT)
    assert {LIGHT.background, LIGHT.input, LIGHT.text, LIGHT.fill("input")} <= set(colors)
    assert {LIGHT.tint(c) for c in LIGHT.kernel_palette} <= set(colors)
    assert len(colors) == len(set(colors)) <= 64
    assert theme_colors(None) == [] and theme_colors("light") == []


def test_png_of_a_scene_without_animations(tmp_path: Path) -> None:
    info = render_to_file(Empty, tmp_path / "e.png", fmt="png", width=96)
    with Image.open(info.path) as im:
        pixels = np.asarray(im.convert("RGB"))
    assert pixels.shape == (54, 96, 3)
    assert pixels.max() > 0  # the square's outline is there on manim's black background
