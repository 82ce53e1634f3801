"""`bgzero remove`: real photos in, transparent PNGs out; bad files get a clear error."""

import numpy as np
import pytest
from PIL import Image, ImageFilter

from bgzero.cli import main
from bgzero.eval.groundtruth import GT
from made_photos import iphone_photo, transparent_photo

PHOTO = sorted((GT / "pets" / "images").glob("*.jpg"))[0]


def test_remove_writes_a_cutout_of_the_photos_size(tmp_path):
    assert main(["remove", str(PHOTO), "-o", str(tmp_path)]) == 0
    result = Image.open(tmp_path / f"{PHOTO.stem}-nobg.png")
    assert result.mode == "RGBA" and result.size == Image.open(PHOTO).size
    alpha = np.asarray(result)[..., 3]
    labels = np.asarray(Image.open(GT / "pets" / "labels" / f"{PHOTO.stem}.png"))
    known = labels != 255
    iou = ((alpha > 127) & (labels > 0) & known).sum() / (
        ((alpha > 127) | (labels > 0)) & known
    ).sum()
    assert iou > 0.8  # the pet, not the background
    # Colours: the photo's own inside the pet, decontaminated (changed) only near its edge.
    photo = np.asarray(Image.open(PHOTO).convert("RGB")).astype(int)
    changed = np.abs(np.asarray(result)[..., :3].astype(int) - photo).max(-1) > 2
    solid = np.asarray(Image.fromarray(alpha).filter(ImageFilter.MinFilter(31))) == 255
    assert not changed[solid].any()
    edge = (alpha > 0) & ~solid
    assert changed[edge].mean() > 0.1


def test_an_iphone_photo_is_read_upright_in_a_folder(tmp_path):
    """HEIC on its side (EXIF orientation 6): found in a folder, cut as the upright photo."""
    folder = tmp_path / "camera roll"
    folder.mkdir()
    iphone_photo(PHOTO, folder / "IMG_0001.HEIC")
    assert main(["remove", str(folder), "-o", str(tmp_path / "out")]) == 0
    result = Image.open(tmp_path / "out" / "IMG_0001-nobg.png")
    width, height = Image.open(PHOTO).size
    assert result.mode == "RGBA" and result.size == (height, width)
    upright = Image.open(PHOTO).transpose(Image.Transpose.ROTATE_270)  # what orientation 6 asks
    upright.save(tmp_path / "upright.png")
    assert main(["remove", str(tmp_path / "upright.png"), "-o", str(tmp_path)]) == 0
    same = np.asarray(Image.open(tmp_path / "upright-nobg.png"))[..., 3].astype(int)
    assert np.abs(np.asarray(result)[..., 3].astype(int) - same).mean() < 3  # HEVC's loss only


def test_bad_files_are_reported_and_the_rest_still_written(tmp_path, capsys):
    text = tmp_path / "notes.jpg"
    text.write_text("not a photo")
    truncated = tmp_path / "cut.jpg"
    truncated.write_bytes(PHOTO.read_bytes()[:3000])
    out = tmp_path / "out"
    assert main(["remove", str(text), str(truncated), str(PHOTO), "-o", str(out)]) == 1
    err = capsys.readouterr().err
    assert "notes.jpg: not an image" in err
    assert "cut.jpg: the image is damaged or incomplete" in err
    assert [p.name for p in out.iterdir()] == [f"{PHOTO.stem}-nobg.png"]


def test_unknown_model_is_refused(tmp_path, capsys):
    assert main(["remove", str(PHOTO), "-o", str(tmp_path), "--model", "nope"]) == 2
    assert "unknown model 'nope'" in capsys.readouterr().err


