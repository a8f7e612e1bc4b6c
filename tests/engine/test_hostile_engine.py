"""Issue 19, engine kinds: bounded parameters (#7), Python-int sizes (#8), memory proportional to
the non-zeros (#10), overflow as ConvMathError (#11), numbers that never vanish (#12), arrays that
are not real finite numbers (#13). Each example of the issue is a case; each kind is walked."""

from __future__ import annotations

import datetime
import time
import tracemalloc
from fractions import Fraction

import numpy as np
import pytest

from convmath import (
    MAX_CELLS,
    MAX_PARAM,
    ConvMathError,
    ConvSpec,
    conv_matrix,
    conv_steps,
    convolve,
    derive_output_size,
    explain,
    explain_step,
    format_number,
    grid_kernel,
    grid_values,
    scatter_steps,
)
from convmath.matrix import MAX_DENSE_CELLS
from convmath.ops import conv_step, iter_conv_steps

HUGE = [MAX_PARAM + 1, 2**32, 4294967296, 2**63, 9223372036854775808, 10**100]

# (parameter, how to build a spec with it set to v)
PARAMS = [
    ("input_shape", lambda v: ConvSpec((v,), 1)),
    ("input_shape", lambda v: ConvSpec((3, v), 1)),
    ("kernel_shape", lambda v: ConvSpec((5,), v)),
    ("kernel_shape", lambda v: ConvSpec((5, 5), (1, v))),
    ("stride", lambda v: ConvSpec((5,), 2, stride=v)),
    ("stride", lambda v: ConvSpec((5, 5), 2, stride=(1, v), transposed=True)),
    ("dilation", lambda v: ConvSpec((5,), 2, dilation=v)),
    ("padding", lambda v: ConvSpec((5,), 2, padding=v)),
    ("padding", lambda v: ConvSpec((5,), 2, padding=((0, v),))),
    ("padding", lambda v: ConvSpec((5, 5), 2, padding=(0, (v, 0)))),
    ("output_padding", lambda v: ConvSpec((5,), 2, stride=2, output_padding=v, transposed=True)),
]


@pytest.mark.parametrize("value", HUGE)
@pytest.mark.parametrize(("param", "build"), PARAMS)
def test_every_parameter_is_bounded(param, build, value):
    t0 = time.process_time()
    with pytest.raises(ConvMathError, match=rf"^{param}=.* is invalid: .*"
                       rf"(<= {MAX_PARAM:,}|at most {MAX_CELLS:,})") as err:
        build(value)
    assert err.value.param == param
    assert time.process_time() - t0 < 0.5  # refused at once, no O(value) loop


def test_issue_19_8_input_that_np_prod_wraps_to_zero_is_refused():
    # np.prod((2**32, 2**32)) wraps to 0 in int64; Python ints do not.
    assert int(np.prod((4294967296, 4294967296))) == 0
    with pytest.raises(ConvMathError, match=r"input_shape=\(4294967296, 4294967296\) is invalid")\
            as err:
        ConvSpec((4294967296, 4294967296), 3)
    assert err.value.param == "input_shape"


@pytest.mark.parametrize("shape", [(3163, 3163), (10**6, 11), (11, MAX_PARAM)])
def test_too_many_cells_is_refused_with_the_limit(shape):
    if max(shape) > MAX_PARAM:
        pytest.skip("refused by MAX_PARAM first")
    with pytest.raises(ConvMathError, match=rf"cells .*at most {MAX_CELLS:,}"):
        ConvSpec(shape, 1)


@pytest.mark.parametrize("kwargs", [
    dict(input_shape=(1000, 1000), kernel_shape=3, stride=1000, transposed=True),  # grid ~1e12
    dict(input_shape=(10, 10), kernel_shape=(1, 1), stride=400_000, transposed=True),
])
def test_transposed_outputs_that_grow_with_the_stride_are_refused(kwargs):
    with pytest.raises(ConvMathError, match=r"^stride=.*transposed output.*cells") as err:
        ConvSpec(**kwargs)
    assert err.value.param == "stride"


def test_issue_19_7_huge_stride_explains_and_derives_in_bounded_text():
    # explain --input 3 --kernel 2 --stride 1000000 wrote 15.8 MB (every same-output size).
    spec = ConvSpec((3,), 2, stride=MAX_PARAM)
    t0 = time.process_time()
    md = explain([1, 2, 3], [1, -1], spec, max_steps=1)
    assert len(md) < 5_000
    assert "Inputs 2 to 1000001 all give an output of size 1." in md
    der = derive_output_size(ConvSpec((3,), 2, stride=MAX_PARAM, transposed=True))
    assert len(der.text) < 2_000 and "Direct inputs" in der.text
    assert time.process_time() - t0 < 1.0


def _peak_mb(func) -> float:
    tracemalloc.start()
    try:
        func()
        return tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()


