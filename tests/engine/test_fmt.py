"""convmath.fmt: the one formatter for numbers and per-axis values (issues 13, 19 #12)."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from convmath import (
    ConvMathError,
    format_axes,
    format_index,
    format_int,
    format_number,
    format_padding,
    format_shape,
)

MINUS = "\u2212"


@pytest.mark.parametrize(("values", "expected"), [
    ((2, 1), "2×1"), ((2, 2), "2"), ((3,), "3"), ((1, 12), "1×12"), ((-1, -1), "−1"),
])
def test_format_axes(values, expected):
    assert format_axes(values) == expected


@pytest.mark.parametrize(("shape", "expected"), [((5, 5), "5×5"), ((5,), "5"), ((3, 8), "3×8")])
def test_format_shape(shape, expected):
    assert format_shape(shape) == expected


def test_format_index_and_int():
    assert format_index((1, 2)) == "[1,2]" and format_index((0,)) == "[0]"
    assert format_int(-2) == "−2" and format_int(np.int64(7)) == "7"


@pytest.mark.parametrize(("pads", "expected"), [
    (((1, 1),), "1"), (((1, 1), (1, 1)), "1"), (((1, 2),), "1:2"), (((1, 2), (1, 2)), "1:2"),
    (((1, 1), (0, 1)), "1, 0:1"), (((1, 0), (2, 2)), "1:0, 2"), (((-1, -1),), "−1"),
    (((2, -1),), "2:−1"),
])
def test_format_padding(pads, expected):
    assert format_padding(pads) == expected


@pytest.mark.parametrize(("value", "expected"), [
    # Issue 19 #12: huge and tiny values stay meaningful instead of vanishing.
    (1e300, "1e300"), (-1e300, "−1e300"), (1e-12, "1e−12"), (-1.5e-12, "−1.5e−12"),
    (2.346e7, "2.35e7"), (1.7976931348623157e308, "1.8e308"), (5e-324, "4.94e−324"),
    (0.004, "4e−3"), (0.005, "0.01"), (9999999.0, "9999999"), (1e7, "1e7"),
    (float("inf"), "∞"), (float("-inf"), "−∞"), (float("nan"), "NaN"),
    (Fraction(1, 4), "0.25"), (np.float16(0.5), "0.5"),
])
def test_format_number_scientific_and_special(value, expected):
    assert format_number(value) == expected


@pytest.mark.parametrize("value", [True, "1", None, 1j, 10**400])
def test_format_number_refuses_non_reals(value):
    with pytest.raises(ConvMathError, match=r"value=.* is invalid") as err:
        format_number(value)
    assert err.value.param == "value"


@given(st.floats(allow_nan=False, allow_infinity=False), st.integers(1, 4))
def test_format_number_never_vanishes_never_hyphenates_and_reads_back(value, digits):
    s = format_number(value, digits)
    assert "-" not in s  # the true minus only (issue 12 #3)
    if value != 0:
        assert s != "0"
    back = Decimal(s.replace(MINUS, "-"))  # Decimal: "1.8e308" is beyond float
    # Fixed notation rounds to `digits` decimals; scientific keeps `digits` mantissa decimals.
    v = Decimal(value)
    tol = max(Decimal("0.5") * Decimal(10) ** -digits,
              abs(v) * Decimal("0.5") * Decimal(10) ** -digits) * Decimal("1.000001")
    assert abs(back - v) <= tol
