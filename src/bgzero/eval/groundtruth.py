"""The ground-truth photo sets (read-only; sources and licences in their READMEs), and the
synthetic composites made from them.

pets and people are in tests/data/gt, so every clone scores them. Any other set is a folder
`images/` (photos) beside `masks/` (`<stem>.png`, 8-bit grey: 255 subject, 0 background, soft
values for true mattes), found in tests/data/gt or in the folders of BGZERO_GT_MORE
(os.pathsep-separated; none by default): `bgzero eval` scores every set it finds, and none
is needed for the tests."""

import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image, ImageFilter, ImageOps

from bgzero.native.pipeline import open_photo
from bgzero.repo import GT as REPO_GT

GT = Path(os.environ.get("BGZERO_GT", REPO_GT))
MORE = [Path(p) for p in os.environ.get("BGZERO_GT_MORE", "").split(os.pathsep) if p]
# The sets in the repository, which the tests use; eval_sets() adds the others it finds.
SETS = ("pets", "people")
PHOTO_TYPES = (".jpg", ".jpeg", ".png")
# Synthetic composites for colour decontamination: each person, with a softened edge, over
# another photo of the set (blurred, as a portrait's background usually is). The true matte
# and foreground colours are then known exactly, which no hand-made label gives.
COMPOSITES = "composites"
SOFT_EDGE = 2  # px: Gaussian radius that turns the coarse masks into soft mattes
BACKGROUND_BLUR = 12  # px


def folder(subset: str) -> Path:
    """The set's folder: tests/data/gt's, else the first of BGZERO_GT_MORE that has it."""
    for root in (GT, *MORE):
        if (root / subset / "images").is_dir():
            return root / subset
    return GT / subset


def photos(subset: str) -> list[Path]:
    """Sorted photos of a set."""
    images = folder(subset) / "images"
    return sorted(p for p in images.glob("*") if p.suffix.lower() in PHOTO_TYPES)


def eval_sets() -> tuple[str, ...]:
    """Every labelled set found: the repository's first, then the others by name."""
    found = {
        d.name
        for root in (GT, *MORE)
        if root.is_dir()
        for d in root.iterdir()
        if (d / "images").is_dir() and ((d / "masks").is_dir() or (d / "labels").is_dir())
    }
    return SETS + tuple(sorted(found - set(SETS)))


def truth(subset: str, photo: Path) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(foreground, known, alpha) for a photo of the set: boolean masks and the true alpha
    in [0, 1] (0 or 1 but for a true matte's soft edge).

    pets: labels 1 cat / 2 dog are foreground, 255 is an unsure band left out of scoring;
    any other set: masks/<stem>.png, everything scored (people's edges are coarse).
    """
    if subset == "pets":
        labels = np.asarray(Image.open(folder("pets") / "labels" / f"{photo.stem}.png"))
        foreground = (labels == 1) | (labels == 2)
        return foreground, labels != 255, foreground.astype(np.float32)
    alpha = np.asarray(_mask(subset, photo), np.float32) / 255
    return alpha >= 0.5, np.ones(alpha.shape, bool), alpha


def _mask(subset: str, photo: Path) -> np.ndarray:
    return np.asarray(Image.open(folder(subset) / "masks" / f"{photo.stem}.png").convert("L"))


@dataclass
class Truth:
    """One scored photo: the RGBA image, the foreground and scored pixels (bool H×W), the true
    alpha (float [0,1] H×W), and for composites the true matte: (alpha, foreground colours
    float H×W×3)."""

    image: Image.Image
    foreground: np.ndarray
    known: np.ndarray
    alpha: np.ndarray
    matte: tuple[np.ndarray, np.ndarray] | None = None


@dataclass(frozen=True)
class Labelled:
    subset: str
    photo: Path

    @property
    def name(self) -> str:
        return self.photo.name

    def load(self) -> Truth:
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
        mask = Image.fromarray(_mask("people", self.photo), "L")
        alpha = np.asarray(mask.filter(ImageFilter.GaussianBlur(SOFT_EDGE)), np.float32) / 255
        background = ImageOps.fit(Image.open(self.background).convert("RGB"), person.size)
        background = background.filter(ImageFilter.GaussianBlur(BACKGROUND_BLUR))
        colours = np.asarray(person, np.float32)
        mixed = alpha[..., None] * colours + (1 - alpha[..., None]) * np.asarray(background)
        image = Image.fromarray(np.rint(mixed).astype(np.uint8), "RGB").convert("RGBA")
        return Truth(image, alpha >= 0.5, np.ones(alpha.shape, bool), alpha, (alpha, colours))


def samples(subset: str) -> list:
    """The scored photos of a set (eval_sets()) or of `composites`."""
    if subset != COMPOSITES:
        return [Labelled(subset, p) for p in photos(subset)]
    people = photos("people")
    half = len(people) // 2
    return [Composite(p, people[(i + half) % len(people)]) for i, p in enumerate(people)]
