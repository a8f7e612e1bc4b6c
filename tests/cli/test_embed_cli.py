"""The render command's embeds (issue 16): the over-500 KB warning, MP4 + WebM in one
``<video>`` and the long description; no rendering (a fake encoder)."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest
from click.testing import CliRunner

import scenes.pipeline.options as options
import scenes.pipeline.run as pipeline_run
from cli import cli


def _fake(size: int):
    def encode(make_scene, path, fmt="gif", poster=None, **kw):
        Path(path).write_bytes(b"GIF89a" + bytes(size))
        if poster is not None:
            Path(poster).write_bytes(b"\x89PNG" + bytes(8))
        return SimpleNamespace(frames=3, duration=1.0, width=854, height=480, fps=3.0)

    return encode


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    def use(size: int = 100) -> None:
        monkeypatch.setattr(pipeline_run, "_backend", lambda: _fake(size))

    monkeypatch.setattr(pipeline_run, "load_scene_class", lambda name: object)
    monkeypatch.chdir(tmp_path)
    use()
    return use


@pytest.mark.parametrize(("size", "warned"), [(600 * 1024, True), (400 * 1024, False)])
def test_a_gif_over_500_kb_says_so_on_one_line(fake, size: int, warned: bool) -> None:
    fake(size)
    result = CliRunner().invoke(cli, ["render", "sliding", "-o", "a.gif"])
    assert result.exit_code == 0, result.output
    lines = [ln for ln in result.stderr.splitlines() if ln.startswith("Warning:")]
    if not warned:
        assert lines == []
        return
    assert len(lines) == 1
    assert "a.gif is 600.0 KB, over 500 KB" in lines[0]
    assert "--width 480" in lines[0] and "--format mp4" in lines[0]
    assert ("--format webp" in lines[0]) == ("webp" in options.FORMATS)
    assert "a.gif" in result.stdout  # the snippet is still printed


def test_the_threshold_is_the_options_constant(fake, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(options, "GIF_WARN_BYTES", 1024)
    fake(2000)
    result = CliRunner().invoke(cli, ["render", "sliding", "-o", "b.gif"])
    assert result.stderr.count("Warning:") == 1 and "over 1 KB" in result.stderr
    video = CliRunner().invoke(cli, ["render", "sliding", "-o", "b.mp4"])
    assert "Warning:" not in video.stderr  # only GIFs are warned about
