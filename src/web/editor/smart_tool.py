"""Smart corrections (main thread): one click on a wrongly kept region removes it, on a
missed one adds it. The model takes a second look at a crop around the click
(shared/smart.py's window, through the worker's usual cut); the crop's region under the
click, within reach, takes the value asked for. bgzero/clicks.py's `second_look_sized`
computes the same natively (the parity test compares them).

An edit keeps the crop's alpha (a few hundred KB at most), never a full-size layer: the
region is found again each time the edit is replayed for undo."""

import json

import js

from shared import smart

# The region in JS: a flood fill over the crop is a per-pixel loop. 4-connected, like
# scipy.ndimage.label's default, so the page finds the region the native side finds.
# Returns the crop's RGBA with alpha 255 in the region.
_region = js.Function.new(
    "seen",
    "w",
    "h",
    "cx",
    "cy",
    "r",
    "reach",
    "add",
    """
const out = new Uint8ClampedArray(w * h * 4);
const near = (x, y, d) => (x - cx) * (x - cx) + (y - cy) * (y - cy) <= d * d;
const here = seen[cy * w + cx] > 127;
let inside = null;
if (!(add && !here)) {
  inside = new Uint8Array(w * h);
  const stack = [cy * w + cx];
  inside[cy * w + cx] = 1;
  while (stack.length) {
    const i = stack.pop(), x = i % w, y = (i - x) / w;
    const next = [x > 0 ? i - 1 : -1, x < w - 1 ? i + 1 : -1,
                  y > 0 ? i - w : -1, y < h - 1 ? i + w : -1];
    for (const j of next) {
      if (j >= 0 && !inside[j] && (seen[j] > 127) === here) { inside[j] = 1; stack.push(j); }
    }
  }
}
for (let y = 0; y < h; y++) {
  for (let x = 0; x < w; x++) {
    const i = y * w + x;
    if (near(x, y, r) || (inside && inside[i] && near(x, y, reach))) out[i * 4 + 3] = 255;
  }
}
return out;
""",
)

# The crop's alpha channel as one byte per pixel (what an edit keeps).
_alpha_bytes = js.Function.new(
    "rgba",
    "const a = new Uint8Array(rgba.length / 4);"
    "for (let i = 0; i < a.length; i++) a[i] = rgba[i * 4 + 3];"
    "return a;",
)


def window(x, y, r, width, height):
    """The crop (top, left, bottom, right) of a click at image pixel (x, y), brush radius r."""
    return smart.crop_window(y, x, r, height, width)


async def second_look(cutter, model, cutout, box):
    """The model's alpha of the cut-out's photo under `box` (in the cut-out's pixels), one
    byte per pixel at the crop's size, from the worker's usual cut without decontamination."""
    top, left, bottom, right = box
    photo = cutout.photo
    sx, sy = photo.width / cutout.width, photo.height / cutout.height
    options = js.JSON.parse(
        '{"resizeWidth":%d,"resizeHeight":%d,"resizeQuality":"high"}' % (right - left, bottom - top)
    )
    crop = await js.createImageBitmap(
        photo, left * sx, top * sy, (right - left) * sx, (bottom - top) * sy, options
    )
    look = await cutter.cut_bitmap(crop, model, colours=False)
    try:
        data = look.alpha.getContext("2d").getImageData(0, 0, look.width, look.height).data
        return _alpha_bytes(data)
    finally:
        look.close()


def edit(x, y, r, add, box, seen):
    """The history entry of a smart click (coordinates in the cut-out's pixels)."""
    top, left = box[:2]
    return {
        "tool": "smart",
        "add": add,
        "x": x - left,
        "y": y - top,
        "r": r,
        "box": box,
        "seen": seen,
    }


def apply(edit, layer, photo, colours):
    """Draw a smart edit onto the cut-out's layer: the region erased, or the photo's own
    pixels (an alpha-only layer: full alpha) brought back in it."""
    top, left, bottom, right = edit["box"]
    w, h = right - left, bottom - top
    region = js.OffscreenCanvas.new(w, h)
    pixels = _region(
        edit["seen"],
        w,
        h,
        edit["x"],
        edit["y"],
        edit["r"],
        smart.REACH_FACTOR * edit["r"],
        edit["add"],
    )
    region.getContext("2d").putImageData(js.ImageData.new(pixels, w, h), 0, 0)
    ctx = layer.getContext("2d")
    ctx.save()
    if not edit["add"]:
        ctx.globalCompositeOperation = "destination-out"
    elif colours:
        rctx = region.getContext("2d")
        rctx.globalCompositeOperation = "source-in"
        rctx.drawImage(
            photo, 0, 0, photo.width, photo.height, -left, -top, layer.width, layer.height
        )
    ctx.drawImage(region, left, top)
    ctx.restore()
    region.width = 0
    return (left, top, w, h)


class Clicks:
    """The editor's smart clicks on the cut-out of `layers` (layers.Layers), one at a time;
    `second_look(cutout, box)` as Editor takes it."""

    def __init__(self, layers, second_look):
        self.layers = layers
        self.second_look = second_look
        self.looking = False  # a second look is running

    async def click(self, x, y, r):
        """A smart click at image point (x, y), brush radius r: the region there, as the
        model sees it in a second look, removed if it was kept, added if it was not."""
        cutout = self.layers.cutout
        if self.looking or cutout is None:
            return  # one at a time: the next click acts on this one's result
        x = max(0, min(cutout.width - 1, int(x)))
        y = max(0, min(cutout.height - 1, int(y)))
        layer = self.layers.layer()
        add = smart.adds(layer.getContext("2d").getImageData(x, y, 1, 1).data[3])
        box = window(x, y, r, cutout.width, cutout.height)
        body = js.document.body
        self.looking = True
        body.dataset.smart = "looking"
        try:
            seen = await self.second_look(cutout, box)
        finally:
            self.looking = False
        if seen is None or cutout is not self.layers.cutout:
            body.dataset.smart = "none"
            return
        step = edit(x, y, r, add, box, seen)
        self.layers.draw(step)
        body.dataset.smart = json.dumps({"x": x, "y": y, "r": r, "add": add, "box": list(box)})
        self.layers.commit(step)
