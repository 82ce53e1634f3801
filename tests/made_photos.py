"""Photos the tests make from the labelled ones, shared by the unit and browser tests."""

from pathlib import Path

import numpy as np
from PIL import Image


def transparent_photo(source: Path, folder: Path) -> tuple[Path, np.ndarray]:
    """`source` as a PNG whose left third is transparent and whose middle third is half so:
    what a user brings when the photo was cut out before. Returns (path, its alpha)."""
    photo = Image.open(source).convert("RGBA")
    alpha = np.full(photo.size[::-1], 255, np.uint8)
    third = photo.width // 3
    alpha[:, :third] = 0
    alpha[:, third : 2 * third] = 128
    photo.putalpha(Image.fromarray(alpha))
    path = folder / "already-cut.png"
    photo.save(path)
    return path, alpha


def _pet_subject(path: Path, height: int) -> tuple[Image.Image, Image.Image]:
    """The labelled pet of `path`, cropped to it and scaled to `height`: (photo, mask)."""
    from bgzero.eval.groundtruth import truth

    fg, _, _ = truth("pets", path)
    ys, xs = np.nonzero(fg)
    box = (int(xs.min()), int(ys.min()), int(xs.max()) + 1, int(ys.max()) + 1)
    mask = Image.fromarray(fg.astype(np.uint8) * 255).crop(box)
    width = round(mask.width * height / mask.height)
    photo = Image.open(path).convert("RGB").crop(box).resize((width, height), Image.LANCZOS)
    return photo, mask.resize((width, height), Image.LANCZOS)


def two_objects(left: Path, right: Path, folder: Path):
    """Two labelled pets side by side on a plain wall, far enough apart that neither touches
    the other: the model keeps both; a user wants one. Returns (path, left mask, right mask),
    the masks boolean at the photo's size."""
    width, height, floor = 720, 400, 20
    photo = Image.new("RGB", (width, height), (196, 202, 208))
    masks = []
    for path, size, x in ((left, 260, 40), (right, 200, None)):
        subject, mask = _pet_subject(path, size)
        x = width - 40 - subject.width if x is None else x
        y = height - floor - size
        photo.paste(subject, (x, y), mask)
        placed = np.zeros((height, width), bool)
        placed[y : y + size, x : x + subject.width] = np.asarray(mask) > 127
        masks.append(placed)
    out = folder / "two-pets.png"
    photo.save(out)
    return out, masks[0], masks[1]


def iphone_photo(source: Path, path: Path) -> Path:
    """`source` saved as an iPhone does: HEIC, taken with the phone on its side (EXIF
    orientation 6, which pillow-heif writes as the HEIF rotation), so the upright photo is
    `source` turned a quarter and its width and height swap. Returns `path`."""
    from pillow_heif import register_heif_opener

    register_heif_opener()
    exif = Image.Exif()
    exif[0x0112] = 6
    Image.open(source).convert("RGB").save(path, exif=exif.tobytes(), quality=92)
    return path
