"""The decontamination graph equals a numpy blur-fusion estimator (±1 LSB), and removes the
old background's colour from soft edges."""

import numpy as np
import onnxruntime as ort
import pytest

from bgzero.graphs.decontaminate import EPSILON, EPSILON_LINE, build_decontaminate
from numpy_ops import box, resize_linear
from shared.geometry import guide_size


def per_channel(f, x, *args):
    return np.stack([f(c, *args) for c in x])


def weighted_means(f_a, b_1ma, a, radius):
    mean_a = box(a, radius)
    return (
        per_channel(box, f_a, radius) / (mean_a + EPSILON),
        per_channel(box, b_1ma, radius) / (1 - mean_a + EPSILON),
    )


def fuse(f, b, image, a):
    return np.clip(f + a * (image - a * f - (1 - a) * b), 0, 1)


def reference(rgba, alpha, guide, coarse, wide, narrow, soften):
    image = rgba[..., :3].transpose(2, 0, 1).astype(np.float32) / 255
    a = alpha.astype(np.float32) / 255
    h, w = a.shape
    image_g = per_channel(resize_linear, image, *guide)
    a_g = resize_linear(a, *guide)
    image_a_g = per_channel(resize_linear, image * a, *guide)
    image_c = per_channel(resize_linear, image_g, *coarse)
    a_c = resize_linear(a_g, *coarse)
    image_a_c = per_channel(resize_linear, image_a_g, *coarse)
    f1, b1 = weighted_means(image_a_c, image_c - image_a_c, a_c, wide)
    f1, b1 = per_channel(resize_linear, f1, *guide), per_channel(resize_linear, b1, *guide)
    f1 = fuse(f1, b1, image_g, a_g)
    f2, b2 = weighted_means(f1 * a_g, b1 * (1 - a_g), a_g, narrow)
    f2, b2 = per_channel(resize_linear, f2, h, w), per_channel(resize_linear, b2, h, w)
    soft = resize_linear(box(a_g, soften), h, w)
    line = f2 - b2
    on_line = np.clip(((image - b2) * line).sum(0) / ((line * line).sum(0) + EPSILON_LINE), 0, 1)
    a_fuse = np.where((soft > 0.01) & (soft < 0.99), np.minimum(soft, on_line), a)
    rgb = np.rint(fuse(f2, b2, image, a_fuse) * 255).astype(np.uint8)
    return np.concatenate([rgb, alpha[None]]).transpose(1, 2, 0)


def run(rgba, alpha, guide, coarse, wide, narrow, soften):
    session = ort.InferenceSession(
        build_decontaminate(wide, narrow, soften).SerializeToString(),
        providers=["CPUExecutionProvider"],
    )
    feeds = {
        "rgba": rgba[None],
        "alpha": alpha[None, None],
        "guide": np.array(guide, np.int64),
        "coarse": np.array(coarse, np.int64),
    }
    return session.run(None, feeds)[0][0]


@pytest.mark.parametrize(
    "height, width, guide_long, coarse_long, wide, narrow, soften",
    [
        (300, 400, 200, 64, 8, 2, 3),  # both grids below the photo
        (131, 257, 257, 64, 12, 3, 1),  # odd sizes, guide at full size
        (90, 60, 90, 90, 4, 1, 2),  # grids at full size
    ],
)
def test_decontaminate_graph_matches_numpy_reference(
    height, width, guide_long, coarse_long, wide, narrow, soften
):
    rng = np.random.default_rng(width)
    rgba = rng.integers(0, 256, (height, width, 4), dtype=np.uint8)
    alpha = rng.integers(0, 256, (height, width), dtype=np.uint8)
    alpha[: height // 3] = 255  # solid and empty regions as well as soft ones
    alpha[-height // 4 :] = 0
    guide, coarse = guide_size(height, width, guide_long), guide_size(height, width, coarse_long)
    got = run(rgba, alpha, guide, coarse, wide, narrow, soften)
    expected = reference(rgba, alpha, guide, coarse, wide, narrow, soften)
    assert got.shape == (height, width, 4) and got.dtype == np.uint8
    assert (got[..., 3] == alpha).all()
    assert np.abs(got.astype(int) - expected.astype(int)).max() <= 1


def soft_disc(size=200, radius=60, rim=8.0):
    yy, xx = np.mgrid[:size, :size]
    distance = np.hypot(yy - size / 2, xx - size / 2)
    return np.clip((radius - distance) / rim + 0.5, 0, 1)


@pytest.mark.parametrize("steep, kept", [(False, 0.25), (True, 0.6)])
def test_edges_lose_the_old_backgrounds_colour(steep, kept):
    # A red disc with a soft rim composited over green: rim pixels are red-green mixes. The
    # alpha given is the true one, or a hard cut at 0.5 as a steep refinement gives.
    a = soft_disc()
    red, green = np.array([220, 30, 30], float), np.array([20, 200, 40], float)
    mixed = a[..., None] * red + (1 - a[..., None]) * green
    rgba = np.dstack([np.rint(mixed), np.full(a.shape, 255)]).astype(np.uint8)
    alpha = np.rint((a >= 0.5 if steep else a) * 255).astype(np.uint8)
    out = run(rgba, alpha, (200, 200), (50, 50), 6, 2, 3).astype(float)
    visible = (a > 0.1) & (a < 0.9) & (alpha > 0)
    before = np.abs(rgba[..., :3][visible] - red).mean()
    after = np.abs(out[..., :3][visible] - red).mean()
    assert before > 30 and after < before * kept
    # Solid foreground keeps the photo's own colour, byte for byte.
    solid = soft_disc(radius=45, rim=1.0) == 1  # well inside the disc
    assert (out[solid][:, :3] == rgba[solid][:, :3]).all()


def test_a_large_photo_on_the_row_route_comes_out_as_in_one_piece():
    """pipeline.decontaminate on the row route (as the browser runs a photo above
    geometry.SPLIT_PIXELS), here on a real photo with small strips: the same cut-out as in
    one piece but for float rounding (the 2-D resamplings done one axis at a time)."""
    from PIL import Image

    from bgzero.eval.groundtruth import photos
    from bgzero.models.cards import load_cards
    from bgzero.native import pipeline, settings

    photo = Image.open(photos("pets")[0]).convert("RGBA").resize((1200, 900))
    alpha = pipeline.cutout_alpha(photo, settings.Setting.default(load_cards()["u2netp"]))
    whole = pipeline.decontaminate(photo, alpha, 1024, split_pixels=10**9)
    parts = pipeline.decontaminate(photo, alpha, 1024, split_pixels=0, row_pixels=100_000)
    assert np.array_equal(whole[..., 3], parts[..., 3])
    edge = (alpha > 0) & (alpha < 255)
    changed = whole[..., :3][edge] != np.asarray(photo)[..., :3][edge]
    assert edge.sum() > 1000 and changed.any()  # the edge's colours were worked on
    diff = np.abs(whole.astype(int) - parts.astype(int))
    assert diff.max() <= 1 and (diff > 0).mean() < 1e-3
