"""Full-resolution alpha refinement as an ONNX graph: a fast guided filter (He & Sun 2015).

The segmentation model sees the photo at S×S; stretching its mask to the photo blurs every
edge. This graph takes the photo (at its working size) and the model's mask and returns an
alpha at the photo's size whose edges follow the photo's own edges. The linear coefficients
are fitted on a low-resolution grid (`guide` size, given at run time) with box filters
(AveragePool), then upsampled and applied to the full-resolution guide: the work at full
size is one multiply-add per pixel, so a 12 MP photo fits a browser's memory.

Inputs: rgba uint8 [1,H,W,4]; mask uint8 [1,1,Sh,Sw] (a model's square, or its input in the
photo's proportions); box int64 [4] = top, left, bottom, right of the photo inside the mask
(letterboxing); guide int64 [2] = low-res height, width.
Output: alpha uint8 [1,1,H,W].
"""

import numpy as np
import onnx
from onnx import TensorProto, helper

from bgzero.graphs.common import F32, I64, U8, floats, graph_model, ints, resize, tensors, used
from bgzero.graphs.rows import Rows

OPSET = 17
# The shipped refinement, chosen from `bgzero eval` (see docs/quality.md).
DEFAULT = {"radius": 4, "eps": 1e-3, "guide": 1024, "sharpen": 3.0}
# Luma weights (BT.601), scaled so bytes map to [0, 1].
LUMA = np.array([0.299, 0.587, 0.114], np.float32) / np.float32(255)


def _box(radius):
    def box(x, out):
        # count_include_pad=0: the border averages only real pixels, as the reference does.
        return helper.make_node(
            "AveragePool",
            [x],
            [out],
            kernel_shape=[2 * radius + 1] * 2,
            pads=[radius] * 4,
            strides=[1, 1],
            count_include_pad=0,
        )

    return box


def _luma():
    """rgba [1,H,W,4] -> I [1,1,H,W], full_shape; needs the constants of _constants()."""
    return [
        # Guide: luma of the photo in [0, 1], NCHW, one channel at a time: the float copy of
        # all three was 288 MB of onnxruntime-web's heap at 12 MP. r + g + b in the order
        # ReduceSum adds them (bit-identical, tests/unit/graphs).
        # [1,H,W,1] planes are [1,1,H,W] ones in memory: Split where they lie, then Reshape
        # (before any arithmetic: onnxruntime's Mul of a [1,H,W,1] plane was 4x slower).
        helper.make_node("Split", ["rgba"], ["red", "green", "blue", "opacity"], axis=3),
        helper.make_node("Shape", ["rgba"], ["hw"], start=1, end=3),
        helper.make_node("Concat", ["ones2", "hw"], ["full_shape"], axis=0),
        *(
            node
            for c in ("red", "green", "blue")
            for node in (
                helper.make_node("Cast", [c], [f"{c}_f"], to=TensorProto.FLOAT),
                helper.make_node("Reshape", [f"{c}_f", "full_shape"], [f"{c}_plane"]),
                helper.make_node("Mul", [f"{c}_plane", f"luma_{c}"], [f"{c}_w"]),
            )
        ),
        helper.make_node("Add", ["red_w", "green_w"], ["red_green_w"]),
        helper.make_node("Add", ["red_green_w", "blue_w"], ["I"]),
    ]


def _mask():
    """mask, box -> p: the photo's part of the mask, in [0, 1]."""
    return [
        helper.make_node("Slice", ["box", "c0", "c2"], ["box_start"]),
        helper.make_node("Slice", ["box", "c2", "c4"], ["box_end"]),
        helper.make_node("Slice", ["mask", "box_start", "box_end", "axes23"], ["mask_crop"]),
        helper.make_node("Cast", ["mask_crop"], ["mask_f"], to=TensorProto.FLOAT),
        helper.make_node("Mul", ["mask_f", "inv255"], ["p"]),
    ]


