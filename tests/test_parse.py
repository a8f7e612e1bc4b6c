"""`convmath.parse`: the values people type (sizes, strides, paddings, arrays) and a spec built
from them; errors carry ``param`` and quote the value as typed. Oracles: the literal values."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from convmath import ConvMathError
from convmath.parse import (
    build_conv,
    parse_array_source,
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


