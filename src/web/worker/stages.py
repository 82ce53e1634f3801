"""Worker: the stages of a cut (mask, mix, refine, decontaminate), each a run of its helper
graph on the WASM runtime `ort`; the photo's pixels in and the result's bitmap out."""

import js

from shared import geometry
from shared.i18n import Problem

# ORT wants BigInt64Array for int64 inputs; building one element by element from Python
# would depend on how each interpreter converts BigInt.
_int64s = js.Function.new("j", "return BigInt64Array.from(JSON.parse(j), x => BigInt(x))")

# The result as an ImageBitmap, made here: turning 48 MB of bytes into canvas pixels
# (putImageData premultiplies every one) held the page for 100-260 ms at 12 MP when the main
# thread did it. A mask (channels 1) becomes the alpha of black RGBA; a JS loop, not Python.
_bitmap_of = js.Function.new(
    "a",
    "w",
    "h",
    "channels",
    "release",
    """
let px;
if (channels === 4) {
  // ImageData refuses shared memory (SharedArrayBuffer exists only when isolated).
  const shared = typeof SharedArrayBuffer !== "undefined" && a.buffer instanceof SharedArrayBuffer;
  px = a.byteOffset === 0 && a.buffer.byteLength === a.byteLength && !shared
    ? new Uint8ClampedArray(a.buffer) : new Uint8ClampedArray(a);
} else {
  px = new Uint8ClampedArray(a.length * 4);
  for (let i = 0; i < a.length; i++) px[i * 4 + 3] = a[i];
}
// premultiplied here, where it costs the page nothing: drawing it is then a copy
return createImageBitmap(new ImageData(px, w, h), {premultiplyAlpha: "premultiply"})
  .then((bitmap) => { if (px.buffer !== a.buffer) release(px); return bitmap; });
""",
)

# Frees a typed array's memory now (ES2024 ArrayBuffer.prototype.transfer detaches it), not
# at the next garbage collection: at 12 MP a cut's full-size arrays (the photo's bytes, the
# strips, the cut-out: 12-48 MB each) otherwise lived together until V8 collected them.
# Only for arrays that own their whole buffer, and never shared memory.
_release = js.Function.new(
    "a",
    """
if (!a || !a.buffer || typeof a.buffer.transfer !== "function") return;
if (typeof SharedArrayBuffer !== "undefined" && a.buffer instanceof SharedArrayBuffer) return;
if (a.byteOffset !== 0 || a.byteLength !== a.buffer.byteLength) return;
try { a.buffer.transfer(0); } catch (e) {}  // a WebAssembly memory's buffer can't be detached
""",
)


def release(*arrays):
    """Free these typed arrays' memory now; nothing may use them afterwards."""
    for a in arrays:
        if a is not None:
            _release(a)


def _obj(text):
    return js.JSON.parse(text)


def _ints(values):
    return _int64s(str(list(values)))


def _feeds(ort, pairs):
    """A feeds object {name: Tensor} from (name, type, data, dims) tuples."""
    feeds = js.Object.new()
    for name, kind, data, dims in pairs:
        js.Reflect.set(feeds, name, ort.Tensor.new(kind, data, _obj(str(list(dims)))))
    return feeds


def pixels(bitmap):
    """RGBA bytes of the bitmap at its own size (no resampling: the graphs do that)."""
    canvas = js.OffscreenCanvas.new(bitmap.width, bitmap.height)
    ctx = canvas.getContext("2d", _obj('{"willReadFrequently":true}'))
    ctx.drawImage(bitmap, 0, 0)
    data = ctx.getImageData(0, 0, bitmap.width, bitmap.height).data
    canvas.width = 0  # its pixels now live in `data`; the canvas's own copy can go
    # ORT wants a Uint8Array for "uint8": a view on the same bytes, no copy.
    return js.Uint8Array.new(data.buffer)


def bitmap(alpha, width, height, channels):
    """Promise of the result's ImageBitmap: the alpha (channels 1) or the RGBA cut-out (4)."""
    return _bitmap_of(alpha, width, height, channels, _release)


