"""scenes.manim_boot: manim imported without scipy.spatial and IPython, the same rotations."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from scipy.spatial.transform import Rotation

from scenes.manim_boot import LightRotation

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("seed", range(5))
def test_light_rotation_matches_scipy(seed):
    rng = np.random.default_rng(seed)
    for rotvec in [*rng.normal(size=(20, 3)) * 4, np.zeros(3), [1e-12, 0, 0], [0, 0, np.pi]]:
        np.testing.assert_allclose(LightRotation.from_rotvec(rotvec).as_matrix(),
                                   Rotation.from_rotvec(rotvec).as_matrix(), atol=1e-12)


CODE = """
import sys
import scenes  # installs the finder
import manim
from manim.utils.space_ops import rotation_matrix
print('scipy.spatial' in sys.modules, 'IPython' in sys.modules,
      'networkx' in sys.modules, 'bs4' in sys.modules)
import numpy as np
from scipy.spatial.transform import Rotation  # the real one is still importable
import IPython  # noqa: F401
for angle, axis in [(0.3, (0, 0, 1)), (2.0, (1, 2, 3)), (-1.0, (0, 1, 0)), (0.0, (1, 0, 0))]:
    axis = np.array(axis, float)
    want = Rotation.from_rotvec(angle * axis / np.linalg.norm(axis)).as_matrix()
    assert np.allclose(rotation_matrix(angle, axis), want, atol=1e-12), (angle, axis)
print(type(Rotation.from_rotvec([0, 0, 1])).__module__.startswith('scipy'))
"""


def test_manim_imported_without_scipy_spatial_and_ipython():
    out = subprocess.run([sys.executable, "-c", CODE], cwd=ROOT, capture_output=True, text=True,
                         timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["False", "False", "False", "False", "True"]


DEFERRED = """
import sys
import scenes  # installs the finder
from manim import Code, Graph
import manim.mobject.text.code_mobject as code_mobject
g = Graph([1, 2, 3], [(1, 2), (2, 3)], layout="circular")  # networkx, imported on first use
assert len(g.vertices) == 3 and 'networkx' in sys.modules
import networkx
assert isinstance(networkx.Graph(), sys.modules['manim.mobject.graph'].nx.Graph)
c = Code(code_string="x = 1", language="python")  # bs4 and pygments
import bs4
assert isinstance(bs4.Tag.__new__(bs4.Tag), code_mobject.Tag)
assert not isinstance(1, code_mobject.Tag)
print(len(c.submobjects) > 0)
"""


def test_deferred_libraries_are_whole_when_used(tmp_path):
    # cwd: manim writes the texts of Code into ./media (never the checkout's)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    out = subprocess.run([sys.executable, "-c", DEFERRED], cwd=tmp_path, capture_output=True,
                         text=True, timeout=120, env=env)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split()[-1] == "True"


def test_inside_ipython_manim_registers_its_magic():
    code = ("import sys, IPython\nshell = IPython.core.interactiveshell.InteractiveShell.instance()"
            "\nimport scenes, manim\nprint('manim' in shell.magics_manager.magics['line'])")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                         timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split()[-1] == "True"
