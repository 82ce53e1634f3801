"""The native pipeline as the browser's oracle: a browser PNG vs `bgzero remove`'s."""

import numpy as np
from PIL import Image

from bgzero.pipeline import cutout, default_setting, open_photo


def assert_matches_native(png, photo, model="u2netp"):
    """`png`: a path or file object of the browser's result for `photo`."""
    result = Image.open(png)
    assert result.mode == "RGBA"
    assert result.size == Image.open(photo).size
    browser = np.asarray(result).astype(float)
    native = np.asarray(cutout(open_photo(photo), default_setting(model))).astype(float)
    browser_alpha, native_alpha = browser[..., 3] / 255, native[..., 3] / 255
    a, b = browser_alpha > 0.5, native_alpha > 0.5
    iou = (a & b).sum() / max((a | b).sum(), 1)
    mad = np.abs(browser_alpha - native_alpha).mean()
    assert iou >= 0.98 and mad <= 3 / 255, f"IoU {iou:.4f}, MAD {mad * 255:.2f}/255"
    assert a.mean() > 0.02, "the cutout is empty"
    # Colours (decontaminated on the edges) where both are mostly opaque: a canvas keeps
    # premultiplied pixels, so faint ones lose precision on the way to the PNG.
    opaque = (browser_alpha >= 0.5) & (native_alpha >= 0.5)
    colour = np.abs(browser[..., :3] - native[..., :3])[opaque]
    assert colour.mean() <= 0.1 and colour.max() <= 3, (
        f"colours differ: mean {colour.mean():.3f}, max {colour.max():.0f}"
    )
