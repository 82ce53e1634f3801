"""Native cutout with the very graph the browser runs: batch CLI and the tests' oracle."""

import time
from functools import lru_cache
from pathlib import Path

import numpy as np
import onnxruntime as ort
from PIL import Image, ImageOps, UnidentifiedImageError

from . import assets
from .cards import Card, load_cards
from .models import INPUT, build_model_bytes

# Close to what Chromium does for drawImage with imageSmoothingQuality "high".
DOWNSCALE = Image.Resampling.LANCZOS
UPSCALE = Image.Resampling.BICUBIC


class PhotoError(ValueError):
    """A file that cannot be processed, with a message meant for the user."""


def nobg_name(photo: Path) -> str:
    return f"{photo.stem}-nobg.png"


@lru_cache(maxsize=3)
def session(card_id: str, threads: int = 0) -> ort.InferenceSession:
    card = load_cards()[card_id]
    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    graph = build_model_bytes(card, assets.model_source(card))
    return ort.InferenceSession(graph, options, providers=["CPUExecutionProvider"])


def open_photo(path: Path) -> Image.Image:
    try:
        with Image.open(path) as image:
            image.load()
            return ImageOps.exif_transpose(image).convert("RGBA")
    except FileNotFoundError:
        raise PhotoError(f"{path}: no such file") from None
    except UnidentifiedImageError:
        raise PhotoError(f"{path}: not an image this tool can read") from None
    except (OSError, SyntaxError) as error:
        raise PhotoError(f"{path}: the image is damaged or incomplete ({error})") from None


def predict_alpha(photo: Image.Image, card: Card, timings: dict | None = None) -> np.ndarray:
    """Model-size alpha (S×S uint8) for an RGBA photo."""
    timings = timings if timings is not None else {}
    started = time.perf_counter()
    small = photo.resize((card.size, card.size), DOWNSCALE)
    feed = np.asarray(small, dtype=np.uint8)[None]
    timings["resize"] = time.perf_counter() - started
    started = time.perf_counter()
    run = session(card.id)
    timings["session"] = time.perf_counter() - started
    started = time.perf_counter()
    alpha = run.run(None, {INPUT: feed})[0][0, 0]
    timings["run"] = time.perf_counter() - started
    return alpha


def cutout(photo: Image.Image, card: Card, timings: dict | None = None) -> Image.Image:
    timings = timings if timings is not None else {}
    alpha = predict_alpha(photo, card, timings)
    started = time.perf_counter()
    mask = Image.fromarray(alpha, "L").resize(photo.size, UPSCALE)
    result = photo.copy()
    result.putalpha(mask)
    timings["composite"] = time.perf_counter() - started
    return result


def remove(photos: list[Path], out_dir: Path, model: str | None = None) -> list[str]:
    """Write <stem>-nobg.png for each photo; returns one error message per failed photo."""
    cards = load_cards()
    card = cards[model] if model else next(c for c in cards.values() if c.default)
    out_dir.mkdir(parents=True, exist_ok=True)
    errors = []
    for path in photos:
        try:
            result = cutout(open_photo(path), card)
        except PhotoError as error:
            errors.append(str(error))
            continue
        result.save(out_dir / nobg_name(path), "PNG")
    return errors
