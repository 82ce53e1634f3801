"""The editor's arithmetic: brush stamps along a stroke, their dirty rectangle, the undo
history, and the view's zoom and pan. Pure, so it is tested natively; the canvas work is in
editor.py."""

TOOLS = ("erase", "restore", "smart")
MIN_SIZE = 2
MAX_SIZE = 400
SPACING = 0.25  # stamps every quarter radius: a smooth line without overdrawing much
HISTORY = 100  # undo steps kept (strokes are a few hundred bytes each, never pixels)
MIN_ZOOM = 0.05
MAX_ZOOM = 32.0
# A small photo is shown enlarged to fill the stage, up to this: past it, its pixels show as blocks.
FIT_MAX_ZOOM = 4.0


def radius(size, pressure=None):
    """Brush radius in image pixels: half the size, scaled by a pen's pressure (a mouse
    reports 0.5 while pressed, a pen 0..1; None or 0.5 means no pressure)."""
    r = max(MIN_SIZE, min(MAX_SIZE, size)) / 2
    if pressure is None or pressure == 0.5 or pressure <= 0:
        return r
    return max(0.5, r * min(1.0, pressure * 2))


def stamps(x0, y0, x1, y1, r):
    """Points from (x0, y0) (excluded: stamped already) to (x1, y1) (included), spaced a
    quarter radius apart, so a fast stroke leaves no gaps."""
    dx, dy = x1 - x0, y1 - y0
    length = (dx * dx + dy * dy) ** 0.5
    step = max(0.5, r * SPACING)
    n = max(1, int(length / step + 0.999999))
    return [(x0 + dx * i / n, y0 + dy * i / n) for i in range(1, n + 1)]


def dirty_rect(points, r, width, height):
    """(x, y, w, h) of the pixels the stamps can touch, within the image; None if none."""
    if not points:
        return None
    xs = [p[0] for p in points]
    ys = [p[1] for p in points]
    left = max(0, int(min(xs) - r) - 1)
    top = max(0, int(min(ys) - r) - 1)
    right = min(width, int(max(xs) + r) + 2)
    bottom = min(height, int(max(ys) + r) + 2)
    if right <= left or bottom <= top:
        return None
    return (left, top, right - left, bottom - top)


class History:
    """Edits as data ({"tool", "r", "hardness", "points"} strokes, or smart clicks with their
    crop's alpha, at most a brush-sized window): undo replays the ones still applied over the
    starting alpha, so no step stores a full-size layer."""

    def __init__(self, limit=HISTORY):
        self.limit = limit
        self.done = []
        self.undone = []
        self.dropped = 0  # edits folded into the base because the history was full

    def push(self, edit):
        self.done.append(edit)
        self.undone = []
        if len(self.done) > self.limit:
            self.dropped += 1
            return self.done.pop(0)  # the caller bakes it into the base
        return None

    def undo(self):
        if not self.done:
            return False
        self.undone.append(self.done.pop())
        return True

    def redo(self):
        if not self.undone:
            return None
        edit = self.undone.pop()
        self.done.append(edit)
        return edit

    def can_undo(self):
        return bool(self.done)

    def can_redo(self):
        return bool(self.undone)


