"""convmath.equation: one output index substituted into the general equation.

Oracles: the equation written from PyTorch's Conv definition with loops (index ``s·i + d·m − p``
per axis, zero outside the input, weight ``m`` or ``k−1−m`` when flipped) and scipy's
``correlate``/``convolve`` for the output value.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from scipy import signal

from convmath import ConvMathError, ConvSpec, substitute


@st.composite
def cases(draw):
    ndim = draw(st.sampled_from([1, 2]))
    shape = tuple(draw(st.integers(2, 7)) for _ in range(ndim))
    try:
        spec = ConvSpec(shape, draw(st.integers(1, 3)), stride=draw(st.integers(1, 3)),
                        padding=draw(st.integers(0, 2)), dilation=draw(st.integers(1, 2)),
                        flip=draw(st.booleans()))
    except ConvMathError:
        assume(False)
    rng = np.random.default_rng(draw(st.integers(0, 2**16)))
    x = rng.integers(-4, 5, spec.input_shape).astype(float)
    w = rng.integers(-3, 4, spec.kernel_shape).astype(float)
    cell = tuple(draw(st.integers(0, n - 1)) for n in spec.output_shape)
    return spec, x, w, cell


@given(cases())
def test_terms_follow_the_definition(case):
    spec, x, w, cell = case
    eq = substitute(x, w, spec, cell)
    offsets = list(itertools.product(*(range(k) for k in spec.kernel_shape)))
    assert [t.offset for t in eq.terms] == offsets
    for t, m in zip(eq.terms, offsets):
        want = tuple(s * i + d * mm - pb for s, i, d, mm, (pb, _) in
                     zip(spec.stride, cell, spec.dilation, m, spec.pads))
        assert t.input_index == want
        inside = all(0 <= v < n for v, n in zip(want, spec.input_shape))
        assert t.in_input == inside
        assert t.x_value == (x[want] if inside else 0.0)
        k_idx = tuple(k - 1 - mm for k, mm in zip(spec.kernel_shape, m)) if spec.flip else m
        assert t.kernel_index == k_idx and t.w_value == w[k_idx]
        assert t.product == t.x_value * t.w_value
        assert t.grid_index == tuple(v + pb for v, (pb, _) in zip(want, spec.pads))


@given(cases())
def test_value_is_scipys(case):
    spec, x, w, cell = case
    assume(all(s == 1 and d == 1 for s, d in zip(spec.stride, spec.dilation)))
    xpad = np.pad(x, spec.pads)
    full = (signal.convolve if spec.flip else signal.correlate)(xpad, w, mode="valid")
    eq = substitute(x, w, spec, cell)
    assert eq.value == pytest.approx(full[cell])
    assert eq.value == pytest.approx(sum(t.product for t in eq.terms))


def test_hand_worked_stride_2_padding_1():
    eq = substitute([1, 2, 3, 4, 5], [1, 0, -1], ConvSpec((5,), 3, stride=2, padding=1), 0)
    assert [t.input_index for t in eq.terms] == [(-1,), (0,), (1,)]
    assert [t.in_input for t in eq.terms] == [False, True, True]
    assert eq.value == 0 * 1 + 1 * 0 + 2 * -1
    assert eq.axis_reads(0) == (-1, 0, 1)


@pytest.mark.parametrize(
    ("spec", "index", "param", "match"),
    [
        (ConvSpec((3,), 2, transposed=True), 0, "spec", r"transposed=True is invalid"),
        (ConvSpec((5,), 3), 3, "out_index", r"out_index=3 is invalid.*\(0\.\.2\)"),
        (ConvSpec((5,), 3), (0, 0), "out_index", r"out_index=\(0, 0\)"),
        (ConvSpec((5,), 3), True, "out_index", r"out_index=True"),
    ],
)
def test_bad_index_or_spec(spec, index, param, match):
    x, w = np.zeros(spec.input_shape), np.ones(spec.kernel_shape)
    with pytest.raises(ConvMathError, match=match) as info:
        substitute(x, w, spec, index)
    assert info.value.param == param
