"""The ground-truth photo sets in ../shared/data/gt (read-only; see their README)."""

import os
from pathlib import Path

import numpy as np
from PIL import Image

ROOT = Path(__file__).resolve().parents[2]
GT = Path(os.environ.get("BGZERO_GT", ROOT.parent / "shared" / "data" / "gt"))
SETS = ("pets", "people")


def photos(subset: str) -> list[Path]:
    """Sorted photos of `pets` or `people`."""
    return sorted((GT / subset / "images").glob("*.jpg"))


def truth(subset: str, photo: Path) -> tuple[np.ndarray, np.ndarray]:
    """(foreground, known) boolean masks for a photo of the set.

    pets: labels 1 cat / 2 dog are foreground, 255 is an unsure band left out of scoring;
    people: masks are 255 for the person, everything is scored (edges are coarse).
    """
    if subset == "pets":
        labels = np.asarray(Image.open(GT / "pets" / "labels" / f"{photo.stem}.png"))
        return (labels == 1) | (labels == 2), labels != 255
    mask = np.asarray(Image.open(GT / "people" / "masks" / f"{photo.stem}.png").convert("L"))
    return mask > 127, np.ones(mask.shape, bool)
