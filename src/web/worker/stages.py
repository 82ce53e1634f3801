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


async def _prepare_rows(ort, graphs, photo, width, height, box, size):
    """The prepare graph's output on the row route (a large photo): `graphs` its sessions by
    part (narrow, finish: bgzero/graphs/prepare.py)."""
    box_w = box[3] - box[1]
    narrow = js.Float32Array.new(4 * height * box_w)
    for y0, y1 in geometry.row_strips(height, width, geometry.ROW_PIXELS["prepare"]):
        rows = y1 - y0
        out = await graphs["narrow"].run(
            _feeds(
                ort,
                [
                    ("rgba", "uint8", _rows(photo, width, y0, y1), (1, rows, width, 4)),
                    ("box", "int64", _ints(box), (4,)),
                ],
            )
        )
        part = js.Reflect.get(out, "narrow").data
        _put_rows(narrow, part, 4, rows, y0, height, box_w)
        release(part)
    out = await graphs["finish"].run(
        _feeds(
            ort,
            [
                ("narrow", "float32", narrow, (1, 4, height, box_w)),
                ("box", "int64", _ints(box), (4,)),
                ("size", "int64", _ints(size), (len(size),)),
            ],
        )
    )
    release(narrow)
    return out


async def mask(
    ort, prepare, look, part, photo, width, height, mirror=None, timings=None, rows=None
):
    """One model's (alpha, (h, w), box, mirrored): the photo prepared into the model's input
    (geometry.model_input: a square, or h×w in the photo's proportions) and
    `look(part, rgba, (h, w))` (the model's alpha of it); with the `mirror` graph, looked at
    again in a mirror (mirrored: that alpha, else None). `prepare` is the prepare graph's
    session, `rows` its row route's by part (a large photo) or None. Adds the prepare graph's
    ms to timings["prepare"]."""
    t0 = js.performance.now()
    hw, box = geometry.model_input(
        part["fit"], width, height, part["size"], part.get("min_size", 0), part.get("size_step", 64)
    )
    h, w = hw
    size = geometry.prepare_size(hw)
    if rows and geometry.narrows(width, box[3] - box[1]):
        out = await _prepare_rows(ort, rows, photo, width, height, box, size)
    else:
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


def _put_rows(whole, part, channels, count, first, rows, cols):
    """Copy `part` [1,channels,count,cols] into rows first.. of `whole` [1,channels,rows,cols]."""
    size = count * cols
    for c in range(channels):
        whole.set(part.subarray(c * size, (c + 1) * size), (c * rows + first) * cols)


def _rows(photo, width, y0, y1, channels=4):
    """The photo's (or an alpha's: channels 1) rows y0..y1, as a view."""
    return photo.subarray(y0 * width * channels, y1 * width * channels)


async def _on_grid(ort, graph, planes, channels, width, height, grid, budget, go_on):
    """The low graph's guide-grid rows of each strip of photo rows, in one float map
    [1,channels,gh,gw] (`planes`: (input name, its array, its channels) cut along rows)."""
    out = js.Float32Array.new(channels * grid[0] * grid[1])
    for y0, y1 in geometry.row_strips(height, width, budget):
        first, count, f0, f1 = geometry.grid_rows(y0, y1, height, grid[0])
        if not count:
            continue
        feeds = []
        for name, a, n in planes:  # the photo NHWC, an alpha NCHW
            dims = (1, f1 - f0, width, 4) if n == 4 else (1, 1, f1 - f0, width)
            feeds.append((name, "uint8", _rows(a, width, f0, f1, n), dims))
        feeds.append(("rows", "int64", _ints((first, count, height, f0)), (4,)))
        feeds.append(("guide", "int64", _ints(grid), (2,)))
        part = await graph.run(_feeds(ort, feeds))
        go_on()
        data = js.Reflect.get(part, "on_grid").data
        _put_rows(out, data, channels, count, first, grid[0], grid[1])
        release(data)
    return out


async def _by_rows(ort, graph, feeds_of, name, channels, width, height, budget, go_on):
    """The graph's output `name` (`channels` bytes a pixel) of each strip of photo rows
    (`feeds_of(y0, y1)`: its feeds), laid together as the whole photo's."""
    whole = js.Uint8Array.new(height * width * channels)
    for y0, y1 in geometry.row_strips(height, width, budget):
        out = await graph.run(_feeds(ort, feeds_of(y0, y1)))
        go_on()
        strip = js.Reflect.get(out, name).data
        whole.set(strip, y0 * width * channels)
        release(strip)
    return whole


