"""Our own int8 IS-Net (models/isnet-int8.toml): IMG.LY's fp16 weights, up-cast to fp32, then
a static per-channel int8 quantisation calibrated on our own labelled photos.

IMG.LY's quint8 model is a dynamic quantisation and loses 4 IoU points on pets against their
fp16 one; this recipe keeps fp16's quality at quint8's size. The recipe (issue 10): QDQ, Conv
only, weights int8 per channel, activations uint8, the first 2 and last 8 Conv nodes left in
float, percentile 99.99 calibration on 12 photos (the first 6 of each set), fed one at a time
so memory stays at one photo's activations. The result is cached by the source's sha256 and
this recipe's version; its sha256 is in the card, so a change shows at build time.
"""

import tempfile
from pathlib import Path

import numpy as np
import onnx
from onnx import TensorProto, numpy_helper
from onnxruntime.quantization import (
    CalibrationDataReader,
    CalibrationMethod,
    QuantFormat,
    QuantType,
    quantize_static,
)
from onnxruntime.quantization.shape_inference import quant_pre_process

from bgzero.models.assets import AssetError, model_source
from bgzero.models.browser_model import prune_to, topological_sort
from bgzero.models.cards import Card, load_cards
from bgzero.repo import GT

RECIPE = 1  # bump when anything below changes: the cached model is rebuilt
FLOAT_FIRST, FLOAT_LAST = 2, 8
PERCENTILE = 99.99
CALIBRATION = (("pets", 6), ("people", 6))
PHOTO_TYPES = (".jpg", ".jpeg", ".png")


def calibration_photos() -> list[Path]:
    """The first photos of each shared set in tests/data/gt, by name (the card's sha256
    depends on them: the same 12 whatever other sets are installed). They are a checkout's:
    an installed package without one says so (the model is cached once made)."""
    found = []
    for subset, count in CALIBRATION:
        images = sorted(
            p for p in (GT / subset / "images").glob("*") if p.suffix.lower() in PHOTO_TYPES
        )
        if len(images) < count:
            raise AssetError(
                f"the int8 models are made here, calibrated on the labelled photos of a BG Zero "
                f"checkout, and {GT / subset} has {len(images)} of {count}: run the command once "
                f"in a checkout (or with BGZERO_ROOT set to one); the model is cached then"
            )
        found += images[:count]
    return found


def fp32(source: bytes, output: str) -> onnx.ModelProto:
    """The fp16 graph with fp32 weights and every Cast an Identity (same masks; onnxruntime's
    CPU and WASM kernels have no fp16 Conv, so the fp16 graph runs through Casts anyway)."""
    model = onnx.load_from_string(source)
    graph = model.graph
    topological_sort(graph)
    prune_to(graph, output)
    for i, weight in enumerate(graph.initializer):
        if weight.data_type == TensorProto.FLOAT16:
            up = numpy_helper.to_array(weight).astype(np.float32)
            graph.initializer[i].CopyFrom(numpy_helper.from_array(up, weight.name))
    for node in graph.node:
        if node.op_type == "Cast":
            node.op_type = "Identity"
            del node.attribute[:]
        elif node.op_type == "Constant":
            for attribute in node.attribute:
                if attribute.HasField("t") and attribute.t.data_type == TensorProto.FLOAT16:
                    up = numpy_helper.to_array(attribute.t).astype(np.float32)
                    attribute.t.CopyFrom(numpy_helper.from_array(up, attribute.t.name))
    del graph.value_info[:]
    for value in list(graph.input) + list(graph.output):
        if value.type.tensor_type.elem_type == TensorProto.FLOAT16:
            value.type.tensor_type.elem_type = TensorProto.FLOAT
    return model


class _Photos(CalibrationDataReader):
    """The calibration photos as the model sees them (prepare graph, letterbox, normalised),
    one at a time; `set_range` lets the quantiser take them one by one. `prepare(path, card)`
    gives the model square as RGBA [1, S, S, 4] (the native pipeline's own graphs)."""

    def __init__(self, card: Card, input_name: str, prepare):
        self.paths = calibration_photos()
        self.card, self.input_name, self._prepare = card, input_name, prepare
        self.set_range(0, len(self.paths))

    def __len__(self):
        return len(self.paths)

    def set_range(self, start_index: int, end_index: int):
        self.todo = iter(self.paths[start_index:end_index])

    def get_next(self):
        path = next(self.todo, None)
        if path is None:
            return None
        rgba = self._prepare(path, self.card)
        mean = np.asarray(self.card.mean, np.float32)
        std = np.asarray(self.card.std, np.float32)
        x = (rgba[0, ..., :3].astype(np.float32) / 255 - mean) / std
        return {self.input_name: np.ascontiguousarray(x.transpose(2, 0, 1)[None])}


def build_int8(source: bytes, card: Card, prepare) -> bytes:
    """The quantised model (the source graph, not yet fused) as bytes."""
    with tempfile.TemporaryDirectory(prefix="bgzero-int8-") as tmp:
        tmp = Path(tmp)
        onnx.save(fp32(source, card.output), tmp / "fp32.onnx")
        quant_pre_process(tmp / "fp32.onnx", tmp / "pre.onnx", skip_symbolic_shape=True)
        pre = onnx.load(tmp / "pre.onnx")
        convs = [node.name for node in pre.graph.node if node.op_type == "Conv"]
        quantize_static(
            tmp / "pre.onnx",
            tmp / "int8.onnx",
            _Photos(card, pre.graph.input[0].name, prepare),
            quant_format=QuantFormat.QDQ,
            op_types_to_quantize=["Conv"],
            per_channel=True,
            activation_type=QuantType.QUInt8,
            weight_type=QuantType.QInt8,
            nodes_to_exclude=convs[:FLOAT_FIRST] + convs[-FLOAT_LAST:],
            calibrate_method=CalibrationMethod.Percentile,
            extra_options={"CalibPercentile": PERCENTILE, "CalibStridedMinMax": 1},
        )
        return (tmp / "int8.onnx").read_bytes()


def derived_source(card: Card, cache: Path, prepare) -> bytes:
    """The source of a card whose [source] says `registry = "derived"`: built from the card
    it names (`from`) by this recipe, once per source and recipe version (minutes, a few GB).
    `prepare(path, card)`: a calibration photo as the model square (see _Photos)."""
    if card.source.get("recipe") != RECIPE:
        raise ValueError(f"{card.path.name}: recipe {card.source.get('recipe')}, this is {RECIPE}")
    base = load_cards()[card.source["from"]]
    path = cache / "derived" / f"{card.id}-{base.source_sha256[:16]}-r{RECIPE}.onnx"
    if not path.is_file():
        data = build_int8(model_source(base, cache), base, prepare)
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(".part")
        partial.write_bytes(data)
        partial.replace(path)
    return path.read_bytes()
