"""A Cutout -> a composed, framed file in one of shared/formats (main thread)."""

import json

import js
from pyscript.ffi import create_proxy, is_none

from output import compose
from shared import formats, geometry, shadows

# The subject's bounds from a layer's alpha channel: a typed-array scan in JS (Python never
# loops over pixels); [x0, y0, x1, y1] with the ends excluded, or null when nothing is kept.
_bounds = js.Function.new(
    "layer",
    "threshold",
    """
const w = layer.width, h = layer.height;
const a = layer.getContext("2d").getImageData(0, 0, w, h).data;
let x0 = w, y0 = h, x1 = -1, y1 = -1;
for (let y = 0; y < h; y++) {
  const row = y * w * 4;
  for (let x = 0; x < w; x++) {
    if (a[row + x * 4 + 3] >= threshold) {
      if (x < x0) x0 = x;
      if (x > x1) x1 = x;
      if (y < y0) y0 = y;
      y1 = y;
    }
  }
}
return x1 < 0 ? null : JSON.stringify([x0, y0, x1 + 1, y1 + 1]);
""",
)
# A task boundary between the compose and the encode (tens of ms each at 12 MP): the page
# paints and answers input between them instead of freezing for their sum.
_next_task = js.Function.new("return new Promise((resolve) => setTimeout(resolve, 0))")


def framed(canvas, cutout, framing, shadow=None):
    """The composed canvas cropped to the subject (with a margin, and its shadow whole)
    and/or scaled to a longest side, per `framing` {"crop", "margin", "max_side"}; the
    canvas itself when neither changes anything."""
    width, height = canvas.width, canvas.height
    box = (0, 0, width, height)
    if framing.get("crop"):
        layer = cutout.colours if cutout.colours is not None else cutout.alpha
        found = _bounds(layer, geometry.CROP_ALPHA)
        bounds = None if is_none(found) else tuple(int(v) for v in json.loads(str(found)))
        bounds = shadows.grow(bounds, shadow, width, height)
        box = geometry.crop_box(bounds, framing.get("margin", 0), width, height)
    size = geometry.scaled_size(box[2], box[3], framing.get("max_side"))
    if box == (0, 0, width, height) and size == (width, height):
        return canvas
    out = js.document.createElement("canvas")
    out.width, out.height = size
    ctx = out.getContext("2d")
    ctx.imageSmoothingEnabled = True
    ctx.imageSmoothingQuality = "high"
    ctx.drawImage(canvas, box[0], box[1], box[2], box[3], 0, 0, size[0], size[1])
    return out


def encode(canvas, format_id=formats.DEFAULT, quality=None):
    """A promise of the canvas as a Blob of the format (toBlob only has a callback)."""
    entry = formats.get(format_id)
    level = formats.quality(format_id, quality)

    def executor(resolve, reject):
        def done(blob):
            if is_none(blob):  # the browser could not encode (e.g. out of memory)
                reject(js.Error.new("The %s could not be encoded." % entry["label"]))
            else:
                resolve(blob)

        if level is None:
            canvas.toBlob(create_proxy(done), entry["mime"])
        else:
            canvas.toBlob(create_proxy(done), entry["mime"], level)

    return js.Promise.new(create_proxy(executor))


async def to_file(
    cutout,
    canvas,
    format_id=formats.DEFAULT,
    on_stage=None,
    behind=None,
    framing=None,
    shadow=None,
    shown=None,
):
    """Compose `cutout` on `canvas` over `behind` (compose.backdrop's) with `shadow` (a
    shared/shadows description) and encode it, framed by `framing` (framed()'s crop and
    size): (Blob, file name, (width, height) of the file). `shown(source)` gets the canvas
    that holds the composition (`canvas`, or the cut-out's own colours where drawing them on
    it would be a copy: compose.composed) before the encode.
    A format without alpha gets white when there is no backdrop. Adds the time of each to
    the cut-out's timings."""
    stage = on_stage or (lambda *args: None)
    flatten = not formats.get(format_id)["alpha"]
    mask = format_id == "mask"

    def composition():
        if not flatten:
            return compose.composed(cutout, canvas, behind, mask=mask, shadow=shadow)[0]
        compose.render(cutout, canvas, behind, mask=mask, shadow=shadow)
        # under everything, also a background image's own transparent parts
        compose.flatten(canvas, formats.FLATTEN_ON)
        return canvas

    t = js.performance.now()
    source = composition()
    if shown is not None:
        shown(source)
    cutout.timings["composite"] = cutout.timings.get("composite", 0) + js.performance.now() - t
    await _next_task()
    t = js.performance.now()
    if source.width == 0:  # an edit shown meanwhile with nothing to compose freed `canvas`
        source = composition()
    stage("encode")
    out = framed(source, cutout, framing or {}, None if mask else shadow)
    size = (out.width, out.height)
    try:
        blob = await encode(out, format_id)
    finally:
        if out is not source:
            out.width = 0
    cutout.timings["encode"] = js.performance.now() - t
    return blob, formats.file_name(cutout.name, format_id), size
