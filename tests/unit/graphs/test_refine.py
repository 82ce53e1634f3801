"""The refinement graph equals a numpy guided filter (±1 LSB), and behaves like one."""

import numpy as np
import onnxruntime as ort
import pytest
from onnx import TensorProto, helper, numpy_helper

from bgzero.graphs.common import IR_VERSION
from bgzero.graphs.refine import LUMA, build_refine
from numpy_ops import box, resize_linear
from shared.geometry import guide_size


def reference(rgba, mask, box_, guide, radius, eps, sharpen=1.0):
    I = (rgba[..., :3].astype(np.float32) * LUMA).sum(-1)
    top, left, bottom, right = box_
    p = mask[top:bottom, left:right].astype(np.float32) / 255
    gh, gw = guide
    I_low, p_low = resize_linear(I, gh, gw), resize_linear(p, gh, gw)
    mean_I, mean_p = box(I_low, radius), box(p_low, radius)
    cov = box(I_low * p_low, radius) - mean_I * mean_p
    var = box(I_low * I_low, radius) - mean_I * mean_I
    a = cov / (var + eps)
    b = mean_p - a * mean_I
    h, w = I.shape
    q = resize_linear(box(a, radius), h, w) * I + resize_linear(box(b, radius), h, w)
    q = (q - 0.5) * sharpen + 0.5
    return np.rint(np.clip(q, 0, 1) * 255).astype(np.uint8)


def run(radius, eps, rgba, mask, box_, guide, sharpen=1.0):
    session = ort.InferenceSession(
        build_refine(radius, eps, sharpen).SerializeToString(), providers=["CPUExecutionProvider"]
    )
    feeds = {
        "rgba": rgba[None],
        "mask": mask[None, None],
        "box": np.array(box_, np.int64),
        "guide": np.array(guide, np.int64),
    }
    return session.run(None, feeds)[0][0, 0]


@pytest.mark.parametrize(
    "height, width, box_, guide_long, radius, eps, sharpen",
    [
        (300, 400, (40, 0, 280, 320), 200, 4, 1e-3, 1.0),  # letterboxed, downscaled guide
        (257, 131, (0, 0, 64, 64), 257, 2, 1e-2, 3.0),  # odd sizes, guide at full size
        (90, 120, (0, 10, 64, 54), 60, 6, 1e-4, 2.0),
    ],
)
def test_refine_matches_numpy_reference(height, width, box_, guide_long, radius, eps, sharpen):
    rng = np.random.default_rng(height)
    rgba = rng.integers(0, 256, (height, width, 4), dtype=np.uint8)
    mask = rng.integers(0, 256, (64 if box_[2] <= 64 else 320,) * 2, dtype=np.uint8)
    guide = guide_size(height, width, guide_long)
    got = run(radius, eps, rgba, mask, box_, guide, sharpen)
    expected = reference(rgba, mask, box_, guide, radius, eps, sharpen)
    assert got.shape == (height, width)
    assert np.abs(got.astype(int) - expected.astype(int)).max() <= 1


@pytest.mark.parametrize("height, width, row_pixels", [(300, 400, 20_000), (333, 97, 5000)])
def test_the_row_route_is_the_reference_filter_too(height, width, row_pixels):
    """pipeline.refine on the row route (a photo above geometry.SPLIT_PIXELS in the
    browser; here any photo, in strips of a few rows): the same filter as in one piece."""
    from bgzero.native import pipeline
    from bgzero.native.settings import Setting

    rng = np.random.default_rng(width)
    rgba = rng.integers(0, 256, (height, width, 4), dtype=np.uint8)
    mask = rng.integers(0, 256, (320, 320), dtype=np.uint8)
    box_, guide = (20, 0, 300, 320), guide_size(height, width, 150)
    setting = Setting(model="u2netp", radius=4, eps=1e-3, sharpen=3.0)
    rows = pipeline.refine(rgba, mask, box_, guide, setting, split_pixels=0, row_pixels=row_pixels)
    whole = pipeline.refine(rgba, mask, box_, guide, setting, split_pixels=10**9)
    assert len(pipeline.geometry.row_strips(height, width, row_pixels)) > 3
    assert np.abs(rows.astype(int) - whole.astype(int)).max() <= 1
    expected = reference(rgba, mask, box_, guide, 4, 1e-3, 3.0)
    assert np.abs(rows.astype(int) - expected.astype(int)).max() <= 1


