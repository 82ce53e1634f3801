"""The ground-truth photo sets in tests/data/gt (read-only; sources and licences in its
README), and the synthetic composites made from them."""

import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image, ImageFilter, ImageOps

ROOT = Path(__file__).resolve().parents[2]
GT = Path(os.environ.get("BGZERO_GT", ROOT / "tests" / "data" / "gt"))
SETS = ("pets", "people")
# Synthetic composites for colour decontamination: each person, with a softened edge, over
# another photo of the set (blurred, as a portrait's background usually is). The true matte
# and foreground colours are then known exactly, which no hand-made label gives.
COMPOSITES = "composites"
SOFT_EDGE = 2  # px: Gaussian radius that turns the coarse masks into soft mattes
BACKGROUND_BLUR = 12  # px


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
    mask = _person_mask(photo)
    return mask > 127, np.ones(mask.shape, bool)


def _person_mask(photo: Path) -> np.ndarray:
    return np.asarray(Image.open(GT / "people" / "masks" / f"{photo.stem}.png").convert("L"))


@dataclass
class Truth:
    """One scored photo: the RGBA image, the foreground and scored pixels (bool H×W), and for
    composites the true matte: (alpha float [0,1] H×W, foreground colours float H×W×3)."""

    image: Image.Image
    foreground: np.ndarray
    known: np.ndarray
    matte: tuple[np.ndarray, np.ndarray] | None = None


@dataclass(frozen=True)
class Labelled:
    subset: str
    photo: Path

    @property
    def name(self) -> str:
        return self.photo.name

    def load(self) -> Truth:
        from .pipeline import open_photo  # the CLI's own decoding (EXIF, RGBA)

        return Truth(open_photo(self.photo), *truth(self.subset, self.photo))


@dataclass(frozen=True)
class Composite:
    photo: Path  # the person
    background: Path  # another photo of the set

    @property
    def name(self) -> str:
        return f"{self.photo.stem}-over-{self.background.stem}"

    def load(self) -> Truth:
        person = Image.open(self.photo).convert("RGB")
        mask = Image.fromarray(_person_mask(self.photo), "L")
        alpha = np.asarray(mask.filter(ImageFilter.GaussianBlur(SOFT_EDGE)), np.float32) / 255
        background = ImageOps.fit(Image.open(self.background).convert("RGB"), person.size)
        background = background.filter(ImageFilter.GaussianBlur(BACKGROUND_BLUR))
        colours = np.asarray(person, np.float32)
        mixed = alpha[..., None] * colours + (1 - alpha[..., None]) * np.asarray(background)
        image = Image.fromarray(np.rint(mixed).astype(np.uint8), "RGB").convert("RGBA")
        return Truth(image, alpha >= 0.5, np.ones(alpha.shape, bool), (alpha, colours))


def samples(subset: str) -> list:
    """The scored photos of a set: `pets`, `people` or `composites`."""
    if subset != COMPOSITES:
        return [Labelled(subset, p) for p in photos(subset)]
    people = photos("people")
    half = len(people) // 2
    return [Composite(p, people[(i + half) % len(people)]) for i, p in enumerate(people)]
