"""Native cutout with the very graphs the browser runs: batch CLI and the tests' oracle."""

import time
from functools import lru_cache, partial

import numpy as np
import onnxruntime as ort
from PIL import Image, ImageOps, UnidentifiedImageError
from pillow_heif import register_heif_opener

from bgzero.graphs.decontaminate import DEFAULT as DECONTAMINATE_DEFAULT
from bgzero.graphs.prepare import PAD_VALUE
from bgzero.models import assets, quantize
from bgzero.models.browser_model import INPUT, build_model_bytes
from bgzero.models.cards import Card, best_card, load_cards
from bgzero.native import graph_sessions
from bgzero.native.graph_sessions import (
    decontaminate_apply_session,
    decontaminate_grids_session,
    decontaminate_low_session,
    decontaminate_session,
    finisher_session,
    mirror_session,
    mix_session,
    normaliser_session,
    prepare_finish_session,
    prepare_narrow_session,
    prepare_session,
    refine_apply_session,
    refine_fit_session,
    refine_low_session,
    refine_session,
)
from bgzero.native.settings import BEST, Setting, card_of, registered
from bgzero.web_shared import geometry

# Pillow filters: the peers' bilinear, and the upscale for settings without refinement.
# Our own downscale runs in the prepare graph, exactly as in the browser.
FILTERS = {"bilinear": Image.Resampling.BILINEAR, "bicubic": Image.Resampling.BICUBIC}


class PhotoError(ValueError):
    """A file that cannot be processed, with a message meant for the user."""


class OwnSession:
    """A model the user brought between the graphs the browser runs around it (own_graphs):
    the same uint8 square in and uint8 alpha out as a fused catalog model."""

    def __init__(self, card: Card, source: bytes, options: ort.SessionOptions):
        self.card = card
        self.model = ort.InferenceSession(source, options, providers=["CPUExecutionProvider"])
        self.image = self.model.get_inputs()[0].name

    def run(self, names, feeds):
        pixels = normaliser_session().run(
            None,
            {
                "rgba": feeds[INPUT],
                "mean": np.asarray(self.card.mean, np.float32),
                "std": np.asarray(self.card.std, np.float32),
            },
        )[0]
        out = self.model.run([self.card.output], {self.image: pixels})[0]
        if out.size != self.card.size**2:
            raise ValueError(
                f"its output has {out.size} values; a {self.card.size}×{self.card.size} mask "
                f"needs {self.card.size**2}"
            )
        size = np.array([self.card.size], np.int64)
        return finisher_session().run(
            None, {"map": out.astype(np.float32).reshape(-1), "size": size}
        )


@lru_cache(maxsize=3)
def session(card_id: str, threads: int = 0) -> ort.InferenceSession:
    own = registered(card_id)
    if own:
        return OwnSession(*own, graph_sessions.options(threads))
    card = load_cards()[card_id]
    return graph_sessions.graph_session(build_model_bytes(card, model_source(card)), threads)


register_heif_opener()  # iPhone photos (HEIC/HEIF) open as any other, upright


def open_photo(path, name: str | None = None) -> Image.Image:
    """The photo (a path, or a binary file object called `name`) upright, as RGBA."""
    name = name or str(path)
    try:
        with Image.open(path) as image:
            image.load()
            return ImageOps.exif_transpose(image).convert("RGBA")
    except FileNotFoundError:
        raise PhotoError(f"{name}: no such file") from None
    except UnidentifiedImageError:
        raise PhotoError(f"{name}: not an image this tool can read") from None
    except (OSError, SyntaxError) as error:
        raise PhotoError(f"{name}: the image is damaged or incomplete ({error})") from None


def working_photo(photo: Image.Image) -> Image.Image:
    """The photo as the page hands it to the worker: at most REFINE_MAX_PIXELS."""
    size = geometry.fit_size(*photo.size, geometry.REFINE_MAX_PIXELS)
    return photo if size == photo.size else photo.resize(size, Image.Resampling.LANCZOS)


def _one_piece(graph: str, pixels: int, route: dict) -> bool:
    """geometry.one_piece where the heap's room is not known (the browser's rule where it
    can't count it); `route`'s split_pixels (tests) moves the threshold."""
    if "split_pixels" in route:
        return pixels <= route["split_pixels"]
    return geometry.one_piece(graph, pixels)


