"""Each built graph equals a numpy reference of the fused pre/post-processing (±1 LSB)."""

import numpy as np
import onnx
import onnxruntime as ort
import pytest

from bgzero.models.browser_model import (
    EPSILON,
    INPUT,
    OUTPUT,
    adaptive_resizes,
    build_model,
    build_model_bytes,
)
from bgzero.models.cards import load_cards
from bgzero.native.pipeline import model_source

CARDS = load_cards()


def reference_alpha(card, source: bytes, rgba: np.ndarray) -> np.ndarray:
    # (bytes / 255 - mean) / std, in the float32 order a graph evaluates it: x * a + b.
    mean, std = np.array(card.mean), np.array(card.std)
    a, b = (1 / (255 * std)).astype(np.float32), (-mean / std).astype(np.float32)
    x = rgba[..., :3].astype(np.float32) * a + b
    nchw = np.ascontiguousarray(x.transpose(0, 3, 1, 2), dtype=np.float32)
    session = ort.InferenceSession(source, providers=["CPUExecutionProvider"])
    name = session.get_inputs()[0].name
    raw = session.run([card.output], {name: nchw})[0].astype(np.float64)
    low, high = raw.min(), raw.max()
    return np.rint((raw - low) / max(high - low, EPSILON) * 255).astype(np.uint8)


@pytest.fixture(scope="module", params=sorted(CARDS))
def card_and_source(request):
    card = CARDS[request.param]
    return card, model_source(card)


def test_built_graph_matches_numpy_reference(card_and_source):
    card, source = card_and_source
    rng = np.random.default_rng(7)
    # Smooth random photos: pure noise would make every model predict a flat map.
    coarse = rng.integers(0, 256, (1, 8, 8, 4)).astype(np.uint8)
    rgba = np.repeat(np.repeat(coarse, card.size // 8, 1), card.size // 8, 2)
    rgba = np.clip(rgba + rng.integers(-20, 21, rgba.shape), 0, 255).astype(np.uint8)
    built = ort.InferenceSession(
        build_model_bytes(card, source), providers=["CPUExecutionProvider"]
    )
    alpha = built.run([OUTPUT], {INPUT: rgba})[0]
    expected = reference_alpha(card, source, rgba)
    assert alpha.dtype == np.uint8 and alpha.shape == (1, 1, card.size, card.size)
    diff = np.abs(alpha.astype(int) - expected.astype(int))
    assert alpha.max() == 255 and alpha.min() == 0
    assert diff.max() <= 1


def test_built_graph_is_clean_and_labelled(card_and_source):
    card, source = card_and_source
    model = build_model(card, source)
    onnx.checker.check_model(model)
    assert [o.name for o in model.graph.output] == [OUTPUT]
    assert [i.name for i in model.graph.input] == [INPUT]
    props = {p.key: p.value for p in model.metadata_props}
    assert props["bgzero.card"] == card.id and props["bgzero.size"] == str(card.size)
    produced = {o for n in model.graph.node for o in n.output}
    consumed = {i for n in model.graph.node for i in n.input} | {OUTPUT}
    assert produced <= consumed, f"dead outputs left: {sorted(produced - consumed)[:5]}"


def test_adaptive_cards_run_at_every_working_size(card_and_source):
    card, source = card_and_source
    if not card.min_size:
        pytest.skip("a fixed-size model")
    built = ort.InferenceSession(
        build_model_bytes(card, source), providers=["CPUExecutionProvider"]
    )
    rng = np.random.default_rng(3)
    coarse = rng.integers(0, 256, (1, 8, 8, 4)).astype(np.uint8)
    for size in (card.min_size, card.min_size + card.size_step):
        rgba = np.repeat(np.repeat(coarse, size // 8, 1), size // 8, 2)
        alpha = built.run([OUTPUT], {INPUT: rgba})[0]
        assert alpha.shape == (1, 1, size, size)
        assert alpha.min() == 0 and alpha.max() == 255


def _toy_unet(mode: str) -> onnx.ModelProto:
    """x + upsample(maxpool(x)), its upsampling sized from x's shape as a PyTorch export does."""
    h = onnx.helper
    nodes = [
        h.make_node("MaxPool", ["x"], ["low"], kernel_shape=[2, 2], strides=[2, 2]),
        h.make_node("Shape", ["x"], ["shape"]),
        h.make_node("Slice", ["shape", "zero", "two"], ["nc"]),
        h.make_node("Concat", ["nc", "hw"], ["sizes"], axis=0),
        h.make_node("Resize", ["low", "", "", "sizes"], ["up"], mode=mode),
        h.make_node("Add", ["x", "up"], ["y"]),
    ]
    constants = [
        onnx.numpy_helper.from_array(np.array([0], np.int64), "zero"),
        onnx.numpy_helper.from_array(np.array([2], np.int64), "two"),
        onnx.numpy_helper.from_array(np.array([8, 8], np.int64), "hw"),
    ]
    graph = h.make_graph(
        nodes,
        "toy",
        [h.make_tensor_value_info("x", onnx.TensorProto.FLOAT, [1, 1, 8, 8])],
        [h.make_tensor_value_info("y", onnx.TensorProto.FLOAT, [1, 1, 8, 8])],
        constants,
    )
    return h.make_model(graph, opset_imports=[h.make_opsetid("", 18)], ir_version=9)


def test_adaptive_resizes_turn_frozen_sizes_into_scales():
    model = _toy_unet("nearest")
    x8 = np.random.default_rng(1).random((1, 1, 8, 8), np.float32)
    before = ort.InferenceSession(model.SerializeToString()).run(None, {"x": x8})[0]
    adaptive_resizes(model)
    for dim in model.graph.input[0].type.tensor_type.shape.dim[2:]:
        dim.dim_param = "S"
    for dim in model.graph.output[0].type.tensor_type.shape.dim[2:]:
        dim.dim_param = "S"
    run = ort.InferenceSession(model.SerializeToString()).run
    np.testing.assert_array_equal(run(None, {"x": x8})[0], before)
    x16 = np.random.default_rng(2).random((1, 1, 16, 16), np.float32)
    low = x16.reshape(1, 1, 8, 2, 8, 2).max(axis=(3, 5))
    expected = x16 + low.repeat(2, axis=2).repeat(2, axis=3)
    np.testing.assert_array_equal(run(None, {"x": x16})[0], expected)


def test_exactly_one_default_card():
    assert [c.id for c in CARDS.values() if c.default] == ["u2netp"]
