"""What the helper graphs around the model (prepare, mix, refine, decontaminate) share."""

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

U8, I64, F32 = TensorProto.UINT8, TensorProto.INT64, TensorProto.FLOAT
IR_VERSION = 8  # onnxruntime-web 1.30 reads IR 8 graphs (like the IS-Net ones)


def const(name: str, value, dtype) -> onnx.TensorProto:
    return numpy_helper.from_array(np.asarray(value, dtype), name)


def ints(**values) -> list[onnx.TensorProto]:
    """Named int64 constants (indices, axes, shapes), in the order given."""
    return [const(name, value, np.int64) for name, value in values.items()]


def floats(**values) -> list[onnx.TensorProto]:
    """Named float32 constants, in the order given."""
    return [const(name, value, np.float32) for name, value in values.items()]


def tensors(*specs) -> list[onnx.ValueInfoProto]:
    """Graph inputs or outputs from (name, element type, shape) triples."""
    return [helper.make_tensor_value_info(name, kind, shape) for name, kind, shape in specs]


def resize(x: str, sizes: str, out: str, antialias: bool = False) -> onnx.NodeProto:
    """A linear Resize of NCHW `x` to `sizes` (half-pixel centres), antialiased when it
    shrinks if asked: every helper graph resamples this one way."""
    extra = {"antialias": 1} if antialias else {}
    return helper.make_node(
        "Resize",
        [x, "", "", sizes],
        [out],
        mode="linear",
        coordinate_transformation_mode="half_pixel",
        **extra,
    )


class Nodes:
    """Nodes added one op at a time, each output named by its kind and a counter (after
    `prefix`), into `nodes` (another builder's list where two share one graph's order)."""

    def __init__(self, prefix: str = "", nodes: list | None = None):
        self.prefix = prefix
        self.nodes = [] if nodes is None else nodes
        self._n = 0

    def op(self, kind, *inputs, **attrs):
        self._n += 1
        out = f"{self.prefix}{kind.lower()}{self._n}"
        self.nodes.append(helper.make_node(kind, list(inputs), [out], **attrs))
        return out


def used(nodes, constants) -> list[onnx.TensorProto]:
    """The constants some node reads (graphs built from shared parts leave some unread)."""
    read = {name for node in nodes for name in node.input}
    return [c for c in constants if c.name in read]


def graph_model(nodes, name, inputs, outputs, constants, opset, props=None) -> onnx.ModelProto:
    """make_graph and finish in one: the helper graphs' common ending."""
    return finish(helper.make_graph(nodes, name, inputs, outputs, constants), opset, props)


def finish(graph: onnx.GraphProto, opset: int, props: dict | None = None) -> onnx.ModelProto:
    """The checked model of `graph`, readable by onnxruntime-web."""
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)])
    model.ir_version = IR_VERSION
    if props:
        helper.set_model_props(model, props)
    onnx.checker.check_model(model)
    return model
