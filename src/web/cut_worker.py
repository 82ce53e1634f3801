"""Worker: keep one ORT session per model (on the provider providers.py chose), cut.

Runs on MicroPython and Pyodide alike, so it only uses what both FFIs share: attribute
access, `.new(...)`, awaiting promises, and JS objects built with JSON.parse / Reflect.
Pixels stay in JS typed arrays; Python only forwards them.
"""

import asyncio

import js
from polyscript import xworker  # the name `xworker` must be a module global: polyscript

# dispatches messages by evaluating "xworker.onmessage"
import wire
from providers import Engine, WebGpuFailed
from shared import geometry, i18n, messages
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
return createImageBitmap(new ImageData(px, w, h), {premultiplyAlpha: "premultiply"});
""",
)

engine = Engine()  # the ORT runtimes and the execution provider (providers.py)


class Cancelled(Exception):
    """The page asked to stop this request (messages.cancel)."""


class State:
    def __init__(self):
        self.sessions = {}  # model id -> InferenceSession (only the current one is kept)
        self.created_ms = {}  # model id -> session creation time, reported with "ready"
        self.tail = None  # last queued job: jobs run one at a time, in order
        self.graphs = {}  # sha256 -> InferenceSession of the helper graphs
        self.own = {}  # sha256 -> Uint8Array of a model the user brought (never fetched)
        self.cancelled = set()  # request ids the page asked to stop
        self.waiting = 0  # jobs arrived and not started yet


_state = State()


def _now():
    return js.performance.now()


def _obj(text):
    return js.JSON.parse(text)


def _post(msg, payload=None):
    xworker.postMessage(*wire.pack(msg, payload))


async def _fetch_model(req_id, model):
    """Download with a streaming reader so the page can show bytes/total; verify sha256."""
    if model.get("own"):
        held = _state.own.get(model["sha256"])
        if held is None:
            raise Problem("own.not_loaded")
        return held
    try:
        response = await js.fetch(model["url"])
    except Exception:
        # The service worker answers a network error only for a file it never cached.
        raise Problem("download.offline") from None
    if not response.ok:
        raise Problem("download.http", status=str(response.status))
    total = model["bytes"]
    buf = js.Uint8Array.new(total)
    done = 0
    last = 0
    reader = response.body.getReader()
    _post(messages.progress(req_id, "download", 0, total))
    while True:
        chunk = await reader.read()
        if chunk.done:
            break
        value = chunk.value
        n = value.length
        if done + n > total:
            raise Problem("download.too_long")
        buf.set(value, done)
        done += n
        if _now() - last > 100:
            last = _now()
            _post(messages.progress(req_id, "download", done, total))
    _post(messages.progress(req_id, "download", done, total))
    if done != total:
        raise Problem("download.incomplete", done=done, total=total)
    digest = js.Uint8Array.new(await js.crypto.subtle.digest("SHA-256", buf))
    hexdigest = "".join("%02x" % digest[i] for i in range(32))
    if hexdigest != model["sha256"]:
        raise Problem("download.corrupt")
    return buf


async def _session(req_id, model, msg, keep=()):
    """The model's session; `keep`: the ids of other models to keep loaded beside it (the
    two parts of "Best quality")."""
    model_id = model["id"]
    session = _state.sessions.get(model_id)
    if session is not None:
        return session
    await engine.start(msg["ort"])
    # One model in memory at a time (but a pair): IS-Net sessions cost hundreds of MB each,
    # so the old one goes before the new one loads (if that load fails, the old one reloads
    # from cache).
    for other in list(_state.sessions):
        if other in keep:
            continue
        old = _state.sessions.pop(other)
        try:
            await old.release()
        except Exception:
            pass
    t0 = _now()
    model_bytes = await _fetch_model(req_id, model)
    own = model.get("own")
    if own:  # the graphs around it, for the engine to wrap its session in
        model["helpers"] = (
            await _graph(req_id, own["normaliser"]),
            await _graph(req_id, own["finisher"]),
        )
    t1 = _now()
    _post(messages.progress(req_id, "session"))
    session = await engine.session(model_bytes, model, msg["engine"])
    _state.sessions[model_id] = session
    _state.created_ms[model_id] = {"download": t1 - t0, "session": _now() - t1}
    return session


def _parts(model):
    """The models a cut runs: both parts of "Best quality", else the model itself."""
    return model.get("parts") or [model]


def _kept(model):
    return [part["id"] for part in _parts(model)]


async def _graph(req_id, spec):
    """A helper graph's session (prepare, refine), kept beside the segmentation model.
    WASM for these: they are a few element-wise passes, not worth a GPU round trip."""
    session = _state.graphs.get(spec["sha256"])
    if session is None:
        graph = await _fetch_model(req_id, spec)
        session = await engine.wasm.InferenceSession.create(
            graph, _obj('{"executionProviders":["wasm"]}')
        )
        _state.graphs[spec["sha256"]] = session
    return session


def _pixels(bitmap):
    """RGBA bytes of the bitmap at its own size (no resampling: the graphs do that)."""
    canvas = js.OffscreenCanvas.new(bitmap.width, bitmap.height)
    ctx = canvas.getContext("2d", _obj('{"willReadFrequently":true}'))
    ctx.drawImage(bitmap, 0, 0)
    data = ctx.getImageData(0, 0, bitmap.width, bitmap.height).data
    canvas.width = 0  # its pixels now live in `data`; the canvas's own copy can go
    # ORT wants a Uint8Array for "uint8": a view on the same bytes, no copy.
    return js.Uint8Array.new(data.buffer)


def _feeds(ort, pairs):
    """A feeds object {name: Tensor} from (name, type, data, dims) tuples."""
    feeds = js.Object.new()
    for name, kind, data, dims in pairs:
        js.Reflect.set(feeds, name, ort.Tensor.new(kind, data, _obj(str(list(dims)))))
    return feeds


def _drop_sessions():
    """After WebGPU failed: its sessions go, the next _session() makes a WASM one."""
    _state.sessions.clear()


async def _segment(msg, model, rgba, size):
    """The model's alpha of the prepared size² square; if WebGPU fails on it, the same square
    runs again on WASM (the engine has switched for good)."""
    keep = _kept(msg["model"])
    session = await _session(msg["id"], model, msg, keep)
    try:
        return await engine.run(session, rgba, size)
    except WebGpuFailed:
        _drop_sessions()
        session = await _session(msg["id"], model, msg, keep)
        return await engine.run(session, rgba, size)


def _engine_report():
    """What every ready/result says of the engine (remember: once, for the page to store)."""
    remember, engine.remember = engine.remember, None
    return engine.provider, engine.threads, engine.reason, remember


async def _load(msg, payload):
    model = msg["model"]
    if model.get("own") and payload is not None:
        _state.own = {model["sha256"]: js.Uint8Array.new(payload)}  # one brought model kept
    try:
        fresh = model["id"] not in _state.sessions
        for part in _parts(model):
            await _session(msg["id"], part, msg, _kept(model))
        if model.get("own"):  # its output is only known once it ran: run it once on grey
            size = model["size"]
            await _segment(msg, model, js.Uint8Array.new(size * size * 4).fill(128), size)
        elif fresh and not model.get("parts") and not _state.waiting and engine.provider == "wasm":
            # A session's first run took 1.4 s where the next take 0.6 (u2netp, WebAssembly
            # still on its first tier): paid now, while no photo waits, not on the first one.
            # WebGPU already made its smoke run; a second one is only a delay there.
            size = model.get("min_size") or model["size"]
            t0 = _now()
            await _segment(msg, model, js.Uint8Array.new(size * size * 4).fill(128), size)
            _state.created_ms[model["id"]]["warm"] = _now() - t0
    except Exception:
        if model.get("own"):  # unusable: its bytes (up to 1 GB) and session go now
            _state.own = {}
            session = _state.sessions.pop(model["id"], None)
            if session is not None:
                try:
                    await session.release()
                except Exception:
                    pass
        raise
    _post(
        messages.ready(
            msg["id"],
            msg["model"]["id"],
            *_engine_report(),
            timings=_state.created_ms.get(_kept(model)[0], {}),
        )
    )


def _go_on(msg):
    """Between stages: a cancelled request stops here (a model run itself cannot be stopped)."""
    if msg["id"] in _state.cancelled:
        _state.cancelled.discard(msg["id"])
        raise Cancelled()


async def _mask(msg, part, prepare, photo, width, height, mirror=None):
    """One model's (alpha, size, box, mirrored): the photo prepared into its square, and
    run; with the `mirror` graph, run again on the square seen in a mirror (mirrored: that
    alpha, else None)."""
    ort = engine.wasm  # the helper graphs' runtime
    size = geometry.working_size(
        width, height, part["size"], part.get("min_size", 0), part.get("size_step", 64)
    )
    box = geometry.model_box(part["fit"], width, height, size)
    out = await prepare.run(
        _feeds(
            ort,
            [
                ("rgba", "uint8", photo, (1, height, width, 4)),
                ("box", "int64", _int64s(str(list(box))), (4,)),
                ("size", "int64", _int64s("[%d]" % size), (1,)),
            ],
        )
    )
    rgba = js.Reflect.get(out, "model_rgba").data
    _go_on(msg)
    alpha = await _segment(msg, part, rgba, size)
    _go_on(msg)
    if alpha.length != size * size:
        raise Problem("run.bad_output", got=alpha.length, want=size * size)
    mirrored = None
    if mirror:
        out = await mirror.run(_feeds(ort, [("rgba", "uint8", rgba, (1, size, size, 4))]))
        mirrored = await _segment(msg, part, js.Reflect.get(out, "mirrored").data, size)
        _go_on(msg)
    return alpha, size, box, mirrored


async def _mix(fuser, first, second, grid):
    """Two models' masks on one grid (bgzero/fuse.py): the "Best quality" mask."""
    feeds = []
    for name, (alpha, size, box, mirrored) in (("first", first), ("second", second)):
        feeds.append((name, "uint8", alpha, (1, 1, size, size)))
        feeds.append((name + "_box", "int64", _int64s(str(list(box))), (4,)))
        if mirrored is not None:
            feeds.append((name + "_mirror", "uint8", mirrored, (1, 1, size, size)))
    feeds.append(("grid", "int64", _int64s(str(list(grid))), (2,)))
    out = await fuser.run(_feeds(engine.wasm, feeds))
    return js.Reflect.get(out, "mask").data


