"""A cut-out: what the worker's answer becomes on the main thread, and the unit everything
after the worker works on (the page's result view, export, the embed frame, next the editor
and backgrounds): the photo, its alpha at full size, and the decontaminated colours."""

import js

from shared import geometry, limits


def _canvas(width, height):
    return js.OffscreenCanvas.new(width, height)


def _drawn(bitmap):
    """The bitmap on a canvas element (off the page), not an OffscreenCanvas: the download
    may be encoded straight from it (compose.composed), and in Firefox an OffscreenCanvas's
    convertToBlob of a photo-sized canvas never settled."""
    canvas = js.document.createElement("canvas")
    canvas.width, canvas.height = bitmap.width, bitmap.height
    canvas.getContext("2d").drawImage(bitmap, 0, 0)
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
    photo's own colours are kept. `engine` is the worker's result reply, `timings` in ms;
    `opaque`: the photo has no transparency of its own (a JPEG): composing skips keeping it."""

    def __init__(self, name, photo, alpha, colours, engine, timings, opaque=False):
        self.name = name
        self.opaque = opaque
        self.photo = photo
        self.alpha = alpha
        self.colours = colours
        self.width = alpha.width
        self.height = alpha.height
        self.engine = engine
        self.timings = timings

    @classmethod
    def from_worker(cls, name, photo, reply, pixels, timings, opaque=False):
        """The worker's ImageBitmap around `photo`: the mask as its alpha (channels 1) or
        the finished RGBA (channels 4). The bitmap is closed here (up to 64 MB of pixels;
        JS would keep them until GC)."""
        try:
            if reply["channels"] == 4:
                colours = _drawn(pixels)
                return cls(name, photo, colours, colours, reply, timings, opaque)
            out_width, out_height = output_size(photo.width, photo.height)
            alpha = _full_size_alpha(pixels, reply["box"], out_width, out_height)
            return cls(name, photo, alpha, None, reply, timings, opaque)
        finally:
            pixels.close()

    @classmethod
    def from_master(cls, name, photo, master):
        """A finished cut-out again, from its transparent RGBA (row_export's master): the
        colours and the alpha in one canvas, which already hold the photo's transparency.
        `master` (an ImageBitmap) is closed here."""
        try:
            colours = _drawn(master)
        finally:
            master.close()
        return cls(name, photo, colours, colours, None, {}, opaque=True)

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