def prepare(rgba: np.ndarray, hw, box, **route) -> np.ndarray:
    """The prepare graph's model input of the photo's bytes `rgba` (H×W×4): in one piece,
    or for a large photo on the row route (bit-identical either way)."""
    height, width = rgba.shape[:2]
    feeds = {"box": np.array(box, np.int64), "size": np.array(geometry.prepare_size(hw), np.int64)}
    narrows = geometry.narrows(width, box[3] - box[1])
    if _one_piece("prepare", height * width, route) or not narrows:
        return prepare_session().run(None, {"rgba": rgba[None], **feeds})[0]
    narrow = np.concatenate(
        [
            prepare_narrow_session().run(None, {"rgba": rgba[None, y0:y1], "box": feeds["box"]})[0]
            for y0, y1 in geometry.row_strips(
                height, width, route.get("row_pixels", geometry.ROW_PIXELS["prepare"])
            )
        ],
        axis=2,
    )
    return prepare_finish_session().run(None, {"narrow": narrow, **feeds})[0]


def model_input(photo: Image.Image, hw, box, downscale: str) -> np.ndarray:
    """The model's RGBA input [1,h,w,4]: the photo in `box` (top, left, bottom, right) of an
    h×w input (`hw`), the rest mid grey; hw and box as geometry.model_input gives them."""
    height, width = hw
    top, left, bottom, right = box
    if downscale == "graph":
        return prepare(np.asarray(working_photo(photo), dtype=np.uint8), hw, box)
    canvas = Image.new("RGBA", (width, height), (PAD_VALUE,) * 4)
    canvas.paste(photo.resize((right - left, bottom - top), FILTERS[downscale]), (left, top))
    return np.asarray(canvas, dtype=np.uint8)[None]


def _calibration_input(path, card: Card) -> np.ndarray:
    """A calibration photo as the quantiser feeds it: the card's square, letterboxed by the
    prepare graph (so the int8 model is calibrated on what it will see)."""
    photo = open_photo(path)
    return model_input(photo, *geometry.model_input("letterbox", *photo.size, card.size), "graph")


def model_source(card: Card, cache=None) -> bytes:
    """The card's source model; a derived one is made here, calibrated through this pipeline."""
    derive = partial(quantize.derived_source, prepare=_calibration_input)
    return assets.model_source(card, cache, derive=derive)


def input_box(photo: Image.Image, card: Card, setting: Setting):
    """((h, w), box) of the model's input for this photo: the worker's rule
    (geometry.model_input), with the card's smallest size only where the setting adapts."""
    low = card.min_size if setting.adaptive else 0
    return geometry.model_input(setting.fit, *photo.size, card.size, low, card.size_step)


def _add(timings: dict, stage: str, started: float) -> None:
    timings[stage] = timings.get(stage, 0.0) + time.perf_counter() - started


def predict(photo: Image.Image, card: Card, setting: Setting, timings: dict, mirror=False):
    """The model's S×S alpha (uint8) and the photo's box inside it (`mirror`: of the square
    seen in a mirror, as the worker runs it); with a partner, the two models' mix on the
    refinement's grid and the whole grid as the box."""
    if setting.partner:
        # One `timings` for all looks: each stage's time is the sum over them.
        first = predict(photo, card, setting.alone(), timings)
        looks = predict(photo, card, setting.alone(), timings, True) if setting.flip else None
        second = predict(photo, card_of(setting.partner), setting.partner_setting(), timings)
        return mix(photo, first, second, setting, looks)
    started = time.perf_counter()
    hw, box = input_box(photo, card, setting)
    feed = model_input(photo, hw, box, setting.downscale)
    if mirror:
        feed = mirror_session().run(None, {"rgba": feed})[0]
    _add(timings, "resize", started)
    started = time.perf_counter()
    run = session(card.id)
    _add(timings, "session", started)
    started = time.perf_counter()
    alpha = run.run(None, {INPUT: feed})[0][0, 0]
    _add(timings, "run", started)
    return alpha, box


def mix(photo: Image.Image, first, second, setting: Setting, mirrored=None):
    """Two models' (alpha, box) mixed on the refinement's guide grid: (mask h×w, box).
    `mirrored`: the first model's (alpha, box) of its mirrored square, with `setting.flip`."""
    width, height = geometry.fit_size(*photo.size, geometry.REFINE_MAX_PIXELS)
    grid = geometry.guide_size(height, width, setting.guide)
    feeds = {
        "first": first[0][None, None],
        "first_box": np.array(first[1], np.int64),
        "second": second[0][None, None],
        "second_box": np.array(second[1], np.int64),
        "grid": np.array(grid, np.int64),
    }
    if setting.flip:
        feeds["first_mirror"] = mirrored[0][None, None]
    mixed = mix_session(setting.mix, setting.weight, setting.flip).run(None, feeds)[0][0, 0]
    return mixed, (0, 0, grid[0], grid[1])