def _fit(radius, low_I):
    """low_I (the luma on the guide grid) and p -> mean_a, mean_b on the guide grid."""
    box = _box(radius)
    return [
        resize("p", "low_shape", "p_low"),
        helper.make_node("Mul", [low_I, "p_low"], ["Ip"]),
        helper.make_node("Mul", [low_I, low_I], ["II"]),
        box(low_I, "mean_I"),
        box("p_low", "mean_p"),
        box("Ip", "mean_Ip"),
        box("II", "mean_II"),
        helper.make_node("Mul", ["mean_I", "mean_p"], ["mImp"]),
        helper.make_node("Sub", ["mean_Ip", "mImp"], ["cov_Ip"]),
        helper.make_node("Mul", ["mean_I", "mean_I"], ["mImI"]),
        helper.make_node("Sub", ["mean_II", "mImI"], ["var_I"]),
        helper.make_node("Add", ["var_I", "eps"], ["var_eps"]),
        helper.make_node("Div", ["cov_Ip", "var_eps"], ["a"]),
        helper.make_node("Mul", ["a", "mean_I"], ["a_mI"]),
        helper.make_node("Sub", ["mean_p", "a_mI"], ["b"]),
        box("a", "mean_a"),
        box("b", "mean_b"),
    ]


def _apply():
    """A, B (the coefficients at full size) and I -> alpha uint8."""
    return [
        helper.make_node("Mul", ["A", "I"], ["AI"]),
        helper.make_node("Add", ["AI", "B"], ["q"]),
        helper.make_node("Sub", ["q", "half"], ["q_centred"]),
        helper.make_node("Mul", ["q_centred", "sharpen"], ["q_steep"]),
        helper.make_node("Add", ["q_steep", "half"], ["q_sharp"]),
        helper.make_node("Clip", ["q_sharp", "zero", "one"], ["q01"]),
        helper.make_node("Mul", ["q01", "c255"], ["q255"]),
        helper.make_node("Round", ["q255"], ["q_round"]),
        helper.make_node("Cast", ["q_round"], ["alpha"], to=TensorProto.UINT8),
    ]


def _constants(eps=1e-3, sharpen=1.0):
    constants = ints(c0=[0], c2=[2], c4=[4], axes23=[2, 3], ones2=[1, 1])
    constants += floats(luma_red=LUMA[0], luma_green=LUMA[1], luma_blue=LUMA[2])
    constants += floats(inv255=1 / 255, eps=eps, zero=0, one=1, c255=255, half=0.5)
    constants += floats(sharpen=sharpen)
    return constants


def _props(radius, eps, sharpen):
    return {"bgzero.refine": f"guided r={radius} eps={eps} k={sharpen}"}


def build_refine(radius: int, eps: float, sharpen: float = 1.0) -> onnx.ModelProto:
    """`sharpen` > 1 steepens the refined edge around 0.5: the model's soft rim at low
    resolution is mostly blur from upscaling, not transparency."""
    nodes = [
        *_luma(),
        *_mask(),
        # Low-resolution fit.
        helper.make_node("Concat", ["ones2", "guide"], ["low_shape"], axis=0),
        resize("I", "low_shape", "I_low"),
        *_fit(radius, "I_low"),
        # Full-resolution apply.
        resize("mean_a", "full_shape", "A"),
        resize("mean_b", "full_shape", "B"),
        *_apply(),
    ]
    inputs = tensors(
        ("rgba", U8, [1, "H", "W", 4]),
        ("mask", U8, [1, 1, "Sh", "Sw"]),
        ("box", I64, [4]),
        ("guide", I64, [2]),
    )
    outputs = tensors(("alpha", U8, [1, 1, "H", "W"]))
    constants = _constants(eps, sharpen)
    props = _props(radius, eps, sharpen)
    return graph_model(nodes, "bgzero-refine", inputs, outputs, constants, OPSET, props)


# The row route (a large photo, in strips of rows: rows.py; geometry.one_piece): the luma
# on the guide grid from each strip, the fit once, then the apply strip by strip. The same
# filter as build_refine's but for float rounding; no full-size plane beyond a strip's.


