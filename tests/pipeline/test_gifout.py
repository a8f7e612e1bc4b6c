"""GifWriter and VideoWriter on synthetic frames, checked with independent decoders (Pillow, PyAV)
and oracles computed here (runs of identical frames, centisecond rounding, exact pixels)."""

from __future__ import annotations

import subprocess
import sys
import tempfile
import tracemalloc
from pathlib import Path

import av
import numpy as np
import pytest
from PIL import Image

from scenes.pipeline.gifout import (
    MAX_KEEP_COLORS,
    VIDEO_SETTINGS,
    GifWriter,
    ThreadedSink,
    VideoWriter,
    _changed_box,
    _RectStore,
    parse_color,
)

W, H = 64, 36
BG = (255, 255, 255)
KEEP = ["#0072B2", "#E69F00", "#009E73", "#FFFFFF", "#1A1A1A"]


def rgb(hex_color: str) -> tuple[int, int, int]:
    return tuple(int(hex_color[i : i + 2], 16) for i in (1, 3, 5))  # type: ignore[return-value]


def square_frame(x: int, color: str = "#0072B2", alpha: bool = True) -> np.ndarray:
    """Background with an 8×8 square at column ``x`` (few colours: quantisation is exact)."""
    f = np.empty((H, W, 4 if alpha else 3), np.uint8)
    f[..., :3] = BG
    if alpha:
        f[..., 3] = 255
    f[10:18, x : x + 8, :3] = rgb(color)
    f[30:34, 2:60, :3] = rgb("#1A1A1A")
    return f


