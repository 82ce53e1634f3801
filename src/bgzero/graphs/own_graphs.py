"""The graphs around a model the user brings (shared/own_model.py): the browser cannot fuse
pre- and post-processing into a file it only has at run time, as `bgzero build` does for the
catalog's models (models.py), so they run as two graphs beside it, natively too.

normaliser: rgba uint8 [1,S,S,4] (the prepare graph's square), mean and std float [3] ->
pixels float [1,3,S,S] = (bytes / 255 - mean) / std.
finisher: map float [S²] (the model's output, flattened), size int64 [1] -> alpha uint8 [1,1,S,S],
min-max scaled to 0..255 as the fused models' output is.
"""

import numpy as np
import onnx
from onnx import TensorProto, helper

from bgzero.graphs.common import const, finish
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
    constants = [
        const("starts", [0], np.int64),
        const("ends", [3], np.int64),
        const("axes", [3], np.int64),
        const("c255", 255, np.float32),
    ]
    graph = helper.make_graph(
        nodes,
        "bgzero-normaliser",
        [
            helper.make_tensor_value_info("rgba", TensorProto.UINT8, [1, "S", "S", 4]),
            helper.make_tensor_value_info("mean", TensorProto.FLOAT, [3]),
            helper.make_tensor_value_info("std", TensorProto.FLOAT, [3]),
        ],
        [helper.make_tensor_value_info("pixels", TensorProto.FLOAT, [1, 3, "S", "S"])],
        constants,
    )
    return finish(graph, OPSET)


def build_finisher() -> onnx.ModelProto:
    post, post_constants = postprocess_nodes("square")
    nodes = [
        helper.make_node("Concat", ["ones", "size", "size"], ["shape"], axis=0),
        helper.make_node("Reshape", ["map", "shape"], ["square"]),
        *post,
    ]
    graph = helper.make_graph(
        nodes,
        "bgzero-finisher",
        [
            helper.make_tensor_value_info("map", TensorProto.FLOAT, ["N"]),
            helper.make_tensor_value_info("size", TensorProto.INT64, [1]),
        ],
        [helper.make_tensor_value_info("alpha", TensorProto.UINT8, [1, 1, "S", "S"])],
        [const("ones", [1, 1], np.int64), *post_constants],
    )
    return finish(graph, OPSET)
