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


# Above SPLIT_PIXELS, the prepare, refine and decontaminate graphs take the row route
# (rows.py in bgzero/graphs): their full-size work runs over strips of at most ROW_PIXELS
# (each graph's planes at once: about 15, 40 and 100 bytes a pixel), so onnxruntime-web's
# heap, which never shrinks, holds a strip's planes, not the photo's. Fewer, larger strips
# where a graph needs less: each run costs a few ms in the page. Up to SPLIT_PIXELS one
# piece: a 1920x1080 photo grows the heap by 181 MB that way, a 3.5 MP one by 311 MB.
SPLIT_PIXELS = 2_500_000
ROW_PIXELS = {"prepare": 4_000_000, "refine": 2_500_000, "decontaminate": 500_000}
# What each graph's one piece takes of onnxruntime-web's heap, bytes a pixel (at 12 MP:
# 155 and 321 MB measured; decontamination's ~65 from its planes alive at once, as its 4 MP
# strips measured): where the heap already has that room (IS-Net's model run
# leaves ~460 MB free between runs), one piece costs no memory, and the row route would add
# its arrays in JavaScript (49 MB for IS-Net's narrowed 12 MP photo) and its runs' time.
ONE_PIECE_BYTES = {"prepare": 13, "refine": 27, "decontaminate": 65}


def one_piece(graph, pixels, room=None):
    """Whether `graph` (prepare, refine, decontaminate) runs a photo of `pixels` in one piece:
    a small photo always; a large one where the helper graphs' heap has `room` bytes free for
    it (None: unknown), else on the row route."""
    if pixels <= SPLIT_PIXELS:
        return True
    return room is not None and pixels * ONE_PIECE_BYTES[graph] <= room


def narrows(width, box_width):
    """Whether the prepare graph's row route pays for a photo `width` wide whose model input
    box is `box_width` wide: its narrowed photo (4 floats a row's box pixel, kept whole)
    must hold well under the one-piece graph's full-size planes (a tall photo's may not)."""
    return box_width * 2 <= width


def row_strips(height, width, max_pixels):
    """[(y0, y1)]: the photo's rows in strips of at most max_pixels (at least one row each),
    as even as whole rows allow, covering every row once."""
    count = max(1, -(-height * width // max(1, max_pixels)))
    count = min(count, height)
    return [(height * i // count, height * (i + 1) // count) for i in range(count)]


def _source_row(row, rows, height):
    """The upper of the two photo rows a linear resize of `height` rows to `rows` reads for
    its row `row` (half-pixel centres), in exact integer arithmetic."""
    return min(height - 1, max(0, ((2 * row + 1) * height - rows) // (2 * rows)))


def grid_rows(y0, y1, height, rows):
    """(first, count, f0, f1): the rows of a `rows`-high grid whose source rows start within
    photo rows y0..y1 (every grid row falls to exactly one strip of a cover), and the photo
    rows f0..f1 that reading them needs, with two rows to spare on each side (the graph
    computes its positions in float32)."""
    first = 0
    while first < rows and _source_row(first, rows, height) < y0:
        first += 1
    end = first
    while end < rows and _source_row(end, rows, height) < y1:
        end += 1
    if end == first:
        return first, 0, y0, y0
    f0 = max(0, _source_row(first, rows, height) - 2)
    f1 = min(height, _source_row(end - 1, rows, height) + 4)
    return first, end - first, f0, f1


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
