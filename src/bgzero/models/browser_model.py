"""Model card + source ONNX -> browser-ready graph: uint8 RGBA in, uint8 alpha out.

Pre- and post-processing are fused into the graph so the browser feeds `getImageData` bytes
as they are and gets mask bytes back; no JavaScript or Python loop ever touches a pixel.
"""

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper, shape_inference

from bgzero.models.cards import Card

INPUT = "rgba"
OUTPUT = "alpha"
# Guards min-max against a constant map (an empty or all-foreground prediction).
EPSILON = 1e-6


def topological_sort(graph: onnx.GraphProto) -> None:
    """IMG.LY's fp16 graph lists nodes out of order; onnx.checker rejects edits to it unsorted."""
    ready = {i.name for i in graph.input} | {t.name for t in graph.initializer} | {""}
    pending, ordered = list(graph.node), []
    while pending:
        rest = []
        for node in pending:
            if all(name in ready for name in node.input):
                ordered.append(node)
                ready.update(node.output)
            else:
                rest.append(node)
        if len(rest) == len(pending):
            raise ValueError(f"graph has a cycle or a missing input at {rest[0].name!r}")
        pending = rest
    del graph.node[:]
    graph.node.extend(ordered)


def prune_to(graph: onnx.GraphProto, output: str) -> None:
    """Keep only `output` and the nodes, initializers and value infos it depends on."""
    kept_output = [o for o in graph.output if o.name == output]
    if not kept_output:
        raise ValueError(f"model has no output {output!r}")
    needed, kept = {output}, []
    for node in reversed(graph.node):
        if needed.intersection(node.output):
            kept.append(node)
            needed.update(node.input)
    kept.reverse()
    del graph.node[:]
    graph.node.extend(kept)
    del graph.output[:]
    graph.output.extend(kept_output)
    initializers = [t for t in graph.initializer if t.name in needed]
    del graph.initializer[:]
    graph.initializer.extend(initializers)
    value_info = [v for v in graph.value_info if v.name in needed]
    del graph.value_info[:]
    graph.value_info.extend(value_info)


def adaptive_resizes(model: onnx.ModelProto) -> None:
    """Let a model exported at one size run at any multiple of its coarsest stride.

    The export froze every upsampling's target *sizes* (IS-Net's `_upsample_like`) as
    constants, or as shapes of the export's tensors; each becomes the equivalent *scales*,
    read from the shapes at the export's size. There the outputs are unchanged (the scales
    are powers of two); at other sizes each upsampling again meets its skip connection.
    Nodes that computed the sizes are left dangling for prune_to()."""
    graph = model.graph
    inferred = shape_inference.infer_shapes(model, data_prop=True).graph
    shapes = {
        v.name: [d.dim_value for d in v.type.tensor_type.shape.dim]
        for v in list(inferred.value_info) + list(inferred.input) + list(inferred.output)
    }
    for node in graph.node:
        if node.op_type != "Resize" or len(node.input) < 4 or not node.input[3]:
            continue
        source, target = shapes.get(node.input[0]), shapes.get(node.output[0])
        if not (source and target and all(source) and all(target)):
            raise ValueError(f"{node.name}: Resize sizes unknown at the export's size")
        scales = np.asarray(target, np.float64) / np.asarray(source, np.float64)
        name = f"{node.name}_scales"
        graph.initializer.append(numpy_helper.from_array(scales.astype(np.float32), name))
        node.input[2] = name
        del node.input[3]
    del graph.value_info[:]  # shapes inferred at the export's size no longer hold


def scale_and_bias(card: Card) -> tuple[np.ndarray, np.ndarray]:
    """Per-channel factors so that bytes * scale + bias == (bytes / 255 - mean) / std."""
    mean = np.asarray(card.mean, dtype=np.float64)
    std = np.asarray(card.std, dtype=np.float64)
    return (1.0 / (255.0 * std)).astype(np.float32), (-mean / std).astype(np.float32)


