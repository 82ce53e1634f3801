"""The photo -> model input step as an ONNX graph, so the browser and the native pipeline
resize with the very same arithmetic.

The segmentation models are unstable near their decision boundary: two good resampling
filters (Chromium's and Pillow's) can flip whole regions of a hard photo. Running the
resize in onnxruntime on both sides removes that source of disagreement.

Inputs: rgba uint8 [1,H,W,4] (the photo at its working size); box int64 [4] = top, left,
bottom, right of the photo inside the model's square; size int64 [1] = the square's edge,
or [2] = height, width of an input that keeps the photo's aspect (geometry.aspect_size).
Output: model_rgba uint8 [1,S,S,4] (or [1,h,w,4]): the photo resized into `box`
(antialiased linear), the rest mid grey.
"""

import numpy as np
import onnx
from onnx import TensorProto, helper

from bgzero.graphs.common import I64, U8, const, floats, graph_model, ints, resize, tensors

OPSET = 18  # Resize's antialias attribute
PAD_VALUE = 128


CHANNELS = ("r", "g", "b", "a")


def build_prepare() -> onnx.ModelProto:
    # One channel at a time: the float copy of a 12 MP photo's four channels was 192 MB of
    # onnxruntime-web's heap (which never shrinks); one channel's is 48. Each channel's
    # arithmetic is the same as in one 4-channel Resize (bit-identical, tests/unit/graphs).
    nodes = [
        # [1,H,W,1] planes are [1,1,H,W] ones in memory: Split where they lie, then Reshape
        helper.make_node("Split", ["rgba"], list(CHANNELS), axis=3, num_outputs=4),
        helper.make_node("Shape", ["rgba"], ["hw"], start=1, end=3),
        helper.make_node("Concat", ["n_c", "hw"], ["plane"], axis=0),
        helper.make_node("Slice", ["box", "i0", "i2"], ["top_left"]),
        helper.make_node("Slice", ["box", "i2", "i4"], ["bottom_right"]),
        helper.make_node("Sub", ["bottom_right", "top_left"], ["box_hw"]),
        helper.make_node("Concat", ["n_c", "box_hw"], ["sizes"], axis=0),
    ]
    for c in CHANNELS:
        nodes += [
            helper.make_node("Cast", [c], [f"{c}_f"], to=TensorProto.FLOAT),
            helper.make_node("Reshape", [f"{c}_f", "plane"], [f"{c}_plane"]),
            resize(f"{c}_plane", "sizes", f"{c}_resized", antialias=True),
            helper.make_node("Round", [f"{c}_resized"], [f"{c}_rounded"]),
            helper.make_node("Clip", [f"{c}_rounded", "zero", "c255"], [f"{c}_clipped"]),
            helper.make_node("Cast", [f"{c}_clipped"], [f"{c}_u8"], to=TensorProto.UINT8),
        ]
    nodes += [
        helper.make_node("Concat", [f"{c}_u8" for c in CHANNELS], ["resized_u8"], axis=1),
        # pads = [0, 0, top, left, 0, 0, height - bottom, width - right]
        helper.make_node("Expand", ["size", "c2"], ["size2"]),
        helper.make_node("Sub", ["size2", "bottom_right"], ["after"]),
        helper.make_node("Concat", ["zeros2", "top_left", "zeros2", "after"], ["pads"], axis=0),
        helper.make_node("Pad", ["resized_u8", "pads", "pad_value"], ["padded"], mode="constant"),
        helper.make_node("Transpose", ["padded"], ["model_rgba"], perm=[0, 2, 3, 1]),
    ]
    constants = ints(i0=[0], i2=[2], i4=[4], n_c=[1, 1], zeros2=[0, 0], c2=[2])
    constants += floats(zero=0, c255=255)
    constants.append(const("pad_value", PAD_VALUE, np.uint8))
    inputs = tensors(("rgba", U8, [1, "H", "W", 4]), ("box", I64, [4]), ("size", I64, ["N"]))
    outputs = tensors(("model_rgba", U8, [1, "h", "w", 4]))
    return graph_model(nodes, "bgzero-prepare", inputs, outputs, constants, OPSET)
