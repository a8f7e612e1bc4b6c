"""`RenderInfo` (issue 16): usable as a path, shown inline by Jupyter with its alt text; and the
CLI's snippet with --link-prefix."""

from __future__ import annotations

import base64
import os
from pathlib import Path
from types import SimpleNamespace

import pytest
from click.testing import CliRunner

import scenes.pipeline.run as pipeline_run
from cli import cli
from scenes.pipeline.info import RenderInfo

GIF = b"GIF89a\x01\x00\x01\x00\x00\x00\x00;"


def _info(path: Path, **kw) -> RenderInfo:
    return RenderInfo(path=path, bytes=path.stat().st_size, frames=3, duration=1.0, width=64,
                      height=36, fps=3.0, alt='Cross-correlation of a "5×5" <input>', **kw)


def test_info_is_a_path(tmp_path: Path) -> None:
    p = tmp_path / "a.gif"
    p.write_bytes(GIF)
    info = _info(p)
    assert os.fspath(info) == str(p) and Path(info) == p and str(info) == str(p)
    with open(info, "rb") as fh:
        assert fh.read() == GIF


@pytest.mark.parametrize("suffix, mime", [(".gif", "image/gif"), (".png", "image/png")])
def test_jupyter_shows_the_image_with_its_alt_text(tmp_path: Path, suffix: str, mime: str) -> None:
    p = tmp_path / f"a{suffix}"
    p.write_bytes(GIF)
    bundle, meta = _info(p)._repr_mimebundle_()
    assert base64.b64decode(bundle[mime]) == GIF
    assert meta[mime] == {"width": 64, "height": 36, "alt": 'Cross-correlation of a "5×5" <input>'}
    tag = bundle["text/html"]
    assert tag.startswith(f'<img src="data:{mime};base64,')
    assert 'alt="Cross-correlation of a &quot;5×5&quot; &lt;input&gt;"' in tag
    assert str(p) in bundle["text/plain"]


def test_jupyter_shows_a_video_as_a_video_element(tmp_path: Path) -> None:
    p = tmp_path / "a.mp4"
    p.write_bytes(b"\x00\x00\x00\x18ftypmp42")
    bundle, _ = _info(p)._repr_mimebundle_()
    assert bundle["text/html"].startswith('<video src="data:video/mp4;base64,')
    assert "controls" in bundle["text/html"] and "image/gif" not in bundle


def test_render_snippet_with_a_link_prefix(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                           ) -> None:
    def fake(make_scene, path, **kw):
        Path(path).write_bytes(GIF)
        return SimpleNamespace(frames=3, duration=1.0, width=64, height=36, fps=3.0)

    monkeypatch.setattr(pipeline_run, "_backend", lambda: fake)
    monkeypatch.setattr(pipeline_run, "load_scene_class", lambda name: object)
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["render", "sliding", "-o", "sub/my post.gif",
                                      "--link-prefix", "https://blog.example/assets/conv/"])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[-1].endswith(
        "](https://blog.example/assets/conv/my%20post.gif)")