def test_refine_graph_snaps_a_blurry_mask_to_the_photos_edge():
    # A bright square on dark ground; the model's mask is a 16×16 version of it.
    photo = np.zeros((256, 256, 4), np.uint8)
    photo[..., 3] = 255
    photo[64:192, 64:192, :3] = 220
    truth = photo[..., 0] > 0
    mask = (truth.reshape(16, 16, 16, 16).mean((1, 3)) * 255).astype(np.uint8)
    stretched = resize_linear(mask.astype(np.float32) / 255, 256, 256)
    sharpened = np.clip((stretched - 0.5) * 3 + 0.5, 0, 1)
    # The window must span the stretched blur for the filter to see both sides of the edge.
    refined = run(8, 1e-4, photo, mask, (0, 0, 16, 16), (256, 256), sharpen=3.0) / 255
    assert np.abs(refined - truth).mean() < 0.2 * np.abs(sharpened - truth).mean()


def test_guide_size_keeps_aspect_and_never_enlarges():
    assert guide_size(3000, 4000, 1024) == (768, 1024)
    assert guide_size(300, 400, 1024) == (300, 400)


def test_letterbox_box_keeps_aspect_and_centres():
    from shared.geometry import model_box

    assert model_box("stretch", 600, 400, 320) == (0, 0, 320, 320)
    assert model_box("letterbox", 600, 400, 320) == (53, 0, 266, 320)
    assert model_box("letterbox", 400, 600, 320) == (0, 53, 320, 266)
    assert model_box("letterbox", 5000, 10, 320) == (159, 0, 160, 320)


def test_the_luma_one_channel_at_a_time_is_reducesums_bit_for_bit():
    # The graph weighs and adds the channels one by one (onnxruntime-web's heap at 12 MP);
    # its guide must stay what a ReduceSum over the weighted channels gives.
    model = build_refine(4, 1e-3, 3.0)
    model.graph.output.append(helper.make_tensor_value_info("I", TensorProto.FLOAT, None))
    ours = ort.InferenceSession(model.SerializeToString(), providers=["CPUExecutionProvider"])
    rgb = helper.make_tensor_value_info("rgb", TensorProto.FLOAT, [1, "H", "W", 3])
    luma = helper.make_tensor_value_info("luma", TensorProto.FLOAT, None)
    graph = helper.make_graph(
        [
            helper.make_node("Mul", ["rgb", "weights"], ["weighted"]),
            helper.make_node("ReduceSum", ["weighted", "axis"], ["luma"], keepdims=1),
        ],
        "luma",
        [rgb],
        [luma],
        [numpy_helper.from_array(LUMA, "weights"), numpy_helper.from_array(np.array([3]), "axis")],
    )
    reduce = ort.InferenceSession(
        helper.make_model(
            graph, opset_imports=[helper.make_opsetid("", 17)], ir_version=IR_VERSION
        ).SerializeToString(),
        providers=["CPUExecutionProvider"],
    )
    rng = np.random.default_rng(7)
    rgba = rng.integers(0, 256, (1, 301, 517, 4), dtype=np.uint8)
    feeds = {
        "rgba": rgba,
        "mask": np.zeros((1, 1, 64, 64), np.uint8),
        "box": np.array([0, 0, 64, 64], np.int64),
        "guide": np.array([64, 64], np.int64),
    }
    got = ours.run(["I"], feeds)[0]
    expected = reduce.run(None, {"rgb": rgba[..., :3].astype(np.float32)})[0]
    assert np.array_equal(got, expected.transpose(0, 3, 1, 2))