class View:
    """How the image sits in the viewport: screen = image * zoom + (x, y)."""

    def __init__(self):
        self.zoom = 1.0
        self.x = 0.0
        self.y = 0.0

    def fit(self, width, height, view_width, view_height):
        """The whole image in the viewport at the largest size that fits, centred."""
        self.zoom = min(FIT_MAX_ZOOM, view_width / width, view_height / height)
        self.x = (view_width - width * self.zoom) / 2
        self.y = (view_height - height * self.zoom) / 2

    def to_image(self, sx, sy):
        return ((sx - self.x) / self.zoom, (sy - self.y) / self.zoom)

    def to_screen(self, x, y):
        return (x * self.zoom + self.x, y * self.zoom + self.y)

    def reveal(self, sx, sy, view_width, view_height, margin):
        """Pan the least that brings screen point (sx, sy) `margin` inside the viewport."""
        mx = min(margin, view_width / 2)
        my = min(margin, view_height / 2)
        self.pan(
            max(0, mx - sx) - max(0, sx - (view_width - mx)),
            max(0, my - sy) - max(0, sy - (view_height - my)),
        )

    def zoom_at(self, factor, sx, sy):
        """Zoom by `factor` keeping the image point under (sx, sy) where it is."""
        ix, iy = self.to_image(sx, sy)
        self.zoom = max(MIN_ZOOM, min(MAX_ZOOM, self.zoom * factor))
        self.x = sx - ix * self.zoom
        self.y = sy - iy * self.zoom

    def pan(self, dx, dy):
        self.x += dx
        self.y += dy

    def css(self):
        """The CSS transform that draws the image canvas (origin top left) this way."""
        return "translate(%.2fpx, %.2fpx) scale(%.5f)" % (self.x, self.y, self.zoom)


# The canvas on the page holds at least this share of the image's pixels per side.
MIN_SCREEN_SCALE = 1 / 64


def screen_scale(zoom, dpr, current=None):
    """The share of the image's pixels per side that the canvas on the page holds for a view
    at `zoom` on a screen of `dpr` device pixels per CSS pixel: what the view needs, rounded
    up to a power of two and at most 1 (the image's own pixels), so most zooms repaint
    nothing. `current` is kept while it holds enough pixels and at most twice the needed."""
    needed = 1.0
    while needed / 2 >= zoom * dpr and needed / 2 >= MIN_SCREEN_SCALE:
        needed /= 2
    if current is not None and needed <= current <= 2 * needed:
        return current
    return needed


def _ceil(x):
    return int(x) + (1 if x > int(x) else 0)


def screen_size(width, height, scale):
    """(w, h) of the page's canvas for a width×height image at `scale` (screen_scale's)."""
    return (max(1, _ceil(width * scale)), max(1, _ceil(height * scale)))


def screen_rect(rect, width, height, screen_width, screen_height):
    """Image rect (x, y, w, h) of a width×height image shown on a screen_width×screen_height
    canvas -> (the part of the image to draw, the canvas pixels it covers): the latter widened
    to whole pixels, the former to match, both within bounds."""
    x, y, w, h = rect
    sx, sy = screen_width / width, screen_height / height
    x0, y0 = max(0, int(x * sx)), max(0, int(y * sy))
    x1 = min(screen_width, _ceil((x + w) * sx))
    y1 = min(screen_height, _ceil((y + h) * sy))
    left, top = x0 / sx, y0 / sy
    source = (left, top, min(width - left, (x1 - x0) / sx), min(height - top, (y1 - y0) / sy))
    return source, (x0, y0, x1 - x0, y1 - y0)


ARROWS = {"ArrowLeft": (-1, 0), "ArrowRight": (1, 0), "ArrowUp": (0, -1), "ArrowDown": (0, 1)}
KEY_STEP = 8  # screen pixels per arrow press, five times that with Shift
KEY_ZOOM = {"+": 1.25, "=": 1.25, "-": 0.8}


def key_move(key, shift, zoom, x, y, width, height):
    """Where an arrow key moves the keyboard brush from image point (x, y): a step the same
    size on screen at any zoom, kept on the image. None for any other key."""
    d = ARROWS.get(key)
    if d is None:
        return None
    step = KEY_STEP * (5 if shift else 1) / zoom
    return (
        min(max(x + d[0] * step, 0), width - 1),
        min(max(y + d[1] * step, 0), height - 1),
    )


def wheel_factor(delta_y, delta_mode=0):
    """Zoom factor of one wheel event (pixels, lines or pages), about 1.1 per notch."""
    pixels = delta_y * (16 if delta_mode == 1 else 800 if delta_mode == 2 else 1)
    pixels = max(-300, min(300, pixels))
    return 2 ** (-pixels / 500)
