"""The native pipeline as the browser's oracle: a browser PNG vs `bgzero remove`'s."""

import functools

import numpy as np
from PIL import Image
from scipy import ndimage

from bgzero.graphs.decontaminate import DEFAULT as DECONTAMINATE
from bgzero.native import batch
from bgzero.native.pipeline import cutout, default_setting, open_photo


@functools.lru_cache(maxsize=4)
def _native(photo, setting):
    """`bgzero remove`'s RGBA of the photo with that setting (kept: a test may compare one
    browser result with it twice)."""
    return np.asarray(cutout(open_photo(photo), setting))


def assert_matches_native(png, photo, model="u2netp", setting=None):
    """`png`: a path or file object of the browser's result for `photo`; `setting` instead
    of the model's default one (pipeline.Setting)."""
    result = Image.open(png)
    assert result.mode == "RGBA"
    assert result.size == Image.open(photo).size
    browser = np.asarray(result).astype(float)
    native = _native(photo, setting or default_setting(model)).astype(float)
    browser_alpha, native_alpha = browser[..., 3] / 255, native[..., 3] / 255
    a, b = browser_alpha > 0.5, native_alpha > 0.5
    iou = (a & b).sum() / max((a | b).sum(), 1)
    mad = np.abs(browser_alpha - native_alpha).mean()
    assert iou >= 0.98 and mad <= 3 / 255, f"IoU {iou:.4f}, MAD {mad * 255:.2f}/255"
    assert a.mean() > 0.02, "the cutout is empty"
    # Colours (decontaminated on the edges) where both are mostly opaque: a canvas keeps
    # premultiplied pixels, so faint ones lose precision on the way to the PNG. Where the
    # alphas differ (int8 kernels round differently in WebAssembly: a few hundred edge
    # pixels of IS-Net int8), the colours estimated from them differ as far as the
    # decontamination's windows reach: the alpha check covers those.
    spec, side = DECONTAMINATE, max(browser_alpha.shape)
    reach = (spec["wide"] + 2) / spec["coarse"] + (spec["narrow"] + spec["soften"] + 3) / 1024
    reach = 2 * int(reach * side + 1) + 1
    same = ~ndimage.maximum_filter(np.abs(browser_alpha - native_alpha) > 2 / 255, reach)
    opaque = (browser_alpha >= 0.5) & (native_alpha >= 0.5) & same
    colour = np.abs(browser[..., :3] - native[..., :3])[opaque].max(-1)
    # A handful of edge pixels (3 of 12 million, where the subject's edge crosses a strip's
    # seam) may estimate their colour differently from one low bit of the photo's decoding;
    # one in 100,000 is allowed, no more.
    outliers = int((colour > 3).sum())
    assert colour.mean() <= 0.1 and outliers <= max(1, colour.size // 100000), (
        f"colours differ: mean {colour.mean():.3f}, max {colour.max():.0f}, "
        f"{outliers} pixels over 3"
    )


def alpha_difference(png, photo, setting):
    """Mean |alpha| difference (0..1) of the browser's result and the native `setting`'s."""
    browser = np.asarray(Image.open(png))[..., 3].astype(float)
    return np.abs(browser - _native(photo, setting)[..., 3]).mean() / 255


def native_file(photo, target, model="u2netp", **options):
    """`bgzero remove`'s file of `photo` (batch.Options' fields: format_id, background,
    framing, shadow), written to `target`: what the page's and the frame's must equal."""
    batch.make(open_photo(photo), batch.Options(model, **options), target)
    return target


def assert_same_picture(browser_file, native, levels=2):
    """Two files of one cut-out alike: mean difference of the RGBA pixels ≤ `levels`."""
    a = np.asarray(Image.open(browser_file).convert("RGBA")).astype(float)
    b = np.asarray(Image.open(native).convert("RGBA")).astype(float)
    assert a.shape == b.shape, (a.shape, b.shape)
    difference = np.abs(a - b).mean()
    assert difference <= levels, f"mean difference {difference:.2f} levels"
    return difference
