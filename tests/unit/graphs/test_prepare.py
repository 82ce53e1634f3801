"""The prepare graph: the photo resized into the model's box like Pillow's bilinear, grey pad."""

import numpy as np
import onnxruntime as ort
import pytest
from PIL import Image

from bgzero.eval.groundtruth import photos
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
