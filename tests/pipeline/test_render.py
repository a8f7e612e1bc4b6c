"""`scenes.render`: naming, cache, atomic writes, concurrency, and real renders of every scene.

The first part replaces the encoder with a fake (fast, deterministic); the last part runs the
installed ``convanim`` command for real at a tiny size and checks the files with Pillow / PyAV.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import numpy as np
import pytest

import scenes
import scenes.pipeline.run as scene_render
from convmath import KERNEL_PRESETS, ConvMathError, ConvSpec
from scenes.catalog import SCENES, scene_entry
from scenes.pipeline import cache as pipeline_cache
from scenes.pipeline import options as pipeline_options
from scenes.pipeline.cache import read_info
from scenes.pipeline.errors import RenderError
from scenes.pipeline.files import temp_glob
from scenes.pipeline.naming import default_output_path
from scenes.pipeline.request import check_size
from scenes.pipeline.run import render, render_info

ROOT = Path(__file__).resolve().parents[2]
CONVANIM = ROOT / ".venv" / "bin" / "convanim"


# --- naming --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "scene, spec, kw, name",
    [
        ("sliding", ConvSpec((5, 5), 3, stride=2, padding=1), {}, "sliding_i5_k3_s2_p1.gif"),
        ("sliding", ConvSpec((5, 7), (3, 2), stride=(2, 1)), {}, "sliding_i5x7_k3x2_s2x1_p0.gif"),
        ("matrix", ConvSpec((5,), 2, flip=True), {"fmt": "mp4"}, "matrix_1d_i5_k2_s1_p0_flip.mp4"),
        ("sliding", ConvSpec((7, 7), 3, dilation=2), {}, "sliding_i7_k3_s1_p0_d2.gif"),
        ("sliding", ConvSpec((5, 5), 3, padding="same"), {}, "sliding_i5_k3_s1_psame.gif"),
        ("sliding", ConvSpec((5, 5), 3, padding=((1, 2), (0, 1))), {},
         "sliding_i5_k3_s1_p1-2x0-1.gif"),
        ("connectivity", ConvSpec((3, 3), 3, stride=2, transposed=True, output_padding=1), {},
         "connectivity_i3_k3_s2_p0_tr_op1.gif"),
        ("sizes", ConvSpec((5, 5), 3),
         {"mode": "schematic", "theme": "dark", "lang": "es", "values_tag": "sharpen"},
         "sizes_i5_k3_s1_p0_schematic_dark_es_sharpen.gif"),
    ],
)
def test_default_output_path(scene: str, spec: ConvSpec, kw: dict, name: str) -> None:
    assert default_output_path(scene, spec, **kw) == Path("media") / name


def test_quality_names_agree_with_the_encoder() -> None:
    from scenes.pipeline.gifout import VIDEO_SETTINGS
    from scenes.pipeline.writers import WRITERS

    o = pipeline_options
    assert set(o.QUALITY_ALIASES.values()) == set(o.QUALITY_NAMES) == set(o.QUALITIES)
    assert o.FORMATS == WRITERS.names() == ("gif", "mp4", "webm", "png", "svg", "pdf")
    # Every video format has encoder settings at every quality.
    assert {(f, q) for f in ("mp4", "webm") for q in o.QUALITY_NAMES} <= set(VIDEO_SETTINGS)


def test_unknown_scene_is_an_engine_error() -> None:
    with pytest.raises(ConvMathError, match="scene=.nope. is invalid: scene must be one of"):
        scene_entry("nope")


# --- a fake encoder ------------------------------------------------------------------------------


class FakeScene:
    def __init__(self, *args: object, **kwargs: object) -> None:
        self.args, self.kwargs = args, kwargs


class FakeBackend:
    """Counts calls; writes a small file through a temporary path like the real encoder."""

    def __init__(self, delay: float = 0.0, fail: BaseException | None = None) -> None:
        self.calls: list[dict] = []
        self.delay = delay
        self.fail = fail
        self.lock = threading.Lock()

    def __call__(self, make_scene, path, **kw):
        scene = make_scene()
        with self.lock:
            self.calls.append({"scene": scene, "path": Path(path), **kw})
        with open(path, "wb") as fh:
            fh.write(b"GIF89a-partial")
            fh.flush()
            time.sleep(self.delay)
            if self.fail is not None:
                raise self.fail
            fh.write(b"-complete" + bytes(len(self.calls)))
        return SimpleNamespace(frames=4, duration=2.0, width=64, height=36, fps=2.0)


@pytest.fixture
def backend(monkeypatch: pytest.MonkeyPatch) -> FakeBackend:
    fake = FakeBackend()
    monkeypatch.setattr(scene_render, "_backend", lambda: fake)
    monkeypatch.setattr(scene_render, "load_scene_class", lambda name: FakeScene)
    return fake


SPEC = ConvSpec((5, 5), 3, stride=2, padding=1)


def _visible(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if not p.name.startswith("."))


def _hidden(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


# --- cache ---------------------------------------------------------------------------------------


def test_cache_hit_miss_and_no_cache(backend: FakeBackend, tmp_path: Path) -> None:
    out = tmp_path / "a.gif"
    first = render_info("sliding", SPEC, output=out)
    assert not first.cached and first.bytes == out.stat().st_size and first.frames == 4
    again = render_info("sliding", SPEC, output=out)
    assert again.cached and again.bytes == first.bytes
    assert len(backend.calls) == 1
    render("sliding", SPEC, output=out, cache=False)
    assert len(backend.calls) == 2
    # Every pixel-changing input is part of the key.
    x = np.arange(25.0).reshape(5, 5)
    changes = [
        dict(spec=ConvSpec((5, 5), 3, stride=2, padding=1, flip=True)),
        dict(x=x),
        dict(w=np.ones((3, 3))),
        dict(mode="schematic"),
        dict(theme="dark"),
        dict(lang="es"),
        dict(step_time=0.5),
        dict(quality="medium"),
        dict(fps=5),
        dict(width=120),
        dict(scene="matrix"),
    ]
    for change in changes:
        kw = {"scene": "sliding", "spec": SPEC, "output": out, **change}
        before = len(backend.calls)
        assert not render_info(**kw).cached, change
        assert len(backend.calls) == before + 1
        assert render_info(**kw).cached, change
    # Aliases are the same request: "l" is "low".
    render_info("sliding", SPEC, output=out, quality="low")
    assert render_info("sliding", SPEC, output=out, quality="l").cached


def test_cache_miss_when_the_file_changed_or_vanished(backend: FakeBackend, tmp_path: Path
                                                      ) -> None:
    out = tmp_path / "a.gif"
    render("sliding", SPEC, output=out)
    out.write_bytes(b"edited by hand")
    assert not render_info("sliding", SPEC, output=out).cached
    out.unlink()
    assert not render_info("sliding", SPEC, output=out).cached
    assert len(backend.calls) == 3


def test_sources_digest_is_in_the_key(backend: FakeBackend, tmp_path: Path,
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "a.gif"
    render("sliding", SPEC, output=out)
    monkeypatch.setitem(pipeline_cache._SOURCE_DIGESTS, "scenes.sliding", "edited-scene")
    assert not render_info("sliding", SPEC, output=out).cached


def test_source_digest_covers_engine_kit_and_own_scene_only(tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    # A tree where the scene imports the kit, the kit the engine; the other scene and the
    # non-drawing modules are imported by nothing that draws. The digest follows the imports.
    root = tmp_path / "tree"
    files = {
        "convmath/__init__.py": "",
        "convmath/ops.py": "# ops\n",
        "scenes/__init__.py": "",
        "scenes/layout.py": "from convmath import ops\n",
        "scenes/sliding.py": "from scenes.layout import plan\n",
        "scenes/matrix.py": "from scenes import layout\n",
        "scenes/render.py": "import scenes.sliding\n",
        "scenes/gallery.py": "from scenes.render import render\n",
    }
    for rel, body in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(body)
    monkeypatch.setattr(pipeline_cache, "SOURCE_ROOT", root)

    def digest() -> str:
        pipeline_cache._SOURCE_DIGESTS.clear()
        return pipeline_cache.source_digest("scenes.sliding")

    try:
        before = digest()
        for name in ("matrix.py", "render.py", "gallery.py"):  # other scene, non-drawing modules
            (root / "scenes" / name).write_text("# edited\n")
            assert digest() == before, name
        for rel in ("scenes/sliding.py", "scenes/layout.py", "convmath/ops.py"):
            (root / rel).write_text((root / rel).read_text() + "# edited\n")
            assert digest() != before, rel
            before = digest()
        # A module the scene starts importing is covered at once, without editing any list.
        (root / "scenes" / "new_kit.py").write_text("# v1\n")
        (root / "scenes" / "sliding.py").write_text("from scenes import new_kit, layout\n")
        before = digest()
        (root / "scenes" / "new_kit.py").write_text("# v2\n")
        assert digest() != before
    finally:
        pipeline_cache._SOURCE_DIGESTS.clear()


def test_real_source_digest_follows_the_scene_modules() -> None:
    mods = pipeline_cache.source_modules(("scenes.sliding", *pipeline_cache.PIXEL_MODULES))
    assert {"scenes.sliding", "convmath.ops", "scenes.pipeline.gifout"} <= set(mods)
    assert not {"scenes.matrix", "scenes.gallery", "scenes.pipeline.run", "cli"} & set(mods)


def test_read_info_and_sidecar(backend: FakeBackend, tmp_path: Path) -> None:
    out = tmp_path / "a.gif"
    render("sliding", SPEC, output=out)
    info = read_info(out)
    assert info is not None
    assert (info.frames, info.duration, info.width, info.height) == (4, 2.0, 64, 36)
    assert _hidden(tmp_path) == [".a.gif.json"]
    assert read_info(tmp_path / "missing.gif") is None
    assert info.alt.startswith("The kernel slides over the input") and "5×5 input" in info.alt


def test_scenes_render_returns_a_path_like_info(backend: FakeBackend, tmp_path: Path) -> None:
    info = scenes.render("sliding", SPEC, output=tmp_path / "n.gif")
    path = Path(info)
    assert path == tmp_path / "n.gif" and path.is_file()
    assert os.fspath(info) == str(tmp_path / "n.gif") and info.path == path
    scene = backend.calls[0]["scene"]
    assert scene.args[0] == SPEC
    np.testing.assert_array_equal(scene.args[2], [[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]])


def test_default_path_tags_explicit_values(backend: FakeBackend, tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    plain = render("sliding", SPEC).path
    assert plain == Path("media/sliding_i5_k3_s2_p1.gif")
    assert render("sliding", SPEC, w=[[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]]).path == plain
    tagged = render("sliding", SPEC, x=np.ones((5, 5))).path
    assert re.fullmatch(r"media/sliding_i5_k3_s2_p1_x[0-9a-f]{6}\.gif", tagged.as_posix())
    preset = render("sliding", SPEC, x=np.ones((5, 5)), w=KERNEL_PRESETS["laplacian"]).path
    assert preset.as_posix() == tagged.as_posix()[:-4] + "_laplacian.gif"
    other = render("sliding", SPEC, w=np.ones((3, 3)) * 2).path
    assert re.fullmatch(r"media/sliding_i5_k3_s2_p1_w[0-9a-f]{6}\.gif", other.as_posix())


@pytest.mark.parametrize(
    "kw, match",
    [
        ({"mode": "fancy"}, "mode='fancy' is invalid: mode must be one of numeric, schematic"),
        ({"theme": "blue"}, "theme='blue' is invalid"),
        ({"lang": "fr"}, "lang='fr' is invalid"),
        ({"fmt": "avi"}, "fmt='avi' is invalid: fmt must be one of gif, mp4, webm, png"),
        ({"quality": "ultra"}, "quality='ultra' is invalid"),
        ({"fps": 0}, "fps=0 is invalid: fps must be a number in 1..50 for a GIF"),
        ({"fps": "5"}, "fps='5' is invalid: fps must be a number"),
        ({"width": 3}, "width=3 is invalid"),
        ({"step_time": 0}, "step_time=0 is invalid"),
        ({"x": np.ones((4, 4))}, r"x has shape \(4, 4\), which is invalid"),
    ],
)
def test_bad_options_raise_before_rendering(backend: FakeBackend, tmp_path: Path, kw: dict,
                                            match: str) -> None:
    with pytest.raises(ConvMathError, match=match):
        render("sliding", SPEC, output=tmp_path / "a.gif", **kw)
    assert backend.calls == [] and list(tmp_path.iterdir()) == []


def test_size_guard_before_any_array(backend: FakeBackend, tmp_path: Path) -> None:
    # The engine itself refuses specs over convmath.MAX_CELLS (issue 19 #7/#8) ...
    with pytest.raises(ConvMathError, match=r"input_shape=\(100000, 100000\) is invalid"):
        ConvSpec((100_000, 100_000), 3)  # 80 GB of values if anything allocated them
    # ... and the render guard refuses far smaller ones before any array is made.
    huge = ConvSpec((1000, 1000), 3)
    with pytest.raises(ConvMathError, match=r"input_shape=1000×1000 is too large: it has "
                       r"1000000 cells .* at most 10000 cells per grid"):
        render("sliding", huge, output=tmp_path / "a.gif")
    check_size(ConvSpec((100, 100), 3))  # the limit itself is fine


def test_broken_scene_module_is_a_render_error(monkeypatch: pytest.MonkeyPatch,
                                               tmp_path: Path) -> None:
    def broken(name: str) -> type:
        raise SyntaxError("invalid syntax (sliding.py, line 12)")

    monkeypatch.setattr(scene_render, "load_scene_class", broken)
    monkeypatch.setattr(scene_render, "_backend", lambda: FakeBackend())
    with pytest.raises(RenderError, match=r"^loading the sliding scene failed \(SyntaxError: "
                       r"invalid syntax \(sliding.py, line 12\)\)$") as info:
        render("sliding", SPEC, output=tmp_path / "a.gif")
    assert "SyntaxError" in info.value.log_path.read_text()
    info.value.log_path.unlink()
    assert list(tmp_path.iterdir()) == []


# --- atomic writes -------------------------------------------------------------------------------


@pytest.mark.parametrize("error", [RuntimeError("boom"), KeyboardInterrupt()])
def test_failed_render_leaves_nothing_and_keeps_the_old_file(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, error: BaseException
) -> None:
    good = FakeBackend()
    monkeypatch.setattr(scene_render, "load_scene_class", lambda name: FakeScene)
    monkeypatch.setattr(scene_render, "_backend", lambda: good)
    out = tmp_path / "a.gif"
    render("sliding", SPEC, output=out)
    old_bytes, old_sidecar = out.read_bytes(), (tmp_path / ".a.gif.json").read_bytes()

    monkeypatch.setattr(scene_render, "_backend", lambda: FakeBackend(fail=error))
    expected = RenderError if isinstance(error, RuntimeError) else KeyboardInterrupt
    with pytest.raises(expected) as info:
        render("sliding", SPEC, output=out, cache=False)
    assert out.read_bytes() == old_bytes
    assert (tmp_path / ".a.gif.json").read_bytes() == old_sidecar
    assert _visible(tmp_path) == ["a.gif"] and _hidden(tmp_path) == [".a.gif.json"]
    if expected is RenderError:
        assert "rendering sliding failed (RuntimeError: boom)" in str(info.value)
        assert "boom" in info.value.log_path.read_text()
        info.value.log_path.unlink()

    fresh = tmp_path / "new.gif"
    with pytest.raises(expected):
        render("sliding", SPEC, output=fresh)
    assert not fresh.exists() and _visible(tmp_path) == ["a.gif"]


def test_stale_temporary_files_of_dead_renders_are_removed(backend: FakeBackend, tmp_path: Path
                                                           ) -> None:
    from scenes.pipeline.files import temp_name

    out = tmp_path / "a.gif"
    stale = tmp_path / temp_name(out)  # a killed render of a.gif left it
    alive = tmp_path / temp_name(tmp_path / "b.gif")  # another output's: not ours to remove
    stale.write_bytes(b"half")
    alive.write_bytes(b"half")
    assert temp_glob(out) == [stale]
    render("sliding", SPEC, output=out)
    assert not stale.exists() and alive.exists()


@pytest.mark.parametrize("name", ["a.gif", "x" * 200 + ".webm", "é" * 100 + ".png", "n"])
def test_temporary_names_are_no_longer_than_the_final_name(tmp_path: Path, name: str) -> None:
    from scenes.pipeline.files import create_temp, temp_name

    path = tmp_path / name
    names = {temp_name(path) for _ in range(50)}
    assert len(names) == 50  # random
    for tmp in names:
        assert tmp.startswith(".") and tmp.endswith(path.suffix)
        assert len(tmp) <= max(len(name), 20)
    made = create_temp(path)
    assert made.parent == tmp_path and made.stat().st_size == 0 and made in temp_glob(path)


# --- concurrency ---------------------------------------------------------------------------------


def test_concurrent_identical_renders_do_not_collide(monkeypatch: pytest.MonkeyPatch,
                                                     tmp_path: Path) -> None:
    slow = FakeBackend(delay=0.3)
    monkeypatch.setattr(scene_render, "_backend", lambda: slow)
    monkeypatch.setattr(scene_render, "load_scene_class", lambda name: FakeScene)
    out = tmp_path / "a.gif"
    results: list[Any] = []
    errors: list[BaseException] = []

    def work() -> None:
        try:
            results.append(render_info("sliding", SPEC, output=out))
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len(slow.calls) == 1  # the others waited for the lock, then hit the cache
    assert sorted(r.cached for r in results) == [False, True, True, True]
    assert out.read_bytes().endswith(b"-complete\x00")
    assert _visible(tmp_path) == ["a.gif"] and _hidden(tmp_path) == [".a.gif.json"]


def _render_in_child(out: str, calls: str) -> None:  # runs in a forked process
    def slow(make_scene, path, **kw):
        with open(calls, "a") as fh:
            fh.write(f"{os.getpid()}\n")
        time.sleep(0.3)
        return FakeBackend()(make_scene, path, **kw)

    scene_render._backend = lambda: slow
    scene_render.load_scene_class = lambda name: FakeScene
    info = render_info("sliding", SPEC, output=out)
    sys.exit(10 if info.cached else 0)


def test_concurrent_processes_render_once(tmp_path: Path) -> None:
    import multiprocessing

    ctx = multiprocessing.get_context("fork")
    out, calls = tmp_path / "a.gif", tmp_path / "calls.txt"
    procs = [ctx.Process(target=_render_in_child, args=(str(out), str(calls))) for _ in range(3)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
    assert sorted(p.exitcode for p in procs) == [0, 10, 10]  # one rendered, two reused it
    assert len(calls.read_text().split()) == 1
    calls.unlink()
    assert _visible(tmp_path) == ["a.gif"] and _hidden(tmp_path) == [".a.gif.json"]


def test_concurrent_different_renders_into_one_folder(monkeypatch: pytest.MonkeyPatch,
                                                      tmp_path: Path) -> None:
    # Each render waits inside the encoder until all three are inside it: that can only happen if
    # renders of different outputs do not wait for each other's lock (else the barrier breaks).
    barrier = threading.Barrier(3, timeout=30)

    def meeting(make_scene, path, **kw):
        barrier.wait()
        return FakeBackend()(make_scene, path, **kw)

    monkeypatch.setattr(scene_render, "_backend", lambda: meeting)
    monkeypatch.setattr(scene_render, "load_scene_class", lambda name: FakeScene)
    errors: list[BaseException] = []

    def work(i: int) -> None:
        try:
            render("sliding", ConvSpec((5, 5), 3, stride=i + 1), output=tmp_path / f"{i}.gif")
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert _visible(tmp_path) == ["0.gif", "1.gif", "2.gif"]
    assert len(_hidden(tmp_path)) == 3


# --- real renders through the installed command --------------------------------------------------

SMALL = {  # the smallest configurations: these tests check files, not pictures
    "sliding": ["--dims", "1", "--input", "3", "--kernel", "2"],
    "matrix": ["--dims", "1", "--input", "3", "--kernel", "2"],
    "connectivity": ["--dims", "1", "--input", "3", "--kernel", "2"],
    "superposition": ["--dims", "1", "--input", "2", "--kernel", "2"],
    "sizes": ["--dims", "1", "--input", "3", "--kernel", "2"],
    "paddings": ["--dims", "1", "--input", "3", "--kernel", "2"],
    "sizes_transposed": ["--dims", "1", "--input", "3", "--kernel", "2", "--stride", "2"],
    "flip": ["--dims", "1", "--input", "3", "--kernel", "2"],
    "equation": ["--dims", "1", "--input", "3", "--kernel", "2"],
    "deconv": ["--dims", "1", "--input", "3", "--kernel", "2"],
    "receptive": ["--dims", "1", "--input", "3", "--kernel", "2"],
    "receptive_compare": ["--dims", "1", "--input", "8", "--kernel", "2"],
    "channels": ["--dims", "1", "--input", "3", "--kernel", "2"],  # 3 → 2 channels (its own)
    "groups": ["--in-channels", "2", "--out-channels", "2"],
    "features": ["--input", "4x4"],  # the image's 3 channels, 4×4 seeded values
}
TINY = ["--quality", "low", "--width", "64", "--fps", "2", "--step-time", "0.1"]
#: Scenes also rendered to MP4 by the installed command: one 1D, one 2D with channels.
VIDEO_SCENES = ("sliding", "groups")
INSTALLED_JOBS = [(scene, "gif") for scene in SCENES] + [(s, "mp4") for s in VIDEO_SCENES]


def _scene_available(scene: str) -> bool:
    try:
        __import__(SCENES[scene].module)
        __import__("scenes.pipeline.frames")
    except ModuleNotFoundError:
        return False
    return True


def _needs(scene: str) -> None:
    if not CONVANIM.exists():
        pytest.skip(f"{CONVANIM} is not installed (run make setup)")
    if not _scene_available(scene):
        pytest.skip(f"{SCENES[scene].module} or scenes.pipeline.frames is not written yet")


def _run(args: list[str], cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(CONVANIM), *args], cwd=cwd, capture_output=True, text=True,
                          timeout=180)


def _frames(path: Path) -> tuple[int, int, int]:
    if path.suffix == ".gif":
        from PIL import Image

        with Image.open(path) as im:
            return im.n_frames, im.width, im.height
    import av

    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        n = sum(1 for _ in container.decode(stream))
        return n, stream.codec_context.width, stream.codec_context.height


@pytest.fixture(scope="module")
def installed_renders(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """Every available scene rendered to GIF by the installed command, and to MP4 the scenes of
    :data:`VIDEO_SCENES` (the video writer and its poster do not depend on the scene), two at a
    time (each render is a separate process: this halves the wall time on two cores)."""
    from concurrent.futures import ThreadPoolExecutor

    if not CONVANIM.exists():
        return {}
    jobs = [(scene, fmt) for scene, fmt in INSTALLED_JOBS if _scene_available(scene)]
    base = tmp_path_factory.mktemp("installed")

    def one(job: tuple[str, str]) -> tuple[Path, subprocess.CompletedProcess]:
        scene, fmt = job
        folder = base / f"{scene}-{fmt}"
        folder.mkdir()
        out = folder / f"{scene}.{fmt}"
        args = ["render", scene, *SMALL[scene], *TINY, "--format", fmt, "-o", str(out)]
        return out, _run(args, folder)

    with ThreadPoolExecutor(max_workers=max(1, min(4, os.cpu_count() or 1))) as pool:
        return dict(zip(jobs, pool.map(one, jobs)))


@pytest.mark.render
@pytest.mark.parametrize(("scene", "fmt"), INSTALLED_JOBS)
def test_installed_command_renders_every_scene(scene: str, fmt: str, installed_renders: dict
                                               ) -> None:
    _needs(scene)
    out, result = installed_renders[(scene, fmt)]
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == f"Wrote {out}"
    m = re.fullmatch(r"  .+ \(([\d,]+) bytes\), (\d+) frames, ([\d.]+) s, (\d+)×(\d+) px at "
                     r"([\d.]+) fps", lines[1])
    assert m, lines[1]
    size, frames, width, height = (int(m.group(1).replace(",", "")), int(m.group(2)),
                                   int(m.group(4)), int(m.group(5)))
    assert size == out.stat().st_size > 0
    n, w, h = _frames(out)
    assert (w, h) == (width, height) and w == 64
    assert n == frames > 1
    if fmt == "gif":
        assert lines[2].startswith("![") and lines[2].endswith(f"]({out.as_posix()})")
        assert _visible(out.parent) == [out.name]
        return
    poster = out.with_name(f"{out.stem}.poster.png")
    assert lines[2].startswith(f'<video controls loop muted playsinline poster="'
                               f'{poster.as_posix()}" width="64" height="36" ')
    assert f'<source src="{out.as_posix()}" type="video/mp4">' in lines[2]
    assert _visible(out.parent) == sorted([out.name, poster.name])
    # The poster is the video's first frame (the preview), written by the same render.
    import av
    import numpy as np
    from PIL import Image

    with av.open(str(out)) as container:
        first = next(container.decode(video=0)).to_ndarray(format="rgb24").astype(int)
    with Image.open(poster) as im:
        still = np.asarray(im.convert("RGB")).astype(int)
    assert still.shape == first.shape and np.abs(still - first).mean() < 6


def test_installed_command_failure_leaves_nothing(tmp_path: Path) -> None:
    _needs("sliding")
    hook = tmp_path / "hook"
    hook.mkdir()
    # A sitecustomize that makes the encoder fail half-way through writing its file.
    (hook / "sitecustomize.py").write_text(
        "import scenes.pipeline.frames as o\n"
        "def broken(make_scene, path, **kw):\n"
        "    open(path, 'wb').write(b'partial')\n"
        "    raise MemoryError('cairo ran out of memory')\n"
        "o.render_to_file = broken\n"
    )
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    (out_dir / "keep.gif").write_bytes(b"old")
    env = {**os.environ, "PYTHONPATH": str(hook)}
    result = subprocess.run(
        [str(CONVANIM), "render", "sliding", "--input", "3", "--kernel", "2", "-o",
         str(out_dir / "keep.gif")],
        cwd=tmp_path, capture_output=True, text=True, timeout=120, env=env,
    )
    assert result.returncode == 1
    m = re.fullmatch(r"Error: rendering sliding failed \(MemoryError: cairo ran out of memory\)\. "
                     r"The log is in (\S+)\n", result.stderr)
    assert m, result.stderr
    assert Path(m.group(1)).is_file()
    Path(m.group(1)).unlink()
    assert sorted(p.name for p in out_dir.iterdir()) == ["keep.gif"]
    assert (out_dir / "keep.gif").read_bytes() == b"old"


@pytest.mark.render
@pytest.mark.parametrize("sig, fmt", [("SIGTERM", "mp4"), ("SIGHUP", "gif")])
def test_installed_command_interrupted_leaves_nothing(tmp_path: Path, sig: str, fmt: str) -> None:
    _needs("sliding")
    out = tmp_path / f"a.{fmt}"
    out.write_bytes(b"the previous render")
    scratch, state = tmp_path / "tmp", tmp_path / "state"
    scratch.mkdir()
    env = {**os.environ, "TMPDIR": str(scratch), "CONVANIM_STATE_DIR": str(state)}
    proc = subprocess.Popen(
        [str(CONVANIM), "render", "sliding", "--input", "5", "--kernel", "3", "--width", "64",
         "--fps", "4", "-o", str(out), "--no-cache"],
        cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
    )
    deadline = time.monotonic() + 120
    # Wait until manim draws: its frame folder exists in TMPDIR (and our temporary file).
    while time.monotonic() < deadline and not (temp_glob(out) and list(scratch.iterdir())):
        assert proc.poll() is None, "the render ended before it could be interrupted"
        time.sleep(0.02)
    assert temp_glob(out), "no temporary file appeared"
    assert list(scratch.iterdir()), "no frame folder appeared"
    proc.send_signal(getattr(signal, sig))
    proc.communicate(timeout=60)
    assert proc.returncode == 128 + getattr(signal, sig)
    assert temp_glob(out) == []
    assert out.read_bytes() == b"the previous render"
    assert _visible(tmp_path) == [f"a.{fmt}", "state", "tmp"]
    assert list(scratch.iterdir()) == []  # frame folders gone
    assert list((state / "logs").iterdir()) == []  # and the interrupted render's log
