"""The native pipeline as the browser's oracle: a browser PNG's alpha vs `bgzero remove`'s."""

import numpy as np
from PIL import Image

from bgzero.pipeline import cutout, default_setting, open_photo


def assert_matches_native(png, photo, model="u2netp"):
    """`png`: a path or file object of the browser's result for `photo`."""
    result = Image.open(png)
    assert result.mode == "RGBA"
    assert result.size == Image.open(photo).size
    browser_alpha = np.asarray(result)[..., 3].astype(float) / 255
    native_alpha = np.asarray(cutout(open_photo(photo), default_setting(model)))[..., 3] / 255
    a, b = browser_alpha > 0.5, native_alpha > 0.5
    iou = (a & b).sum() / max((a | b).sum(), 1)
    mad = np.abs(browser_alpha - native_alpha).mean()
    assert iou >= 0.98 and mad <= 3 / 255, f"IoU {iou:.4f}, MAD {mad * 255:.2f}/255"
    assert a.mean() > 0.02, "the cutout is empty"
