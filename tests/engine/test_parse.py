"""`convmath.parse`: the values people type (sizes, strides, paddings, arrays) and a spec built
from them; errors carry ``param`` and quote the value as typed. Oracles: the literal values."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from convmath import ConvMathError, ConvSpec
from convmath.parse import (
    arrays_for,
    build_conv,
    parse_array_source,
    parse_inline_array,
    parse_padding,
    parse_per_axis,
)

# --- parsing -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("1", (1,)),
        ("0", (0,)),
        ("1x2", (1, 2)),
        ("same", "same"),
        ("VALID", "valid"),
        ("full", "full"),
        ("1:2", ((1, 2),)),
        ("1:2,0:1", ((1, 2), (0, 1))),
        ("1,0:1", ((1, 1), (0, 1))),
        ([[1, 2], [0, 1]], ((1, 2), (0, 1))),
        (2, (2,)),
    ],
)
def test_parse_padding(text: object, expected: object) -> None:
    assert parse_padding(text) == expected


@pytest.mark.parametrize("text", ["", "x", "1:", "1:2:3", "-1", "1,2,3", "1.5", [[1, -1]]])
def test_parse_padding_rejects(text: object) -> None:
    with pytest.raises(ConvMathError, match="is not allowed: a padding is"):
        parse_padding(text)


@pytest.mark.parametrize(
    "text, expected", [("5", (5,)), ("5x7", (5, 7)), ("5X7", (5, 7)), (3, (3,)), ([2, 1], (2, 1))]
)
def test_parse_per_axis(text: object, expected: tuple[int, ...]) -> None:
    assert parse_per_axis(text, minimum=1, allowed="x") == expected


@pytest.mark.parametrize("text", ["0", "5x0", "1x2x3", "", "a", True, [1, 2, 3], 1.5])
def test_parse_per_axis_rejects(text: object) -> None:
    with pytest.raises(ConvMathError, match="is not allowed: RULE"):
        parse_per_axis(text, minimum=1, allowed="RULE")


def test_array_sources(tmp_path: Path) -> None:
    rows = np.array([[1.0, 2.0, 3.0], [4.0, 5.0, -6.5]])
    np.save(tmp_path / "a.npy", rows)
    np.savetxt(tmp_path / "a.csv", rows, delimiter=",")
    np.savetxt(tmp_path / "a.txt", rows)
    (tmp_path / "b.txt").write_text("2 1 0 1 2\n")
    for name in ("a.npy", "a.csv", "a.txt"):
        np.testing.assert_array_equal(
            parse_array_source(str(tmp_path / name), presets=False).array, rows
        )
    np.testing.assert_array_equal(
        parse_array_source(str(tmp_path / "b.txt"), presets=False).array, [2, 1, 0, 1, 2]
    )
    np.testing.assert_array_equal(parse_array_source("1,2,3;4,5,-6.5", presets=False).array, rows)
    np.testing.assert_array_equal(parse_array_source("2, 1, 0", presets=False).array, [2, 1, 0])
    assert parse_array_source("1,2,3;", presets=False).array.shape == (1, 3)
    np.testing.assert_array_equal(
        parse_array_source("sobel-x", presets=True).array,
        [[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]],
    )
    assert parse_array_source("random:7", presets=False).seed == 7
    with pytest.raises(ConvMathError, match="'sobel-x' is not one of"):
        parse_array_source("sobel-x", presets=False)


def test_shapes_follow_the_arrays() -> None:
    req = build_conv(dims=None, input=None, kernel=None,
                        values=parse_array_source("1,2,0,0;3,4,0,0;5,6,0,0", presets=False))
    assert req.spec.input_shape == (3, 4)
    assert req.spec.kernel_shape == (3, 3)
    req = build_conv(dims=None, input=None, kernel=None,
                        values=parse_array_source("2,1,0,1,2", presets=False),
                        weights=parse_array_source("1,-1", presets=True))
    assert (req.spec.ndim, req.spec.input_shape, req.spec.kernel_shape) == (1, (5,), (2,))
    req = build_conv(dims=None, input=(5, 7), kernel=None)
    assert (req.spec.input_shape, req.spec.kernel_shape) == ((5, 7), (3, 3))




# --- issue 12 #9: three notations for arrays -----------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("1,2;3,4", [[1, 2], [3, 4]]),
        ("[[1,2],[3,4]]", [[1, 2], [3, 4]]),
        ("[[1, 2], [3, 4]]", [[1, 2], [3, 4]]),
        ("1 2 3; 4 5 6", [[1, 2, 3], [4, 5, 6]]),
        ("1 2 3", [1, 2, 3]),
        ("[1, -2.5, 3e2]", [1, -2.5, 300]),
        ("  2, 1 ,0 ", [2, 1, 0]),
    ],
)
def test_three_array_notations(text: str, expected: list) -> None:
    np.testing.assert_array_equal(parse_array_source(text, presets=False).array, expected)


@pytest.mark.parametrize(
    "text, match",
    [
        ("[[1,2],[3]]", r"has rows of different lengths \(2, 1\)"),
        ("1 2; 3", r"has rows of different lengths \(2, 1\)"),
        ("[[[1]]]", "is not one of"),
        ("[1, 'a']", "is not one of"),
        ("[1, True]", "is not one of"),
        ("1,,2", "is not one of"),
        ("[" * 5000, "is not one of"),
        ("1e999,1", "contains NaN or infinite values"),
        ("1" * 500, "is not one of"),
    ],
)
def test_bad_inline_arrays(text: str, match: str) -> None:
    with pytest.raises(ConvMathError, match=match) as exc:
        parse_array_source(text, presets=False, param="values")
    assert exc.value.param == "values"


# --- issue 19 #7, #8, #9: bounded values, Python-int sizes, files checked before loading --------


@pytest.mark.parametrize("text", ["1000000", "9223372036854775808", "4294967296x4294967296",
                                  "10001", "1x" + "9" * 39])
def test_per_axis_values_are_bounded(text: str) -> None:
    with pytest.raises(ConvMathError, match="is too large: at most 10000 is allowed") as exc:
        parse_per_axis(text, minimum=1, allowed="RULE", param="stride")
    assert exc.value.param == "stride"
    assert parse_per_axis("10000", minimum=1, allowed="RULE") == (10000,)


def test_padding_values_are_bounded() -> None:
    for value in ("99999", "1:99999", [[1, 99999]]):
        with pytest.raises(ConvMathError, match="is too large"):
            parse_padding(value)


def test_large_files_are_refused_before_parsing(tmp_path: Path) -> None:
    big = tmp_path / "big.csv"
    big.write_text(("1," * 999 + "1\n") * 600)  # 1.2 MB
    with pytest.raises(ConvMathError, match=r"is too large \(1,200,000 bytes\): array files may "
                       "have at most 1,000,000 bytes"):
        parse_array_source(str(big), presets=False)


def _npy_header_only(path: Path, shape: tuple[int, ...], dtype: str = "<f8") -> Path:
    header = {"descr": dtype, "fortran_order": False, "shape": shape}
    with open(path, "wb") as fh:
        np.lib.format.write_array_header_1_0(fh, header)
    return path


def test_npy_header_is_checked_before_loading(tmp_path: Path) -> None:
    huge = _npy_header_only(tmp_path / "huge.npy", (316_228, 316_228))  # 10^11 cells claimed
    with pytest.raises(ConvMathError, match=r"holds an array of shape 316228x316228: arrays "
                       "must be 1D or 2D with at most 10000 values"):
        parse_array_source(str(huge), presets=False)
    cube = _npy_header_only(tmp_path / "cube.npy", (2, 2, 2))
    with pytest.raises(ConvMathError, match="shape 2x2x2"):
        parse_array_source(str(cube), presets=False)
    text = _npy_header_only(tmp_path / "text.npy", (3,), "<U4")
    with pytest.raises(ConvMathError, match="does not hold real numbers"):
        parse_array_source(str(text), presets=False)
    empty = tmp_path / "empty.npy"
    empty.write_bytes(b"")
    with pytest.raises(ConvMathError, match=r"file '.*empty\.npy' is not a valid \.npy file"):
        parse_array_source(str(empty), presets=False)


def test_file_errors_never_quote_the_contents(tmp_path: Path) -> None:
    secret = tmp_path / "s.txt"
    secret.write_text("hunter2 password\n")
    with pytest.raises(ConvMathError) as exc:
        parse_array_source(str(secret), presets=False)
    assert "hunter2" not in str(exc.value) and "could not be read as numbers" in str(exc.value)


def test_outside_root_needs_permission(tmp_path: Path) -> None:
    root = tmp_path / "g"
    root.mkdir()
    (tmp_path / "x.csv").write_text("1,2\n")
    with pytest.raises(ConvMathError, match="is outside the gallery file's folder"):
        parse_array_source("../x.csv", presets=False, root=root, allow_outside=False)
    got = parse_array_source("../x.csv", presets=False, root=root, allow_outside=True)
    assert got.array.tolist() == [1.0, 2.0]


# --- the value as typed reaches the engine (issue 12 #8) ------------------------------------------


@pytest.mark.parametrize("dims", [1, 2])
def test_engine_errors_quote_values_as_typed(dims: int) -> None:
    with pytest.raises(ConvMathError, match=r"^output_padding=2 is invalid") as exc:
        build_conv(dims=dims, input=(5,), kernel=(3,), stride=(2,), transposed=True,
                   output_padding=(2,))
    assert exc.value.param == "output_padding"


def test_spell_error_replaces_only_the_leading_name() -> None:
    from convmath.parse import spell_error

    names = {"stride": "--stride", "dilation": "--dilation"}
    err = ConvMathError("stride=0 is invalid: stride must be >= 1 (dilation=1)", param="stride")
    assert spell_error(err, names) == "--stride=0 is invalid: stride must be >= 1 (dilation=1)"
    other = ConvMathError("padding=x is invalid", param="padding")
    assert spell_error(other, names) == "padding=x is invalid"


# --- every malformed token of an inline array is a ConvMathError naming it (issue 12) ----------


@pytest.mark.parametrize(
    "text, detail",
    [
        ("1,x", "'x' is not a number"),  # the handed example
        ("x", "'x' is not a number"),
        ("1 2 x", "'x' is not a number"),  # space-separated
        ("1,2;3,x", "'x' is not a number"),  # a 2D row
        ("1 2 3; 4 x 6", "'x' is not a number"),
        ("0x10", "'0x10' is not a number"),  # hex
        ("1.2.3", "'1.2.3' is not a number"),
        ("--1", "'--1' is not a number"),
        ("1,,2", "an empty value between two separators"),
        ("1,2,", "an empty value between two separators"),  # a trailing separator
        ("1" * 41, "'1{20}…' is longer than 40 characters"),
        ("", "no numbers"),
        (";", "no numbers"),
        ("[1, x]", "'x' is not a number"),  # a bracket form Python cannot read
        ("[1,,2]", "an empty value between two separators"),
        ("[1, 2", "the brackets do not match"),
        ("[1, 'a']", "'a' is not a number"),  # a string in brackets
        ("[1, True]", "'True' is not a number"),  # a bool is no number here
        ("[[1, 2], [3, 'b']]", "'b' is not a number"),
        ("[[1], 2]", "'2' stands beside the rows"),
        ("[]", "the brackets hold no numbers"),
        ("[[[1]]]", r"brackets nest deeper than \[\[…\]\]"),
        ("[1, {}]", r"'\{\}' is not a number"),
    ],
)
def test_inline_array_errors_name_the_parameter_and_the_token(text: str, detail: str) -> None:
    for param in ("values", "weights", "bias"):
        with pytest.raises(ConvMathError, match=f"is not one of: .*\\({detail}") as exc:
            parse_inline_array(text, param=param)
        assert exc.value.param == param
    with pytest.raises(ConvMathError, match=detail) as exc:  # the same through the source parser
        parse_array_source(text, presets=False, param="values")
    assert exc.value.param == "values"


def test_weights_errors_list_the_presets_and_the_bad_token() -> None:
    with pytest.raises(ConvMathError, match=r"or a preset: .*counting \('x' is not a number\)$"):
        parse_array_source("1,x", presets=True, param="weights")
    # One word is read as a mistyped preset name: the presets are the hint, not "not a number".
    with pytest.raises(ConvMathError, match=r"'sobel' is not one of: .*counting$"):
        parse_array_source("sobel", presets=True, param="weights")


# --- arrays for a given spec (a scene's example) -----------------------------------------------


@pytest.mark.parametrize(("spec", "values", "weights", "fits"), [
    (ConvSpec((5, 5), 3), None, None, True),
    (ConvSpec((5, 5), 3), None, "box-blur", True),
    (ConvSpec((5, 5), 3), "1,2;3,4", None, False),        # a 2×2 input for a 5×5 spec
    (ConvSpec((6,), 3), None, "sobel-x", False),           # a 3×3 preset for a 1D kernel
    (ConvSpec((6,), 3), "random:4", "random", True),
    (ConvSpec((3, 3), 2, in_channels=2), None, "random", True),
])
def test_arrays_for_takes_the_spec_or_refuses(spec, values, weights, fits) -> None:
    src = [None if v is None else parse_array_source(v, presets=p)
           for v, p in ((values, False), (weights, True))]
    got = arrays_for(spec, *src)
    assert (got is not None) is fits
    if not fits:
        return
    assert got.spec is spec
    for arr, text, shape in ((got.x, values, spec.x_shape), (got.w, weights, spec.w_shape)):
        if text is None:
            assert arr is None  # the scene's defaults, filled in by the pipeline
        else:
            assert arr.shape == shape
    if weights == "box-blur":
        np.testing.assert_array_equal(got.w, np.full((3, 3), 1 / 9))
