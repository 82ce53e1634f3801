"""Small ONNX models made at test time with the interfaces of models users bring (RMBG-1.4:
float32 [1, 3, 1024, 1024] in, [1, 1, 1024, 1024] sigmoid out; u2netp's at 320) and of ones
they cannot use."""

from pathlib import Path

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

POOL = 16  # the toy model looks at 16×16 blocks: cheap at 1024², and a smooth mask


def rmbg_like(
    path: Path,
    size: int | None = 1024,
    channels: int = 3,
    kind=TensorProto.FLOAT,
    upsample: bool = True,
):
    """A toy segmenter with RMBG-1.4's interface (`size` None: a free input size): it keeps
    what is warmer than grey, block by block (`upsample` False: it answers with the blocks,
    a mask of the wrong size). Written to `path`; returns it."""
    side = size if size is not None else "side"
    weights = np.zeros((1, channels, 1, 1), np.float32)
    weights[0, :3, 0, 0] = [6.0, 1.0, -7.0]
    nodes = [
        helper.make_node(
            "AveragePool", ["input"], ["blocks"], kernel_shape=[POOL, POOL], strides=[POOL, POOL]
        ),
        helper.make_node("Conv", ["blocks", "w", "b"], ["score"]),
        helper.make_node(
            "Resize", ["score", "", "scales" if upsample else "ones"], ["big"], mode="linear"
        ),
        helper.make_node("Sigmoid", ["big"], ["output"]),
    ]
    inputs = [helper.make_tensor_value_info("input", kind, [1, channels, side, side])]
    if kind != TensorProto.FLOAT:
        nodes.insert(0, helper.make_node("Cast", ["input"], ["input_f"], to=TensorProto.FLOAT))
        nodes[1].input[0] = "input_f"
    graph = helper.make_graph(
        nodes,
        "toy-rmbg",
        inputs,
        [
            helper.make_tensor_value_info(
                "output", TensorProto.FLOAT, [1, 1, side, side] if upsample else [1, 1, "h", "w"]
            )
        ],
        [
            numpy_helper.from_array(weights, "w"),
            numpy_helper.from_array(np.array([0.2], np.float32), "b"),
            numpy_helper.from_array(np.array([1, 1, POOL, POOL], np.float32), "scales"),
            numpy_helper.from_array(np.ones(4, np.float32), "ones"),
        ],
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8
    onnx.checker.check_model(model)
    onnx.save(model, path)
    return path


def u2netp_like(path: Path, size: int = 320) -> Path:
    """A toy with u2netp's interface and kinds of layer (3×3 convolutions with ReLU, max
    pooling, bilinear upsampling, a skip connection by concatenation, a sigmoid), small
    enough to run in seconds on a software WebGPU adapter, where u2netp takes minutes."""
    rng = np.random.default_rng(0)
    warm = np.array([6.0, 1.0, -7.0], np.float32)  # keeps what is warmer than grey
    w1 = (warm[None, :, None, None] / 9 * rng.uniform(0.5, 1.5, (4, 3, 3, 3))).astype(np.float32)
    w2 = rng.uniform(-0.2, 0.4, (4, 4, 3, 3)).astype(np.float32)
    w3 = rng.uniform(0.2, 0.6, (1, 8, 1, 1)).astype(np.float32)
    conv = {"kernel_shape": [3, 3], "pads": [1, 1, 1, 1]}
    nodes = [
        helper.make_node("Conv", ["input", "w1"], ["c1"], **conv),
        helper.make_node("Relu", ["c1"], ["r1"]),
        helper.make_node("MaxPool", ["r1"], ["p1"], kernel_shape=[2, 2], strides=[2, 2]),
        helper.make_node("Conv", ["p1", "w2"], ["c2"], **conv),
        helper.make_node("Relu", ["c2"], ["r2"]),
        helper.make_node("Resize", ["r2", "", "scales"], ["u2"], mode="linear"),
        helper.make_node("Concat", ["r1", "u2"], ["skip"], axis=1),
        helper.make_node("Conv", ["skip", "w3"], ["c3"]),
        helper.make_node("Add", ["c3", "bias"], ["score"]),
        helper.make_node("Sigmoid", ["score"], ["output"]),
    ]
    graph = helper.make_graph(
        nodes,
        "toy-u2netp",
        [helper.make_tensor_value_info("input", TensorProto.FLOAT, [1, 3, size, size])],
        [helper.make_tensor_value_info("output", TensorProto.FLOAT, [1, 1, size, size])],
        [
            numpy_helper.from_array(w1, "w1"),
            numpy_helper.from_array(w2, "w2"),
            numpy_helper.from_array(w3, "w3"),
            numpy_helper.from_array(np.array([-0.5], np.float32), "bias"),
            numpy_helper.from_array(np.array([1, 1, 2, 2], np.float32), "scales"),
        ],
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8
    onnx.checker.check_model(model)
    onnx.save(model, path)
    return path


def two_inputs(path: Path) -> Path:
    """A model that wants an image and a second tensor: not a background remover."""
    graph = helper.make_graph(
        [helper.make_node("Add", ["image", "hint"], ["output"])],
        "two-inputs",
        [
            helper.make_tensor_value_info("image", TensorProto.FLOAT, [1, 3, 64, 64]),
            helper.make_tensor_value_info("hint", TensorProto.FLOAT, [1, 3, 64, 64]),
        ],
        [helper.make_tensor_value_info("output", TensorProto.FLOAT, [1, 3, 64, 64])],
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8
    onnx.save(model, path)
    return path