def test_what_the_photo_had_transparent_stays_transparent(tmp_path):
    path, before = transparent_photo(PHOTO, tmp_path)
    assert main(["remove", str(path), "-o", str(tmp_path / "out")]) == 0
    after = np.asarray(Image.open(tmp_path / "out" / "already-cut-nobg.png"))[..., 3]
    assert (after <= before).all()
    assert after[:, : before.shape[1] // 3].max() == 0
    assert after.max() == 255  # the pet itself is still there


@pytest.mark.parametrize(
    "fmt, name, mode",
    [
        ("webp", "nobg.webp", "RGBA"),
        ("jpeg", "nobg.jpg", "RGB"),
        ("mask", "mask.png", "L"),
        ("png", "nobg.png", "RGBA"),
    ],
)
def test_every_format_is_written_and_decodes(tmp_path, fmt, name, mode):
    assert main(["remove", str(PHOTO), "-o", str(tmp_path), "--format", fmt]) == 0
    result = Image.open(tmp_path / f"{PHOTO.stem}-{name}")
    assert result.mode == mode and result.size == Image.open(PHOTO).size
    png = tmp_path / "png"
    main(["remove", str(PHOTO), "-o", str(png)])
    alpha = np.asarray(Image.open(png / f"{PHOTO.stem}-nobg.png"))[..., 3]
    pixels = np.asarray(result).astype(int)
    if fmt == "jpeg":  # on white where nothing was kept (JPEG's error aside)
        assert pixels[alpha == 0].mean() > 250
    elif fmt == "mask":
        assert np.array_equal(pixels, alpha)
    else:
        assert np.abs(pixels[..., 3] - alpha).max() <= 1


def sharpness(rgb, where):
    """Mean difference between horizontal neighbours, over `where`: a blur lowers it."""
    step = np.abs(np.diff(rgb.astype(int), axis=1)).sum(-1)
    return step[where[:, 1:] & where[:, :-1]].mean()


def test_backgrounds_colour_image_and_blur(tmp_path):
    png = tmp_path / "png"
    main(["remove", str(PHOTO), "-o", str(png)])
    cut = np.asarray(Image.open(png / f"{PHOTO.stem}-nobg.png")).astype(int)
    alpha, kept = cut[..., 3], cut[..., :3]  # decontaminated colours on the edge
    photo = np.asarray(Image.open(PHOTO).convert("RGB")).astype(int)
    red = tmp_path / "red"
    assert main(["remove", str(PHOTO), "-o", str(red), "--background", "#f00"]) == 0
    out = np.asarray(Image.open(red / f"{PHOTO.stem}-nobg.png")).astype(int)
    assert (out[..., 3] == 255).all()
    assert (out[..., :3][alpha == 0] == (255, 0, 0)).all()
    assert (out[..., :3][alpha == 255] == kept[alpha == 255]).all()
    # The photo itself blurred: the subject stays sharp, the rest is not the photo any more.
    blurred = tmp_path / "blur"
    assert (
        main(
            [
                "remove",
                str(PHOTO),
                "-o",
                str(blurred),
                "--background",
                "blur:20",
                "--format",
                "webp",
            ]
        )
        == 0
    )
    out = np.asarray(Image.open(blurred / f"{PHOTO.stem}-nobg.webp").convert("RGB")).astype(int)
    inside, outside = alpha == 255, alpha == 0
    assert np.abs(out[inside] - kept[inside]).mean() < 3  # WebP's own loss aside
    assert sharpness(out, outside) < 0.6 * sharpness(photo, outside)
    # An image, cover-fitted.
    picture = tmp_path / "sky.png"
    Image.new("RGB", (40, 10), (20, 120, 250)).save(picture)
    sky = tmp_path / "sky"
    assert main(["remove", str(PHOTO), "-o", str(sky), "--background", str(picture)]) == 0
    out = np.asarray(Image.open(sky / f"{PHOTO.stem}-nobg.png")).astype(int)
    assert (np.abs(out[..., :3][outside] - (20, 120, 250)).max(-1) <= 1).all()


def test_a_bad_background_is_refused(tmp_path, capsys):
    for value, said in (
        ("#12345", "not a colour"),
        ("blur:99", "between 1 and 50"),
        (str(tmp_path / "nope.png"), "no such image"),
    ):
        assert main(["remove", str(PHOTO), "-o", str(tmp_path), "--background", value]) == 2
        assert said in capsys.readouterr().err


def test_crop_to_the_subject_and_longest_side(tmp_path):
    main(["remove", str(PHOTO), "-o", str(tmp_path / "full")])
    full = np.asarray(Image.open(tmp_path / "full" / f"{PHOTO.stem}-nobg.png"))
    ys, xs = np.nonzero(full[..., 3] >= 8)
    out = tmp_path / "crop"
    args = ["remove", str(PHOTO), "-o", str(out), "--crop", "--margin", "10"]
    assert main([*args, "--background", "#fff"]) == 0
    cropped = Image.open(out / f"{PHOTO.stem}-nobg.png")
    h, w = full.shape[:2]
    expected_w = min(w, xs.max() + 11) - max(0, xs.min() - 10)
    expected_h = min(h, ys.max() + 11) - max(0, ys.min() - 10)
    assert cropped.size == (expected_w, expected_h)
    assert main([*args, "--max-side", "100", "--format", "mask"]) == 0
    small = Image.open(out / f"{PHOTO.stem}-mask.png")
    assert max(small.size) == 100
    assert abs(small.size[0] / small.size[1] - expected_w / expected_h) < 0.02
