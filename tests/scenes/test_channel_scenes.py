"""Issue 18's scenes (channels, groups, feature maps) rendered for real at tiny resolution; what
they drew (the scene log) against independent oracles: numpy window sums, scipy.signal, the group
rule read from PyTorch's documentation, the counts written out by hand."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image
from scene_helpers import largest_from_message, render_scene
from scipy import signal

from convmath import ConvMathError, ConvSpec, kernel_preset
from scenes.channels import ChannelFilter, pacing_indices
from scenes.features import COLOUR_WEIGHTS, PRESETS, FeatureMaps, shades
from scenes.groups import ChannelGroups
from scenes.images import default_image, image_grid, load_image, luma
from scenes.kit.log import ResultWritten, TextShown

pytestmark = pytest.mark.render


def _window_sums(x, w, o, r, c, k):
    """Per input channel: the k×k window of x[ch] at (r, c) times w[o, ch], summed (numpy)."""
    return [float(np.sum(x[ch, r:r + k, c:c + k] * w[o, ch])) for ch in range(x.shape[0])]


def test_channel_filter_default(tmp_path):
    scene = render_scene(ChannelFilter, tmp_path, last_frame_only=True)
    assert scene.problems == []
    assert scene.log.violations() == []
    x, w, b = scene.x, scene.w, scene.bias
    assert x.shape == (3, 4, 4) and w.shape == (2, 3, 3, 3) and list(b) == [1.0, -1.0]
    for fact in scene.records_of("channel_sums"):
        st = scene.steps[fact["step"]]
        o, (r, c) = st.out_channel, st.out_index
        want = _window_sums(x, w, o, r, c, 3)
        assert [v for _, v in fact["sums"]] == pytest.approx(want)
        assert fact["value"] == pytest.approx(sum(want) + b[o])
    # Every output cell written once, with the oracle's value (scipy per channel + bias).
    oracle = np.stack([sum(signal.correlate2d(x[ch], w[o, ch], mode="valid") for ch in range(3))
                       + b[o] for o in range(2)])
    written = {e.step: e.text for e in scene.log.of(ResultWritten)}
    assert sorted(written) == list(range(8))
    for n, text in written.items():
        st = scene.steps[n]
        assert float(text.replace("\u2212", "-")) == oracle[(st.out_channel, *st.out_index)]
    filters = scene.records_of("filter")
    assert [f["out_channel"] for f in filters] == [0, 1]
    for f in filters:
        np.testing.assert_array_equal(np.stack(f["slices"]), w[f["out_channel"]])
    (counts,) = scene.records_of("counts")
    assert counts["parameters"] == 3 * 3 * 3 * 2 + 2
    assert counts["multiply_adds"] == 2 * 2 * 2 * (3 * 3 * 3) + 2 * 2 * 2
    assert any("56" in t for t in scene.log.texts())


def test_channel_filter_groups_1d_schematic_spanish_dark(tmp_path):
    spec = ConvSpec((6,), 2, stride=2, in_channels=4, out_channels=2, groups=2)
    scene = render_scene(ChannelFilter, tmp_path, spec, mode="schematic", lang="es",
                         theme="dark", last_frame_only=True)
    assert scene.problems == [] and scene.log.violations() == []
    for fact in scene.records_of("channel_sums"):
        st = scene.steps[fact["step"]]
        g = st.out_channel  # one output channel per group: it reads channels 2g and 2g+1
        assert [c for c, _ in fact["sums"]] == [2 * g, 2 * g + 1]
    assert any(t.startswith("sumas por canal") for t in scene.log.texts())


def test_pacing_indices_never_join_channels():
    spec = ConvSpec((3, 3), 2, in_channels=2, out_channels=3)
    idx = pacing_indices(spec)
    assert len(idx) == 3 * 4 and len({i[0] for i in idx}) == 3 * 2


def test_channel_filter_too_large():
    with pytest.raises(ConvMathError, match="too large for ChannelFilter") as err:
        ChannelFilter.check_spec(ConvSpec((200, 200), 3, in_channels=3, out_channels=2))
    assert largest_from_message(str(err.value)) > 4


def test_channel_groups_default(tmp_path):
    scene = render_scene(ChannelGroups, tmp_path, last_frame_only=True, lang="es")
    assert scene.problems == [] and scene.log.violations() == []
    screens = {f["name"]: f["pairs"] for f in scene.records_of("screen")}
    assert list(screens) == ["standard", "groups", "depthwise", "pointwise"]
    cin, cout, g = 4, 8, 2
    assert sorted(screens["standard"]) == [(o, c) for o in range(cout) for c in range(cin)]
    # PyTorch: output channel o of group o // (cout/g) reads input channels of that group.
    assert sorted(screens["groups"]) == [(o, c) for o in range(cout) for c in range(cin)
                                         if o // (cout // g) == c // (cin // g)]
    assert sorted(screens["depthwise"]) == [(c, c) for c in range(cin)]
    (cmp,) = scene.records_of("compare")
    assert (cmp["separable"], cmp["standard"]) == (9 * cin + cin * cout, 9 * cin * cout)
    assert any("36 + 32 = 68" in t for t in scene.log.texts())


@pytest.mark.parametrize("spec, param", [
    (ConvSpec((5, 5), 3, in_channels=2, out_channels=2, transposed=True), "transposed"),
    (ConvSpec((5, 5), 3, in_channels=1, out_channels=4), "in_channels"),
    (ConvSpec((5, 5), 3, in_channels=60, out_channels=60), "out_channels"),
])
def test_channel_groups_refuses(spec, param):
    with pytest.raises(ConvMathError) as err:
        ChannelGroups.check_spec(spec)
    assert err.value.param == param


def test_feature_maps_default(tmp_path):
    scene = render_scene(FeatureMaps, tmp_path, last_frame_only=True)
    assert scene.problems == [] and scene.log.violations() == []
    rgb = scene.rgb
    grey = 0.299 * rgb[0] + 0.587 * rgb[1] + 0.114 * rgb[2]  # BT.601 luma
    np.testing.assert_allclose(scene.grey, grey)
    np.testing.assert_array_equal(scene.x, rgb)
    (maps,) = scene.records_of("maps")
    for _, preset in PRESETS:
        np.testing.assert_allclose(maps[preset], signal.correlate2d(grey, kernel_preset(preset),
                                                                    mode="valid"), atol=1e-12)
    red = sum(wc * rgb[c] for c, wc in enumerate(COLOUR_WEIGHTS))
    np.testing.assert_allclose(maps["red"], red)
    # The red disc is where the colour map is brightest; it is not brighter once grey.
    r, c = np.unravel_index(np.argmax(maps["red"]), red.shape)
    assert rgb[0, r, c] > 0.7 and rgb[1, r, c] < 0.3
    written = scene.log.of(ResultWritten)
    assert len(written) == scene.spec.output_size
    assert [e.step for e in written] == list(range(scene.spec.output_size))
    assert any(t.kind == "title" for t in scene.log.of(TextShown))


def test_feature_maps_from_a_file(tmp_path):
    arr = np.zeros((30, 20), dtype=np.uint8)
    arr[:, 10:] = 255  # a vertical edge
    path = tmp_path / "edge.png"
    Image.fromarray(arr, "L").save(path)
    scene = render_scene(FeatureMaps, tmp_path, image=str(path), image_size=9,
                         last_frame_only=True, theme="dark")
    assert scene.problems == [] and scene.log.violations() == []
    assert scene.spec.input_shape == (9, 6)
    edges = scene.records_of("maps")[0]["sobel-x"]
    assert np.all(edges[:, 1:3] > 0) and np.allclose(edges[:, 0], 0)  # the edge, nothing else


def test_image_grid_and_luma():
    im = default_image()
    g = image_grid(im, 12)
    assert g.shape == (3, 12, 12) and g.min() >= 0 and g.max() <= 1
    wide = Image.new("RGB", (40, 10), (255, 0, 0))
    assert image_grid(wide, 20).shape == (3, 5, 20)
    np.testing.assert_allclose(luma(image_grid(wide, 20)), 0.299)
    with pytest.raises(ConvMathError, match="image_size=2 is invalid") as err:
        image_grid(im, 2)
    assert err.value.param == "image_size"


def test_bad_images(tmp_path, monkeypatch):
    import scenes.images as images

    (tmp_path / "empty.png").write_bytes(b"")
    (tmp_path / "text.png").write_text("not an image")
    Image.new("RGB", (50, 40)).save(tmp_path / "big.png")
    noise = np.random.default_rng(0).integers(0, 255, (64, 64, 3), dtype=np.uint8)
    Image.fromarray(noise, "RGB").save(tmp_path / "cut.png")
    data = (tmp_path / "cut.png").read_bytes()
    (tmp_path / "cut.png").write_bytes(data[: len(data) // 2])
    cases = [(tmp_path / "missing.png", "no such file"), (tmp_path, "it is not a regular file"),
             (tmp_path / "empty.png", "the file is empty"),
             (tmp_path / "text.png", "Pillow cannot read it"),
             (tmp_path / "cut.png", "the image is damaged or truncated")]
    for path, why in cases:
        with pytest.raises(ConvMathError, match=f"image=.* is invalid: {why}") as err:
            load_image(path)
        assert err.value.param == "image" and "\n" not in str(err.value)
    monkeypatch.setattr(images, "MAX_IMAGE_PIXELS", 1000)
    with pytest.raises(ConvMathError, match=r"50×40 = 2,000 pixels; at most 1,000"):
        load_image(tmp_path / "big.png")
    monkeypatch.setattr(images, "MAX_IMAGE_BYTES", 10)
    with pytest.raises(ConvMathError, match="bytes; at most 10 are read"):
        load_image(tmp_path / "big.png")


def test_shades_scale_and_clip():
    out = shades(np.array([0.0, 0.5, 1.0]), limits=(0.0, 1.0))
    assert out[0] == "#000000" and out[-1] == "#FFFFFF"
    assert len(set(shades(np.full(4, 3.0)))) == 1


@pytest.mark.parametrize("options", [{}, {"lang": "es", "theme": "dark"}])
def test_feature_maps_name_the_kernel_show_its_numbers_and_the_scale(tmp_path, options):
    """The sweep's kernel is named and its numbers (sobel-x's, literal) readable from the first
    frame; the map's grey scale is a legend whose middle swatch is 0 (symmetric limits), dark
    negative, light positive; the presets' note says what sobel-x finds."""
    from scenes.layout import MIN_GLYPH_PX_480P, px_480p
    from scenes.layout.geometry import DIGIT_HEIGHT

    scene = render_scene(FeatureMaps, tmp_path, last_frame_only=True, **options)
    assert scene.problems == [] and scene.log.violations() == []
    (kernel,) = scene.records_of("kernel")
    np.testing.assert_array_equal(kernel["values"], [[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]])
    assert kernel["readable"]
    assert px_480p(kernel["font"] * DIGIT_HEIGHT, scene.frame_size()[1]) >= MIN_GLYPH_PX_480P
    texts = scene.log.texts()
    assert any("sobel-x" in t and t.startswith(("kernel", "filtro")) for t in texts[:5])
    (legend,) = scene.records_of("legend")
    lo, hi = legend["limits"]
    assert lo == -hi and hi > 0
    lum = [int(c[1:3], 16) for c in legend["colors"]]
    assert lum[0] < lum[1] < lum[2]  # negative dark, 0 mid, positive light
    assert legend["words"][1] == "0"
    note = [t for t in texts if "sobel-x" in t and ("vertical" in t or "verticales" in t)]
    assert note and not any("edges light up" in t for t in texts)
    assert not any(t.endswith("(grey)") or t.endswith("(gris)") for t in texts)


