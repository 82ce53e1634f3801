"""The LiteRT.js graph of each card with [litert] (bgzero.models.litert: onnx2tf) gives the
built ONNX graph's alpha within 1 level on the shared photos, natively: LiteRT's own
Python runtime (in the converter's venv, not the app's) beside onnxruntime."""

import subprocess

import numpy as np
import onnxruntime as ort
import pytest
from PIL import Image

from bgzero.eval.groundtruth import photos
from bgzero.models import assets, litert
from bgzero.models.browser_model import build_model_bytes
from bgzero.models.cards import load_cards
from bgzero.native.pipeline import model_source

CARDS = [card for card in load_cards().values() if card.litert]
# Runs in the converter's venv: every square through LiteRT's interpreter (XNNPACK, as in
# the page), the alphas saved beside them.
_RUN = """
import sys, numpy as np
from ai_edge_litert.interpreter import Interpreter
it = Interpreter(model_path=sys.argv[1], num_threads=2)
it.allocate_tensors()
x, y = it.get_input_details()[0], it.get_output_details()[0]
squares = np.load(sys.argv[2])
out = []
for square in squares:
    it.set_tensor(x["index"], square[None])
    it.invoke()
    out.append(it.get_tensor(y["index"]).reshape(square.shape[:2]))
np.save(sys.argv[3], np.stack(out))
"""


@pytest.mark.parametrize("card", CARDS, ids=lambda c: c.id)
def test_the_litert_graph_gives_the_onnx_alpha_within_one_level(card, tmp_path):
    cache = assets.cache_dir()
    built = build_model_bytes(card, model_source(card, cache))
    tflite = tmp_path / "model.tflite"
    tflite.write_bytes(litert.convert(card, built, cache))  # checked against the card's sha256
    chosen = (photos("pets") + photos("people"))[::5]
    size = (card.size, card.size)
    squares = np.stack(
        [np.asarray(Image.open(p).convert("RGBA").resize(size, Image.BILINEAR)) for p in chosen]
    )
    np.save(tmp_path / "in.npy", squares)
    python = litert.converter_python(cache)
    subprocess.run(
        [python, "-c", _RUN, tflite, tmp_path / "in.npy", tmp_path / "out.npy"], check=True
    )
    session = ort.InferenceSession(built, providers=["CPUExecutionProvider"])
    onnx_alpha = np.stack([session.run(None, {"rgba": s[None]})[0].reshape(size) for s in squares])
    lite_alpha = np.load(tmp_path / "out.npy")
    diff = np.abs(onnx_alpha.astype(int) - lite_alpha.astype(int))
    print(f"{card.id}: {len(chosen)} photos, mean {diff.mean():.5f} levels, max {diff.max()}")
    assert diff.mean() <= 1 and diff.max() <= 2
    assert lite_alpha.std() > 20  # a real mask, not a constant
