"""What the helper graphs around the model (prepare, refine, decontaminate) share."""

import numpy as np
import onnx
from onnx import helper, numpy_helper

IR_VERSION = 8  # onnxruntime-web 1.30 reads IR 8 graphs (like the IS-Net ones)


def const(name: str, value, dtype) -> onnx.TensorProto:
    return numpy_helper.from_array(np.asarray(value, dtype), name)


def finish(graph: onnx.GraphProto, opset: int, props: dict | None = None) -> onnx.ModelProto:
    """The checked model of `graph`, readable by onnxruntime-web."""
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)])
    model.ir_version = IR_VERSION
    if props:
        helper.set_model_props(model, props)
    onnx.checker.check_model(model)
    return model
