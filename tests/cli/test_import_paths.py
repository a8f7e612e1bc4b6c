"""Commands that draw nothing never import manim (≈2 s of CPU per process, issue 20).

``--help`` and ``list`` are checked in ``test_cli.py``; here ``explain``, the bad-input errors
that the CLI and the engine catch before a scene is needed, and specs too large for a scene to
draw legibly (the scenes' checks live in the manim-free ``scenes.plans``), each in one fresh
interpreter.
"""

from __future__ import annotations

import json
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


#: (arguments, the one error line): specs too large for a scene to draw legibly, refused by the
#: scene's manim-free check (scenes.plans, through the catalog).
LEGIBILITY = [
    (["render", "sliding", "--input", "60"],
     "Error: spec is too large for SlidingFilter: with input 60×60, the drawn grid 60×60 would "
     "get cells of 4.4 px at 480p; the limit is cells of at least 6 px at 480p "
     "(MIN_CELL_PX_480P): inputs up to about 43×43 fit with this kernel, stride, padding and "
     "dilation"),
    (["render", "matrix", "--input", "20"],
     "Error: spec is too large for MatrixView: with input 20×20, the vector x (400 cells) would "
     "get cells of 0.8 px at 480p; the limit is cells of at least 6 px at 480p "
     "(MIN_CELL_PX_480P): inputs up to about 7×7 fit with this kernel, stride, padding and "
     "dilation"),
    (["render", "receptive", "--input", "300", "--layer", "3", "--layer", "3"],
     "Error: spec is too large for receptive: with input 300, the levels' cells would get cells "
     "of 2.1 px at 480p; the limit is cells of at least 6 px at 480p (MIN_CELL_PX_480P): inputs "
     "up to about 102 fit with this kernel, stride, padding and dilation"),
]

LEGIBILITY_CODE = """
import json, sys
from click.testing import CliRunner
from cli import cli
r = CliRunner().invoke(cli, {args!r})
print(json.dumps([r.exit_code, r.stderr, r.stdout, "manim" in sys.modules]))
"""


@pytest.mark.parametrize(("args", "line"), LEGIBILITY, ids=lambda v: " ".join(v)
                         if isinstance(v, list) else "")
def test_a_spec_too_large_to_draw_is_refused_without_manim(args, line):
    out = subprocess.run([sys.executable, "-c", LEGIBILITY_CODE.format(args=args)], cwd=ROOT,
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    code, stderr, stdout, manim_loaded = json.loads(out.stdout.strip().splitlines()[-1])
    assert (code, stderr, stdout) == (2, line + "\n", "")
    assert manim_loaded is False
