"""The prepare graph: the photo resized into the model's box like Pillow's bilinear, grey pad."""

import numpy as np
import onnxruntime as ort
import pytest
from onnx import TensorProto, helper
from PIL import Image

from bgzero.eval.groundtruth import photos
from bgzero.graphs.common import IR_VERSION
from bgzero.graphs.prepare import PAD_VALUE, build_prepare
from shared.geometry import aspect_size, model_box

SESSION = ort.InferenceSession(
    build_prepare().SerializeToString(), providers=["CPUExecutionProvider"]
)


@pytest.mark.parametrize(
    "width, height, fit",
    [
        (600, 400, "letterbox"),
        (333, 500, "letterbox"),
        (640, 480, "stretch"),
        (200, 150, "letterbox"),
    ],
)
def test_prepare_resizes_into_the_box_and_pads_grey(width, height, fit):
    photo = np.asarray(
        Image.open(photos("pets")[width % 7])
        .convert("RGBA")
        .resize((width, height), Image.Resampling.LANCZOS)
    )
    top, left, bottom, right = box = model_box(fit, width, height, 320)
    out = SESSION.run(
        None,
        {"rgba": photo[None], "box": np.array(box, np.int64), "size": np.array([320], np.int64)},
    )[0][0]
    assert out.shape == (320, 320, 4) and out.dtype == np.uint8
    inside = np.zeros((320, 320), bool)
    inside[top:bottom, left:right] = True
    assert (out[~inside] == PAD_VALUE).all()
    expected = np.asarray(
        Image.fromarray(photo, "RGBA").resize(
            (right - left, bottom - top), Image.Resampling.BILINEAR
        )
    ).astype(int)
    diff = np.abs(out[top:bottom, left:right].astype(int) - expected)
    # Antialiased linear is Pillow's bilinear up to rounding and the kernel at the borders.
    assert diff.mean() < 0.5 and np.percentile(diff, 99) <= 3


def test_prepare_fills_an_input_in_the_photos_proportions():
    photo = np.asarray(Image.open(photos("pets")[0]).convert("RGBA"))
    height, width = aspect_size(photo.shape[1], photo.shape[0], 1024, 512, 64)
    feeds = {
        "rgba": photo[None],
        "box": np.array([0, 0, height, width], np.int64),
        "size": np.array([height, width], np.int64),
    }
    out = SESSION.run(None, feeds)[0][0]
    assert out.shape == (height, width, 4) and height != width
    assert (out != PAD_VALUE).any(-1).mean() > 0.99  # the photo fills it: no padding


def test_prepare_one_channel_at_a_time_is_one_four_channel_resize_bit_for_bit():
    # The graph resizes channel by channel to keep onnxruntime-web's heap small at 12 MP;
    # the model's input must stay what one 4-channel Resize gives (eval's tables hold).
    x = helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 4, "H", "W"])
    sizes = helper.make_tensor_value_info("sizes", TensorProto.INT64, [4])
    y = helper.make_tensor_value_info("y", TensorProto.FLOAT, None)
    resize = helper.make_node(
        "Resize",
        ["x", "", "", "sizes"],
        ["y"],
        mode="linear",
        antialias=1,
        coordinate_transformation_mode="half_pixel",
    )
    graph = helper.make_graph([resize], "resize4", [x, sizes], [y])
    one = ort.InferenceSession(
        helper.make_model(
            graph, opset_imports=[helper.make_opsetid("", 18)], ir_version=IR_VERSION
        ).SerializeToString(),
        providers=["CPUExecutionProvider"],
    )
    for path in photos("people")[:3]:
        photo = np.asarray(Image.open(path).convert("RGBA"))
        height, width = photo.shape[:2]
        top, left, bottom, right = box = model_box("stretch", width, height, 320)
        feeds = {"rgba": photo[None], "box": np.array(box, np.int64), "size": np.array([320])}
        out = SESSION.run(None, feeds)[0][0]
        nchw = photo.transpose(2, 0, 1)[None].astype(np.float32)
        resized = one.run(None, {"x": nchw, "sizes": np.array([1, 4, 320, 320], np.int64)})[0]
        expected = np.clip(np.rint(resized), 0, 255).astype(np.uint8)[0].transpose(1, 2, 0)
        assert np.array_equal(out[top:bottom, left:right], expected)


@pytest.mark.parametrize(
    "width, height, fit, size",
    [(1200, 900, "stretch", 320), (1803, 2403, "letterbox", 1024), (2400, 1350, "aspect", 1024)],
)
def test_the_row_route_gives_the_one_piece_bytes(width, height, fit, size):
    """A large photo's prepare graph in strips of rows (pipeline.prepare's row route, here
    with small strips): onnxruntime's antialiased Resize is a width pass then a height pass,
    so narrowing each strip first gives the same model input, byte for byte."""
    from bgzero.native import pipeline
    from shared.geometry import model_input, narrows

    with Image.open(photos("pets")[3]) as image:
        rgba = np.asarray(image.convert("RGBA").resize((width, height)))
    hw, box = model_input(fit, width, height, size, 512 if fit == "aspect" else 0, 32)
    assert narrows(width, box[3] - box[1])  # else the route keeps one piece
    whole = pipeline.prepare(rgba, hw, box, split_pixels=10**9)
    rows = pipeline.prepare(rgba, hw, box, split_pixels=0, row_pixels=150_000)
    assert rows.shape == whole.shape == (1, *hw, 4)
    assert np.array_equal(rows, whole)
