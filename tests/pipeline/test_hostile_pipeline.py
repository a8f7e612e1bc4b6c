"""Hostile machines and hostile outputs (issue 19 #1, #4–#6, #11, #15, #16): per-user state
folders, outputs that must not be replaced, names, formats, the cache's content hash, signals.

Each example of the issue is a case here; each kind has a test that walks it. The encoder is a
fake (no manim) unless a test says otherwise.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import stat
import subprocess
import tempfile
import threading
import time
from pathlib import Path
from types import SimpleNamespace

import pytest

import scenes.pipeline.run as pipeline_run
from convmath import ConvMathError, ConvSpec
from scenes.pipeline import files
from scenes.pipeline.errors import BusyError, OutputError, StateError
from scenes.pipeline.files import temp_glob
from scenes.pipeline.run import render_info

ROOT = Path(__file__).resolve().parents[2]
SPEC = ConvSpec((3,), 2)


class _Scene:
    def __init__(self, *args: object, **kwargs: object) -> None:
        self.args = args


def _backend(calls: list[Path]):
    def fake(make_scene, path, **kw):
        make_scene()
        calls.append(Path(path))
        Path(path).write_bytes(b"GIF89a" + os.urandom(32))
        return SimpleNamespace(frames=2, duration=1.0, width=64, height=36, fps=2.0)

    return fake


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> list[Path]:
    seen: list[Path] = []
    monkeypatch.setattr(pipeline_run, "_backend", lambda: _backend(seen))
    monkeypatch.setattr(pipeline_run, "load_scene_class", lambda name: _Scene)
    monkeypatch.setenv("CONVANIM_STATE_DIR", str(tmp_path / "state"))
    return seen


# --- #1 per-user state: 0700, ours, no symlinks, random names, locks that give up ---------------


def test_state_folders_are_private_and_checked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                               ) -> None:
    base = tmp_path / "state"
    monkeypatch.setenv("CONVANIM_STATE_DIR", str(base))
    logs = files.state_dir("logs")
    assert logs == base / "logs"
    for folder in (base, logs):
        assert stat.S_IMODE(os.stat(folder).st_mode) == 0o700
    os.chmod(logs, 0o777)  # opened to everyone (by another program): closed again before use
    files.state_dir("logs")
    assert stat.S_IMODE(os.stat(logs).st_mode) == 0o700


@pytest.mark.parametrize("plant", ["symlink", "file", "foreign"])
def test_planted_state_folders_are_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                           plant: str) -> None:
    base = tmp_path / "state"
    base.mkdir(mode=0o700)
    monkeypatch.setenv("CONVANIM_STATE_DIR", str(base))
    target = tmp_path / "elsewhere"
    target.mkdir()
    if plant == "symlink":
        (base / "logs").symlink_to(target)
        match = "is not a folder"
    elif plant == "file":
        (base / "logs").write_text("x")
        match = "is not a folder"
    else:
        if not hasattr(os, "getuid") or os.getuid() != 0:
            pytest.skip("needs root to give a folder to another user")
        (base / "logs").mkdir(mode=0o777)
        os.chown(base / "logs", 65534, 65534)
        match = "belongs to another user"
    with pytest.raises(StateError, match=match):
        files.state_dir("logs")
    assert list(target.iterdir()) == []


def test_log_names_are_random_and_never_follow_a_planted_link(tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch
                                                              ) -> None:
    monkeypatch.setenv("CONVANIM_STATE_DIR", str(tmp_path / "state"))
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    names = {files.new_log("out").name for _ in range(20)}
    assert len(names) == 20 and all(n.startswith("out.") and n.endswith(".log") for n in names)
    # A link planted under the old, guessable name (<stem>.<pid>.log) is never written through.
    logs = files.state_dir("logs")
    (logs / f"out.{os.getpid()}.log").symlink_to(victim)
    log = files.new_log("out")
    assert not log.is_symlink() and log.stat().st_size == 0
    assert victim.read_text() == "precious"


def test_lock_wait_gives_up_with_a_message(calls: list[Path], tmp_path: Path) -> None:
    import filelock

    out = tmp_path / "a.gif"
    digest = __import__("hashlib").sha256(str(out.resolve()).encode()).hexdigest()[:24]
    held = filelock.FileLock(str(files.state_dir("locks") / f"{digest}.lock"))
    held.acquire()
    try:
        start = time.monotonic()
        with pytest.raises(BusyError, match=r"another convanim render of .*a\.gif has held its "
                           r"lock for 0\.3 s \(lock file .*\.lock\); try again"):
            pipeline_run.render_info("sliding", SPEC, output=out, lock_timeout=0.3)
        assert time.monotonic() - start < 10
    finally:
        held.release()
    assert calls == [] and not out.exists()
    assert render_info("sliding", SPEC, output=out).bytes > 0  # free again: renders


# --- #4 -o must be a regular file or absent ------------------------------------------------------


def _fifo(p: Path) -> Path:
    os.mkfifo(p)
    return p


def _socket(p: Path) -> Path:
    s = socket.socket(socket.AF_UNIX)
    s.bind(str(p))
    s.close()
    return p


def _link(p: Path) -> Path:
    target = p.with_name("target.gif")
    target.write_bytes(b"keep")
    p.symlink_to(target)
    return p


@pytest.mark.parametrize(
    "make, kind",
    [(_fifo, "a FIFO"), (_socket, "a socket"), (_link, "a symbolic link"),
     (lambda p: Path("/dev/null"), "a device")],
)
def test_output_that_is_not_a_regular_file_is_refused_before_rendering(
    calls: list[Path], tmp_path: Path, make, kind: str
) -> None:
    target = make(tmp_path / "out.gif")
    before = os.lstat(target)
    with pytest.raises(OutputError, match=f"is invalid: it is {kind}, not a regular file") as exc:
        render_info("sliding", SPEC, output=target)
    assert exc.value.param == "output"
    assert calls == []
    after = os.lstat(target)
    assert (after.st_mode, after.st_ino) == (before.st_mode, before.st_ino)


def test_cli_refuses_a_fifo_with_one_line(tmp_path: Path, calls: list[Path]) -> None:
    from click.testing import CliRunner

    from cli import cli

    fifo = _fifo(tmp_path / "pipe.gif")
    result = CliRunner().invoke(cli, ["render", "sliding", "-o", str(fifo)])
    assert result.exit_code == 2
    assert result.stderr == (f"Error: --output='{fifo}' is invalid: it is a FIFO, not a regular "
                             "file; convanim only replaces regular files\n")
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode) and calls == []


# --- #5 the format follows the extension; a disagreement is an error; -o newdir/ ---------------


@pytest.mark.parametrize("name, fmt", [("x.mp4", "mp4"), ("x.WEBM", "webm"), ("x.png", "png"),
                                       ("x.gif", "gif")])
def test_format_is_inferred_from_the_extension(calls: list[Path], tmp_path: Path, name: str,
                                               fmt: str) -> None:
    request = pipeline_run.RenderRequest.make("sliding", SPEC, output=tmp_path / name)
    assert request.options.fmt == fmt


@pytest.mark.parametrize(
    "name, fmt, match",
    [("x.mp4", "gif", r"it ends in \.mp4 but the format is gif: name it 'x\.gif', or choose the "
      r"format mp4"),
     ("x", "gif", r"it ends in no extension but the format is gif: name it 'x\.gif'"),
     ("x.gifx", None, r"its extension '\.gifx' names no format; end it in one of \.gif, \.mp4, "
      r"\.webm, \.png"),
     ("x", None, "it has no extension")],
)
def test_extension_and_format_must_agree(calls: list[Path], tmp_path: Path, name: str,
                                         fmt: str | None, match: str) -> None:
    with pytest.raises(OutputError, match=match):
        render_info("sliding", SPEC, output=tmp_path / name, fmt=fmt)
    assert calls == [] and list(tmp_path.glob("x*")) == []


def test_output_folder_with_a_trailing_slash(calls: list[Path], tmp_path: Path) -> None:
    info = render_info("sliding", SPEC, output=f"{tmp_path / 'newdir'}/", fmt="mp4")
    assert info.path == tmp_path / "newdir" / "sliding_1d_i3_k2_s1_p0.mp4"
    assert info.path.is_file() and not (tmp_path / "newdir").is_file()


def test_cli_video_snippet_for_an_mp4_name(tmp_path: Path, calls: list[Path]) -> None:
    from click.testing import CliRunner

    from cli import cli

    out = tmp_path / "x.mp4"
    result = CliRunner().invoke(cli, ["render", "sliding", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert f'<source src="{out.as_posix()}" type="video/mp4">' in result.stdout.splitlines()[-1]
    bad = CliRunner().invoke(cli, ["render", "sliding", "-o", str(out), "--format", "gif"])
    assert bad.exit_code == 2 and bad.stderr.startswith(f"Error: --output='{out}' is invalid: "
                                                        "it ends in .mp4 but the format is gif")


# --- #6 names checked before rendering ----------------------------------------------------------


def test_a_name_the_file_system_cannot_hold_fails_before_rendering(calls: list[Path],
                                                                   tmp_path: Path) -> None:
    with pytest.raises(OutputError, match=r"its name has 304 bytes and this file system allows "
                       r"at most 255"):
        render_info("sliding", SPEC, output=tmp_path / ("x" * 300 + ".gif"))
    assert calls == []
    longest = tmp_path / ("y" * 251 + ".gif")  # legal: 255 bytes
    assert render_info("sliding", SPEC, output=longest).path == longest
    assert calls and len(calls[-1].name) <= 255


# --- #15 the cache checks a content hash ---------------------------------------------------------


def test_a_cached_file_edited_in_place_is_rendered_again(calls: list[Path], tmp_path: Path
                                                         ) -> None:
    out = tmp_path / "a.gif"
    render_info("sliding", SPEC, output=out)
    data = bytearray(out.read_bytes())
    data[10:14] = b"XXXX"  # same size, different bytes
    out.write_bytes(bytes(data))
    assert not render_info("sliding", SPEC, output=out).cached
    assert render_info("sliding", SPEC, output=out).cached
    assert len(calls) == 2


def test_a_sidecar_copied_beside_another_file_is_not_trusted(calls: list[Path], tmp_path: Path
                                                              ) -> None:
    a, b = tmp_path / "a.gif", tmp_path / "b.gif"
    render_info("sliding", SPEC, output=a)
    render_info("sliding", ConvSpec((4,), 2), output=b)
    side_b = json.loads((tmp_path / ".b.gif.json").read_text())
    side_a = json.loads((tmp_path / ".a.gif.json").read_text())
    side_a["info"]["bytes"] = b.stat().st_size
    (tmp_path / ".b.gif.json").write_text(json.dumps({**side_a, "key": side_b["key"]}))
    assert not render_info("sliding", ConvSpec((4,), 2), output=b).cached
    assert len(calls) == 3


@pytest.mark.parametrize("junk", ["[" * 100_000, "{}", "not json", '{"key": 1, "info": []}'])
def test_a_broken_sidecar_is_a_cache_miss(calls: list[Path], tmp_path: Path, junk: str) -> None:
    out = tmp_path / "a.gif"
    render_info("sliding", SPEC, output=out)
    (tmp_path / ".a.gif.json").write_text(junk)
    assert not render_info("sliding", SPEC, output=out).cached


# --- #16 SIGTERM, SIGHUP and SIGQUIT clean up ----------------------------------------------------

_SLOW = (
    "import time, scenes.pipeline.frames as f\n"
    "def slow(make_scene, path, log_path=None, **kw):\n"
    "    open(path, 'wb').write(b'partial')\n"
    "    open(log_path, 'a').write('manim says hello\\n')\n"
    "    time.sleep(60)\n"
    "f.render_to_file = slow\n"
)


@pytest.mark.parametrize("sig", ["SIGTERM", "SIGHUP", "SIGQUIT"])
def test_signals_clean_temporary_files_and_logs(tmp_path: Path, sig: str) -> None:
    convanim = ROOT / ".venv" / "bin" / "convanim"
    if not convanim.exists():
        pytest.skip("convanim is not installed (make setup)")
    hook = tmp_path / "hook"
    hook.mkdir()
    (hook / "sitecustomize.py").write_text(_SLOW)
    state = tmp_path / "state"
    env = {**os.environ, "PYTHONPATH": str(hook), "CONVANIM_STATE_DIR": str(state)}
    out = tmp_path / "a.gif"
    out.write_bytes(b"the previous render")
    proc = subprocess.Popen([str(convanim), "render", "sliding", "--dims", "1", "--input", "3",
                             "--kernel", "2", "-o", str(out), "--no-cache"],
                            cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not temp_glob(out):
        assert proc.poll() is None, proc.communicate()
        time.sleep(0.05)
    time.sleep(0.2)
    assert temp_glob(out) and list((state / "logs").iterdir())
    proc.send_signal(getattr(signal, sig))
    proc.communicate(timeout=60)
    assert proc.returncode == 128 + getattr(signal, sig)
    assert temp_glob(out) == [] and out.read_bytes() == b"the previous render"
    assert list((state / "logs").iterdir()) == []  # the interrupted render's log is gone too


# --- #11 every failure is one line ---------------------------------------------------------------


@pytest.mark.parametrize(
    "exc, line, code",
    [
        (OSError(28, "No space left on device", "/out/.a.gif.json"),
         "Error: the system refused an operation (/out/.a.gif.json): No space left on device", 1),
        (MemoryError(), "Error: out of memory: try a smaller input, kernel or --width", 1),
        (RecursionError(), "Error: the input is nested too deeply to read", 2),
        (EOFError(), "Error: unexpected end of input (an empty or truncated file?)", 2),
        (BusyError("another convanim render of x holds its lock"),
         "Error: another convanim render of x holds its lock", 75),
    ],
)
def test_each_failure_kind_is_one_error_line(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                             exc: BaseException, line: str, code: int) -> None:
    from click.testing import CliRunner

    from cli import cli

    def boom(*args: object, **kwargs: object) -> None:
        raise exc

    monkeypatch.setattr(pipeline_run, "render_request", boom)
    result = CliRunner().invoke(cli, ["render", "sliding", "-o", str(tmp_path / "a.gif")])
    assert result.exit_code == code
    assert result.stderr == line + "\n"


def test_an_unexpected_error_writes_a_log_and_says_where(monkeypatch: pytest.MonkeyPatch,
                                                         tmp_path: Path) -> None:
    from click.testing import CliRunner

    from cli import cli

    monkeypatch.setenv("CONVANIM_STATE_DIR", str(tmp_path / "state"))

    def boom(*args: object, **kwargs: object) -> None:
        raise TypeError("unsupported operand")

    monkeypatch.setattr(pipeline_run, "render_request", boom)
    result = CliRunner().invoke(cli, ["render", "sliding", "-o", str(tmp_path / "a.gif")])
    assert result.exit_code == 1
    first, rest = result.stderr.split("; the details are in ")
    assert first == "Error: internal error (TypeError: unsupported operand)"
    log = Path(rest.strip())
    assert log.parent == tmp_path / "state" / "logs" and "TypeError" in log.read_text()
    assert result.stderr.count("\n") == 1


def test_overflowing_results_are_refused(calls: list[Path], tmp_path: Path) -> None:
    with pytest.raises(ConvMathError, match="the result overflows") as exc:
        render_info("sliding", SPEC, [1e308, 1e308, 1e308], [2, 2], output=tmp_path / "a.gif")
    assert exc.value.param == "x" and calls == []


def test_concurrent_threads_wait_for_the_lock_then_hit_the_cache(calls: list[Path],
                                                                  tmp_path: Path) -> None:
    out = tmp_path / "a.gif"
    results = []
    threads = [threading.Thread(target=lambda: results.append(render_info("sliding", SPEC,
                                                                          output=out)))
               for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(calls) == 1 and sorted(r.cached for r in results) == [False, True, True]


def test_temporary_folders_are_named_first_and_made_inside_their_clean_up(tmp_path):
    """The kind behind a flaky SIGHUP test: ``tempfile.mkdtemp`` makes the folder before its
    caller's ``try`` can remove it, so a signal in between left a frame folder behind. No module
    of the pipeline or scenes calls it; :func:`files.temp_folder_name` names a folder that is
    not yet there, in the folder asked for."""
    import re as _re

    root = Path(__file__).resolve().parents[2]
    calls = [str(p.relative_to(root)) for p in (root / "scenes").rglob("*.py")
             if _re.search(r"\bmkdtemp\(", p.read_text(encoding="utf-8"))]
    assert calls == []
    a, b = files.temp_folder_name("convanim-x-", tmp_path), files.temp_folder_name("convanim-x-")
    assert a.parent == tmp_path and a.name.startswith("convanim-x-") and not a.exists()
    assert b.parent == Path(tempfile.gettempdir()) and a.name != b.name
