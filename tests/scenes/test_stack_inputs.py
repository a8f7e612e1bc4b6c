"""scenes.stack_inputs.LayerStack: checked stacks, repeat, digest."""

from __future__ import annotations

import pytest

from convmath import ConvMathError, ConvSpec, build_stack
from scenes.stack_inputs import LayerStack


def test_make_repeat_and_of_agree():
    made = LayerStack.make((9,), [3, 3, 3])
    assert LayerStack.repeat(ConvSpec((9,), 3)) == made
    assert LayerStack.of(build_stack((9,), [3, 3, 3])).digest() == made.digest()
    assert made.spec == ConvSpec((9,), 3) and made.input_shape == (9,)
    assert [layer["input_shape"] for layer in made.record()["layers"]] == [[9], [7], [5]]


def test_repeat_stops_where_the_kernel_no_longer_fits():
    assert len(LayerStack.repeat(ConvSpec((5,), 3)).specs) == 2  # 5 → 3 → 1
    assert len(LayerStack.repeat(ConvSpec((3,), 3)).specs) == 1


def test_digest_tells_stacks_apart():
    assert LayerStack.make((9,), [3, 3]).digest() != LayerStack.make((9,), [3, (3, 2)]).digest()


@pytest.mark.parametrize(
    ("call", "param", "match"),
    [
        (lambda: LayerStack.make((5,), [3, 3, 3]), "layers", r"layer 2 \(its input 1\)"),
        (lambda: LayerStack.of([ConvSpec((5,), 3), ConvSpec((4,), 3)]), "specs", r"layer 1"),
        (lambda: LayerStack.repeat(ConvSpec((3,), 3, transposed=True)), "spec", r"direct"),
        (lambda: LayerStack.repeat(ConvSpec((3,), 3), 0), "times", r"times=0"),
    ],
)
def test_errors_name_the_parameter(call, param, match):
    with pytest.raises(ConvMathError, match=match) as info:
        call()
    assert info.value.param == param