def gif_frames(path: Path) -> list[tuple[np.ndarray, int]]:
    """Pillow's composited frames and their delays in centiseconds."""
    out = []
    with Image.open(path) as im:
        for k in range(im.n_frames):
            im.seek(k)
            out.append((np.asarray(im.convert("RGB")), im.info["duration"] // 10))
    return out


def runs(frames: list[np.ndarray], reps: list[int]) -> tuple[list[np.ndarray], list[int]]:
    """Oracle: merge identical consecutive frames, adding their repeat counts."""
    out_f: list[np.ndarray] = []
    out_r: list[int] = []
    for f, r in zip(frames, reps):
        if out_f and np.array_equal(out_f[-1], f):
            out_r[-1] += r
        else:
            out_f.append(f)
            out_r.append(r)
    return out_f, out_r


def write(path: Path, frames: list[np.ndarray], reps: list[int], fps: float, **kw):  # noqa: ANN201
    g = GifWriter(path, W, H, fps, **kw)
    for f, r in zip(frames, reps):
        g.write_frame(f, r)
    return g.close()


# A sequence with moves, a pause given as many repeat=1 frames, a repeated frame and a return.
SEQ_X = [0, 4, 8, 8, 8, 8, 12, 16, 16, 40, 40, 4]
SEQ_R = [1, 1, 1, 1, 1, 1, 3, 1, 7, 1, 1, 2]


@pytest.mark.parametrize("fps", [10.0, 12.5, 15.0, 30.0])
def test_merged_frames_and_durations(tmp_path: Path, fps: float) -> None:
    frames = [square_frame(x) for x in SEQ_X]
    stats = write(tmp_path / "a.gif", frames, SEQ_R, fps, keep_colors=KEEP)
    want_f, want_r = runs(frames, SEQ_R)
    got = gif_frames(tmp_path / "a.gif")
    assert stats.frames == len(want_f) == len(got) == 7
    assert stats.frames_in == sum(SEQ_R)
    # delays: cumulative rounding of frame boundaries to centiseconds
    bounds = np.round(np.cumsum([0, *want_r]) * 100 / fps).astype(int)
    assert [d for _, d in got] == list(np.diff(bounds))
    assert sum(d for _, d in got) == round(sum(SEQ_R) * 100 / fps) == stats.duration_cs
    # few colours: the GIF is lossless, frame for frame (Pillow composites the partial frames)
    for (img, _), want in zip(got, want_f):
        assert np.array_equal(img, want[..., :3])


def test_rgb_input_and_psnr_inf_when_lossless(tmp_path: Path) -> None:
    frames = [square_frame(x, alpha=False) for x in (0, 10, 20)]
    stats = write(tmp_path / "b.gif", frames, [1, 1, 1], 10, measure_psnr=True)
    assert stats.psnr == float("inf")
    assert [np.array_equal(a, b) for (a, _), b in zip(gif_frames(tmp_path / "b.gif"), frames)] == [
        True
    ] * 3


def noisy_frame(rng: np.random.Generator, x: int) -> np.ndarray:
    """Thousands of colours (palette must quantise) plus flat patches of the kept colours."""
    f = rng.integers(0, 256, (H, W, 3), dtype=np.uint8)
    for k, c in enumerate(KEEP):
        f[2:8, 2 + 12 * k : 10 + 12 * k] = rgb(c)
    f[20:28, x : x + 8] = rgb(KEEP[0])
    return f


def test_keep_colors_exact_when_quantising(tmp_path: Path) -> None:
    rng = np.random.default_rng(0)
    frames = [noisy_frame(rng, x) for x in (0, 16, 32)]
    stats = write(tmp_path / "c.gif", frames, [1, 1, 1], 10, keep_colors=KEEP, measure_psnr=True)
    assert len(np.unique(frames[0].reshape(-1, 3), axis=0)) > 1000
    with Image.open(tmp_path / "c.gif") as im:
        pal = np.array(im.getpalette()[: 3 * 256]).reshape(-1, 3)
    palette = {tuple(int(v) for v in p) for p in pal}
    for c in KEEP:
        assert rgb(c) in palette
        assert rgb(c) in stats.palette
    for (img, _), src in zip(gif_frames(tmp_path / "c.gif"), frames):
        mask = np.zeros((H, W), bool)
        for k in range(len(KEEP)):
            mask[2:8, 2 + 12 * k : 10 + 12 * k] = True
        assert np.array_equal(img[mask], src[mask])  # flat kept colours come out exact
    assert 10 < stats.psnr < 60  # lossy elsewhere, and measured


def test_without_keep_colors_quantisation_moves_a_colour(tmp_path: Path) -> None:
    """The oracle for the test above: without reserved slots the noise drags colours away."""
    rng = np.random.default_rng(0)
    frames = [noisy_frame(rng, x) for x in (0, 16, 32)]
    write(tmp_path / "d.gif", frames, [1, 1, 1], 10, max_colors=16)
    img, _ = gif_frames(tmp_path / "d.gif")[0]
    patch = img[2:8, 2:58].reshape(-1, 3)
    want = frames[0][2:8, 2:58].reshape(-1, 3)
    assert not np.array_equal(patch, want)


@pytest.mark.parametrize(("loop", "info_loop"), [(0, 0), (3, 3), (None, None)])
def test_loop_flag(tmp_path: Path, loop: int | None, info_loop: int | None) -> None:
    write(tmp_path / "e.gif", [square_frame(0), square_frame(8)], [1, 1], 10, loop=loop)
    with Image.open(tmp_path / "e.gif") as im:
        assert im.info.get("loop") == info_loop


def graphic_control_blocks(data: bytes) -> list[tuple[int, bool]]:
    """(disposal method, has transparency) of every frame, parsed from the GIF bytes."""
    out, i = [], 0
    while (i := data.find(b"\x21\xf9\x04", i)) >= 0:
        flags = data[i + 3]
        out.append(((flags >> 2) & 7, bool(flags & 1)))
        i += 8
    return out


def test_only_changed_regions_stored(tmp_path: Path) -> None:
    frames = [square_frame(x) for x in (0, 4, 30)]
    write(tmp_path / "f.gif", frames, [1, 1, 1], 10)
    data = (tmp_path / "f.gif").read_bytes()
    blocks = graphic_control_blocks(data)
    assert len(blocks) == 3
    assert all(disposal in (0, 1) for disposal, _ in blocks)  # frames build on each other
    assert all(transparent for _, transparent in blocks[1:])  # unchanged pixels transparent
    extents = []
    with Image.open(tmp_path / "f.gif") as im:
        for k in range(3):
            im.seek(k)
            extents.append(im.dispose_extent)
    assert extents[0] == (0, 0, W, H)
    # the second frame covers only the square's old and new place: columns 0..12, rows 10..18
    x0, y0, x1, y1 = extents[1]
    assert x0 >= 0 and x1 <= 12 and y0 >= 10 and y1 <= 18
    assert (x1 - x0) * (y1 - y0) < W * H / 4


def _box_oracle(a: np.ndarray, b: np.ndarray) -> tuple[int, int, int, int] | None:
    """The smallest rectangle holding every pixel where ``a`` and ``b`` differ, by a scan."""
    where = [(y, x) for y in range(a.shape[0]) for x in range(a.shape[1])
             if tuple(a[y, x]) != tuple(b[y, x])]
    if not where:
        return None
    ys, xs = [y for y, _ in where], [x for _, x in where]
    return min(ys), max(ys) + 1, min(xs), max(xs) + 1


@pytest.mark.parametrize("channels", [3, 4])
@pytest.mark.parametrize("seed", range(8))
def test_changed_box_is_the_smallest_rectangle_of_the_changes(seed: int, channels: int) -> None:
    rng = np.random.default_rng(seed)
    a = rng.integers(0, 256, (H, W, channels), dtype=np.uint8)
    b = a.copy()
    for _ in range(seed % 4):  # 0 (identical) to 3 changed pixels, borders included
        y, x, c = rng.integers(0, H), rng.integers(0, W), rng.integers(0, channels)
        y, x = (0 if seed % 2 else y), (W - 1 if seed == 3 else x)
        b[y, x, c] ^= 1 + rng.integers(0, 255)
    assert _changed_box(a, b) == _box_oracle(a, b)
    if channels == 4:  # a change of alpha only is a change
        b = a.copy()
        b[H - 1, 0, 3] ^= 7
        assert _changed_box(a, b) == (H - 1, H, 0, 1)


def test_rect_store_gives_back_every_frame_exactly(tmp_path: Path) -> None:
    """Frames stored as changed rectangles come back as the frames written (RGB, alpha
    dropped), with their first frame periods."""
    rng = np.random.default_rng(5)
    store = _RectStore(tmp_path / "r.rects", W, H)
    frame = rng.integers(0, 256, (H, W, 4), dtype=np.uint8)
    written = []
    prev = None
    for k in range(40):
        frame = frame.copy()
        y, x = rng.integers(0, H - 6), rng.integers(0, W - 6)
        frame[y:y + rng.integers(1, 6), x:x + rng.integers(1, 6)] = rng.integers(0, 256, 4)
        box = (0, H, 0, W) if prev is None else _changed_box(prev, frame)
        if box is None:
            continue
        store.append(3 * k, frame, box)
        written.append((3 * k, frame[:, :, :3].copy()))
        prev = frame
    store.close()
    back = [(start, rgb.copy()) for start, rgb in store.frames()]
    assert [s for s, _ in back] == [s for s, _ in written]
    for (_, got), (_, want) in zip(back, written):
        assert np.array_equal(got, want)
    # Only the changes are kept: far less than the frames themselves.
    assert (tmp_path / "r.rects").stat().st_size < len(written) * W * H * 3 / 4


def test_memory_independent_of_length(tmp_path: Path) -> None:
    """Python-side peak (tracemalloc: numpy, lists) of a 2000-frame GIF ≈ that of a 200-frame
    one; the encoders' C buffers are fixed-size (and covered by the benchmark's RSS)."""

    def peak(n: int) -> int:
        rng = np.random.default_rng(1)
        base = square_frame(0)
        tracemalloc.start()
        g = GifWriter(tmp_path / f"m{n}.gif", W, H, 25)
        for k in range(n):
            f = base.copy()
            f[20:24, k % 60 : k % 60 + 4, :3] = rng.integers(0, 256, 3, dtype=np.uint8)
            g.write_frame(f, 1 + k % 3)
        stats = g.close()
        _, top = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        assert stats.frames_in == sum(1 + k % 3 for k in range(n))
        return top

    short, long = peak(200), peak(2000)
    frame_bytes = W * H * 4
    assert long < short + 40 * 1024  # ten times the frames, no more than a few KB of bookkeeping
    assert long < 60 * frame_bytes  # far below holding the frames (2000 × frame_bytes)


def test_abort_and_failure_leave_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    scratch = tmp_path / "tmp"  # our own temp root: other processes' files cannot interfere
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    g = GifWriter(tmp_path / "x.gif", W, H, 10)
    g.write_frame(square_frame(0))
    g.abort()
    assert not (tmp_path / "x.gif").exists()
    with pytest.raises(ValueError, match="frame of shape"):
        with GifWriter(tmp_path / "y.gif", W, H, 10) as g2:
            g2.write_frame(square_frame(0))
            g2.write_frame(np.zeros((H + 1, W, 4), np.uint8))
    assert not (tmp_path / "y.gif").exists()
    with pytest.raises(RuntimeError, match="no frames"):
        GifWriter(tmp_path / "z.gif", W, H, 10).close()
    assert not (tmp_path / "z.gif").exists()
    assert list(scratch.iterdir()) == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["tmp"]


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"fps": 60}, "fps=60"),
        ({"fps": 0}, "fps=0"),
        ({"dither": "random"}, "dither='random'"),
        ({"loop": -1}, "loop=-1"),
        ({"keep_colors": ["#12345"]}, "keep_colors entry '#12345'"),
        ({"keep_colors": [(0, 0, 256)]}, "keep_colors entry"),
        ({"keep_colors": [f"#0000{i:02X}" for i in range(MAX_KEEP_COLORS + 1)]}, "at most"),
        ({"max_colors": 1}, "max_colors=1"),
    ],
)
def test_invalid_arguments(tmp_path: Path, kwargs: dict, match: str) -> None:
    args = {"fps": 10, **kwargs}
    fps = args.pop("fps")
    with pytest.raises(ValueError, match=match):
        GifWriter(tmp_path / "bad.gif", W, H, fps, **args)


