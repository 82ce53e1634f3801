"""Sizes and boxes of the cutout path, shared by the page, the worker and the native pipeline.

Pure arithmetic with no imports, so the native side loads this very file and both compute
identical pixel boxes. Rounding is spelled out (half up, or truncation where a size must
not exceed a limit): MicroPython and CPython must agree.
"""

FITS = ("stretch", "letterbox")  # the photo in the model's square
# The model's input in the photo's own proportions (aspect_size), which the photo fills: only
# for a graph that runs at any multiple of its stride (a card with min_size).
ASPECT = "aspect"
ALL_FITS = FITS + (ASPECT,)
# Refinement works on the photo at full size up to this many pixels (a 4000×3000 photo fits;
# WebAssembly's 4 GB must hold the photo, the guide and a few float maps of this size).
REFINE_MAX_PIXELS = 16000000
# Canvases in Chromium stop at 32767 px a side; a long panorama is scaled to fit.
MAX_SIDE = 16384


def _round(x):
    return int(x + 0.5)


def model_box(fit, width, height, size):
    """(top, left, bottom, right) of a width×height photo inside the size×size model input.

    stretch fills the square (the peers' way); letterbox keeps the aspect, centred.
    """
    if fit == "stretch":
        return (0, 0, size, size)
    if fit != "letterbox":
        raise ValueError("unknown fit %r" % (fit,))
    scale = size / max(width, height)
    w = max(1, min(size, _round(width * scale)))
    h = max(1, min(size, _round(height * scale)))
    left = (size - w) // 2
    top = (size - h) // 2
    return (top, left, top + h, left + w)


def working_size(width, height, size, min_size=0, step=64):
    """Edge of the model's square for a width×height photo. Fixed models (min_size 0) always
    run at `size`; adaptive ones at the photo's long side rounded to `step`, within
    min_size..size: a small photo is not upscaled to 1024² (4× the work, and measured worse
    on pets, see docs/quality.md)."""
    if not min_size:
        return size
    edge = _round(max(width, height) / step) * step
    return max(min_size, min(size, edge))


def aspect_size(width, height, size, min_size=0, step=32):
    """(h, w) of a model input that keeps a width×height photo's aspect (the ASPECT fit; no
    card ships it yet: `make eval` on every set decides where it may). The long side is
    working_size()'s (`size` for a fixed model), the short side the photo's proportion of
    it, both multiples of `step` (the model's stride), the short side at least one step."""
    long_side = working_size(width, height, size, min_size, step)
    short = min(width, height) * long_side / max(width, height)
    short = max(step, min(long_side, _round(short / step) * step))
    return (long_side, short) if height >= width else (short, long_side)


def model_input(fit, width, height, size, min_size=0, step=64):
    """((h, w), box) of the model's input for a width×height photo: working_size()'s square
    with the photo stretched or letterboxed in `box`, or for the ASPECT fit aspect_size()'s
    h×w, which the photo fills."""
    if fit == ASPECT:
        h, w = aspect_size(width, height, size, min_size, step)
        return (h, w), (0, 0, h, w)
    edge = working_size(width, height, size, min_size, step)
    return (edge, edge), model_box(fit, width, height, edge)


def prepare_size(hw):
    """The prepare graph's `size` input for a model input of (h, w): [edge] for a square,
    [h, w] for one in the photo's proportions (graphs/prepare.py); the worker and the native
    pipeline both feed this."""
    h, w = hw
    return [h] if h == w else [h, w]


def guide_size(height, width, long_side):
    """(h, w) of the refinement's low-resolution grid: the photo's aspect, at most long_side."""
    scale = long_side / max(height, width)
    if scale >= 1:
        return (height, width)
    return (max(1, _round(height * scale)), max(1, _round(width * scale)))


# Decontamination in one piece up to this many pixels; above, in strips of rows, so its
# full-size float planes (about 65 bytes a pixel at once) never all exist together.
STRIP_PIXELS = 4_000_000


