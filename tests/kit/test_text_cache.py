"""The parsed-text disk cache (`scenes.kit.text.use_disk_cache`) and its folder
(`scenes.pipeline.files.text_cache_dir`): what is read back is what Pango would build, a bad
file is rebuilt, the folder stays bounded and private. Oracle: a fresh ``manim.Text``."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import numpy as np
import pytest

import scenes.kit.text as T
from scenes.pipeline.files import text_cache_dir


@pytest.fixture
def disk(tmp_path: Path):
    folder = tmp_path / "text"
    folder.mkdir(mode=0o700)
    previous = T.use_disk_cache(folder)
    saved = dict(T._TEXT_CACHE)
    T._TEXT_CACHE.clear()
    yield folder
    T.use_disk_cache(previous)
    T._TEXT_CACHE.clear()
    T._TEXT_CACHE.update(saved)


def _points(mob) -> list[np.ndarray]:
    return [m.points for m in mob.get_family() if len(m.points)]


def _same(a, b) -> bool:
    pa, pb = _points(a), _points(b)
    return len(pa) == len(pb) and all(np.allclose(x, y) for x, y in zip(pa, pb))


CASES = [("text", "Stride 2 · padding 1 → 3×3", {}), ("text", "−0.11", {"weight": "BOLD"}),
         ("markup", "p<sub>b</sub> + p<sub>a</sub>", {})]


@pytest.mark.parametrize(("kind", "s", "kw"), CASES)
def test_a_text_read_back_from_disk_is_the_one_pango_builds(disk, monkeypatch, kind, s, kw):
    from manim import MarkupText, Text

    make = T.make_text if kind == "text" else T.make_markup
    fresh = (Text(s, font=T.FONT, font_size=24, color="#123456", **kw) if kind == "text"
             else MarkupText(s, font=T.FONT, font_size=24, color="#123456"))
    first = make(s, 24, "#123456", **kw)
    assert len(list(disk.glob("*.pkl.z"))) == 1
    T._TEXT_CACHE.clear()  # a new process: only the disk knows the text

    def no_pango(*a, **k):
        raise AssertionError("built again instead of read from the disk cache")

    monkeypatch.setattr(T, "Text", no_pango)
    monkeypatch.setattr(T, "MarkupText", no_pango)
    again = make(s, 24, "#123456", **kw)
    assert type(again) is type(fresh)
    assert _same(again, fresh) and _same(first, fresh)
    assert again.get_fill_color().to_hex().lower() == "#123456"


def test_keys_keep_size_colour_and_weight_apart(disk):
    T.make_text("3", 24, "#000000")
    T.make_text("3", 25, "#000000")
    T.make_text("3", 24, "#ffffff")
    T.make_text("3", 24, "#000000", weight="BOLD")
    T.make_markup("3", 24, "#000000")
    assert len(list(disk.glob("*.pkl.z"))) == 5


@pytest.mark.parametrize("damage", [b"", b"not zlib", b"x\x9c\x03\x00\x00\x00\x00\x01"])
def test_a_damaged_file_is_rebuilt(disk, damage):
    T.make_text("w₀", 24, "#000000")
    (entry,) = disk.glob("*.pkl.z")
    entry.write_bytes(damage)
    T._TEXT_CACHE.clear()
    mob = T.make_text("w₀", 24, "#000000")
    assert _points(mob)
    assert entry.read_bytes() != damage  # rewritten with the rebuilt text


def test_the_folder_is_pruned_to_its_bound(disk, monkeypatch):
    for n in range(10):
        (disk / f"{n:040d}.pkl.z").write_bytes(b"\0" * 1000)
        os.utime(disk / f"{n:040d}.pkl.z", (n, n))
    T._prune(disk, limit=5000)
    left = sorted(p.name for p in disk.glob("*.pkl.z"))
    assert left == [f"{n:040d}.pkl.z" for n in range(5, 10)]  # the oldest half went
    T._prune(disk, limit=5000)
    assert len(list(disk.glob("*.pkl.z"))) == 5  # within the bound: nothing more


def test_an_unwritable_folder_means_memory_only(tmp_path):
    previous = T.use_disk_cache(tmp_path / "missing" / "text")
    try:
        assert _points(T.make_text("no disk here", 24, "#000000"))
    finally:
        T.use_disk_cache(previous)


@pytest.mark.parametrize("value", ["off", "OFF", "", "0", "no"])
def test_the_cache_can_be_turned_off(monkeypatch, value):
    monkeypatch.setenv("CONVANIM_TEXT_CACHE", value)
    assert text_cache_dir() is None


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_the_folder_is_private_and_never_a_link(tmp_path, monkeypatch):
    folder = tmp_path / "shared"
    folder.mkdir(mode=0o777)
    os.chmod(folder, 0o777)
    monkeypatch.setenv("CONVANIM_TEXT_CACHE", str(folder))
    assert text_cache_dir() == folder
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    link = tmp_path / "link"
    link.symlink_to(folder)
    monkeypatch.setenv("CONVANIM_TEXT_CACHE", str(link))
    assert text_cache_dir() is None
    monkeypatch.delenv("CONVANIM_TEXT_CACHE")
    monkeypatch.setenv("CONVANIM_STATE_DIR", str(tmp_path / "state"))
    assert text_cache_dir() == tmp_path / "state" / "text"


def test_a_text_laid_out_at_one_render_size_never_serves_another(disk, tmp_path):
    """Pango wraps a line wider than manim's pixel canvas: a tiny render's wrapped text must
    not be handed to a full-size render (in memory or from the disk)."""
    from manim import tempconfig

    s = "Under layer 3: size 5, jump 1, from cell [0] to [4]"
    # (manim keeps Pango's SVG files by text, not by size: one media folder per size)
    with tempconfig({"pixel_width": 160, "pixel_height": 90, "media_dir": str(tmp_path / "a")}):
        tiny = T.make_text(s, 24, "#1a1a1a")
    with tempconfig({"pixel_width": 1920, "pixel_height": 1080,
                     "media_dir": str(tmp_path / "b")}):
        full = T.make_text(s, 24, "#1a1a1a")
        T._TEXT_CACHE.clear()
        again = T.make_text(s, 24, "#1a1a1a")
    assert tiny.height > 1.5 * full.height  # wrapped onto two lines at 160 px
    assert _same(again, full) and not _same(again, tiny)
    assert len(list(disk.glob("*.pkl.z"))) == 2