def build_refine_low() -> onnx.ModelProto:
    """rgba [1,r,W,4] (photo rows from `rows`[3] on), rows int64 [4] = first guide row,
    count, the photo's height, the first row given; guide int64 [2] -> on_grid [1,1,count,gw]:
    those rows of the photo's luma on the guide grid."""
    r = Rows("low")
    first, count, height, offset = (r.scalar("rows", i) for i in range(4))
    nodes = [
        *_luma(),
        helper.make_node("Slice", ["guide", "c0", "c1"], ["guide_h"]),
        helper.make_node("Slice", ["guide", "c1", "c2"], ["guide_w"]),
        helper.make_node("Squeeze", ["guide_h"], ["guide_rows"]),
    ]
    r.width("I", "guide_w", "I_narrow")
    r.height("I_narrow", first, count, height, "guide_rows", offset, "on_grid")
    nodes = r.nodes[:4] + nodes + r.nodes[4:]
    inputs = tensors(("rgba", U8, [1, "R", "W", 4]), ("rows", I64, [4]), ("guide", I64, [2]))
    outputs = tensors(("on_grid", F32, [1, 1, "N", "GW"]))
    constants = used(nodes, _constants() + ints(c1=[1]) + r.constants())
    return graph_model(nodes, "bgzero-refine-low", inputs, outputs, constants, OPSET)


def build_refine_fit(radius: int, eps: float) -> onnx.ModelProto:
    """on_grid float [1,1,gh,gw] (the luma on the guide grid), mask, box -> mean_a, mean_b
    float [1,1,gh,gw]: the guided filter's coefficients."""
    nodes = [
        *_mask(),
        helper.make_node("Shape", ["on_grid"], ["low_shape"]),
        *_fit(radius, "on_grid"),
    ]
    inputs = tensors(
        ("on_grid", F32, [1, 1, "GH", "GW"]), ("mask", U8, [1, 1, "Sh", "Sw"]), ("box", I64, [4])
    )
    outputs = tensors(("mean_a", F32, [1, 1, "GH", "GW"]), ("mean_b", F32, [1, 1, "GH", "GW"]))
    constants = used(nodes, _constants(eps))
    props = {"bgzero.refine": f"fit r={radius} eps={eps}"}
    return graph_model(nodes, "bgzero-refine-fit", inputs, outputs, constants, OPSET, props)


def build_refine_apply(sharpen: float) -> onnx.ModelProto:
    """rgba [1,r,W,4] (photo rows from rows[0] on), mean_a, mean_b [1,1,gh,gw], rows int64
    [2] = the first row, the photo's height -> alpha uint8 [1,1,r,W] of those rows."""
    r = Rows("up")
    first, height = r.scalar("rows", 0), r.scalar("rows", 1)
    count = r.op("Squeeze", r.op("Slice", r.op("Shape", "rgba"), "c1", "c2"))
    grid_rows = r.op("Squeeze", r.op("Slice", r.op("Shape", "mean_a"), "c2", "c3"))
    width = r.op("Slice", r.op("Shape", "rgba"), "c2", "c3")
    for coefficient, out in (("mean_a", "A"), ("mean_b", "B")):
        tall = r.height(coefficient, first, count, grid_rows, height, "zero_i", f"{out}_rows")
        r.width(tall, width, out)
    nodes = [*_luma(), *r.nodes, *_apply()]
    inputs = tensors(
        ("rgba", U8, [1, "R", "W", 4]),
        ("mean_a", F32, [1, 1, "GH", "GW"]),
        ("mean_b", F32, [1, 1, "GH", "GW"]),
        ("rows", I64, [2]),
    )
    outputs = tensors(("alpha", U8, [1, 1, "R", "W"]))
    constants = _constants(sharpen=sharpen) + ints(c1=[1], c3=[3], zero_i=0) + r.constants()
    constants = used(nodes, constants)
    props = {"bgzero.refine": f"apply k={sharpen}"}
    return graph_model(nodes, "bgzero-refine-apply", inputs, outputs, constants, OPSET, props)
