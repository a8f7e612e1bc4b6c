"""The writer registry's base classes: hooks a writer must provide are abstract, and a still
writer given frames (or an animated one given a still) fails with a TypeError naming it."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from scenes.pipeline.writers import WRITERS, FrameWriter, _SinkWriter


def test_a_writer_without_close_cannot_be_made(tmp_path: Path) -> None:
    class NoClose(FrameWriter):
        suffix = ".x"

    with pytest.raises(TypeError, match="abstract"):
        NoClose(tmp_path / "a.x", 64, 36, 4.0, quality="low")


def test_a_sink_writer_without_a_sink_cannot_be_made(tmp_path: Path) -> None:
    class NoSink(_SinkWriter):
        suffix = ".y"

    with pytest.raises(TypeError, match="abstract"):
        NoSink(tmp_path / "a.y", 64, 36, 4.0, quality="low")


@pytest.mark.parametrize("fmt", [n for n in WRITERS.names() if WRITERS[n].still])
def test_a_still_writer_refuses_frames_by_name(tmp_path: Path, fmt: str) -> None:
    cls = WRITERS[fmt]
    writer = cls(tmp_path / f"a{cls.suffix}", 64, 36, 4.0, quality="low")
    with pytest.raises(TypeError, match=f"the {fmt} writer writes one still"):
        writer.write_frame(np.zeros((36, 64, 4), np.uint8))


def test_an_animated_writer_refuses_a_still_by_name(tmp_path: Path) -> None:
    writer = WRITERS["gif"](tmp_path / "a.gif", 64, 36, 4.0, quality="low")
    try:
        with pytest.raises(TypeError, match="the gif writer writes an animation"):
            writer.write_still(np.zeros((36, 64, 4), np.uint8))
    finally:
        writer.abort()