async def refine_rows(ort, graphs, photo, width, height, alpha, mask_hw, box, guide, go_on):
    """refine()'s alpha on the row route (a large photo: geometry.one_piece): `graphs` the
    route's sessions by part (low, fit, apply: bgzero/graphs/refine.py)."""
    planes = (("rgba", photo, 4),)
    budget = geometry.ROW_PIXELS["refine"]
    on_grid = await _on_grid(ort, graphs["low"], planes, 1, width, height, guide, budget, go_on)
    grid = (1, 1, guide[0], guide[1])
    fit = await graphs["fit"].run(
        _feeds(
            ort,
            [
                ("on_grid", "float32", on_grid, grid),
                ("mask", "uint8", alpha, (1, 1, mask_hw[0], mask_hw[1])),
                ("box", "int64", _ints(box), (4,)),
            ],
        )
    )
    release(on_grid)
    mean_a, mean_b = js.Reflect.get(fit, "mean_a").data, js.Reflect.get(fit, "mean_b").data

    def feeds_of(y0, y1):
        return [
            ("rgba", "uint8", _rows(photo, width, y0, y1), (1, y1 - y0, width, 4)),
            ("mean_a", "float32", mean_a, grid),
            ("mean_b", "float32", mean_b, grid),
            ("rows", "int64", _ints((y0, height)), (2,)),
        ]

    refined = await _by_rows(
        ort, graphs["apply"], feeds_of, "alpha", 1, width, height, budget, go_on
    )
    release(mean_a, mean_b)
    return refined


async def decontaminate(ort, graph, settings, photo, alpha, width, height, guide):
    """The RGBA cut-out: the photo's colours with the background's spill taken out of the
    edge (bgzero/decontaminate.py), `alpha` as its alpha."""
    coarse = geometry.guide_size(height, width, settings["coarse"])
    out = await graph.run(
        _feeds(
            ort,
            [
                ("rgba", "uint8", photo, (1, height, width, 4)),
                ("alpha", "uint8", alpha, (1, 1, height, width)),
                ("guide", "int64", _ints(guide), (2,)),
                ("coarse", "int64", _ints(coarse), (2,)),
            ],
        )
    )
    return js.Reflect.get(out, "cutout").data


async def decontaminate_rows(ort, graphs, settings, photo, alpha, width, height, guide, go_on):
    """decontaminate()'s cut-out on the row route (a large photo): `graphs` the route's
    sessions by part (low, grids, apply: bgzero/graphs/decontaminate.py)."""
    planes = (("rgba", photo, 4), ("alpha", alpha, 1))
    channels = 7  # each colour beside its product with alpha, then alpha (decontaminate.LOW)
    budget = geometry.ROW_PIXELS["decontaminate"]
    on_grid = await _on_grid(
        ort, graphs["low"], planes, channels, width, height, guide, budget, go_on
    )
    coarse = geometry.guide_size(height, width, settings["coarse"])
    plane = guide[0] * guide[1]
    grid = (1, 1, guide[0], guide[1])
    grids = js.Float32Array.new(channels * plane)  # F's three colours, B's, the soft alpha
    alpha_g = on_grid.subarray(6 * plane, 7 * plane)
    for c in range(3):  # one colour at a time (decontaminate.LOW: pairs, alpha last)
        pair = on_grid.subarray(2 * c * plane, (2 * c + 2) * plane)
        out = await graphs["grids"].run(
            _feeds(
                ort,
                [
                    ("pair", "float32", pair, (1, 2, guide[0], guide[1])),
                    ("alpha", "float32", alpha_g, grid),
                    ("coarse", "int64", _ints(coarse), (2,)),
                ],
            )
        )
        go_on()
        data = js.Reflect.get(out, "grids").data
        grids.set(data.subarray(0, plane), c * plane)
        grids.set(data.subarray(plane, 2 * plane), (3 + c) * plane)
        grids.set(data.subarray(2 * plane, 3 * plane), 6 * plane)
        release(data)
    release(on_grid)

    def feeds_of(y0, y1):
        rows = y1 - y0
        return [
            ("rgba", "uint8", _rows(photo, width, y0, y1), (1, rows, width, 4)),
            ("alpha", "uint8", _rows(alpha, width, y0, y1, 1), (1, 1, rows, width)),
            ("grids", "float32", grids, (1, channels, guide[0], guide[1])),
            ("rows", "int64", _ints((y0, height)), (2,)),
        ]

    cutout = await _by_rows(
        ort, graphs["apply"], feeds_of, "cutout", 4, width, height, budget, go_on
    )
    release(grids)
    return cutout