@pytest.mark.parametrize(
    ("color", "want"),
    [("#0072B2", (0, 114, 178)), ("ffffff", (255, 255, 255)), ((1, 2, 3), (1, 2, 3))],
)
def test_parse_color(color: object, want: tuple[int, int, int]) -> None:
    assert parse_color(color) == want  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("fmt", "codec", "container"), [("mp4", "h264", "mp4"), ("webm", "vp9", "webm")]
)
def test_video_writer(tmp_path: Path, fmt: str, codec: str, container: str) -> None:
    path = tmp_path / f"v.{fmt}"
    v = VideoWriter(path, fmt, W, H, 10, VIDEO_SETTINGS[(fmt, "low")])
    for x, r in zip(SEQ_X, SEQ_R):
        v.write_frame(square_frame(x), r)
    v.close()
    with av.open(str(path)) as c:
        assert container in c.format.name.split(",")
        s = c.streams.video[0]
        assert (s.codec_context.name, s.codec_context.pix_fmt) == (codec, "yuv420p")
        decoded = [f.to_ndarray(format="rgb24") for f in c.decode(s)]
    assert len(decoded) == sum(SEQ_R)
    # lossy but close: the square is where it should be in the last frame
    last = decoded[-1].astype(int)
    assert np.abs(last[12:16, 6:10] - rgb("#0072B2")).max() < 40
    assert np.abs(last[12:16, 30:40] - BG).max() < 40


