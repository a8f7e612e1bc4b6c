"""OutputSize rendered for real at tiny resolution; what it drew against independent oracles.

Oracles: counting window positions with ``numpy.correlate`` on a ones row, the convolution-
arithmetic paper's worked configurations, TensorFlow's documented "SAME" rule and PyTorch's
documented ``ConvTranspose`` size formula. The engine's ``named_cases`` (added for this scene) is
tested here too, against the same oracles.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from scene_helpers import largest_from_message, render_scene

from convmath import ConvMathError, ConvSpec
from convmath.sizes import named_cases
from scenes.sizes import ConvToTransposed, NamedPaddings, OutputSize, formula_markup, wrap_rows


def positions(n: int, k_eff: int, s: int) -> int:
    """Window positions on a padded row of n cells: count them with numpy (stride 1, then s)."""
    return len(np.correlate(np.ones(n), np.ones(k_eff), "valid")[::s])


def torch_transposed_size(i: int, k: int, s: int, pb: int, pa: int, d: int, op: int) -> int:
    """PyTorch ConvTranspose1d's documented output length (with the padding split per side)."""
    return (i - 1) * s - pb - pa + d * (k - 1) + op + 1


def render(spec=None, tmp_path=None, cls=OutputSize, **options) -> OutputSize:
    scene = render_scene(cls, tmp_path, spec, step_time=0.2, **options)
    assert scene.log.violations() == []  # the kit's teaching rules, on every render
    return scene


def render_all(spec=None, tmp_path=None, **options):
    """The three size scenes (formula, named paddings, conv → transposed) of one spec."""
    return [render(spec, tmp_path, cls, **options)
            for cls in (OutputSize, NamedPaddings, ConvToTransposed)]


def drawn_axes(spec: ConvSpec) -> list[int]:
    """Axes drawn on screen 1: every axis, or axis 0 alone when all axes have the same
    (i, k, s, padding, d) — the oracle is the spec itself, not the engine's derivations."""
    params = {(spec.input_shape[a], spec.kernel_shape[a], spec.stride[a], spec.pads[a],
               spec.dilation[a]) for a in range(spec.ndim)}
    return [0] if len(params) == 1 else list(range(spec.ndim))


def check_axis_records(scene: OutputSize, spec: ConvSpec) -> None:
    """Screen 1: padded length, window cells, output size and unreached cells, per axis."""
    axes = scene.records_of("axis")
    assert [r["axis"] for r in axes] == drawn_axes(spec)
    for r in axes:
        a = r["axis"]
        i, k, s, d = spec.input_shape[a], spec.kernel_shape[a], spec.stride[a], spec.dilation[a]
        pb, pa = spec.pads[a]
        n = i + pb + pa
        k_eff = d * (k - 1) + 1
        o = positions(n, k_eff, s)
        assert r["padded"] == n
        assert r["output"] == o == spec.output_shape[a]
        # Window m covers cells m*s, m*s + d, …: every position the stride allows.
        assert r["windows"] == [tuple((m * s + j * d,) for j in range(k)) for m in range(o)]
        last = (o - 1) * s + k_eff - 1
        assert r["unreached"] == list(range(last + 1, n))
        assert len(r["unreached"]) == r["leftover"]