def _on_grid(session, planes, height, width, grid, row_pixels):
    """A (1, C, gh, gw) float map: the low graph's guide-grid rows of each strip of photo
    rows (`planes`: input name -> f(f0, f1), the input's photo rows f0..f1)."""
    out = None
    for y0, y1 in geometry.row_strips(height, width, row_pixels):
        first, count, f0, f1 = geometry.grid_rows(y0, y1, height, grid[0])
        if not count:
            continue
        feeds = {name: rows(f0, f1) for name, rows in planes.items()}
        feeds["rows"] = np.array([first, count, height, f0], np.int64)
        feeds["guide"] = np.array(grid, np.int64)
        part = session.run(None, feeds)[0]
        if out is None:
            out = np.empty((1, part.shape[1], grid[0], part.shape[3]), np.float32)
        out[:, :, first : first + count] = part
    return out


def _by_rows(session, feeds_of, out: np.ndarray, row_pixels: int) -> np.ndarray:
    """`out` (the photo's rows first) filled with the session's output of each strip of
    rows (`feeds_of(y0, y1)`: its feeds)."""
    height, width = out.shape[:2]
    for y0, y1 in geometry.row_strips(height, width, row_pixels):
        out[y0:y1] = session.run(None, feeds_of(y0, y1))[0].reshape(out[y0:y1].shape)
    return out


def refine(rgba: np.ndarray, alpha: np.ndarray, box, guide_hw, setting: Setting, **route):
    """The refine graph's alpha (uint8 H×W) of the photo's bytes `rgba` (H×W×4): in one
    piece, or above geometry.SPLIT_PIXELS on the row route, as the browser runs it."""
    height, width = rgba.shape[:2]
    split = route.get("split_pixels", geometry.SPLIT_PIXELS)
    row_pixels = route.get("row_pixels", geometry.ROW_PIXELS["refine"])
    if height * width <= split:
        feeds = {
            "rgba": rgba[None],
            "mask": alpha[None, None],
            "box": np.array(box, np.int64),
            "guide": np.array(guide_hw, np.int64),
        }
        session = refine_session(setting.radius, setting.eps, setting.sharpen)
        return session.run(None, feeds)[0][0, 0]
    planes = {"rgba": lambda f0, f1: rgba[None, f0:f1]}
    on_grid = _on_grid(refine_low_session(), planes, height, width, guide_hw, row_pixels)
    fit = refine_fit_session(setting.radius, setting.eps)
    feeds = {"on_grid": on_grid, "mask": alpha[None, None], "box": np.array(box, np.int64)}
    mean_a, mean_b = fit.run(None, feeds)
    feeds = {"mean_a": mean_a, "mean_b": mean_b}
    return _by_rows(
        refine_apply_session(setting.sharpen),
        lambda y0, y1: {
            **feeds,
            "rgba": rgba[None, y0:y1],
            "rows": np.array([y0, height], np.int64),
        },
        np.empty((height, width), np.uint8),
        row_pixels,
    )


def full_alpha(photo: Image.Image, alpha: np.ndarray, box, setting: Setting) -> np.ndarray:
    """The mask at the photo's size (uint8 H×W)."""
    top, left, bottom, right = box
    if setting.upscale != "guided":
        crop = Image.fromarray(alpha[top:bottom, left:right], "L")
        return np.asarray(crop.resize(photo.size, FILTERS[setting.upscale]))
    working = working_photo(photo)
    width, height = working.size
    guide = geometry.guide_size(height, width, setting.guide)
    refined = refine(np.asarray(working, dtype=np.uint8), alpha, box, guide, setting)
    if working is photo:
        return refined
    return np.asarray(Image.fromarray(refined, "L").resize(photo.size, FILTERS["bicubic"]))


def cutout_alpha(
    photo: Image.Image, setting: Setting, timings: dict | None = None, prediction=None
) -> np.ndarray:
    """Full-size alpha; `prediction` (alpha, box) skips the model when already known."""
    timings = timings if timings is not None else {}
    card = card_of(setting.model)
    alpha, box = prediction or predict(photo, card, setting, timings)
    started = time.perf_counter()
    result = full_alpha(photo, alpha, box, setting)
    timings["upscale"] = time.perf_counter() - started
    return result


