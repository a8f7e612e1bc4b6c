"""Commands that draw nothing never import manim (≈2 s of CPU per process, issue 20).

``--help`` and ``list`` are checked in ``test_cli.py``; here ``explain`` and the bad-input errors
that the CLI and the engine catch before a scene is needed, each in one fresh interpreter.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

#: (arguments, exit status): commands answered without drawing.
COMMANDS = [
    (["explain"], 0),
    (["explain", "--input", "7", "--stride", "2", "--padding", "same"], 0),
    (["explain", "--dims", "1", "--input", "9", "--dilation", "2", "--lang", "es"], 0),
    (["render", "sliding", "--stride", "0"], 2),
    (["render", "sliding", "--input", "3", "--kernel", "5"], 2),
    (["render", "sliding", "--input", "500"], 2),
    (["render", "sliding", "--format", "avi"], 2),
    (["render", "nosuch"], 2),
    (["render", "matrix", "--weights", "nosuch-preset"], 2),
    (["gallery", "no-such-file.toml"], 2),
]

CODE = """
import sys
from click.testing import CliRunner
from cli import cli
args, code = {args!r}, {code!r}
r = CliRunner().invoke(cli, args)
assert r.exit_code == code, (r.exit_code, r.output)
if code == 2:
    assert r.output.startswith("Error: "), r.output
print("manim" in sys.modules)
"""


@pytest.mark.parametrize(("args", "code"), COMMANDS, ids=lambda v: " ".join(v)
                         if isinstance(v, list) else str(v))
def test_command_that_draws_nothing_does_not_import_manim(args, code):
    out = subprocess.run([sys.executable, "-c", CODE.format(args=args, code=code)], cwd=ROOT,
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip().splitlines()[-1] == "False"