def test_issue_19_10_conv_matrix_memory_follows_the_non_zeros():
    # 100×100 input: the dense int64 matrix was 8464×10000 (677 MB); 90,000-odd non-zeros now.
    spec = ConvSpec((100, 100), 3)
    peak = _peak_mb(lambda: conv_matrix(spec))
    assert peak < 30, peak
    m = conv_matrix(spec)
    assert m.shape == (98 * 98, 100 * 100) and m.nonzero_count == 98 * 98 * 9
    rng = np.random.default_rng(0)
    x, w = rng.normal(size=(100, 100)), rng.normal(size=(3, 3))
    np.testing.assert_allclose(m.matvec(w, x), convolve(x, w, spec).ravel(), atol=1e-9)
    # 200×200 asked for 11.7 GiB: now a few MB, and dense() refuses with the stated limit.
    big = conv_matrix(ConvSpec((200, 200), 3))
    for dense in (lambda: big.dense(np.ones((3, 3))), lambda: big.kernel_index):
        with pytest.raises(ConvMathError, match=rf"at most {MAX_DENSE_CELLS:,} are allowed") \
                as err:
            dense()
        assert err.value.param == "input_shape"


def test_issue_19_10_scatter_steps_does_not_snapshot_the_output_per_input_cell():
    spec = ConvSpec((100, 100), 3)
    x, w = np.ones((100, 100)), np.ones((3, 3))
    holder = []
    peak = _peak_mb(lambda: holder.append(scatter_steps(x, w, spec)))
    assert peak < 150, peak  # was 800 MB: 10,000 snapshots of 9,604 floats
    steps = holder[0]
    np.testing.assert_array_equal(steps[-1].partial, convolve(x, w, spec))
    assert steps[0].partial.sum() == 1 and not steps[0].partial.flags.writeable


# --- #11: results that overflow -------------------------------------------------------------

OVERFLOWS = [
    # (x, w, spec): products overflow, or sums of finite products overflow.
    ([1e308, 1e308, 1e308], [2, 2], ConvSpec((3,), 2)),  # the issue's example
    ([1e308, 1e308, 1e308], [1, 1], ConvSpec((3,), 2)),  # the sum overflows
    ([1e308, -1e308, 1e308], [-3, 1], ConvSpec((3,), 2, flip=True)),
    ([1e308, 1e308], [1, 1], ConvSpec((2,), 2, stride=1, transposed=True)),
    ([[1e200, 1], [1, 1]], [[1e200]], ConvSpec((2, 2), 1)),
]

CONSUMERS = [
    ("convolve", lambda x, w, s: convolve(x, w, s)),
    ("conv_steps", lambda x, w, s: conv_steps(x, w, s)),
    ("iter_conv_steps", lambda x, w, s: list(iter_conv_steps(x, w, s))),
    ("conv_step", lambda x, w, s: [conv_step(x, w, s, n) for n in range(s.output_size)]),
    ("scatter_steps", lambda x, w, s: scatter_steps(x, w, s)),
    ("explain", lambda x, w, s: explain(x, w, s)),
    ("explain 1 step", lambda x, w, s: explain(x, w, s, max_steps=1)),
    ("matvec", lambda x, w, s: conv_matrix(s).matvec(w, x)),
]


@pytest.mark.parametrize(("name", "consume"), CONSUMERS)
@pytest.mark.parametrize(("x", "w", "spec"), OVERFLOWS)
def test_overflowing_results_are_one_clear_error(name, consume, x, w, spec):
    with pytest.raises(ConvMathError, match=r"overflows the float range") as err:
        consume(x, w, spec)
    assert err.value.param == "x"


# --- #12: numbers never vanish ---------------------------------------------------------------

def test_issue_19_12_tiny_and_huge_values_stay_visible():
    spec = ConvSpec((2,), 2)
    steps = conv_steps([1e-12, 1e-12], [0, 1], spec)
    assert explain_step(steps[0]) == "y[0] = (1e−12·0) + (1e−12·1) = 1e−12"
    assert format_number(1e300) == "1e300"
    md = explain([1e300, 1e300], [1, 0], spec)
    assert "1e300" in md


# --- #13: arrays that are not real finite numbers ------------------------------------------

def _masked():
    return np.ma.masked_array([1.0, 2, 3, 4, 5], mask=[0, 1, 0, 0, 0])


