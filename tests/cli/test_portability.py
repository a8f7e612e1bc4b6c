"""The CLI and the pipeline import and run where ``fcntl`` and ``os.getuid`` do not exist
(Windows), and the pipeline's code keeps its shape (no function over 80 lines)."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

#: Blocks ``fcntl`` (as on Windows) and removes ``os.getuid`` before anything is imported.
_NO_POSIX = (
    "import sys, os\n"
    "class _Block:\n"
    "    def find_spec(self, name, path=None, target=None):\n"
    "        if name == 'fcntl':\n"
    "            raise ImportError('No module named fcntl (blocked)')\n"
    "sys.meta_path.insert(0, _Block())\n"
    "sys.modules.pop('fcntl', None)\n"
    "for attr in ('getuid', 'geteuid'):\n"
    "    if hasattr(os, attr):\n"
    "        delattr(os, attr)\n"
)


def _run(code: str, tmp_path: Path) -> subprocess.CompletedProcess:
    env = {"CONVANIM_STATE_DIR": str(tmp_path / "state"), "PATH": "/usr/bin:/bin",
           "HOME": str(tmp_path)}
    return subprocess.run([sys.executable, "-c", _NO_POSIX + code], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)


def test_import_cli_without_fcntl_or_getuid(tmp_path: Path) -> None:
    code = (
        "import cli, scenes.pipeline.run, scenes.pipeline.files, scenes.gallery\n"
        "assert 'fcntl' not in sys.modules\n"
        "from click.testing import CliRunner\n"
        "r = CliRunner().invoke(cli.cli, ['explain', '--dims', '1', '--values', '1,2,3',\n"
        "                                 '--weights', '1,-1'])\n"
        "assert r.exit_code == 0, r.output\n"
        "print('ok')\n"
    )
    result = _run(code, tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().endswith("ok")


def test_state_folders_and_atomic_files_without_getuid(tmp_path: Path) -> None:
    code = (
        "from pathlib import Path\n"
        "from scenes.pipeline import files\n"
        "log = files.new_log('x')\n"
        f"out = Path({str(tmp_path)!r}) / 'a.txt'\n"
        "files.write_atomic(out, 'hi')\n"
        "assert out.read_text() == 'hi' and log.is_file()\n"
        "print('ok')\n"
    )
    result = _run(code, tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"


#: The modules this layer owns: every function in them is at most 80 lines.
OWN = [
    *sorted((ROOT / "scenes" / "pipeline").glob("*.py")),
    *sorted((ROOT / "scenes" / "gallery").glob("*.py")),
    ROOT / "scenes" / "catalog.py",
    ROOT / "scenes" / "inputs.py",
    ROOT / "cli.py",
    ROOT / "convmath" / "parse.py",
]


@pytest.mark.parametrize("path", OWN, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_function_over_80_lines(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    long = [
        f"{node.name} ({node.end_lineno - node.lineno + 1} lines)"
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and node.end_lineno - node.lineno + 1 > 80
    ]
    assert long == []


def test_cli_restores_the_signal_handlers_it_changes(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """A render run in-process (CliRunner, a notebook) must not leave SIGTERM raising
    SystemExit in the host process once it is done."""
    import signal
    from types import SimpleNamespace

    from click.testing import CliRunner

    import scenes.pipeline.run as pipeline_run
    from cli import cli

    seen: list[object] = []

    def fake(make_scene, path, **kw):
        seen.append(signal.getsignal(signal.SIGTERM))
        Path(path).write_bytes(b"GIF89a" + bytes(8))
        return SimpleNamespace(frames=2, duration=1.0, width=64, height=36, fps=2.0)

    monkeypatch.setattr(pipeline_run, "_backend", lambda: fake)
    monkeypatch.setattr(pipeline_run, "load_scene_class", lambda name: object)
    before = {s: signal.getsignal(s) for s in (signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT)}
    result = CliRunner().invoke(cli, ["render", "sliding", "-o", str(tmp_path / "a.gif")])
    assert result.exit_code == 0, result.output
    assert seen and seen[0] is not before[signal.SIGTERM]  # turned into SystemExit meanwhile
    assert {s: signal.getsignal(s) for s in before} == before
