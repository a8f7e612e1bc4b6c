"""A notebook run headless (nbclient, a real IPython kernel): ``scenes.render(...)`` as the last
line of a cell shows the GIF itself, with its alt text (issue 16). One render at 64×36, 4 fps."""

from __future__ import annotations

import base64
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

pytestmark = pytest.mark.render

CELL = """\
import scenes
from convmath import ConvSpec
scenes.render("sliding", ConvSpec((3, 3), 2), width=64, fps=4, output="nb.gif")"""


def test_the_last_line_of_a_cell_shows_the_animation_with_its_alt_text(tmp_path: Path) -> None:
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(CELL)])
    NotebookClient(nb, timeout=240, kernel_name="python3",
                   resources={"metadata": {"path": str(tmp_path)}}).execute()
    outputs = nb.cells[0].outputs
    results = [o for o in outputs if o.output_type == "execute_result"]
    assert len(results) == 1, outputs
    data, meta = results[0].data, results[0].metadata
    gif = base64.b64decode(data["image/gif"])
    assert gif[:6] == b"GIF89a" and gif == (tmp_path / "nb.gif").read_bytes()
    alt = meta["image/gif"]["alt"]
    assert "3×3" in alt and "2×2" in alt  # says what it shows: a 3×3 input, a 2×2 kernel
    assert (meta["image/gif"]["width"], meta["image/gif"]["height"]) == (64, 36)
    assert f'alt="{alt}"' in data["text/html"] and "nb.gif" in data["text/plain"]
