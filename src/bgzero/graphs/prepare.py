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

from bgzero.graphs.common import (
    F32,
    I64,
    U8,
    const,
    floats,
    graph_model,
    ints,
    resize,
    tensors,
    used,
)

OPSET = 18  # Resize's antialias attribute
PAD_VALUE = 128


CHANNELS = ("r", "g", "b", "a")


def _box_nodes():
    return [
        helper.make_node("Slice", ["box", "i0", "i2"], ["top_left"]),
        helper.make_node("Slice", ["box", "i2", "i4"], ["bottom_right"]),
        helper.make_node("Sub", ["bottom_right", "top_left"], ["box_hw"]),
    ]


def _to_bytes(c):
    """A channel's resized float plane {c}_resized -> {c}_u8."""
    return [
        helper.make_node("Round", [f"{c}_resized"], [f"{c}_rounded"]),
        helper.make_node("Clip", [f"{c}_rounded", "zero", "c255"], [f"{c}_clipped"]),
        helper.make_node("Cast", [f"{c}_clipped"], [f"{c}_u8"], to=TensorProto.UINT8),
    ]


def _into_box():
    """The four channels' bytes -> model_rgba: into the box, the rest mid grey, NHWC."""
    return [
        helper.make_node("Concat", [f"{c}_u8" for c in CHANNELS], ["resized_u8"], axis=1),
        # pads = [0, 0, top, left, 0, 0, height - bottom, width - right]
        helper.make_node("Expand", ["size", "c2"], ["size2"]),
        helper.make_node("Sub", ["size2", "bottom_right"], ["after"]),
        helper.make_node("Concat", ["zeros2", "top_left", "zeros2", "after"], ["pads"], axis=0),
        helper.make_node("Pad", ["resized_u8", "pads", "pad_value"], ["padded"], mode="constant"),
        helper.make_node("Transpose", ["padded"], ["model_rgba"], perm=[0, 2, 3, 1]),
    ]


def _constants():
    constants = ints(i0=[0], i2=[2], i4=[4], n_c=[1, 1], zeros2=[0, 0], c2=[2])
    constants += floats(zero=0, c255=255)
    constants.append(const("pad_value", PAD_VALUE, np.uint8))
    return constants


def _planes():
    """rgba -> {c}_plane [1,1,H,W] float, and `plane` = that shape."""
    nodes = [
        # [1,H,W,1] planes are [1,1,H,W] ones in memory: Split where they lie, then Reshape
        helper.make_node("Split", ["rgba"], list(CHANNELS), axis=3, num_outputs=4),
        helper.make_node("Shape", ["rgba"], ["hw"], start=1, end=3),
        helper.make_node("Concat", ["n_c", "hw"], ["plane"], axis=0),
    ]
    return nodes


def _plane(c):
    return [
        helper.make_node("Cast", [c], [f"{c}_f"], to=TensorProto.FLOAT),
        helper.make_node("Reshape", [f"{c}_f", "plane"], [f"{c}_plane"]),
    ]


def build_prepare() -> onnx.ModelProto:
    # One channel at a time: the float copy of a 12 MP photo's four channels was 192 MB of
    # onnxruntime-web's heap (which never shrinks); one channel's is 48. Each channel's
    # arithmetic is the same as in one 4-channel Resize (bit-identical, tests/unit/graphs).
    nodes = [
        *_planes(),
        *_box_nodes(),
        helper.make_node("Concat", ["n_c", "box_hw"], ["sizes"], axis=0),
    ]
    for c in CHANNELS:
        nodes += [
            *_plane(c),
            resize(f"{c}_plane", "sizes", f"{c}_resized", antialias=True),
            *_to_bytes(c),
        ]
    nodes += _into_box()
    inputs = tensors(("rgba", U8, [1, "H", "W", 4]), ("box", I64, [4]), ("size", I64, ["N"]))
    outputs = tensors(("model_rgba", U8, [1, "h", "w", 4]))
    return graph_model(nodes, "bgzero-prepare", inputs, outputs, _constants(), OPSET)


# The row route (a large photo, in strips of rows; geometry.one_piece): onnxruntime's
# antialiased 2-D Resize is a pass along the width, then one along the height (bit-identical,
# tests/unit/graphs), and the first works row by row. So each strip of rows is narrowed to
# the box's width, and the narrow photo (4 floats a row's box pixel) resized down its height
# and finished as build_prepare does: the same bytes, no full-size plane beyond a strip's.


def build_prepare_narrow() -> onnx.ModelProto:
    """rgba [1,r,W,4] (photo rows), box int64 [4] -> narrow float [1,4,r,bw]: the rows
    resized to the box's width."""
    nodes = [
        *_planes(),
        *_box_nodes(),
        helper.make_node("Slice", ["box_hw", "i1", "i2"], ["box_w"]),
        helper.make_node("Slice", ["plane", "i0", "i3"], ["plane_nch"]),
        helper.make_node("Concat", ["plane_nch", "box_w"], ["sizes"], axis=0),
    ]
    for c in CHANNELS:
        nodes += [*_plane(c), resize(f"{c}_plane", "sizes", f"{c}_narrow", antialias=True)]
    nodes.append(helper.make_node("Concat", [f"{c}_narrow" for c in CHANNELS], ["narrow"], axis=1))
    inputs = tensors(("rgba", U8, [1, "R", "W", 4]), ("box", I64, [4]))
    outputs = tensors(("narrow", F32, [1, 4, "R", "BW"]))
    constants = used(nodes, _constants() + ints(i1=[1], i3=[3]))
    return graph_model(nodes, "bgzero-prepare-narrow", inputs, outputs, constants, OPSET)


def build_prepare_finish() -> onnx.ModelProto:
    """narrow float [1,4,H,bw] (the photo's rows at the box's width), box, size ->
    model_rgba, as build_prepare's."""
    nodes = [
        helper.make_node(
            "Split", ["narrow"], [f"{c}_narrow" for c in CHANNELS], axis=1, num_outputs=4
        ),
        *_box_nodes(),
        helper.make_node("Concat", ["n_c", "box_hw"], ["sizes"], axis=0),
    ]
    for c in CHANNELS:
        nodes += [resize(f"{c}_narrow", "sizes", f"{c}_resized", antialias=True), *_to_bytes(c)]
    nodes += _into_box()
    inputs = tensors(("narrow", F32, [1, 4, "H", "BW"]), ("box", I64, [4]), ("size", I64, ["N"]))
    outputs = tensors(("model_rgba", U8, [1, "h", "w", 4]))
    constants = used(nodes, _constants())
    return graph_model(nodes, "bgzero-prepare-finish", inputs, outputs, constants, OPSET)
