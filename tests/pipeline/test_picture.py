"""Light and dark together (issue 16): one command renders both themes and prints a <picture>
that follows the reader's colour scheme; the snippet is parsed, not matched as text."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from types import SimpleNamespace

import pytest
from click.testing import CliRunner

import scenes.pipeline.run as pipeline_run
from cli import cli


class _Scene:
    def __init__(self, *args: object, **kwargs: object) -> None:
        self.kwargs = kwargs


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch) -> list[dict]:
    seen: list[dict] = []

    def fake(make_scene, path, **kw):
        seen.append({"scene": make_scene(), "path": Path(path), **kw})
        Path(path).write_bytes(b"GIF89a" + bytes(8))
        return SimpleNamespace(frames=2, duration=1.0, width=96, height=54, fps=2.0)

    monkeypatch.setattr(pipeline_run, "_backend", lambda: fake)
    monkeypatch.setattr(pipeline_run, "load_scene_class", lambda name: _Scene)
    return seen


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.tags.append((tag, dict(attrs)))


def test_both_themes_give_one_picture(calls: list[dict], tmp_path: Path) -> None:
    out = tmp_path / "a.gif"
    result = CliRunner().invoke(cli, ["render", "sliding", "--both-themes", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert [c["scene"].kwargs["theme"] for c in calls] == ["light", "dark"]
    lines = result.stdout.splitlines()
    assert lines[0] == f"Wrote {out}" and lines[2] == f"Wrote {tmp_path / 'a_dark.gif'}"
    parser = _Tags()
    parser.feed(lines[-1])
    assert [t for t, _ in parser.tags] == ["picture", "source", "img"]
    source, img = parser.tags[1][1], parser.tags[2][1]
    assert source == {"srcset": (tmp_path / "a_dark.gif").as_posix(),
                      "media": "(prefers-color-scheme: dark)"}
    assert img["src"] == out.as_posix()
    assert img["alt"].startswith("The kernel slides over the input")
    assert (img["width"], img["height"]) == ("96", "54")


def test_both_themes_with_default_names_and_a_prefix(calls: list[dict], tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["render", "sliding", "--both-themes", "--link-prefix",
                                      "/assets/conv/"])
    assert result.exit_code == 0, result.output
    parser = _Tags()
    parser.feed(result.stdout.splitlines()[-1])
    # No option shapes the convolution: the scene's own example (stride 2, padding 1).
    assert parser.tags[1][1]["srcset"] == "/assets/conv/sliding_i5_k3_s2_p1_dark.gif"
    assert parser.tags[2][1]["src"] == "/assets/conv/sliding_i5_k3_s2_p1.gif"


def test_both_themes_refuses_video(calls: list[dict], tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["render", "sliding", "--both-themes", "-o",
                                      str(tmp_path / "a.mp4")])
    assert result.exit_code == 2
    assert result.stderr == ("Error: --both-themes makes a <picture> of two GIF or PNG files: "
                             "a video cannot follow the colour scheme\n")
    assert calls == []
