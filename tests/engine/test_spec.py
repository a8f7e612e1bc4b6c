"""convmath.spec.ConvSpec: normalisation, resolved padding, grid geometry, adjoint, errors.

Expected values are worked out by hand from the documented rules (PyTorch's padding and
``ConvTranspose``, TensorFlow's ``"SAME"``, the convolution-arithmetic paper's equivalent direct
convolution), never read back from the engine.
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from convmath import PADDING_MODES, ConvMathError, ConvSpec

# ---------------------------------------------------------------------------------------------
# Normalisation.

NORMALISATION = [
    # kwargs, input_shape, kernel_shape, stride, dilation, pads, output_shape
    (dict(input_shape=5, kernel_shape=3), (5,), (3,), (1,), (1,), ((0, 0),), (3,)),
    (dict(input_shape=(5, 5), kernel_shape=3, stride=2, padding=1),
     (5, 5), (3, 3), (2, 2), (1, 1), ((1, 1), (1, 1)), (3, 3)),
    (dict(input_shape=(5, 6), kernel_shape=(3, 2), stride=(2, 1), padding=((1, 0), (2, 2))),
     (5, 6), (3, 2), (2, 1), (1, 1), ((1, 0), (2, 2)), (2, 9)),
    (dict(input_shape=(7,), kernel_shape=3, dilation=2), (7,), (3,), (1,), (2,), ((0, 0),), (3,)),
    # 1D: a bare pair is (before, after).
    (dict(input_shape=(5,), kernel_shape=3, padding=(1, 2)), (5,), (3,), (1,), (1,),
     ((1, 2),), (6,)),
    # 2D: a pair of ints is one int per axis.
    (dict(input_shape=(5, 5), kernel_shape=3, padding=(1, 2)), (5, 5), (3, 3), (1, 1), (1, 1),
     ((1, 1), (2, 2)), (5, 7)),
    (dict(input_shape=(5, 5), kernel_shape=3, padding=(1, (0, 2))), (5, 5), (3, 3), (1, 1),
     (1, 1), ((1, 1), (0, 2)), (5, 5)),
    (dict(input_shape=[4, 4], kernel_shape=[2, 1], padding="VALID"), (4, 4), (2, 1), (1, 1),
     (1, 1), ((0, 0), (0, 0)), (3, 4)),
    (dict(input_shape=(np.int64(6),), kernel_shape=np.int32(2), stride=np.int64(2)), (6,), (2,),
     (2,), (1,), ((0, 0),), (3,)),
]


@pytest.mark.parametrize(("kwargs", "shape", "kernel", "stride", "dil", "pads", "out"),
                         NORMALISATION)
def test_normalisation(kwargs, shape, kernel, stride, dil, pads, out):
    spec = ConvSpec(**kwargs)
    assert spec.input_shape == shape and spec.kernel_shape == kernel
    assert spec.stride == stride and spec.dilation == dil
    assert spec.pads == pads and spec.output_shape == out
    assert spec.ndim == len(shape)
    for value in (*spec.input_shape, *spec.kernel_shape, *spec.stride, *spec.dilation):
        assert type(value) is int
    assert spec.effective_kernel_shape == tuple(d * (k - 1) + 1 for k, d in zip(kernel, dil))
    assert spec.input_size == math.prod(shape) and spec.output_size == math.prod(out)
    assert spec.kernel_size == math.prod(kernel)


def test_frozen_hashable_and_equal_after_normalisation():
    spec = ConvSpec(5, 3, padding=1)
    with pytest.raises(dataclasses.FrozenInstanceError):
        spec.stride = 2  # type: ignore[misc]
    same = ConvSpec((5,), (3,), stride=(1,), padding=((1, 1),))
    assert spec == same and hash(spec) == hash(same)
    assert spec != ConvSpec(5, 3, padding=1, flip=True)
    assert len({spec, same, ConvSpec(5, 3)}) == 2


def test_padding_mode_is_kept_by_name():
    assert PADDING_MODES == ("valid", "same", "full")
    assert ConvSpec(5, 3, padding=" Same ").padding_mode == "same"
    assert ConvSpec(5, 3, padding="full").padding_mode == "full"
    assert ConvSpec(5, 3, padding=1).padding_mode is None


# ---------------------------------------------------------------------------------------------
# 'same' (TensorFlow's rule), 'full', 'valid'.

SAME_TABLE = [
    # i, k, s, d, (before, after), o  — worked by hand: o = ceil(i/s),
    # total = max((o−1)s + d(k−1) + 1 − i, 0), the extra cell after.
    (5, 3, 1, 1, (1, 1), 5),
    (5, 2, 1, 1, (0, 1), 5),
    (4, 4, 1, 1, (1, 2), 4),
    (5, 3, 2, 1, (1, 1), 3),
    (6, 3, 2, 1, (0, 1), 3),
    (6, 4, 2, 1, (1, 1), 3),
    (7, 4, 3, 1, (1, 2), 3),
    (7, 1, 3, 1, (0, 0), 3),
    (5, 3, 1, 2, (2, 2), 5),
    (8, 2, 4, 1, (0, 0), 2),
    (2, 5, 1, 1, (2, 2), 2),
    (5, 2, 2, 3, (1, 2), 3),
]


@pytest.mark.parametrize(("i", "k", "s", "d", "pads", "o"), SAME_TABLE)
def test_same_padding_table(i, k, s, d, pads, o):
    spec = ConvSpec((i,), k, stride=s, dilation=d, padding="same")
    assert spec.pads == (pads,)
    assert spec.output_shape == (o,)


@given(st.integers(1, 30), st.integers(1, 6), st.integers(1, 5), st.integers(1, 4))
def test_same_output_is_ceil_i_over_s(i, k, s, d):
    spec = ConvSpec((i, i + 1), k, stride=s, dilation=d, padding="same")
    assert spec.output_shape == (math.ceil(i / s), math.ceil((i + 1) / s))
    for (pb, pa), n, o in zip(spec.pads, (i, i + 1), spec.output_shape):
        assert pa - pb in (0, 1)
        assert pb + pa == max((o - 1) * s + d * (k - 1) + 1 - n, 0)


@pytest.mark.parametrize(("i", "k", "d", "pad", "o"), [(5, 3, 1, 2, 7), (4, 2, 1, 1, 5),
                                                       (3, 3, 2, 4, 7), (1, 4, 1, 3, 4)])
def test_full_padding(i, k, d, pad, o):
    spec = ConvSpec((i,), k, dilation=d, padding="full")
    assert spec.pads == ((pad, pad),)
    assert spec.output_shape == (o,)


def test_valid_is_no_padding():
    assert ConvSpec((6, 4), (3, 2), padding="valid").pads == ((0, 0), (0, 0))


# ---------------------------------------------------------------------------------------------
# Transposed specs.

TRANSPOSED_TABLE = [
    # kwargs, pads, resolved output_padding, output_shape
    (dict(input_shape=(2, 2), kernel_shape=3), ((0, 0), (0, 0)), (0, 0), (4, 4)),
    (dict(input_shape=(3,), kernel_shape=3, stride=2, padding=1, output_padding=1),
     ((1, 1),), (1,), (6,)),  # (3−1)·2 − 2 + 2 + 1 + 1
    (dict(input_shape=(3,), kernel_shape=3, stride=2, padding="same"), ((0, 1),), (0,), (6,)),
    (dict(input_shape=(3,), kernel_shape=1, stride=3, padding="same"), ((0, 0),), (2,), (9,)),
    (dict(input_shape=(4,), kernel_shape=4, stride=2, padding="same"), ((1, 1),), (0,), (8,)),
    (dict(input_shape=(5,), kernel_shape=3, padding="full"), ((2, 2),), (0,), (3,)),
    (dict(input_shape=(5,), kernel_shape=3, stride=2, padding="valid"), ((0, 0),), (0,), (11,)),
    (dict(input_shape=(2,), kernel_shape=2, dilation=3, output_padding=2), ((0, 0),), (2,),
     (7,)),  # output_padding 2 < dilation 3 (PyTorch's rule)
]


@pytest.mark.parametrize(("kwargs", "pads", "op", "out"), TRANSPOSED_TABLE)
def test_transposed_sizes(kwargs, pads, op, out):
    spec = ConvSpec(transposed=True, **kwargs)
    assert spec.pads == pads
    assert spec.resolved_output_padding == op
    assert spec.output_shape == out


@given(st.integers(1, 12), st.integers(1, 6), st.integers(1, 5), st.integers(1, 4))
def test_transposed_same_gives_i_times_s(i, k, s, d):
    spec = ConvSpec((i, i + 2), (k, 2), stride=s, dilation=(d, 1), padding="same",
                    transposed=True)
    assert spec.output_shape == (i * s, (i + 2) * s)


@given(st.integers(1, 12), st.integers(1, 6), st.integers(1, 5), st.integers(1, 4))
def test_transposed_same_is_the_adjoint_of_direct_same(i, k, s, d):
    # TensorFlow's conv2d_transpose(SAME) is the gradient of conv2d(SAME) on an i·s input.
    direct = ConvSpec((i * s,), k, stride=s, dilation=d, padding="same")
    tr = ConvSpec((i,), k, stride=s, dilation=d, padding="same", transposed=True)
    assert direct.output_shape == (i,)
    assert tr.pads == direct.pads
    assert tr.adjoint() == ConvSpec((i * s,), k, stride=s, dilation=d, padding=direct.pads)


@st.composite
def transposed_args(draw):
    i, k, s, d = (draw(st.integers(1, 6)), draw(st.integers(1, 5)), draw(st.integers(1, 4)),
                  draw(st.integers(1, 3)))
    pb, pa = draw(st.integers(0, 4)), draw(st.integers(0, 4))
    op = draw(st.integers(0, max(s, d) - 1))
    return i, k, s, d, pb, pa, op


@given(transposed_args())
def test_transposed_output_and_grid_geometry(args):
    i, k, s, d, pb, pa, op = args
    o = (i - 1) * s - pb - pa + d * (k - 1) + op + 1
    if o < 1:
        with pytest.raises(ConvMathError, match=r"padding=\(\(\d+, \d+\),\) is invalid"):
            ConvSpec((i,), k, stride=s, padding=((pb, pa),), dilation=d, transposed=True,
                     output_padding=op)
        return
    spec = ConvSpec((i,), k, stride=s, padding=((pb, pa),), dilation=d, transposed=True,
                    output_padding=op)
    assert spec.output_shape == (o,)
    # The equivalent direct convolution: s−1 zeros between cells, padding d(k−1)−p, plus
    # output_padding after; stride 1 over that grid gives o outputs.
    before, after = d * (k - 1) - pb, d * (k - 1) - pa + op
    assert spec.grid_pads == ((before, after),)
    assert spec.grid_shape == ((i - 1) * s + 1 + before + after,)
    assert spec.grid_shape[0] - (d * (k - 1) + 1) + 1 == o


@given(st.integers(1, 8), st.integers(1, 4), st.integers(0, 3), st.integers(0, 3))
def test_direct_grid_is_the_padded_input(i, k, pb, pa):
    if k > i + pb + pa:
        return
    spec = ConvSpec((i, 3), (k, 1), padding=((pb, pa), 0))
    assert spec.grid_pads == ((pb, pa), (0, 0))
    assert spec.grid_shape == (i + pb + pa, 3)


# ---------------------------------------------------------------------------------------------
# adjoint().


@pytest.mark.parametrize(
    ("kwargs", "adjoint_kwargs"),
    [
        (dict(input_shape=(5,), kernel_shape=3, stride=2, padding=1),
         dict(input_shape=(3,), kernel_shape=3, stride=2, padding=1, transposed=True)),
        (dict(input_shape=(6,), kernel_shape=3, stride=2, padding=1),  # (6+2−3) mod 2 = 1
         dict(input_shape=(3,), kernel_shape=3, stride=2, padding=1, transposed=True,
              output_padding=1)),
        (dict(input_shape=(7, 6), kernel_shape=(3, 2), stride=(3, 2), padding="same", flip=True),
         dict(input_shape=(3, 3), kernel_shape=(3, 2), stride=(3, 2), padding=((1, 1), (0, 0)),
              transposed=True, output_padding=(0, 0), flip=True)),
    ],
)
def test_adjoint_literal(kwargs, adjoint_kwargs):
    spec = ConvSpec(**kwargs)
    adj = spec.adjoint()
    assert adj == ConvSpec(**adjoint_kwargs)
    assert adj.output_shape == spec.input_shape
    assert adj.adjoint().output_shape == spec.output_shape


def test_adjoint_of_transposed_without_direct_counterpart_raises():
    spec = ConvSpec((2,), 2, dilation=3, output_padding=2, transposed=True)
    with pytest.raises(ConvMathError, match=r"output_padding=.*2.*no direct adjoint.*stride \(1\)"):
        spec.adjoint()


# ---------------------------------------------------------------------------------------------
# Every invalid spec raises ConvMathError naming the parameter and the value.

BAD_SPECS = [
    (dict(input_shape=(0,), kernel_shape=1), r"input_shape=\(0,\) is invalid.*>= 1"),
    (dict(input_shape=(5, -2), kernel_shape=1), r"input_shape=\(5, -2\) is invalid.*>= 1"),
    (dict(input_shape=0, kernel_shape=1), r"input_shape=0 is invalid.*>= 1"),
    (dict(input_shape=(5,), kernel_shape=0), r"kernel_shape=0 is invalid.*>= 1"),
    (dict(input_shape=(5, 5), kernel_shape=(3, 0)), r"kernel_shape=\(3, 0\) is invalid"),
    (dict(input_shape=(5,), kernel_shape=3, stride=0), r"stride=0 is invalid.*>= 1"),
    (dict(input_shape=(5, 5), kernel_shape=3, stride=(1, -1)), r"stride=\(1, -1\) is invalid"),
    (dict(input_shape=(5,), kernel_shape=3, dilation=0), r"dilation=0 is invalid.*>= 1"),
    (dict(input_shape=(5,), kernel_shape=3, padding=-1), r"padding=-1 is invalid.*>= 0"),
    (dict(input_shape=(5,), kernel_shape=3, padding=((1, -2),)),
     r"padding=\(\(1, -2\),\) is invalid.*>= 0"),
    (dict(input_shape=(5, 5), kernel_shape=3, padding=(0, -1)), r"padding=\(0, -1\) is invalid"),
    (dict(input_shape=(5,), kernel_shape=3, padding="half"),
     r"padding='half' is invalid.*'valid', 'same', 'full'"),
    (dict(input_shape=(5,), kernel_shape=3, padding=""), r"padding='' is invalid"),
    (dict(input_shape=(5,), kernel_shape=3, padding=None), r"padding=None is invalid"),
    (dict(input_shape=(5,), kernel_shape=3, padding=1.5), r"padding=1.5 is invalid"),
    (dict(input_shape=(5,), kernel_shape=6), r"kernel_shape=6 is invalid.*spans 6 cells.*5"),
    (dict(input_shape=(5,), kernel_shape=3, dilation=3),
     r"kernel_shape=3 is invalid with dilation=3.*spans 7 cells"),
    (dict(input_shape=(4, 4), kernel_shape=(2, 7), padding=(0, 1)),
     r"kernel_shape=\(2, 7\) is invalid.*axis 1.*spans 7 cells.*padded input's 6"),
    (dict(input_shape=(2,), kernel_shape=1, padding=2, transposed=True),
     r"padding=2 is invalid for this transposed convolution.*= -2; it must be >= 1"),
    (dict(input_shape=(2,), kernel_shape=3, padding="full", stride=1, transposed=True),
     r"padding='full' is invalid for this transposed convolution.*= 0"),
    (dict(input_shape=(5,), kernel_shape=3, stride=2, output_padding=2, transposed=True),
     r"output_padding=2 is invalid.*smaller than the stride \(2\) or the dilation \(1\)"),
    (dict(input_shape=(5, 5), kernel_shape=3, stride=(2, 1), output_padding=(1, 1),
          transposed=True),
     r"output_padding=\(1, 1\) is invalid.*axis 1"),
    (dict(input_shape=(5,), kernel_shape=3, output_padding=-1, transposed=True),
     r"output_padding=-1 is invalid.*>= 0"),
    (dict(input_shape=(5,), kernel_shape=3, output_padding=1),
     r"output_padding=1 is invalid.*only.*transposed=True"),
    (dict(input_shape=(5,), kernel_shape=3, stride=2, padding="same", output_padding=1,
          transposed=True),
     r"output_padding=1 is invalid with padding='same'"),
    (dict(input_shape=(5.0,), kernel_shape=3), r"input_shape=\(5.0,\) is invalid.*integers"),
    (dict(input_shape=5.0, kernel_shape=3), r"input_shape=5.0 is invalid"),
    (dict(input_shape=(5,), kernel_shape=2.5), r"kernel_shape=2.5 is invalid"),
    (dict(input_shape=(5,), kernel_shape=3, stride=1.0), r"stride=1.0 is invalid"),
    (dict(input_shape=(5,), kernel_shape=3, stride="2"), r"stride='2' is invalid"),
    (dict(input_shape=(True,), kernel_shape=1), r"input_shape=\(True,\) is invalid"),
    (dict(input_shape=True, kernel_shape=1), r"input_shape=True is invalid"),
    (dict(input_shape=(5,), kernel_shape=True), r"kernel_shape=True is invalid"),
    (dict(input_shape=(5,), kernel_shape=3, stride=True), r"stride=True is invalid"),
    (dict(input_shape=(5,), kernel_shape=3, padding=True), r"padding=True is invalid"),
    (dict(input_shape=(5,), kernel_shape=3, padding=(True, 1)), r"padding=\(True, 1\) is"),
    (dict(input_shape=(), kernel_shape=1), r"input_shape=\(\) is invalid.*\(n,\).*\(h, w\)"),
    (dict(input_shape=(2, 3, 4), kernel_shape=1), r"input_shape=\(2, 3, 4\) is invalid"),
    (dict(input_shape=(5, 5), kernel_shape=(3, 3, 3)),
     r"kernel_shape=\(3, 3, 3\) is invalid.*tuple of 2"),
    (dict(input_shape=(5,), kernel_shape=(3, 3)), r"kernel_shape=\(3, 3\) is invalid"),
    (dict(input_shape=(5, 5), kernel_shape=3, stride=(1,)), r"stride=\(1,\) is invalid"),
    (dict(input_shape=(5, 5), kernel_shape=3, dilation=(1, 1, 1)),
     r"dilation=\(1, 1, 1\) is invalid"),
    (dict(input_shape=(5, 5), kernel_shape=3, padding=(1, 2, 3)),
     r"padding=\(1, 2, 3\) is invalid.*expected 2"),
    (dict(input_shape=(5,), kernel_shape=3, padding=((1, 2), (3, 4))),
     r"padding=\(\(1, 2\), \(3, 4\)\) is invalid.*expected 1"),
    (dict(input_shape=(5, 5), kernel_shape=3, padding=((1, 2, 3), 1)),
     r"padding=\(\(1, 2, 3\), 1\) is invalid"),
    (dict(input_shape=(5, 5), kernel_shape=3, output_padding=(0, 0, 0), transposed=True),
     r"output_padding=\(0, 0, 0\) is invalid"),
    (dict(input_shape=(5,), kernel_shape=3, transposed=1), r"transposed=1 is invalid"),
    (dict(input_shape=(5,), kernel_shape=3, flip="yes"), r"flip='yes' is invalid"),
]


@pytest.mark.parametrize(("kwargs", "match"), BAD_SPECS)
def test_invalid_specs_raise(kwargs, match):
    with pytest.raises(ConvMathError, match=match):
        ConvSpec(**kwargs)


def test_convmatherror_is_a_valueerror():
    assert issubclass(ConvMathError, ValueError)


# Anything a user might type: ints (also negative), bools, floats, strings, None, short and long
# tuples, nested pairs.
_scalar = st.one_of(st.integers(-2, 6), st.booleans(), st.floats(-2, 6), st.none(),
                    st.sampled_from(["valid", "same", "full", "half", "2"]))
_arg = st.one_of(_scalar, st.tuples(_scalar), st.tuples(_scalar, _scalar),
                 st.tuples(st.tuples(_scalar, _scalar), _scalar), st.integers(1, 6))


@given(_arg, _arg, _arg, _arg, _arg, st.one_of(st.booleans(), _scalar), _arg)
def test_anything_either_builds_a_valid_spec_or_raises_convmatherror(
    shape, kernel, stride, padding, dilation, transposed, output_padding
):
    try:
        spec = ConvSpec(shape, kernel, stride=stride, padding=padding, dilation=dilation,
                        transposed=transposed, output_padding=output_padding)
    except ConvMathError as exc:
        assert " is invalid" in str(exc) or "has no" in str(exc)
        return
    assert spec.ndim in (1, 2)
    assert all(o >= 1 for o in spec.output_shape)
    assert all(pb >= 0 and pa >= 0 for pb, pa in spec.pads)
    for ax in range(spec.ndim):
        i, k, s, d = (spec.input_shape[ax], spec.kernel_shape[ax], spec.stride[ax],
                      spec.dilation[ax])
        (pb, pa), op = spec.pads[ax], spec.resolved_output_padding[ax]
        expected = ((i - 1) * s - pb - pa + d * (k - 1) + op + 1 if spec.transposed
                    else (i + pb + pa - d * (k - 1) - 1) // s + 1)
        assert spec.output_shape[ax] == expected


@pytest.mark.parametrize(("kwargs", "match"), BAD_SPECS)
def test_invalid_specs_name_their_parameter(kwargs, match):
    # The parameter is the one the message starts with (``stride=0 is invalid…``).
    expected = match.split("=")[0]
    with pytest.raises(ConvMathError) as err:
        ConvSpec(**kwargs)
    assert err.value.param == expected, str(err.value)