def test_video_writer_rejects_odd_size(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="size=63x36"):
        VideoWriter(tmp_path / "o.mp4", "mp4", 63, 36, 10, VIDEO_SETTINGS[("mp4", "low")])
    assert not (tmp_path / "o.mp4").exists()


def test_frames_identical_after_quantisation_are_merged(tmp_path: Path) -> None:
    """Two lossless-distinct frames whose only difference falls inside one palette entry become
    one GIF frame lasting both; the last frame is kept separate (its delay is fixed up front)."""
    a = square_frame(0)
    a[20:26, 20:26, :3] = (100, 100, 100)
    b = a.copy()
    b[20:26, 20:26, :3] = (102, 100, 100)
    c = square_frame(30)
    keep = ["#FFFFFF", "#0072B2", "#1A1A1A"]
    stats = write(tmp_path / "q.gif", [a, b, c], [2, 3, 1], 10, keep_colors=keep, max_colors=2)
    got = gif_frames(tmp_path / "q.gif")
    assert stats.frames == len(got) == 2
    assert [d for _, d in got] == [50, 10]


def test_threaded_sink_same_bytes_and_errors(tmp_path: Path) -> None:
    frames = [square_frame(x) for x in SEQ_X]
    write(tmp_path / "direct.gif", frames, SEQ_R, 10)
    t = ThreadedSink(GifWriter(tmp_path / "thread.gif", W, H, 10), queue_size=2)
    for f, r in zip(frames, SEQ_R):
        t.write_frame(f, r)
    assert t.close().frames == 7
    assert (tmp_path / "thread.gif").read_bytes() == (tmp_path / "direct.gif").read_bytes()
    bad = ThreadedSink(GifWriter(tmp_path / "bad.gif", W, H, 10))
    bad.write_frame(square_frame(0))
    bad.write_frame(np.zeros((3, 3, 4), np.uint8))  # fails on the worker thread
    with pytest.raises(ValueError, match="frame of shape"):
        bad.close()
    assert not (tmp_path / "bad.gif").exists()


