"""Progress (issue 16): a phase line and a bar with a total and an ETA on a terminal, one plain
line per render and per gallery entry when stderr is not a terminal."""

from __future__ import annotations

import io
import re
from pathlib import Path
from types import SimpleNamespace

import pytest
from click.testing import CliRunner

import scenes.pipeline.run as pipeline_run
from cli import cli
from convmath import ConvSpec
from scenes.pipeline.progress import GalleryProgress, RenderProgress, planned_frames
from scenes.pipeline.request import RenderRequest


class _Scene:
    def __init__(self, *args: object, **kwargs: object) -> None:
        pass


def _fake(make_scene, path, progress=None, **kw):
    make_scene()
    for i in range(1, 4):
        if progress:
            progress(i)
    Path(path).write_bytes(b"GIF89a" + bytes(20))
    return SimpleNamespace(frames=3, duration=1.5, width=96, height=54, fps=2.0)


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pipeline_run, "_backend", lambda: _fake)
    monkeypatch.setattr(pipeline_run, "load_scene_class", lambda name: _Scene)


def test_off_a_terminal_one_plain_line_per_render(fake: None, tmp_path: Path) -> None:
    out = tmp_path / "a.gif"
    first = CliRunner().invoke(cli, ["render", "sliding", "-o", str(out)])
    assert first.exit_code == 0, first.output
    assert re.fullmatch(r"Rendered sliding in \d+\.\d s \(3 frames drawn\)\n", first.stderr)
    again = CliRunner().invoke(cli, ["render", "sliding", "-o", str(out)])
    assert again.stderr == ""  # a cache hit draws nothing


def test_planned_frames_come_from_the_previous_render_of_the_same_request(
    fake: None, tmp_path: Path
) -> None:
    out = tmp_path / "a.gif"
    request = RenderRequest.make("sliding", ConvSpec((3,), 2), output=out)
    assert planned_frames(request) is None
    pipeline_run.render_request(request)
    assert planned_frames(request) == 3  # 1.5 s at 2 fps
    other = RenderRequest.make("sliding", ConvSpec((3,), 2), output=out, step_time=0.5)
    assert planned_frames(other) is None


def test_on_a_terminal_a_phase_line_then_a_bar_with_a_total() -> None:
    stream = io.StringIO()
    with RenderProgress("sliding", planned=5, stream=stream, terminal=True) as p:
        p._progress.refresh()  # (drawn at once; the live display's own refresh is timed)
        building = stream.getvalue()
        p.frames(3)
        p._progress.refresh()
    text = stream.getvalue()
    assert "Building sliding" in building
    assert "Drawing sliding" in text and "3/5" in text
    p.finished(SimpleNamespace(cached=False))
    assert "Rendered" not in stream.getvalue()  # the bar said it all


def test_gallery_lines_off_a_terminal() -> None:
    stream = io.StringIO()
    entry = SimpleNamespace(filename="a.gif")
    with GalleryProgress(2, stream=stream, terminal=False) as p:
        p.entry(SimpleNamespace(entry=entry, ok=True, cached=False, seconds=1.25))
        p.entry(SimpleNamespace(entry=entry, ok=False, cached=False, seconds=0.5))
    assert stream.getvalue() == "[1/2] rendered a.gif (1.2 s)\n[2/2] failed a.gif (0.5 s)\n"


def test_gallery_bar_on_a_terminal() -> None:
    stream = io.StringIO()
    with GalleryProgress(4, stream=stream, terminal=True) as p:
        p.entry(SimpleNamespace(entry=SimpleNamespace(filename="x.gif"), ok=True, cached=True,
                                seconds=0.1))
        p._progress.refresh()
    assert "1/4" in stream.getvalue() and "x.gif" in stream.getvalue()


def test_the_first_render_on_a_terminal_plans_a_total_and_an_eta() -> None:
    stream = io.StringIO()
    with RenderProgress("sliding", planned=None, stream=stream, terminal=True) as p:
        p.planning()
        planning = stream.getvalue()
        p.plan(8)
        for n in (1, 2, 3):
            p.frames(n)
        p._progress.refresh()
    text = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", stream.getvalue())  # no colours, no moves
    assert "Planning sliding" in planning
    assert "3/8" in text
    # elapsed, then the time remaining (rich writes -:--:-- until it has a speed)
    assert re.search(r"frames \d:\d\d:\d\d (\d:\d\d:\d\d|-:--:--)", text), text


def test_the_cli_plans_the_first_render_on_a_terminal_only(
    fake: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import scenes.pipeline.progress as progress

    dry = []
    monkeypatch.setattr(progress, "dry_run_frames", lambda request, cache=True: dry.append(1) or 3)
    monkeypatch.setattr(progress, "_is_terminal", lambda stream: True)
    on = CliRunner().invoke(cli, ["render", "sliding", "-o", str(tmp_path / "a.gif")])
    assert on.exit_code == 0, on.output
    assert dry == [1] and "Planning sliding" in on.stderr and "3/3" in on.stderr
    monkeypatch.setattr(progress, "_is_terminal", lambda stream: False)
    off = CliRunner().invoke(cli, ["render", "sliding", "-o", str(tmp_path / "b.gif")])
    assert off.exit_code == 0 and dry == [1]  # no dry run when no bar is shown
    assert re.fullmatch(r"Rendered sliding in \d+\.\d s \(3 frames drawn\)\n", off.stderr)


@pytest.mark.render
def test_a_dry_run_plans_the_frames_a_render_draws(tmp_path: Path) -> None:
    from scenes.pipeline.frames import render_to_file
    from scenes.pipeline.progress import dry_run_frames
    from scenes.pipeline.run import _scene_factory

    request = RenderRequest.make("flip", ConvSpec((3,), 2), output=tmp_path / "f.gif",
                                 width=64, fps=4)
    planned = dry_run_frames(request)
    drawn = []
    render_to_file(_scene_factory(request), request.path, width=64, fps=4,
                   progress=drawn.append)
    assert planned is not None and abs(planned - drawn[-1]) <= 0.05 * drawn[-1]


@pytest.mark.parametrize(("count", "said"), [(1, "1 frame drawn"), (2, "2 frames drawn"),
                                             (0, "0 frames drawn")])
def test_the_plain_line_counts_frames_in_the_right_number(count: int, said: str) -> None:
    stream = io.StringIO()
    with RenderProgress("sliding", stream=stream, terminal=False) as p:
        for n in range(1, count + 1):
            p.frames(n)
        p.finished(SimpleNamespace(cached=False))
    assert re.fullmatch(rf"Rendered sliding in \d+\.\d s \({said}\)\n", stream.getvalue())