BAD_KINDS = [
    ("complex", lambda n: np.arange(n) + 1j, r"complex"),
    ("complex list", lambda n: [1 + 2j] * n, r"complex"),
    ("datetime64", lambda n: np.array(["2024-01-01"] * n, dtype="datetime64[D]"), r"dates"),
    ("timedelta64", lambda n: np.arange(n).astype("timedelta64[s]"), r"durations"),
    ("bool", lambda n: np.ones(n, dtype=bool), r"booleans"),
    ("bool list", lambda n: [True] * n, r"booleans"),
    ("text", lambda n: ["1"] * n, r"text"),
    ("bytes", lambda n: np.array([b"1"] * n), r"bytes"),
    ("object None", lambda n: np.array([None] * n, dtype=object), r"NoneType"),
    ("object str", lambda n: np.array(["a"] + [1] * (n - 1), dtype=object), r"str"),
    ("object complex", lambda n: np.array([1j] + [1] * (n - 1), dtype=object), r"complex"),
    ("object datetime", lambda n: np.array([datetime.date(2024, 1, 1)] * n, dtype=object),
     r"date"),
    ("int beyond float", lambda n: [10**400] + [1] * (n - 1), r"beyond the float range"),
    ("negative int beyond float", lambda n: [1] * (n - 1) + [-(10**400)],
     r"beyond the float range"),
    ("longdouble beyond float64", lambda n: np.full(n, np.longdouble(1e308) * 10), r"NaN or inf"),
    ("nan", lambda n: [float("nan")] * n, r"NaN or infinite"),
    ("inf", lambda n: [float("inf")] * n, r"NaN or infinite"),
    ("ragged", lambda n: [[1, 2], [3]], r"array of numbers"),
    ("structured", lambda n: np.zeros(n, dtype=[("a", float)]), r"structured"),
]

SPEC = ConvSpec((5,), 5)
USES = [
    ("convolve", lambda x, w: convolve(x, w, SPEC)),
    ("conv_steps", lambda x, w: conv_steps(x, w, SPEC)),
    ("conv_step", lambda x, w: conv_step(x, w, SPEC, 0)),
    ("scatter_steps", lambda x, w: scatter_steps(x, w, SPEC)),
    ("explain", lambda x, w: explain(x, w, SPEC)),
    ("grid_values", lambda x, w: (grid_values(x, SPEC), grid_kernel(w, SPEC))),
    ("dense", lambda x, w: (conv_matrix(SPEC).dense(w), conv_matrix(SPEC).matvec(w, x))),
]


@pytest.mark.parametrize(("use_name", "use"), USES)
@pytest.mark.parametrize("which", ["x", "w"])
@pytest.mark.parametrize(("kind", "make", "match"), BAD_KINDS)
def test_arrays_that_are_not_real_finite_numbers_are_refused(kind, make, match, which,
                                                            use_name, use):
    good = [1.0, 2, 3, 4, 5]
    bad = make(5)
    x, w = (bad, good) if which == "x" else (good, bad)
    with pytest.raises(ConvMathError, match=rf"^{which}( has shape| is invalid).*{match}") as err:
        use(x, w)
    assert err.value.param == which


@pytest.mark.parametrize(("use_name", "use"), USES)
@pytest.mark.parametrize("which", ["x", "w"])
def test_masked_arrays_are_refused(which, use_name, use):
    x, w = (_masked(), [1.0] * 5) if which == "x" else ([1.0] * 5, _masked())
    with pytest.raises(ConvMathError, match=rf"^{which} is invalid: masked arrays") as err:
        use(x, w)
    assert err.value.param == which


@pytest.mark.parametrize("value", [
    [1, 2, 3, 4, 5], np.arange(5, dtype=np.int8), np.arange(5, dtype=np.uint64),
    np.arange(5, dtype=np.float16), np.arange(5, dtype=np.float32),
    np.array([Fraction(1, 3)] * 5, dtype=object), np.array([1, 2.5, 3, 4, 5], dtype=object),
])
def test_real_numbers_of_every_kind_are_accepted(value):
    np.testing.assert_allclose(convolve(value, np.ones(5), SPEC),
                               [float(np.sum(np.asarray(value, dtype=float)))])


@pytest.mark.parametrize("step", ["x", None, 3, object(), (0,)])
def test_explain_step_of_something_else_is_a_convmatherror(step):
    with pytest.raises(ConvMathError, match=r"step=.* is invalid: it must be a ConvStep") as err:
        explain_step(step)
    assert err.value.param == "step"


@pytest.mark.parametrize("index", [-6, 5, (0, 0), (5,), "0", 1.0, True])
def test_conv_step_index_is_checked(index):
    with pytest.raises(ConvMathError, match=r"index=.* is invalid") as err:
        conv_step([1.0] * 5, [1.0] * 5, SPEC, index)
    assert err.value.param == "index"


def test_conv_step_is_the_same_step_as_conv_steps():
    spec = ConvSpec((4, 5), (2, 3), stride=(1, 2), padding=1, dilation=(2, 1))
    rng = np.random.default_rng(1)
    x, w = rng.normal(size=(4, 5)), rng.normal(size=(2, 3))
    steps = conv_steps(x, w, spec)
    for n, step in enumerate(steps):
        assert conv_step(x, w, spec, n) == step == conv_step(x, w, spec, step.out_index)
    assert conv_step(x, w, spec, -1) == steps[-1]