async def mask(ort, prepare, look, part, photo, width, height, mirror=None, timings=None):
    """One model's (alpha, (h, w), box, mirrored): the photo prepared into the model's input
    (geometry.model_input: a square, or h×w in the photo's proportions) and
    `look(part, rgba, (h, w))` (the model's alpha of it); with the `mirror` graph, looked at
    again in a mirror (mirrored: that alpha, else None). Adds the prepare graph's ms to
    timings["prepare"]."""
    t0 = js.performance.now()
    hw, box = geometry.model_input(
        part["fit"], width, height, part["size"], part.get("min_size", 0), part.get("size_step", 64)
    )
    h, w = hw
    size = geometry.prepare_size(hw)
    out = await prepare.run(
        _feeds(
            ort,
            [
                ("rgba", "uint8", photo, (1, height, width, 4)),
                ("box", "int64", _ints(box), (4,)),
                ("size", "int64", _ints(size), (len(size),)),
            ],
        )
    )
    rgba = js.Reflect.get(out, "model_rgba").data
    if timings is not None:
        timings["prepare"] = timings.get("prepare", 0) + js.performance.now() - t0
    alpha = await look(part, rgba, hw)
    if alpha.length != h * w:
        raise Problem("run.bad_output", got=alpha.length, want=h * w)
    mirrored = None
    if mirror:
        out = await mirror.run(_feeds(ort, [("rgba", "uint8", rgba, (1, h, w, 4))]))
        mirrored = await look(part, js.Reflect.get(out, "mirrored").data, hw)
    return alpha, hw, box, mirrored


async def mix(ort, graph, first, second, grid):
    """Two models' masks (mask()'s tuples) on one grid (bgzero/graphs/mix.py): the "Best quality"
    mask."""
    feeds = []
    for name, (alpha, (h, w), box, mirrored) in (("first", first), ("second", second)):
        feeds.append((name, "uint8", alpha, (1, 1, h, w)))
        feeds.append((name + "_box", "int64", _ints(box), (4,)))
        if mirrored is not None:
            feeds.append((name + "_mirror", "uint8", mirrored, (1, 1, h, w)))
    feeds.append(("grid", "int64", _ints(grid), (2,)))
    out = await graph.run(_feeds(ort, feeds))
    return js.Reflect.get(out, "mask").data


async def refine(ort, graph, photo, width, height, alpha, mask_hw, box, guide):
    """The mask (mask_hw, the photo in its `box`) snapped to the photo's edges at the photo's
    own size, through a guide of `guide` (rows, cols) pixels (bgzero/refine.py)."""
    feeds = _feeds(
        ort,
        [
            ("rgba", "uint8", photo, (1, height, width, 4)),
            ("mask", "uint8", alpha, (1, 1, mask_hw[0], mask_hw[1])),
            ("box", "int64", _ints(box), (4,)),
            ("guide", "int64", _ints(guide), (2,)),
        ],
    )
    out = await graph.run(feeds)
    return js.Reflect.get(out, "alpha").data


async def decontaminate(ort, graph, settings, photo, alpha, width, height, guide, go_on):
    """The RGBA cut-out: the photo's colours with the background's spill taken out of the
    edge (bgzero/decontaminate.py), `alpha` as its alpha; `go_on()` between strips."""
    strips = geometry.strip_plan(height, width, guide, settings)
    # A large photo in strips of rows: the graph's full-size planes (and so the WASM heap,
    # which never shrinks) stay the size of one strip.
    cutout = js.Uint8Array.new(height * width * 4) if len(strips) > 1 else None
    for y0, y1, top, bottom, guide_of, coarse_of in strips:
        rows = y1 - y0
        out = await graph.run(
            _feeds(
                ort,
                [
                    (
                        "rgba",
                        "uint8",
                        photo.subarray(y0 * width * 4, y1 * width * 4),
                        (1, rows, width, 4),
                    ),
                    ("alpha", "uint8", alpha.subarray(y0 * width, y1 * width), (1, 1, rows, width)),
                    ("guide", "int64", _ints(guide_of), (2,)),
                    ("coarse", "int64", _ints(coarse_of), (2,)),
                ],
            )
        )
        go_on()
        strip = js.Reflect.get(out, "cutout").data
        if cutout is None:
            cutout = strip
        else:
            kept = strip.subarray((top - y0) * width * 4, (bottom - y0) * width * 4)
            cutout.set(kept, top * width * 4)
            release(strip)
    return cutout
