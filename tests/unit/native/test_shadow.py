"""`bgzero remove --shadow`: the shadow is the subject's alpha blurred by a true Gaussian
(what a canvas's shadowBlur draws), dropped and made lighter; a crop keeps it whole."""

import numpy as np
from PIL import Image
from scipy import ndimage

from bgzero.cli import main
from bgzero.eval.groundtruth import GT
from bgzero.native.output import cast_shadow
from bgzero.web_shared import shadows

PHOTO = sorted((GT / "pets" / "images").glob("*.jpg"))[0]


def test_cast_shadow_is_a_gaussian_of_the_dropped_alpha():
    alpha = np.zeros((300, 400), np.uint8)
    alpha[60:200, 120:260] = 255
    alpha[200:230, 150:160] = 128
    cut = Image.new("RGBA", (400, 300), (200, 30, 30, 0))
    cut.putalpha(Image.fromarray(alpha))
    shadow = {"blur": 12, "offset": 40, "opacity": 60}
    sigma, dy, opacity = shadows.pixels(shadow, 400, 300)
    dropped = np.zeros((300, 400))
    dropped[dy:] = alpha[: 300 - dy]
    # Beyond the edges lies transparency (a canvas's shadow), not repeated edge pixels.
    expected = ndimage.gaussian_filter(dropped, sigma, mode="constant") * opacity
    out = np.asarray(cast_shadow(cut, shadow)).astype(float)
    assert (out[..., :3] == 0).all()
    assert np.abs(out[..., 3] - expected).mean() < 0.5
    assert np.abs(out[..., 3] - expected).max() <= 3


def test_remove_with_a_shadow_darkens_under_the_subject_and_crops_it_whole(tmp_path):
    flat = tmp_path / "flat"
    main(["remove", str(PHOTO), "-o", str(flat), "--background", "#fff", "--crop", "--margin", "0"])
    shaded = tmp_path / "shaded"
    argv = ["remove", str(PHOTO), "-o", str(shaded), "--background", "#fff", "--shadow"]
    assert main([*argv, "--shadow-offset", "40", "--crop", "--margin", "0"]) == 0
    name = f"{PHOTO.stem}-nobg.png"
    plain, dark = Image.open(flat / name), Image.open(shaded / name)
    assert dark.size[1] > plain.size[1]  # the crop reaches down to hold the shadow
    pixels = np.asarray(dark.convert("L")).astype(int)
    assert pixels[-3:].mean() > 250  # and ends where it has faded
    assert pixels.min() < 200


def test_a_bad_shadow_setting_is_refused(tmp_path, capsys):
    assert main(["remove", str(PHOTO), "-o", str(tmp_path), "--shadow-blur", "0"]) == 2
    assert "--shadow: the shadow's blur must be between 1 and 100" in capsys.readouterr().err
    assert not any(tmp_path.iterdir())
