"""The render command's embeds (issue 16): the over-500 KB warning, MP4 + WebM in one
``<video>`` and the long description; no rendering (a fake encoder)."""

from __future__ import annotations

from html.parser import HTMLParser
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


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


@pytest.mark.parametrize("output", ["talk.mp4", "talk.webm", "talk"])
def test_video_sources_print_one_video_with_webm_and_mp4(fake, output: str) -> None:
    result = CliRunner().invoke(cli, ["render", "flip", "--video-sources", "-o", output,
                                      "--link-prefix", "/assets/conv/"])
    assert result.exit_code == 0, result.output
    assert Path("talk.webm").is_file() and Path("talk.mp4").is_file()
    parser = _Tags()
    parser.feed(result.stdout.splitlines()[-1])
    names = [t for t, _ in parser.tags]
    assert names == ["video", "source", "source", "a"]
    video, webm, mp4, link = (a for _, a in parser.tags)
    assert {"controls", "loop", "muted", "playsinline"} <= set(video)
    assert video["poster"] == "/assets/conv/talk.poster.png" and Path("talk.poster.png").is_file()
    assert (video["width"], video["height"]) == ("854", "480")
    assert video["aria-label"].startswith("Convolution vs cross-correlation")
    assert (webm["src"], webm["type"]) == ("/assets/conv/talk.webm", "video/webm")
    assert (mp4["src"], mp4["type"]) == ("/assets/conv/talk.mp4", "video/mp4")
    assert link["href"] == "/assets/conv/talk.mp4"
    assert "".join(parser.text) == video["aria-label"]  # the fallback text


@pytest.mark.parametrize("extra", [["--both-themes"], ["--format", "gif"]])
def test_video_sources_refuse_other_formats_and_themes(fake, extra: list[str]) -> None:
    result = CliRunner().invoke(cli, ["render", "sliding", "--video-sources", *extra])
    assert result.exit_code == 2 and result.output.count("Error:") == 1
    assert "--video-sources renders one WebM and one MP4" in result.output