def _preprocess_nodes(card: Card, model_input: str) -> tuple[list, list]:
    scale, bias = scale_and_bias(card)
    constants = [
        numpy_helper.from_array(np.array([0], np.int64), "pre_starts"),
        numpy_helper.from_array(np.array([3], np.int64), "pre_ends"),
        numpy_helper.from_array(np.array([3], np.int64), "pre_axes"),
        numpy_helper.from_array(scale, "pre_scale"),
        numpy_helper.from_array(bias, "pre_bias"),
    ]
    nodes = [
        helper.make_node("Slice", [INPUT, "pre_starts", "pre_ends", "pre_axes"], ["pre_rgb"]),
        helper.make_node("Cast", ["pre_rgb"], ["pre_float"], to=TensorProto.FLOAT),
        helper.make_node("Mul", ["pre_float", "pre_scale"], ["pre_scaled"]),
        helper.make_node("Add", ["pre_scaled", "pre_bias"], ["pre_nhwc"]),
        helper.make_node("Transpose", ["pre_nhwc"], [model_input], perm=[0, 3, 1, 2]),
    ]
    return nodes, constants


def postprocess_nodes(model_output: str) -> tuple[list, list]:
    constants = [
        numpy_helper.from_array(np.array(EPSILON, np.float32), "post_epsilon"),
        numpy_helper.from_array(np.array(255.0, np.float32), "post_255"),
    ]
    nodes = [
        helper.make_node("ReduceMin", [model_output], ["post_min"], keepdims=1),
        helper.make_node("ReduceMax", [model_output], ["post_max"], keepdims=1),
        helper.make_node("Sub", ["post_max", "post_min"], ["post_span"]),
        helper.make_node("Max", ["post_span", "post_epsilon"], ["post_range"]),
        helper.make_node("Sub", [model_output, "post_min"], ["post_shifted"]),
        helper.make_node("Div", ["post_shifted", "post_range"], ["post_unit"]),
        helper.make_node("Mul", ["post_unit", "post_255"], ["post_scaled"]),
        # Round, not truncate: truncation caps the mask at 254 and biases every edge down.
        helper.make_node("Round", ["post_scaled"], ["post_rounded"]),
        helper.make_node("Cast", ["post_rounded"], [OUTPUT], to=TensorProto.UINT8),
    ]
    return nodes, constants


def build_model(card: Card, source: bytes) -> onnx.ModelProto:
    model = onnx.load_from_string(source)
    graph = model.graph
    topological_sort(graph)
    if card.min_size:
        adaptive_resizes(model)
    prune_to(graph, card.output)

    model_inputs = [i for i in graph.input if i.name not in {t.name for t in graph.initializer}]
    if len(model_inputs) != 1:
        raise ValueError(f"{card.id}: expected one image input, found {len(model_inputs)}")
    model_input = model_inputs[0].name

    pre, pre_constants = _preprocess_nodes(card, model_input)
    post, post_constants = postprocess_nodes(card.output)
    nodes = pre + list(graph.node) + post
    del graph.node[:]
    graph.node.extend(nodes)
    graph.initializer.extend(pre_constants + post_constants)

    size: int | str = "S" if card.min_size else card.size
    del graph.input[:]
    graph.input.append(helper.make_tensor_value_info(INPUT, TensorProto.UINT8, [1, size, size, 4]))
    del graph.output[:]
    graph.output.append(
        helper.make_tensor_value_info(OUTPUT, TensorProto.UINT8, [1, 1, size, size])
    )
    graph.name = f"bgzero-{card.id}"
    del model.metadata_props[:]
    helper.set_model_props(
        model,
        {
            "bgzero.card": card.id,
            "bgzero.size": str(card.size),
            "bgzero.source_sha256": card.source_sha256,
        },
    )
    onnx.checker.check_model(model)
    return model


def build_model_bytes(card: Card, source: bytes) -> bytes:
    return build_model(card, source).SerializeToString()
