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