@pytest.mark.render
@pytest.mark.parametrize("theme, lang", [("light", "en"), ("dark", "es")])
def test_default_1d_floor_at_work(tmp_path, theme, lang):
    """i=6, k=3, p=1, s=2: 8 padded cells, windows at 0, 2, 4, the last cell reached by none."""
    scene, cases_scene, deconv = render_all(tmp_path=tmp_path, theme=theme, lang=lang)
    spec = scene.spec
    assert (spec.input_shape, spec.kernel_shape, spec.stride, spec.pads) == (
        (6,), (3,), (2,), ((1, 1),))
    check_axis_records(scene, spec)
    (ax,) = scene.records_of("axis")
    assert ax["unreached"] == [7] and ax["output"] == 3
    # The worked formula, by hand: floor((6 + 2 - 2 - 1)/2) + 1 = floor(5/2) + 1 = 3.
    assert "o = ⌊(6 + 2·1 − 1·(3−1) − 1) / 2⌋ + 1 = ⌊5 / 2⌋ + 1 = 3" in scene.drawn_texts
    # Named paddings: valid 2, TF same 3 with (0, 1) — extra cell after —, full 4.
    cases = {c["name"]: c for c in cases_scene.records_of("case")}
    assert {n: (c["pads"], c["output"]) for n, c in cases.items()} == {
        "valid": ((0, 0), 2), "same": ((0, 1), 3), "full": ((2, 2), 4)}
    for c in cases.values():
        n = 6 + sum(c["pads"])
        assert c["output"] == positions(n, 3, 2)
        assert c["padded"] == n
    # Conv -> deconv: inputs 5 and 6 both give 3; output_padding 0 and 1 bring them back.
    assert [r["input"] for r in deconv.records_of("deconv_input")] == [5, 6]
    assert {r["output"] for r in deconv.records_of("deconv_input")} == {3}
    assert [r["unreached"] for r in deconv.records_of("deconv_input")] == [[], [7]]
    for r in deconv.records_of("recover"):
        assert torch_transposed_size(3, 3, 2, 1, 1, 1, r["output_padding"]) == r["input"]
    (tr,) = deconv.records_of("transposed")
    assert tr["output"] == 6 and tr["pytorch"] == (6, 1)
    pytorch = {"en": "PyTorch: conv_transpose(y, output_size=6) sets output_padding = 1",
               "es": "PyTorch: conv_transpose(y, output_size=6) fija output_padding = 1"}[lang]
    assert pytorch in deconv.drawn_texts
    assert any("C⁻¹" in s for s in deconv.drawn_texts)  # the note on the name
    # The last frame (the PNG) is the formula figure, not the note on the name: the padded row
    # with every window position and the substituted formula.
    (summary,) = scene.records_of("summary")
    assert summary["rows"][:2] == ["o = ⌊(i + 2p − d(k−1) − 1) / s⌋ + 1",
                                   "o = ⌊(6 + 2·1 − 1·(3−1) − 1) / 2⌋ + 1 = ⌊5 / 2⌋ + 1 = 3"]
    assert summary["windows"] == [[((0,), (1,), (2,)), ((2,), (3,), (4,)), ((4,), (5,), (6,))]]
    assert summary["unreached"] == [[7]]
    assert scene.drawn_texts[-1] == summary["rows"][-1]
    assert scene.problems == cases_scene.problems == deconv.problems == []
    # Each scene is embeddable alone: it opens on its own figure (a preview frame) and ends on
    # a held closing frame (the kit's rules, checked in render()).


@pytest.mark.render
@pytest.mark.parametrize(
    "spec",
    [
        ConvSpec((5, 7), (3, 2), stride=(2, 3), padding=1),  # axes differ: shown one by one
        ConvSpec((3,), 3, stride=2, padding=1, dilation=2, transposed=True),  # the transpose
        ConvSpec((6, 6), 3, stride=2, padding=1),  # identical axes: drawn once
    ],
    ids=["2d-nonsquare", "1d-transposed-dilated", "2d-same-axes"],
)
def test_other_specs(tmp_path, spec):
    lang = "es" if spec.ndim == 2 and spec.input_shape[0] != spec.input_shape[1] else "en"
    scene, cases_scene, deconv = render_all(spec, tmp_path=tmp_path,
                                            theme="light" if spec.ndim == 2 else "dark",
                                            lang=lang)
    direct = scene.direct
    assert direct.transposed is False
    if spec.transposed:
        # Shown as the adjoint of its direct convolution: (3-1)·2 - 2 + 2·2 + 1 = 7 -> 3 and back.
        assert direct.input_shape == spec.output_shape == (7,)
        assert direct.output_shape == spec.input_shape
    check_axis_records(scene, direct)
    distinct = {r["axis"] for r in cases_scene.records_of("case")}
    assert distinct == set(drawn_axes(direct))
    if drawn_axes(direct) == [0] and direct.ndim == 2:
        # Drawn once, said once: the left-over note is not repeated, the "both axes" note is.
        (summary,) = scene.records_of("summary")
        leftover = [t for t in summary["rows"] if "is not a multiple of" in t]
        assert leftover == ["5 is not a multiple of 2:"]
        both = "Both axes are alike: the same holds for rows and columns (output 3×3)."
        assert summary["rows"][-1] == both
        assert scene.drawn_texts.count(both) == 2  # screen 1 and the closing summary
    for r in deconv.records_of("transposed"):
        a = r["axis"]
        k, s, d = direct.kernel_shape[a], direct.stride[a], direct.dilation[a]
        pb, pa = direct.pads[a]
        assert r["output"] == torch_transposed_size(r["input"], k, s, pb, pa, d,
                                                    r["output_padding"])
        assert r["output"] == direct.input_shape[a]
        # Every direct size listed maps to the same output (numpy oracle), and there are s.
        assert len(r["sizes"]) == s
        assert {positions(n + pb + pa, d * (k - 1) + 1, s) for n in r["sizes"]} == {r["input"]}
    assert scene.problems == cases_scene.problems == deconv.problems == []