def decontaminate(
    photo: Image.Image,
    alpha: np.ndarray,
    guide: int,
    params: dict = DECONTAMINATE_DEFAULT,
    **route,
) -> np.ndarray:
    """RGBA (uint8 H×W×4) whose edge colours are the estimated foreground's: in one piece,
    or for a large photo on the row route (the same estimate but for float rounding: the
    browser takes it where its heap has no room for one piece)."""
    height, width = alpha.shape
    rgba = np.asarray(photo, dtype=np.uint8)
    guide_hw = geometry.guide_size(height, width, guide)
    coarse = np.array(geometry.guide_size(height, width, params["coarse"]), np.int64)
    radii = (params["wide"], params["narrow"], params["soften"])
    row_pixels = route.get("row_pixels", geometry.ROW_PIXELS["decontaminate"])
    if _one_piece("decontaminate", height * width, route):
        feeds = {
            "rgba": rgba[None],
            "alpha": alpha[None, None],
            "guide": np.array(guide_hw, np.int64),
            "coarse": coarse,
        }
        return decontaminate_session(*radii).run(None, feeds)[0][0]
    planes = {
        "rgba": lambda f0, f1: rgba[None, f0:f1],
        "alpha": lambda f0, f1: alpha[None, None, f0:f1],
    }
    on_grid = _on_grid(decontaminate_low_session(), planes, height, width, guide_hw, row_pixels)
    grids = np.empty_like(on_grid)  # F's three colours, B's, the softened alpha
    session = decontaminate_grids_session(*radii)
    for c in range(3):  # one colour at a time (decontaminate.LOW: pairs, alpha last)
        feeds = {"pair": on_grid[:, 2 * c : 2 * c + 2], "alpha": on_grid[:, 6:], "coarse": coarse}
        out = session.run(None, feeds)[0]
        grids[:, c], grids[:, 3 + c], grids[:, 6] = out[:, 0], out[:, 1], out[:, 2]
    return _by_rows(
        decontaminate_apply_session(),
        lambda y0, y1: {
            "rgba": rgba[None, y0:y1],
            "alpha": alpha[None, None, y0:y1],
            "grids": grids,
            "rows": np.array([y0, height], np.int64),
        },
        np.empty((height, width, 4), np.uint8),
        row_pixels,
    )


def decontaminates(setting: Setting, photo: Image.Image) -> bool:
    """Photos above the working size keep their colours: decontaminating them would mean
    handing back fewer pixels than the user gave (the browser makes the same choice)."""
    return (
        setting.decontaminate
        and geometry.fit_size(*photo.size, geometry.REFINE_MAX_PIXELS) == photo.size
    )


def cutout_rgba(
    photo: Image.Image, setting: Setting, timings: dict | None = None, prediction=None
) -> np.ndarray:
    """The cut-out as uint8 H×W×4."""
    timings = timings if timings is not None else {}
    alpha = cutout_alpha(photo, setting, timings, prediction)
    started = time.perf_counter()
    if decontaminates(setting, photo):
        result = decontaminate(photo, alpha, setting.guide)
        timings["decontaminate"] = time.perf_counter() - started
    else:
        result = np.array(photo, dtype=np.uint8)
        result[..., 3] = alpha
        timings["composite"] = time.perf_counter() - started
    return keep_transparency(result, photo)


def keep_transparency(rgba: np.ndarray, photo: Image.Image) -> np.ndarray:
    """The cut-out's alpha times the photo's own, as a canvas's destination-in computes it: a
    pixel the photo had transparent stays transparent (output alpha <= input alpha)."""
    own = np.asarray(photo.getchannel("A"), dtype=np.uint16)
    if own.min() < 255:
        rgba[..., 3] = (rgba[..., 3].astype(np.uint16) * own + 127) // 255
    return rgba


def cutout(photo: Image.Image, setting: Setting, timings: dict | None = None) -> Image.Image:
    return Image.fromarray(cutout_rgba(photo, setting, timings), "RGBA")


def default_setting(model: str | None = None) -> Setting:
    """What `bgzero remove` runs for a model id: its card's default; "best" for the
    "Best quality" pair; None for the app's default model ("Fast")."""
    if model == BEST:
        card = best_card(load_cards())
        if card is None:
            raise PhotoError("no model card has a [best] pair")
        return Setting.best(card)
    if model:
        return Setting.default(card_of(model))
    return Setting.default(next(c for c in load_cards().values() if c.default))
