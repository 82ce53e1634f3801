"""Canvas work on the main thread: alpha bytes -> full-size cutout, preview, PNG export."""

import js
from pyscript.ffi import create_proxy, is_none

from shared import limits, naming

# Spreads the mask's alpha bytes into the A channel of RGBA. This is the one per-pixel loop and it
# must not run in Python (100k+ FFI calls); Canvas has no "luminance to alpha" for a
# canvas, so a one-line typed-array loop in JS does it in about a millisecond.
_alpha_to_rgba = js.Function.new(
    "a", "const o = new Uint8ClampedArray(a.length * 4);"
         "for (let i = 0; i < a.length; i++) o[i * 4 + 3] = a[i];"
         "return o;")


def mask_canvas(alpha_buffer, width, height):
    """A width×height canvas whose alpha channel is the mask."""
    rgba = _alpha_to_rgba(js.Uint8Array.new(alpha_buffer))
    canvas = js.OffscreenCanvas.new(width, height)
    canvas.getContext("2d").putImageData(js.ImageData.new(rgba, width, height), 0, 0)
    return canvas


def cutout(canvas, bitmap, mask, box):
    """Draw the photo on `canvas` at full size (capped by limits.fit_size) and keep the part
    of it under the mask's `box` (top, left, bottom, right), scaled to the photo."""
    width, height = limits.fit_size(bitmap.width, bitmap.height)
    canvas.width = width
    canvas.height = height
    ctx = canvas.getContext("2d")
    ctx.clearRect(0, 0, width, height)
    ctx.globalCompositeOperation = "source-over"
    ctx.imageSmoothingEnabled = True
    ctx.imageSmoothingQuality = "high"
    ctx.drawImage(bitmap, 0, 0, width, height)
    # The mask is upscaled by the browser's high-quality smoothing, not by the model.
    ctx.globalCompositeOperation = "destination-in"
    top, left, bottom, right = box
    ctx.drawImage(mask, left, top, right - left, bottom - top, 0, 0, width, height)
    ctx.globalCompositeOperation = "source-over"
    return width, height


def paint(canvas, rgba_buffer, width, height):
    """Put a finished RGBA cut-out (decontaminated colours and alpha) on `canvas`."""
    canvas.width = width
    canvas.height = height
    pixels = js.Uint8ClampedArray.new(rgba_buffer)
    canvas.getContext("2d").putImageData(js.ImageData.new(pixels, width, height), 0, 0)
    return width, height


def to_png(canvas):
    """A promise of the canvas as a PNG Blob (toBlob only has a callback)."""
    def executor(resolve, reject):
        def done(blob):
            if is_none(blob):   # the browser could not encode (e.g. out of memory)
                reject(js.Error.new("The PNG could not be encoded."))
            else:
                resolve(blob)
        canvas.toBlob(create_proxy(done), "image/png")
    return js.Promise.new(create_proxy(executor))


class Output:
    """The result view: preview canvas, before/after toggle, download link."""

    def __init__(self, canvas, before_img, toggle, download):
        self.canvas = canvas
        self._before = before_img
        self._toggle = toggle
        self._download = download
        self._urls = {"png": None, "before": None}
        self._showing_before = False
        self._click = create_proxy(self._toggled)
        toggle.addEventListener("click", self._click)

    def _swap_url(self, key, url):
        if self._urls[key]:
            js.URL.revokeObjectURL(self._urls[key])   # old results would leak otherwise
        self._urls[key] = url

    def show_before(self, file):
        """The original for the toggle, straight from the file (the browser applies EXIF)."""
        url = js.URL.createObjectURL(file)
        self._swap_url("before", url)
        self._before.src = url

    def set_png(self, blob, original_name):
        url = js.URL.createObjectURL(blob)
        self._swap_url("png", url)
        self._download.href = url
        self._download.download = naming.nobg_name(original_name)
        self._download.removeAttribute("aria-disabled")

    def clear(self):
        self.canvas.width = 0   # an error must not leave the previous cut-out on screen
        self._swap_url("png", None)
        self._download.removeAttribute("href")
        self._download.setAttribute("aria-disabled", "true")
        self._set_before(False)

    def _set_before(self, before):
        self._showing_before = before
        self._before.hidden = not before
        self.canvas.hidden = before
        self._toggle.textContent = "Show result" if before else "Show original"
        self._toggle.setAttribute("aria-pressed", "true" if before else "false")

    def _toggled(self, event):
        self._set_before(not self._showing_before)
