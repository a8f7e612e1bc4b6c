"""The CLI's channel, group, bias and image options (issue 18): one line per bad value, exit 2,
nothing written; the values reach the engine and the scenes unchanged."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from PIL import Image

import scenes.pipeline.run as scene_render
from cli import cli


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def _fake(calls: list):
    def backend(make_scene, path, **kw):
        calls.append(make_scene())
        Path(path).write_bytes(b"GIF89a")
        from types import SimpleNamespace
        return SimpleNamespace(frames=1, duration=0.0, width=64, height=36, fps=1.0)
    return backend


class _Capture:
    def __init__(self, *args, **kwargs):
        self.args, self.kwargs = args, kwargs


def _render(runner, monkeypatch, tmp_path, *args, real_scene=False):
    calls: list = []
    monkeypatch.setattr(scene_render, "_backend", lambda: _fake(calls))
    if not real_scene:  # the real class's check_spec runs; nothing is drawn either way
        monkeypatch.setattr(scene_render, "load_scene_class", lambda name: _Capture)
    result = runner.invoke(cli, ["render", *args, "-o", str(tmp_path / "out.gif"), "--no-cache"])
    return result, calls


@pytest.mark.parametrize("args, match", [
    (["--in-channels", "0"], "Error: --in-channels=0 is invalid"),
    (["--in-channels", "3", "--out-channels", "2", "--groups", "2"],
     "Error: --groups=2 is invalid with in_channels=3"),
    (["--in-channels", "2", "--out-channels", "2", "--bias", "1,2,3"],
     r"Error: --bias has shape \(3,\), which is invalid: \(out_channels,\) is \(2,\)"),
    (["--bias", "1,x"], "Error: --bias"),
    (["--image", "/no/such/file.png"], "Error: --image='/no/such/file.png' is invalid: no such"),
])
def test_bad_channel_options(runner, monkeypatch, tmp_path, args, match):
    import re

    result, calls = _render(runner, monkeypatch, tmp_path, "sliding", *args)
    assert result.exit_code == 2, result.output
    assert re.match(match, result.stderr) and result.stderr.count("\n") == 1
    assert calls == [] and list(tmp_path.iterdir()) == []


def test_groups_refuses_too_many_channels(runner, monkeypatch, tmp_path):
    result, calls = _render(runner, monkeypatch, tmp_path, "groups", "--in-channels", "60",
                            "--out-channels", "60", real_scene=True)
    assert result.exit_code == 2 and "60" in result.stderr and "limit" in result.stderr
    assert calls == []


def test_channel_scene_defaults_and_options_reach_the_scene(runner, monkeypatch, tmp_path):
    result, calls = _render(runner, monkeypatch, tmp_path, "channels")
    assert result.exit_code == 0, result.output
    spec, x, w = calls[0].args
    assert (spec.in_channels, spec.out_channels, spec.input_shape) == (3, 2, (4, 4))
    assert x.shape == (3, 4, 4) and w.shape == (2, 3, 3, 3)
    np.testing.assert_array_equal(calls[0].kwargs["bias"], [1, -1])
    result, calls = _render(runner, monkeypatch, tmp_path, "channels", "--out-channels", "4",
                            "--groups", "1", "--bias", "1,2,3,4", "--input", "5")
    assert result.exit_code == 0, result.output
    spec = calls[0].args[0]
    assert (spec.in_channels, spec.out_channels, spec.input_shape) == (3, 4, (5, 5))
    np.testing.assert_array_equal(calls[0].kwargs["bias"], [1, 2, 3, 4])


def test_image_option(runner, monkeypatch, tmp_path):
    path = tmp_path / "pic.png"
    Image.new("RGB", (40, 20), (255, 0, 0)).save(path)
    result, calls = _render(runner, monkeypatch, tmp_path, "features", "--image", str(path),
                            "--image-size", "10")
    assert result.exit_code == 0, result.output
    spec, x, _ = calls[0].args
    assert (spec.in_channels, spec.input_shape) == (3, (5, 10))
    np.testing.assert_allclose(x[0], 1.0) and np.testing.assert_allclose(x[1:], 0.0)


def test_explain_with_channels_and_bias(runner):
    result = runner.invoke(cli, ["explain", "--in-channels", "2", "--out-channels", "2",
                                 "--input", "3", "--kernel", "2", "--bias", "1,-1",
                                 "--values", "random:3", "--max-steps", "1"])
    assert result.exit_code == 0, result.output
    assert "channels 2 → 2" in result.output and "Bias b" in result.output
    line = next(ln for ln in result.output.splitlines() if ln.startswith("- `y[0,0,0]"))
    assert "] + [" in line and line.rstrip("`").split(" = ")[-1]