async def _cut(msg, bitmap):
    """Model mask of the bitmap (two models' mixed for "Best quality"); refined to the
    bitmap's own size when the refine graph is given."""
    model = msg["model"]
    width, height = msg["width"], msg["height"]
    try:
        _go_on(msg)
        for part in _parts(model):
            await _session(msg["id"], part, msg, _kept(model))
        graphs = msg["graphs"]
        prepare = await _graph(msg["id"], graphs["prepare"])
        fuser = graphs.get("fuser") and await _graph(msg["id"], graphs["fuser"])
        mirror = graphs.get("mirror") and await _graph(msg["id"], graphs["mirror"])
        refine = graphs["refine"] and await _graph(msg["id"], graphs["refine"])
        decontaminator = graphs["decontaminator"] and await _graph(
            msg["id"], graphs["decontaminator"]
        )
        ort = engine.wasm  # the helper graphs' runtime
        _post(messages.progress(msg["id"], "inference"))
        t0 = _now()
        photo = _pixels(bitmap)
        t1 = _now()
        masks = []
        for i, part in enumerate(_parts(model)):
            # "Best quality" with a flip: its first model also sees the photo in a mirror.
            looks = mirror if i == 0 and model.get("flip") else None
            masks.append(await _mask(msg, part, prepare, photo, width, height, looks))
        if len(masks) == 2:
            guide = graphs["refine"]["guide"] if graphs["refine"] else 1024
            grid = geometry.guide_size(height, width, guide)
            alpha = await _mix(fuser, masks[0], masks[1], grid)
            _go_on(msg)
            mask_hw = grid
            box = (0, 0, grid[0], grid[1])
        else:
            alpha, size, box, _ = masks[0]
            mask_hw = (size, size)
        masks = None
        t2 = _now()
        timings = {"pixels": t1 - t0, "run": t2 - t1}
        if refine:
            _post(messages.progress(msg["id"], "refine"))
            guide = geometry.guide_size(height, width, graphs["refine"]["guide"])
            feeds = _feeds(
                ort,
                [
                    ("rgba", "uint8", photo, (1, height, width, 4)),
                    ("mask", "uint8", alpha, (1, 1, mask_hw[0], mask_hw[1])),
                    ("box", "int64", _int64s(str(list(box))), (4,)),
                    ("guide", "int64", _int64s(str(list(guide))), (2,)),
                ],
            )
            out = await refine.run(feeds)
            _go_on(msg)
            alpha = js.Reflect.get(out, "alpha").data
            box = (0, 0, height, width)
            t3 = _now()
            timings["refine"] = t3 - t2
        else:
            height, width = mask_hw
        channels = 1
        if decontaminator:
            _post(messages.progress(msg["id"], "decontaminate"))
            parts = geometry.strip_plan(height, width, guide, graphs["decontaminator"])
            # A large photo in strips of rows: the graph's full-size planes (and so the WASM
            # heap, which never shrinks) stay the size of one strip.
            cutout = js.Uint8Array.new(height * width * 4) if len(parts) > 1 else None
            for y0, y1, top, bottom, guide_of, coarse_of in parts:
                rows = y1 - y0
                out = await decontaminator.run(
                    _feeds(
                        ort,
                        [
                            (
                                "rgba",
                                "uint8",
                                photo.subarray(y0 * width * 4, y1 * width * 4),
                                (1, rows, width, 4),
                            ),
                            (
                                "alpha",
                                "uint8",
                                alpha.subarray(y0 * width, y1 * width),
                                (1, 1, rows, width),
                            ),
                            ("guide", "int64", _int64s(str(list(guide_of))), (2,)),
                            ("coarse", "int64", _int64s(str(list(coarse_of))), (2,)),
                        ],
                    )
                )
                _go_on(msg)
                part = js.Reflect.get(out, "cutout").data
                if cutout is None:
                    cutout = part
                else:
                    kept = part.subarray((top - y0) * width * 4, (bottom - y0) * width * 4)
                    cutout.set(kept, top * width * 4)
            alpha = cutout
            channels = 4
            timings["decontaminate"] = _now() - t3
        pixels = await _bitmap_of(alpha, width, height, channels)
        alpha = None  # the bytes are in the bitmap now
        _post(
            messages.result(
                msg["id"],
                model["id"],
                width,
                height,
                channels,
                box,
                *_engine_report(),
                timings=timings,
            ),
            pixels,
        )
    finally:
        bitmap.close()
        _state.cancelled.discard(msg["id"])


