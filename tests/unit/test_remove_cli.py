"""`bgzero remove`: real photos in, transparent PNGs out; bad files get a clear error."""

import numpy as np
import pytest
from PIL import Image, ImageFilter

from bgzero.cli import main
from bgzero.groundtruth import GT

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


def transparent_photo(folder):
    """A pet photo as a PNG whose left third is transparent and whose middle third is half so:
    what a user brings when the photo was cut out before."""
    photo = Image.open(PHOTO).convert("RGBA")
    alpha = np.full(photo.size[::-1], 255, np.uint8)
    third = photo.width // 3
    alpha[:, :third] = 0
    alpha[:, third : 2 * third] = 128
    photo.putalpha(Image.fromarray(alpha))
    path = folder / "already-cut.png"
    photo.save(path)
    return path, alpha


def test_what_the_photo_had_transparent_stays_transparent(tmp_path):
    path, before = transparent_photo(tmp_path)
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
