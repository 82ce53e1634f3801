"""A cut-out: what the worker's answer becomes on the main thread, and the unit everything
after the worker works on (the page's result view, export, the embed frame, next the editor
and backgrounds): the photo, its alpha at full size, and the decontaminated colours."""

import js

from shared import geometry, limits

# Spreads the mask's alpha bytes into the A channel of RGBA. This is the one per-pixel loop and
# it must not run in Python (100k+ FFI calls); Canvas has no "luminance to alpha" for a
# canvas, so a one-line typed-array loop in JS does it in about a millisecond.
_alpha_to_rgba = js.Function.new(
    "a",
    "const o = new Uint8ClampedArray(a.length * 4);"
    "for (let i = 0; i < a.length; i++) o[i * 4 + 3] = a[i];"
    "return o;",
)


def _canvas(width, height):
    return js.OffscreenCanvas.new(width, height)


def _put(rgba, width, height):
    canvas = _canvas(width, height)
    canvas.getContext("2d").putImageData(js.ImageData.new(rgba, width, height), 0, 0)
    return canvas


def _full_size_alpha(mask, box, width, height):
    """The part of the worker's mask under `box` (top, left, bottom, right), scaled to the
    photo by the browser's high-quality smoothing, as the alpha of a width×height canvas."""
    canvas = _canvas(width, height)
    ctx = canvas.getContext("2d")
    ctx.imageSmoothingEnabled = True
    ctx.imageSmoothingQuality = "high"
    top, left, bottom, right = box
    ctx.drawImage(mask, left, top, right - left, bottom - top, 0, 0, width, height)
    return canvas


class Cutout:
    """`photo`: the ImageBitmap (EXIF applied); `alpha`: a canvas of the output size whose
    alpha channel is the mask; `colours`: the decontaminated RGBA canvas, or None where the
    photo's own colours are kept. `engine` is the worker's result reply, `timings` in ms."""

    def __init__(self, name, photo, alpha, colours, engine, timings):
        self.name = name
        self.photo = photo
        self.alpha = alpha
        self.colours = colours
        self.width = alpha.width
        self.height = alpha.height
        self.engine = engine
        self.timings = timings

    @classmethod
    def from_worker(cls, name, photo, reply, buffer, timings):
        """The worker's alpha (channels 1) or finished RGBA (channels 4) around `photo`."""
        width, height = reply["width"], reply["height"]
        if reply["channels"] == 4:
            colours = _put(js.Uint8ClampedArray.new(buffer), width, height)
            return cls(name, photo, colours, colours, reply, timings)
        mask = _put(_alpha_to_rgba(js.Uint8Array.new(buffer)), width, height)
        out_width, out_height = output_size(photo.width, photo.height)
        alpha = _full_size_alpha(mask, reply["box"], out_width, out_height)
        mask.width = 0  # up to 64 MB of pixels; JS would keep them until GC
        return cls(name, photo, alpha, None, reply, timings)

    @classmethod
    def blank(cls, name, photo, keep):
        """Manual Remove without the model: everything kept, or nothing."""
        width, height = output_size(photo.width, photo.height)
        alpha = _canvas(width, height)
        if keep:
            ctx = alpha.getContext("2d")
            ctx.fillStyle = "#000000"
            ctx.fillRect(0, 0, width, height)
        return cls(name, photo, alpha, None, None, {})

    def close(self):
        """Free the pixels now rather than at the next GC (a 12 MP cut-out holds ~150 MB)."""
        self.photo.close()
        self.alpha.width = 0
        if self.colours is not None:
            self.colours.width = 0


def output_size(width, height):
    """The size a cut-out of a width×height photo is made at: the photo's own, within the
    page's limits."""
    return geometry.fit_size(width, height, limits.MAX_PIXELS, limits.MAX_SIDE)
