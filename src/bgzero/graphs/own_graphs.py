"""The graphs around a model the user brings (shared/own_model.py): the browser cannot fuse
pre- and post-processing into a file it only has at run time, as `bgzero build` does for the
catalog's models (models.py), so they run as two graphs beside it, natively too.

normaliser: rgba uint8 [1,S,S,4] (the prepare graph's square), mean and std float [3] ->
pixels float [1,3,S,S] = (bytes / 255 - mean) / std.
finisher: map float [S²] (the model's output, flattened), size int64 [1] -> alpha uint8 [1,1,S,S],
min-max scaled to 0..255 as the fused models' output is.
"""

import onnx
from onnx import TensorProto, helper

from bgzero.graphs.common import F32, I64, U8, floats, graph_model, ints, tensors
from bgzero.models.browser_model import postprocess_nodes

OPSET = 18


def build_normaliser() -> onnx.ModelProto:
    nodes = [
        helper.make_node("Slice", ["rgba", "starts", "ends", "axes"], ["rgb"]),
        helper.make_node("Cast", ["rgb"], ["rgb_f"], to=TensorProto.FLOAT),
        helper.make_node("Div", ["rgb_f", "c255"], ["unit"]),
        helper.make_node("Sub", ["unit", "mean"], ["centred"]),
        helper.make_node("Div", ["centred", "std"], ["nhwc"]),
        helper.make_node("Transpose", ["nhwc"], ["pixels"], perm=[0, 3, 1, 2]),
    ]
    constants = ints(starts=[0], ends=[3], axes=[3]) + floats(c255=255)
    inputs = tensors(("rgba", U8, [1, "S", "S", 4]), ("mean", F32, [3]), ("std", F32, [3]))
    outputs = tensors(("pixels", F32, [1, 3, "S", "S"]))
    return graph_model(nodes, "bgzero-normaliser", inputs, outputs, constants, OPSET)


def build_finisher() -> onnx.ModelProto:
    post, post_constants = postprocess_nodes("square")
    nodes = [
        helper.make_node("Concat", ["ones", "size", "size"], ["shape"], axis=0),
        helper.make_node("Reshape", ["map", "shape"], ["square"]),
        *post,
    ]
    inputs = tensors(("map", F32, ["N"]), ("size", I64, [1]))
    outputs = tensors(("alpha", U8, [1, 1, "S", "S"]))
    constants = [*ints(ones=[1, 1]), *post_constants]
    return graph_model(nodes, "bgzero-finisher", inputs, outputs, constants, OPSET)