RSS_SCRIPT = """
import resource, sys
import numpy as np
from pathlib import Path
from scenes.pipeline.gifout import GifWriter
n, w, h = int(sys.argv[1]), 640, 360
g = GifWriter(Path(sys.argv[2]), w, h, 25)
base = np.full((h, w, 4), 255, np.uint8)
for k in range(n):
    f = base.copy()
    f[40:120, (k * 5) % 500 : (k * 5) % 500 + 80, :3] = (k % 200, 60, 90)
    g.write_frame(f)
assert g.close().frames == n
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def test_process_memory_independent_of_length(tmp_path: Path) -> None:
    """Peak RSS (C buffers included: FFmpeg filters, encoders) of 200 distinct 640×360 frames is
    within a few MB of 20 frames' (holding them would take ~170 MB more)."""

    def peak_kb(n: int) -> int:
        out = subprocess.run(
            [sys.executable, "-c", RSS_SCRIPT, str(n), str(tmp_path / f"r{n}.gif")],
            capture_output=True, text=True, check=True, cwd=Path(__file__).resolve().parent.parent,
        )
        return int(out.stdout.split()[-1])

    short, long = peak_kb(20), peak_kb(200)
    assert long - short < 40 * 1024


def gif_blocks(data: bytes) -> tuple[bool, int, int]:
    """Walk the GIF block structure: (has a global colour table, frames, frames with a local
    colour table)."""
    packed = data[10]
    has_global = bool(packed & 0x80)
    i = 13 + (3 * 2 ** ((packed & 7) + 1) if has_global else 0)
    frames = local = 0
    while data[i] != 0x3B:
        if data[i] == 0x21:  # extension: label, then sub-blocks
            i += 2
        elif data[i] == 0x2C:  # image descriptor, optional local table, LZW code size
            p = data[i + 9]
            frames += 1
            local += bool(p & 0x80)
            i += 10 + (3 * 2 ** ((p & 7) + 1) if p & 0x80 else 0) + 1
        else:
            raise AssertionError(f"unexpected block {data[i]:#x} at {i}")
        while data[i]:
            i += data[i] + 1
        i += 1
    return has_global, frames, local


def test_one_palette_for_the_whole_animation(tmp_path: Path) -> None:
    rng = np.random.default_rng(3)
    frames = [noisy_frame(rng, x) for x in (0, 8, 16, 24)]
    write(tmp_path / "p.gif", frames, [1, 1, 1, 1], 10, keep_colors=KEEP)
    assert gif_blocks((tmp_path / "p.gif").read_bytes()) == (True, 4, 0)
