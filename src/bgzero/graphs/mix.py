"""Two models' masks -> one, as an ONNX graph: the "Best quality" answer.

Each model sees the photo its own way (its square's size, stretched or letterboxed), so
each mask is first cut to the photo's box in its square and resized to one common grid
(the refinement's guide grid: the photo's aspect, at most 1024 px); there they are mixed
pixel by pixel. The refinement graph then takes the mixed mask as it takes one model's
(box = the whole grid). Browser and native run this very graph, so they agree.

Inputs: first uint8 [1,1,Ah,Aw], first_box int64 [4] (top, left, bottom, right of the photo
in it); with `flip`, first_mirror uint8 [1,1,Ah,Aw]: the first model's mask of its mirrored
input (build_mirror), averaged with `first` once turned back; second uint8 [1,1,Bh,Bw],
second_box int64 [4]; grid int64 [2] = height, width. Output: mask uint8 [1,1,h,w].

With `flip` the first model also sees the photo in a mirror (a second look, test-time
augmentation), and its two masks' mean is its mask. Mixing (`weight` w of the first):
"mean" is w·a + (1 − w)·b; "confident" weighs each model's value by how sure it is there,
|p − 0.5| + floor, scaled by w and 1 − w: where one model hesitates (a soft edge, a region
it half sees) the other decides.
"""

import numpy as np
import onnx
from onnx import TensorProto, helper

from bgzero.graphs.common import I64, U8, floats, graph_model, ints, resize, tensors

OPSET = 18  # Resize's antialias attribute, as prepare.py
MODES = ("mean", "confident")
# The shipped mix, chosen from `bgzero eval` (docs/quality.md).
DEFAULT = {"mode": "mean", "weight": 0.5, "flip": False}
# How much a hesitating model still counts in "confident" mixing.
FLOOR = 0.05


def _to_grid(name: str, source: str | None = None) -> list:
    """`name` (uint8 square; or `source`, the same as float) cut to `name`_box and resized
    to the grid, in [0, 1]."""
    crop = [
        helper.make_node("Slice", [f"{name}_box", "i0", "i2"], [f"{name}_start"]),
        helper.make_node("Slice", [f"{name}_box", "i2", "i4"], [f"{name}_end"]),
    ]
    if source is None:
        crop += [
            helper.make_node(
                "Slice", [name, f"{name}_start", f"{name}_end", "axes23"], [f"{name}_c"]
            ),
            helper.make_node("Cast", [f"{name}_c"], [f"{name}_f"], to=TensorProto.FLOAT),
        ]
    else:
        crop.append(
            helper.make_node(
                "Slice", [source, f"{name}_start", f"{name}_end", "axes23"], [f"{name}_f"]
            )
        )
    return crop + [
        resize(f"{name}_f", "shape", f"{name}_r", antialias=True),
        helper.make_node("Mul", [f"{name}_r", "inv255"], [f"{name}_p"]),
    ]


def build_mirror() -> onnx.ModelProto:
    """rgba uint8 [1,S,S,4] -> mirrored (left and right swapped): the model's square seen
    in a mirror, for a second look at the same photo."""
    nodes = [helper.make_node("Slice", ["rgba", "m1", "lowest", "i2", "m1"], ["mirrored"])]
    constants = ints(m1=[-1], lowest=[np.iinfo(np.int64).min], i2=[2])
    inputs, outputs = (
        tensors(("rgba", U8, [1, "Sh", "Sw", 4])),
        tensors(("mirrored", U8, [1, "Sh", "Sw", 4])),
    )
    return graph_model(nodes, "bgzero-mirror", inputs, outputs, constants, OPSET)


def build_mix(
    mode: str = DEFAULT["mode"], weight: float = DEFAULT["weight"], flip: bool = DEFAULT["flip"]
) -> onnx.ModelProto:
    if mode not in MODES:
        raise ValueError(f"unknown mixing {mode!r}; one of {MODES}")
    if not 0 <= weight <= 1:
        raise ValueError("weight is the first model's share, in [0, 1]")
    nodes = [helper.make_node("Concat", ["ones2", "grid"], ["shape"], axis=0)]
    inputs = tensors(("first", U8, [1, 1, "Ah", "Aw"]), ("first_box", I64, [4]))
    if flip:
        # The mirrored square's mask, turned back, then the two looks' mean as "first".
        inputs += tensors(("first_mirror", U8, [1, 1, "Ah", "Aw"]))
        nodes += [
            helper.make_node("Cast", ["first"], ["look_f"], to=TensorProto.FLOAT),
            helper.make_node("Slice", ["first_mirror", "m1", "lowest", "i3", "m1"], ["back"]),
            helper.make_node("Cast", ["back"], ["back_f"], to=TensorProto.FLOAT),
            helper.make_node("Add", ["look_f", "back_f"], ["looks"]),
            helper.make_node("Mul", ["looks", "c_half"], ["first_mean"]),
        ]
        nodes += _to_grid("first", "first_mean")
    else:
        nodes += _to_grid("first")
    inputs += tensors(
        ("second", U8, [1, 1, "Bh", "Bw"]), ("second_box", I64, [4]), ("grid", I64, [2])
    )
    nodes += _to_grid("second")
    if mode == "mean":
        nodes += [
            helper.make_node("Mul", ["first_p", "w_first"], ["first_w"]),
            helper.make_node("Mul", ["second_p", "w_second"], ["second_w"]),
            helper.make_node("Add", ["first_w", "second_w"], ["mixed"]),
        ]
    else:
        for name, share in (("first", "w_first"), ("second", "w_second")):
            nodes += [
                helper.make_node("Sub", [f"{name}_p", "half"], [f"{name}_d"]),
                helper.make_node("Abs", [f"{name}_d"], [f"{name}_sure"]),
                helper.make_node("Add", [f"{name}_sure", "floor"], [f"{name}_s"]),
                helper.make_node("Mul", [f"{name}_s", share], [f"{name}_k"]),
                helper.make_node("Mul", [f"{name}_k", f"{name}_p"], [f"{name}_kp"]),
            ]
        nodes += [
            helper.make_node("Add", ["first_kp", "second_kp"], ["num"]),
            helper.make_node("Add", ["first_k", "second_k"], ["den"]),
            helper.make_node("Div", ["num", "den"], ["mixed"]),
        ]
    nodes += [
        helper.make_node("Mul", ["mixed", "c255"], ["m255"]),
        helper.make_node("Round", ["m255"], ["m_round"]),
        helper.make_node("Clip", ["m_round", "zero", "c255"], ["m_clip"]),
        helper.make_node("Cast", ["m_clip"], ["mask"], to=TensorProto.UINT8),
    ]
    constants = ints(i0=[0], i2=[2], i4=[4], axes23=[2, 3], ones2=[1, 1])
    constants += floats(inv255=1 / 255, c255=255, zero=0, w_first=weight, w_second=1 - weight)
    if mode == "confident":  # an unused constant is a warning in the browser's console
        constants += floats(half=0.5, floor=FLOOR)
    if flip:
        constants += ints(m1=[-1], lowest=[np.iinfo(np.int64).min], i3=[3])
        constants += floats(c_half=0.5)
    outputs = tensors(("mask", U8, [1, 1, "h", "w"]))
    props = {"bgzero.mix": f"{mode} w={weight:g} flip={flip}"}
    return graph_model(nodes, "bgzero-mix", inputs, outputs, constants, OPSET, props)
