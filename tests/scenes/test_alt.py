"""Alt text per scene (issue 16): every scene × language says what THAT scene shows, in that
language, with the numbers of the convolution it draws (oracles: numpy shapes and counts, not the
engine's own sizes), and the long description is the explain text."""

from __future__ import annotations

import re

import numpy as np
import pytest
from click.testing import CliRunner

from cli import cli
from convmath import ConvSpec, describe_spec
from scenes.alt import alt_text, long_description
from scenes.catalog import SCENES
from scenes.wording import STRINGS

CASES = [(name, lang) for name in SCENES for lang in ("en", "es")]
#: Words that give a language away (whole words).
ENGLISH = {"the", "and", "of", "with", "each", "input", "kernel", "output"}
SPANISH = {"el", "la", "las", "los", "de", "con", "cada", "entrada", "filtro", "salida"}


def _words(text: str) -> set[str]:
    return set(re.findall(r"[a-záéíóúñ]+", text.lower()))


@pytest.mark.parametrize(("name", "lang"), CASES)
def test_every_scene_has_its_own_alt_text_in_its_language(name: str, lang: str) -> None:
    spec = SCENES[name].defaults.spec
    alt = alt_text(name, spec, lang)
    assert set(STRINGS[f"alt_{name}"]) == {"en", "es"}
    assert "{" not in alt and "}" not in alt and alt == " ".join(alt.split())
    others = {alt_text(n, SCENES[n].defaults.spec, lang) for n in SCENES if n != name}
    assert alt not in others  # no two scenes share an alt text
    words = _words(alt)
    foreign = (SPANISH - {"de"}) if lang == "en" else (ENGLISH - {"input", "output"})
    assert not words & foreign, words & foreign
    assert words & (ENGLISH if lang == "en" else SPANISH)


def test_flip_no_longer_reads_as_one_cross_correlation() -> None:
    spec = SCENES["flip"].defaults.spec
    assert not alt_text("flip", spec, "en").startswith("Cross-correlation of")
    assert alt_text("flip", spec, "en").startswith("Convolution vs cross-correlation")
    assert alt_text("flip", spec, "es").startswith("Convolución frente a correlación cruzada")


@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize("spec", [ConvSpec((5, 5), 3, stride=2, padding=1), ConvSpec((7,), 3),
                                  ConvSpec((8,), 3, stride=2, transposed=True)])
def test_the_numbers_are_the_convolution_s(spec: ConvSpec, lang: str) -> None:
    x = np.ones(spec.input_shape)
    w = np.ones(spec.kernel_shape)
    if spec.transposed:  # PyTorch: (i − 1)·s + k
        out_cells = int(np.prod([(i - 1) * s + k for i, s, k in
                                 zip(spec.input_shape, spec.stride, spec.kernel_shape)]))
    else:  # numpy's own sliding windows, padded and strided
        xp = np.pad(x, spec.pads)
        win = np.lib.stride_tricks.sliding_window_view(xp, w.shape)
        out_cells = win[tuple(slice(None, None, s) for s in spec.stride)].reshape(
            -1, w.size).shape[0]
    sliding = alt_text("sliding", spec, lang)
    assert re.search(rf"\b{out_cells} (positions|posiciones)\b", sliding), sliding
    assert sliding.endswith(describe_spec(spec, lang))  # then the configuration
    assert f"{x.size} " in alt_text("superposition", spec, lang)
    if not spec.transposed:
        assert f"{out_cells}×{x.size}" in alt_text("matrix", spec, lang)


def test_long_description_is_the_explain_text() -> None:
    spec = ConvSpec((5,), 2, flip=True)
    x, w = [2, 1, 0, 1, 2], [1, -1]
    text = long_description(spec, x, w, "es")
    assert text.startswith("**Convolución de una entrada de longitud 5")
    expected = np.convolve(x, w, mode="valid")  # numpy's convolution: the oracle
    for j, v in enumerate(expected):
        assert re.search(rf"- `y\[{j}\] = .* = {str(int(v)).replace('-', '−')}`", text)


def test_render_uses_the_scene_s_alt_text_and_writes_the_long_description(
    tmp_path, monkeypatch
) -> None:
    from pathlib import Path
    from types import SimpleNamespace

    import scenes.pipeline.run as pipeline_run

    def fake(make_scene, path, **kw):
        Path(path).write_bytes(b"GIF89a" + bytes(10))
        return SimpleNamespace(frames=3, duration=1.0, width=64, height=36, fps=3.0)

    monkeypatch.setattr(pipeline_run, "_backend", lambda: fake)
    monkeypatch.setattr(pipeline_run, "load_scene_class", lambda name: object)
    desc = tmp_path / "flip-desc.md"
    result = CliRunner().invoke(cli, ["render", "flip", "--dims", "1", "--input", "5",
                                      "--kernel", "2", "-o", str(tmp_path / "f.gif"),
                                      "--lang", "es", "--long-description", str(desc)])
    assert result.exit_code == 0, result.output
    assert "![Convolución frente a correlación cruzada con la misma entrada de longitud 5" in (
        result.stdout)
    assert f"Long description: {desc}" in result.stdout
    assert "### " in desc.read_text(encoding="utf-8")