async def _handle(data):
    _state.waiting -= 1
    req_id = 0
    msg = None
    try:
        msg = messages.decode(data.json)
        req_id = msg["id"]
        if msg["type"] == "load":
            await _load(msg, data.payload if js.Reflect.has(data, "payload") else None)
        elif msg["type"] == "cut":
            await _cut(msg, data.payload)
        else:
            raise messages.MessageError("worker can't handle %r" % msg["type"])
    except Cancelled:
        _post(messages.cancelled(req_id))
    except Exception as e:
        # Reported to the page, which decides what the user sees and logs real bugs. What a
        # model the user brought does wrong is theirs to know, not a bug of ours.
        own = (
            isinstance(msg, dict) and isinstance(msg.get("model"), dict) and msg["model"].get("own")
        )
        if own and not isinstance(e, RuntimeError):
            e = Problem("own.failed", detail=i18n.detail(e))
        _post(messages.error(req_id, i18n.of_error(e), bug=not isinstance(e, RuntimeError)))


async def _after(previous, data):
    if previous is not None:
        try:
            await previous
        except Exception:
            pass
    await _handle(data)


def _on_message(event):
    # Sync handler that chains a task: works the same on both interpreters, and runs jobs
    # in arrival order so a "cut" waits for the "load" of the same model. A "cancel" acts
    # at once: the job it names checks between its stages.
    data = event.data
    if js.Reflect.has(data, "json") and '"cancel"' in data.json:
        try:
            msg = messages.decode(data.json)
            if msg["type"] == "cancel":
                _state.cancelled.add(msg["target"])
                return
        except messages.MessageError:
            pass
    _state.waiting += 1
    _state.tail = asyncio.create_task(_after(_state.tail, event.data))


xworker.onmessage = _on_message