@pytest.mark.parametrize("options", [{}, {"lang": "es", "theme": "dark"}])
def test_channel_filter_counts_say_the_bias_additions(tmp_path, options):
    """'224 multiply-adds' where a reader computes 27 × 8 = 216: the caption writes the
    products per output cell times the cells plus one bias addition per cell (oracle: loops
    over the definition)."""
    import re

    scene = render_scene(ChannelFilter, tmp_path, last_frame_only=True, **options)
    assert scene.problems == [] and scene.log.violations() == []
    s = scene.spec
    per_cell = s.in_channels * int(np.prod(s.kernel_shape))  # 27
    cells = s.out_channels * int(np.prod(s.output_shape))  # 8
    (line,) = [t for t in scene.log.texts() if "·" in t and ("multiply" in t or "multiplic" in t)]
    m = re.search(r"(\d+)·(\d+) \+ (\d+) \D+= (\d+)", line.split(";")[1])
    assert [int(g) for g in m.groups()] == [per_cell, cells, cells, per_cell * cells + cells]


def test_channel_filter_window_edges_cross_no_digit(tmp_path):
    """The window box's edges run behind the front layer (its cells and digits are drawn above
    them) and the front outline stays on top."""
    scene = render_scene(ChannelFilter, tmp_path, last_frame_only=True)
    front = scene.layers[0]
    *outlines, edges = scene.window
    digits = [m for m in front.get_family() if m.z_index >= front.z_index]
    assert digits and edges.z_index < min(m.z_index for m in front.get_family())
    assert outlines[-1].z_index > front.z_index  # the front outline (drawn last among them)