# --- the engine's named_cases (added for this scene) ------------------------------------------

@pytest.mark.parametrize(
    "i, k, s, d, expected",
    [
        # The paper's relationships: valid i-k+1, half (odd k) i, full i+k-1.
        (5, 3, 1, 1, {"valid": ((0, 0), 3), "half": ((1, 1), 5), "full": ((2, 2), 7)}),
        # Even kernel: TensorFlow puts the odd extra padding cell after.
        (5, 4, 1, 1, {"valid": ((0, 0), 2), "same": ((1, 2), 5), "full": ((3, 3), 8)}),
        # Stride 2 (TF "SAME": ceil(i/s), total max((o-1)s + k - i, 0)).
        (6, 3, 2, 1, {"valid": ((0, 0), 2), "same": ((0, 1), 3), "full": ((2, 2), 4)}),
        (7, 3, 2, 2, {"valid": ((0, 0), 2), "same": ((2, 2), 4), "full": ((4, 4), 6)}),
        # Dilation 2, stride 1: k_eff = 5, half padding 2.
        (7, 3, 1, 2, {"valid": ((0, 0), 3), "half": ((2, 2), 7), "full": ((4, 4), 11)}),
        # The kernel does not fit: no valid window.
        (2, 3, 1, 1, {"valid": ((0, 0), None), "half": ((1, 1), 2), "full": ((2, 2), 4)}),
    ],
)
def test_named_cases(i, k, s, d, expected):
    cases = named_cases(i, k, s, d)
    assert {c.name: (c.pads, c.output) for c in cases} == expected
    k_eff = d * (k - 1) + 1
    for c in cases:
        if c.output is not None:
            assert c.output == positions(i + sum(c.pads), k_eff, s)
            assert c.substituted.endswith(f" = {c.output}") or c.name == "same"
    same = next(c for c in cases if c.name in ("same", "half"))
    assert same.output == -(-i // s)  # ceil(i / s)


def test_named_cases_spanish_and_errors():
    es = named_cases(5, 4, 1, 1, "es")
    assert es[1].note == "relleno 1 antes y 2 después: la celda extra va después"
    with pytest.raises(ConvMathError, match="stride=0 is invalid"):
        named_cases(5, 3, 0)
    with pytest.raises(ConvMathError, match="lang='fr' is invalid"):
        named_cases(5, 3, 1, 1, "fr")


@pytest.mark.parametrize(
    "s, expected",
    [
        ("o = ⌊(i + p_b + p_a − k) / s⌋ + 1",
         "o = ⌊(i + p<sub>b</sub> + p<sub>a</sub> − k) / s⌋ + 1"),
        ("a < b & c", "a &lt; b &amp; c"),
        ("output_padding = 1", "output_padding = 1"),
    ],
)
def test_formula_markup(s, expected):
    assert formula_markup(s) == expected


@pytest.mark.parametrize(
    "spec, expected",
    [
        (ConvSpec((6,), 3, stride=2, padding=1), "i = 6, k = 3, s = 2, p = 1"),
        (ConvSpec((5, 7), (3, 2), stride=(2, 3)), "i = 5×7, k = 3×2, s = 2×3, p = 0"),
        # Uneven padding as the CLI and A1's title write it (before:after; per axis: 1:2, 1).
        (ConvSpec((5, 5), 4, padding="same"), "i = 5, k = 4, s = 1, p = 1:2"),  # said once
        (ConvSpec((5, 6), 4, padding="same"), "i = 5×6, k = 4, s = 1, p = 1:2"),
        (ConvSpec((5, 5), (4, 3), padding="same"), "i = 5, k = 4×3, s = 1, p = 1:2, 1"),
        (ConvSpec((7,), 3, dilation=2), "i = 7, k = 3, s = 1, p = 0, d = 2"),
    ],
)
def test_title_describes_the_spec(spec, expected):
    assert OutputSize._describe(spec) == expected


def test_only_lines_ending_with_the_output_are_coloured_as_a_result():
    """TF's 'same' line ends with the padding split (0 + 1), not with o: not coloured."""
    cases = {c.name: c for c in named_cases(6, 3, 2)}
    assert cases["same"].substituted.endswith("= 1 = 0 + 1")
    assert [OutputSize._ends_with_output(cases[n]) for n in ("valid", "same", "full")] == [
        True, False, True]


def test_formula_markup_colours_the_result():
    assert formula_markup("o = 5 + 1 = 6", result_color="#00FF00") == (
        'o = 5 + 1 = <span foreground="#00FF00">6</span>')


def test_wrap_rows_splits_long_rows_near_the_middle():
    rows = [("note", "short"), ("sub", "aaaa bbbb, cccc dddd = 5")]
    out = wrap_rows(rows, 12)
    assert out[0] == ("note", "short")
    assert out[1:] == [("plain", "aaaa bbbb,"), ("sub", "cccc dddd = 5")]


@pytest.mark.render
def test_transposed_without_direct_adjoint(tmp_path):
    """output_padding >= stride (allowed by the dilation): no direct convolution to show, the
    transposed derivation is still written, with PyTorch's size."""
    spec = ConvSpec((3,), 3, stride=1, dilation=2, output_padding=1, transposed=True)
    scene = render(spec, tmp_path=tmp_path)
    assert scene.direct is None
    assert "o′ = (3 − 1)·1 − 2·0 + 2·(3−1) + 1 + 1 = 8" in render(
        spec, tmp_path, ConvToTransposed).drawn_texts
    assert torch_transposed_size(3, 3, 1, 0, 0, 2, 1) == 8
    assert "o′ = (3 − 1)·1 − 2·0 + 2·(3−1) + 1 + 1 = 8" in scene.drawn_texts
    assert scene.problems == []


@pytest.mark.parametrize("n_rows, top", [(1, 1), (3, 1), (12, 2)])
def test_text_screen_rows_fit_and_do_not_overlap(n_rows, top):
    from scenes.layout import split_box, text_screen

    lay = text_screen(n_rows, frame_width=14.2, frame_height=8.0, top_rows=top)
    boxes = list(lay.top) + list(lay.bottom)
    assert len(lay.bottom) == n_rows and len(lay.top) == top
    for i, b in enumerate(boxes):
        assert lay.frame.contains(b)
        assert all(not b.overlaps(c) for c in boxes[i + 1:])
    parts = split_box(lay.bottom[0], 3)
    assert len(parts) == 3 and all(lay.bottom[0].contains(p) for p in parts)
    assert not parts[0].overlaps(parts[1]) and not parts[1].overlaps(parts[2])


# -- the legibility limit (plans only, no rendering) ----------------------------------------------


@pytest.mark.parametrize(
    "spec, mode",
    [
        (ConvSpec((6,), 3, stride=2, padding=1), "numeric"),  # the default
        (ConvSpec((12, 12), 3, padding=3), "numeric"),
        (ConvSpec((46, 46), 3), "numeric"),  # numeric boundary: position numbers 8 px high
        (ConvSpec((60, 60), 3), "schematic"),
        (ConvSpec((130,), 3), "schematic"),  # schematic boundary region
        (ConvSpec((2, 2), 3, stride=2, transposed=True), "numeric"),
    ],
)
def test_accepted_sizes(spec, mode):
    OutputSize.check_spec(spec, mode=mode)


@pytest.mark.parametrize(
    "spec, value",
    [(ConvSpec((60, 60), 3), "60×60"), (ConvSpec((47,), 3), "47"),
     (ConvSpec((60, 50), 3), "60×50")],
)
def test_numeric_refuses_unreadable_position_numbers_and_points_to_schematic(spec, value):
    pattern = (rf"OutputSize: with input {value}, the numbers counting the window positions "
               r"would get digits of .* px at 480p; the limit is digits of at least 8 px at 480p "
               r"\(MIN_GLYPH_PX_480P\).*--mode schematic")
    with pytest.raises(ConvMathError, match=pattern) as info:
        OutputSize.check_spec(spec)
    n = largest_from_message(str(info.value))
    OutputSize.check_spec(dataclasses.replace(spec, input_shape=(n,) * spec.ndim))
    with pytest.raises(ConvMathError):
        OutputSize.check_spec(dataclasses.replace(spec, input_shape=(n + 1,) * spec.ndim))
    OutputSize.check_spec(spec, mode="schematic")  # schematic draws it


@pytest.mark.parametrize(
    "spec, value, screen",
    [
        (ConvSpec((200,), 3), "200", "the rows of the named paddings"),  # 'full' is the longest
        (ConvSpec((150, 150), 3), "150×150", "the rows of the named paddings"),
        # A transposed input n stands for a direct input about n·s long.
        (ConvSpec((17,), 3, stride=8, transposed=True), "17", "the rows of the conv → deconv"),
    ],
)
def test_schematic_refuses_cells_too_small(spec, value, screen):
    cls = NamedPaddings if "named" in screen else ConvToTransposed  # the scene drawing it
    name = cls.__name__
    with pytest.raises(ConvMathError, match=rf"{name}: with input {value}, {screen}.*the "
                       r"limit is cells of at least 6 px"):
        cls.check_spec(spec, mode="schematic")
    with pytest.raises(ConvMathError, match=f"too large for {name}"):
        cls(spec, mode="schematic")


# -- large strides: the conv → deconv screen (plans, then one real render) -----------------------


def same_output_sizes(o: int, k: int, s: int, pb: int, pa: int, d: int) -> list[int]:
    """Every input size n >= 1 with floor((n + pb + pa - k_eff)/s) + 1 == o, by brute force."""
    k_eff = d * (k - 1) + 1
    return [n for n in range(1, (o + 2) * s + k_eff + 1)
            if n + pb + pa >= k_eff and (n + pb + pa - k_eff) // s + 1 == o]


def expected_rows(sizes: list[int], own: int) -> list[int]:
    """All sizes up to three; beyond, the smallest, the spec's own and the largest."""
    return sizes if len(sizes) <= 3 else sorted({sizes[0], own, sizes[-1]})


LARGE_STRIDES = [
    ConvSpec((9,), 3, stride=4),  # convanim render sizes --dims 1 --input 9 --kernel 3 --stride 4
    ConvSpec((5, 5), 3, stride=4),  # convanim render sizes --stride 4 (the CLI defaults)
    ConvSpec((7,), 2, stride=5, padding=1),
    ConvSpec((11, 11), 3, stride=5, padding=1),
    ConvSpec((20,), 3, stride=8, padding=1),
    ConvSpec((12, 12), 3, stride=8),
    ConvSpec((9, 20), 3, stride=(4, 8)),  # axes differ: one deconv screen each
    ConvSpec((3,), 3, stride=8, transposed=True),
    ConvSpec((6,), 3, stride=3),  # three sizes: all drawn
]


@pytest.mark.parametrize("spec", LARGE_STRIDES, ids=lambda sp: f"{sp.input_shape}s{sp.stride}")
@pytest.mark.parametrize("lang", ["en", "es"])
def test_large_strides_are_planned_inside_the_frame(spec, lang):
    from scenes.layout import REF_FRAME_HEIGHT, REF_FRAME_WIDTH, px_480p

    for cls in (OutputSize, NamedPaddings, ConvToTransposed):  # no refusal for a large stride
        cls.check_spec(spec, mode="schematic")
    direct, transposed = OutputSize.pair_of(spec)
    frame = dict(frame_width=REF_FRAME_WIDTH, frame_height=REF_FRAME_HEIGHT, numeric=False)
    for a in OutputSize._distinct_axes(direct):
        i, k, s, d = (direct.input_shape[a], direct.kernel_shape[a], direct.stride[a],
                      direct.dilation[a])
        pb, pa = direct.pads[a]
        o = (i + pb + pa - (d * (k - 1) + 1)) // s + 1  # the formula, by hand
        sizes = same_output_sizes(o, k, s, pb, pa, d)
        assert len(sizes) == s and i in sizes
        dp = OutputSize.plan_deconv(direct, transposed, a, lang, **frame)
        drawn = [sp.input_shape[0] for sp in dp.specs]
        assert drawn == expected_rows(sizes, i)
        assert [sp.grid_shape[0] for sp in dp.specs] == [n + pb + pa for n in drawn]
        # rows aligned on their first cell, with labels beside or above
        assert len({round(g.box.left, 6) for g in dp.lay.grids}) == 1
        assert px_480p(dp.lay.cell) >= 6.0
        # Every box inside the frame, none overlapping another.
        boxes = ([g.box for g in dp.lay.grids] + dp.left_boxes + dp.right_boxes
                 + list(dp.lay.top) + list(dp.lay.bottom))
        for n_box, b in enumerate(boxes):
            assert dp.lay.frame.contains(b)
            assert not any(b.overlaps(c) for c in boxes[n_box + 1:])
        # The labels: i = n → o, and an output_padding that recovers n (PyTorch's formula).
        assert dp.lefts[:-1] == [f"i = {n} → o = {o}" for n in drawn]
        for n, label in zip(drawn, dp.rights):
            op = int(label.rstrip(".").rsplit("= ", 1)[1])
            assert torch_transposed_size(o, k, s, pb, pa, d, op) == n
            assert 0 <= op < s
        text = " ".join(t for _, t in dp.rows)
        if len(sizes) > 3:  # the whole range in words, with its output_padding values
            lo, hi = sizes[0], sizes[-1]
            rng = {"en": f"Direct inputs {lo} to {hi} ({s} sizes) all give an output of size {o}",
                   "es": f"Las entradas directas de {lo} a {hi} ({s} tamaños) dan todas una "
                         f"salida de tamaño {o}"}[lang]
            assert rng in text
            ops = {"en": f"output_padding = 0 to {s - 1}", "es": f"output_padding = 0 a {s - 1}"}
            assert ops[lang] in text
            assert torch_transposed_size(o, k, s, pb, pa, d, s - 1) == hi
            assert torch_transposed_size(o, k, s, pb, pa, d, 0) == lo


@pytest.mark.render
def test_stride_4_renders_range_and_recovery(tmp_path):
    """i = 9, k = 3, s = 4: 2 outputs from inputs 7 to 10; rows 7, 9 (own), 10 are drawn with
    the same window positions (0 and 4), and output_padding 0, 2, 3 recovers each."""
    spec = ConvSpec((9,), 3, stride=4)
    first = render(spec, tmp_path=tmp_path, theme="dark", lang="es", last_frame_only=True)
    check_axis_records(first, spec)
    scene = render(spec, tmp_path, ConvToTransposed, theme="dark", lang="es",
                   last_frame_only=True)
    (tr,) = scene.records_of("transposed")
    assert tr["sizes"] == same_output_sizes(2, 3, 4, 0, 0, 1) == [7, 8, 9, 10]
    assert tr["shown"] == [7, 9, 10]
    rows = scene.records_of("deconv_input")
    assert [r["input"] for r in rows] == [7, 9, 10]
    assert [r["output"] for r in rows] == [2, 2, 2]
    assert [r["unreached"] for r in rows] == [[], [7, 8], [7, 8, 9]]
    assert len({round(r["box"].left, 6) for r in rows}) == 1  # first cells aligned
    for r in scene.records_of("recover"):
        assert torch_transposed_size(2, 3, 4, 0, 0, 1, r["output_padding"]) == r["input"]
    assert "Las entradas directas de 7 a 10 (4 tamaños) dan todas una salida de tamaño 2," in (
        scene.drawn_texts)
    assert "Para recuperar de 7 a 10: output_padding = 0 a 3, un valor por tamaño." in (
        scene.drawn_texts)
    # screen 1
    assert "Las entradas de 7 a 10 dan todas una salida de tamaño 2." in first.drawn_texts
    assert scene.problems == first.problems == []


def test_labelled_rows_align_first_cells_and_keep_labels_beside():
    """layout.plan_labelled_rows (added for the deconv screen): first cells aligned, each label
    on its row's line and outside the rows, everything in the frame; too many rows: ValueError."""
    from scenes.layout import REF_FRAME_HEIGHT, REF_FRAME_WIDTH, plan_labelled_rows

    frame = dict(frame_width=REF_FRAME_WIDTH, frame_height=REF_FRAME_HEIGHT)
    p = plan_labelled_rows([7, 10, 2], left_chars=14, right_chars=20, bottom_rows=4, **frame)
    grids = p.layout.grids
    assert len({round(g.box.left, 9) for g in grids}) == 1
    assert [round(g.box.width / g.cell) for g in grids] == [7, 10, 2]
    tops = [g.box.top for g in grids]
    assert tops == sorted(tops, reverse=True)  # top to bottom, in the order given
    for g, r in zip(grids, p.right):
        assert abs(g.caption.y - g.box.y) < 1e-9 and abs(r.y - g.box.y) < 1e-9
        assert g.caption.right <= g.box.left and r.left >= max(h.box.right for h in grids)
        assert all(p.layout.frame.contains(b) for b in (g.box, g.caption, r))
    with pytest.raises(ValueError, match="cannot fit"):
        plan_labelled_rows([5] * 40, left_chars=14, right_chars=20, bottom_rows=4, **frame)


@pytest.mark.render
@pytest.mark.parametrize("cls", [OutputSize, NamedPaddings, ConvToTransposed],
                         ids=["sizes", "paddings", "sizes_transposed"])
@pytest.mark.parametrize("spec, lang", [
    (ConvSpec((5, 5), 3, dilation=2, transposed=True), "es"),
    (ConvSpec((9, 9), 3, stride=4), "en"),
    (ConvSpec((5, 7), (3, 2), stride=(2, 1), padding=(1, 0)), "en"),
], ids=["dil2-transposed-es", "stride4", "2d-non-square"])
def test_text_never_below_the_legibility_floor(tmp_path, cls, spec, lang):
    """Crowded size screens are split or shortened, never shrunk: every text shown (the log's
    TextShown, its font as drawn after fitting) has digits of at least MIN_TEXT_PX_480P at the
    854×480 reference (the frame is 8 units high at every resolution, so the tiny render's fonts
    are the 480p ones)."""
    from manim import config

    from scenes.kit.log import TextShown
    from scenes.layout import MIN_TEXT_PX_480P, REF_FRAME_HEIGHT, text_px_480p

    scene = render_scene(cls, tmp_path, spec, step_time=0.2, lang=lang, last_frame_only=True)
    assert scene.log.violations() == [] and scene.problems == []
    assert config.frame_height == pytest.approx(REF_FRAME_HEIGHT)
    shown = scene.log.of(TextShown)
    assert shown and all(e.font > 0 for e in shown)
    small = [(e.text, round(text_px_480p(e.font), 1)) for e in shown
             if text_px_480p(e.font) < MIN_TEXT_PX_480P - 1e-6]
    assert small == []
    assert MIN_TEXT_PX_480P == pytest.approx(8.82, abs=0.01)


@pytest.mark.parametrize(("spec", "lang", "theme"), [
    (ConvSpec((6,), 3, stride=2, padding=1), "en", "light"),  # the default: ⌊5 / 2⌋
    (ConvSpec((6,), 3, stride=2, padding=1), "es", "dark"),
    (ConvSpec((9,), 2, stride=3), "en", "dark"),  # 9 − 2 = 7, 7 = 2·3 + 1: ⌊7 / 3⌋
])
def test_the_derivation_comes_row_by_row_with_what_it_reads(tmp_path, spec, lang, theme):
    """Term by term: after the window sweep, the padded-length note first, then the leftover
    note (with the crossed-out cells), then the floor, each row shown after the previous one
    was read; the number under the floor is linked to the leftover's (same ink, underlined);
    the closing figure keeps the window where the sweep left it (the last position)."""
    from scenes.kit.log import TextShown, WindowLanded

    scene = render_scene(OutputSize, tmp_path, spec, last_frame_only=True, lang=lang,
                         theme=theme)
    assert scene.problems == [] and scene.log.violations() == []
    i, (k,), (s,), (pb, pa) = spec.input_shape[0], spec.kernel_shape, spec.stride, spec.pads[0]
    span = i + pb + pa - k  # oracle: the cells after the first window's start that remain
    rows = scene.records_of("derivation_row")
    kinds = [r["row_kind"] for r in rows]
    assert kinds.index("note") < kinds.index("leftover") < kinds.index("sub")
    note = [r["text"] for r in rows if r["row_kind"] == "note"]
    padded = "padded input has" if lang == "en" else "entrada con relleno tiene"
    # the padded-length sentence (wrapped over one or two rows) comes whole, before the rest
    first = [r for r in rows if r["row_kind"] == "note"][0]
    same_time = [r["text"] for r in rows if r["time"] == first["time"]]
    assert padded in same_time[0]
    assert ("positions" if lang == "en" else "posiciones") in " ".join(same_time)
    assert note
    times = [r["time"] for r in rows]
    assert times == sorted(times) and len(set(times)) >= 3  # not all at once
    last_landing = max(e.end for e in scene.log.of(WindowLanded))
    assert min(times) > last_landing  # after the sweep
    shown = {e.text: e for e in scene.log.of(TextShown)}
    for a, b in zip(rows, rows[1:]):
        if a["time"] != b["time"]:  # the next row comes once this one was read
            assert b["time"] - a["time"] >= shown[a["text"]].hold - 1e-6
    linked = [f for f in scene.records_of("formula") if f["link"]]
    assert {f["link"] for f in linked} == {str(span)}
    assert any(f"⌊{span} / {s}⌋" in f["text"] for f in linked)
    assert any(f["text"].startswith(str(span)) for f in linked)
    (summary,) = scene.records_of("summary")
    assert summary["shown_windows"] == [w[-1] for w in summary["windows"]]
    assert summary["windows"][0][-1][0] == ((i + pb + pa - k) // s * s,)  # the last start


@pytest.mark.render
@pytest.mark.parametrize("lang", ["en", "es"])
def test_the_preview_holds_until_its_text_is_read(tmp_path, lang):
    """The first screen (title, formula, the output's size) stays until it is read before
    the windows sweep (second reviewer: it lasted 80 ms)."""
    from scenes.kit.log import TextShown, WindowLanded

    scene = render(ConvSpec((6,), 3, stride=2, padding=1), tmp_path, lang=lang,
                   last_frame_only=True)
    (hold,) = scene.records_of("preview_hold")
    first = [e for e in scene.log.of(TextShown) if e.t == 0.0]
    assert first and hold["until"] >= max(e.hold for e in first) - 1e-6
    assert min(e.t for e in scene.log.of(WindowLanded)) >= hold["until"] - 1e-6