def strips(height, width, guide, coarse, reach, max_pixels=STRIP_PIXELS):
    """[(y0, y1, top, bottom)]: decontaminate rows y0..y1 and keep top..bottom of them,
    covering the photo once. `guide` and `coarse` are the two grids' (h, w) for the whole
    photo; `reach` (wide, narrow, soften) the box radii in cells of them. Each strip has a
    margin of rows beyond every window that can reach its kept rows, starts and ends on
    the coarse grid's cell edges and has the same cell size (strip_grid): its kept rows come
    out nearly as in one piece (the grids' sampling is the same but for rounding)."""
    wide, narrow, soften = reach
    margin = (
        int((wide + 2) * height / coarse[0] + (narrow + soften + 3) * height / guide[0] + 0.999) + 2
    )
    rows = max(max_pixels // max(width, 1), 1)
    if rows >= height:
        return [(0, height, 0, height)]
    step = max(rows - 2 * margin, margin, 16)
    cell = height / coarse[0]  # strips start and end on the coarse grid's cell edges
    out = []
    for top in range(0, height, step):
        bottom = min(height, top + step)
        y0 = _round(int(max(0, top - margin) / cell) * cell)
        y1 = min(height, _round(-int(-min(height, bottom + margin) // cell) * cell))
        out.append((y0, y1, top, bottom))
    return out


def strip_grid(grid, height, rows):
    """The (h, w) of a grid for a strip of `rows` of a photo `height` high: the same cell
    height as `grid` has for the whole photo."""
    return (max(1, _round(rows * grid[0] / height)), grid[1])


def strip_plan(height, width, guide, spec, max_pixels=STRIP_PIXELS):
    """[(y0, y1, top, bottom, guide_hw, coarse_hw)]: the decontamination's strips (strips())
    with the two grid sizes each one is fed. `guide` is the whole photo's guide grid (h, w);
    `spec` the graph's coarse long side and box radii (wide, narrow, soften)."""
    coarse = guide_size(height, width, spec["coarse"])
    reach = (spec["wide"], spec["narrow"], spec["soften"])
    return [
        (
            y0,
            y1,
            top,
            bottom,
            strip_grid(guide, height, y1 - y0),
            strip_grid(coarse, height, y1 - y0),
        )
        for y0, y1, top, bottom in strips(height, width, guide, coarse, reach, max_pixels)
    ]


def fit_size(width, height, max_pixels, max_side=MAX_SIDE):
    """The largest (w, h) of the same aspect within max_pixels and max_side: the photo's own
    size unless it exceeds either (truncated, so the result never does). The size refinement
    runs at, and the size of a cut-out."""
    scale = min(1.0, (max_pixels / (width * height)) ** 0.5, max_side / max(width, height))
    if scale >= 1.0:
        return (width, height)
    return (max(1, int(width * scale)), max(1, int(height * scale)))


# A pixel counts as the subject's, for cropping, from this alpha on (0-255): faint haze the
# refinement leaves far from the subject must not stretch the crop.
CROP_ALPHA = 8


def crop_box(bounds, margin, width, height):
    """(x, y, w, h): the subject's bounds (x0, y0, x1, y1, ends excluded) widened by `margin`
    pixels on every side, within the width×height image; the whole image when nothing is
    kept (bounds None)."""
    if bounds is None:
        return (0, 0, width, height)
    x0, y0, x1, y1 = bounds
    margin = max(0, int(margin))
    left, top = max(0, x0 - margin), max(0, y0 - margin)
    right, bottom = min(width, x1 + margin), min(height, y1 + margin)
    return (left, top, right - left, bottom - top)


def scaled_size(width, height, max_side):
    """(w, h) with the longest side at most max_side (None or 0: as it is), aspect kept."""
    if not max_side or max(width, height) <= max_side:
        return (width, height)
    scale = max_side / max(width, height)
    return (max(1, _round(width * scale)), max(1, _round(height * scale)))
