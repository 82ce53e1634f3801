"""The cut-out on the page (main thread, Canvas operations only): the composed result at its
full size off the page, and a canvas on the page holding only the pixels the view needs.

A canvas on the page is copied whole for the compositor after each change (35-50 ms for
12 MP in a software canvas, on the page's thread) and is one more full-size copy of the photo
in memory; one off the page is neither. The page's canvas keeps the image's size in CSS
pixels (the editor's view scales and moves it), with fewer pixels behind it when the view
shows the image smaller than its own size.
"""

import js

from shared import brush

SEAM_PX = 2  # canvas pixels around a repainted rect that its smoothing reads


class Screen:
    """`element`: the page's canvas. `composed`: the full-size canvas to compose on;
    `source`: what holds the composition (`composed`, or compose.composed's other answer),
    which show() brings to the page and the download is encoded from. zoomed() follows the
    view."""

    def __init__(self, element):
        self.element = element
        self.composed = js.document.createElement("canvas")
        self.source = self.composed
        self.zoom = None  # the view's, once the editor has placed the image
        self.scale = None

    def _scale(self, current=None):
        width, height = self.source.width, self.source.height
        zoom = self.zoom
        if zoom is None:
            # Not placed yet: the view will fit the image inside the window, never larger.
            window = js.window
            zoom = min(brush.FIT_MAX_ZOOM, window.innerWidth / width, window.innerHeight / height)
        return brush.screen_scale(zoom, js.window.devicePixelRatio or 1, current)

    def show(self, rect=None, source=None):
        """The composition on the page, or only its image rect (x, y, w, h); `source`: the
        canvas that holds it now, when that changed."""
        if source is not None and source is not self.source:
            self.source = source
            rect = None
        width, height = self.source.width, self.source.height
        el = self.element
        if width == 0 or height == 0:
            self.clear()
            return
        if (el.style.width, el.style.height) != ("%dpx" % width, "%dpx" % height):
            el.style.width = "%dpx" % width
            el.style.height = "%dpx" % height
            self.scale = self.zoom = None  # another image: the view is placed anew
        if self.scale is None:
            self.scale = self._scale()
            rect = None
        size = brush.screen_size(width, height, self.scale)
        if (el.width, el.height) != size:
            el.width, el.height = size  # also clears it
            rect = None
        self._paint(rect or (0, 0, width, height))

    def _paint(self, rect):
        el = self.element
        _, (x, y, w, h) = brush.screen_rect(
            rect, self.source.width, self.source.height, el.width, el.height
        )
        if w <= 0 or h <= 0:
            return
        ctx = el.getContext("2d")
        ctx.clearRect(x, y, w, h)
        if self.scale >= 1:  # the image's own pixels: a copy, no resampling
            ctx.drawImage(self.source, x, y, w, h, x, y, w, h)
            return
        # Drawn from a margin around the rect, clipped to it: smoothing near a source rect's
        # edge would differ from the whole image's, a faint seam around each stroke.
        pad = SEAM_PX / self.scale
        wider = (rect[0] - pad, rect[1] - pad, rect[2] + 2 * pad, rect[3] + 2 * pad)
        (sx, sy, sw, sh), (px, py, pw, ph) = brush.screen_rect(
            wider, self.source.width, self.source.height, el.width, el.height
        )
        ctx.save()
        ctx.beginPath()
        ctx.rect(x, y, w, h)
        ctx.clip()
        ctx.imageSmoothingEnabled = True
        ctx.imageSmoothingQuality = "high"
        ctx.drawImage(self.source, sx, sy, sw, sh, px, py, pw, ph)
        ctx.restore()

    def zoomed(self, zoom):
        """The view's zoom changed: more (or far fewer) pixels on the page when it needs them."""
        self.zoom = zoom
        if self.scale is None or self.source.width == 0:
            return
        scale = self._scale(self.scale)
        if scale != self.scale:
            self.scale = scale
            self.show()

    def clear(self):
        """Nothing on the page (an error must not leave the previous cut-out there), and the
        full-size canvas freed (a cut-out's own canvases are the cut-out's to free)."""
        self.element.width = 0
        self.element.style.width = self.element.style.height = ""
        self.composed.width = 0
        self.source = self.composed
        self.scale = self.zoom = None
