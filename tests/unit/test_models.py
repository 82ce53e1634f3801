"""Each built graph equals a numpy reference of the fused pre/post-processing (±1 LSB)."""

import numpy as np
import onnx
import onnxruntime as ort
import pytest

from bgzero.assets import model_source
from bgzero.cards import load_cards
from bgzero.models import EPSILON, INPUT, OUTPUT, build_model, build_model_bytes

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


def test_exactly_one_default_card():
    assert [c.id for c in CARDS.values() if c.default] == ["u2netp"]
