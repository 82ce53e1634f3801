"""Worker: choose the execution provider once, keep one ORT session per model, cut.

Runs on MicroPython and Pyodide alike, so it only uses what both FFIs share: attribute
access, `.new(...)`, awaiting promises, and JS objects built with JSON.parse / Reflect.
Pixels stay in JS typed arrays; Python only forwards them.
"""

import asyncio

import js
from polyscript import xworker  # the name `xworker` must be a module global: polyscript
                                # dispatches messages by evaluating "xworker.onmessage"
from pyscript.ffi import is_none

import wire
from shared import geometry, messages

# A JS dynamic import: this worker is a blob: URL, so callers pass absolute URLs.
_import = js.Function.new("u", "return import(u)")
# ORT wants BigInt64Array for int64 inputs; building one element by element from Python
# would depend on how each interpreter converts BigInt.
_int64s = js.Function.new("j", "return BigInt64Array.from(JSON.parse(j), x => BigInt(x))")

_state = {
    "ort": None,          # the imported onnxruntime-web module
    "provider": None,     # "wasm" | "webgpu", decided once
    "threads": 1,
    "sessions": {},       # model id -> InferenceSession (only the current one is kept)
    "created_ms": {},     # model id -> session creation time, reported with "ready"
    "tail": None,         # last queued job: jobs run one at a time, in order
    "graphs": {},         # sha256 -> InferenceSession of the prepare / refinement graphs
}


def _now():
    return js.performance.now()


def _obj(text):
    return js.JSON.parse(text)


def _post(msg, payload=None):
    xworker.postMessage(*wire.pack(msg, payload))


async def _has_gpu_adapter():
    if not js.Reflect.has(js.navigator, "gpu"):
        return False
    try:
        adapter = await js.navigator.gpu.requestAdapter()
    except Exception:
        return False
    return not is_none(adapter)


async def _ensure_ort(base):
    """Import ORT once: the WebGPU build only when an adapter exists (it is 2x the download)."""
    if _state["ort"] is not None:
        return _state["ort"]
    gpu = await _has_gpu_adapter()
    ort = await _import(base + ("ort.webgpu.min.mjs" if gpu else "ort.wasm.min.mjs"))
    ort.env.wasm.wasmPaths = base
    threads = 1
    if js.crossOriginIsolated:
        threads = min(4, int(js.navigator.hardwareConcurrency or 1))
    ort.env.wasm.numThreads = threads
    _state["ort"] = ort
    _state["threads"] = threads
    _state["provider"] = "webgpu" if gpu else "wasm"   # provisional until a smoke run passes
    return ort


async def _fetch_model(req_id, model):
    """Download with a streaming reader so the page can show bytes/total; verify sha256."""
    try:
        response = await js.fetch(model["url"])
    except Exception:
        # The service worker answers a network error only for a file it never cached.
        raise RuntimeError("This model needs a connection once: it has not been downloaded "
                           "to this device yet. Connect and try again, or choose a model "
                           "you have used before.")
    if not response.ok:
        raise RuntimeError("Could not download the model (HTTP %d)." % response.status)
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
            raise RuntimeError("The model download is larger than the catalog says.")
        buf.set(value, done)
        done += n
        if _now() - last > 100:
            last = _now()
            _post(messages.progress(req_id, "download", done, total))
    _post(messages.progress(req_id, "download", done, total))
    if done != total:
        raise RuntimeError("The model download is incomplete (%d of %d bytes)." % (done, total))
    digest = js.Uint8Array.new(await js.crypto.subtle.digest("SHA-256", buf))
    hexdigest = "".join("%02x" % digest[i] for i in range(32))
    if hexdigest != model["sha256"]:
        raise RuntimeError("The model file is corrupt (checksum mismatch).")
    return buf


async def _create_session(ort, model_bytes, model):
    """Session on the chosen provider. WebGPU must also pass a smoke run, else WASM for good."""
    if _state["provider"] == "webgpu":
        try:
            session = await ort.InferenceSession.create(
                model_bytes, _obj('{"executionProviders":["webgpu"]}'))
            size = model["size"]
            out = await session.run(_feeds(ort, [(session.inputNames[0], "uint8",
                                                   js.Uint8Array.new(size * size * 4),
                                                   (1, size, size, 4))]))
            alpha = js.Reflect.get(out, session.outputNames[0])
            if alpha.data.length != model["size"] * model["size"]:
                raise RuntimeError("WebGPU smoke run gave a wrong output size")
            return session
        except Exception as e:
            js.console.warn("WebGPU unusable, using WASM: " + str(e))
            _state["provider"] = "wasm"
    return await ort.InferenceSession.create(
        model_bytes, _obj('{"executionProviders":["wasm"],"graphOptimizationLevel":"all"}'))


async def _session(req_id, model, ort_base):
    model_id = model["id"]
    session = _state["sessions"].get(model_id)
    if session is not None:
        return session
    ort = await _ensure_ort(ort_base)
    # One model in memory at a time: IS-Net sessions cost hundreds of MB each, so the old
    # one goes before the new one loads (if that load fails, the old one reloads from cache).
    for other in list(_state["sessions"]):
        old = _state["sessions"].pop(other)
        try:
            await old.release()
        except Exception:
            pass
    t0 = _now()
    model_bytes = await _fetch_model(req_id, model)
    t1 = _now()
    _post(messages.progress(req_id, "session"))
    session = await _create_session(ort, model_bytes, model)
    _state["sessions"][model_id] = session
    _state["created_ms"][model_id] = {"download": t1 - t0, "session": _now() - t1}
    return session


async def _graph(req_id, spec):
    """A helper graph's session (prepare, refine), kept beside the segmentation model.
    WASM for these: they are a few element-wise passes, not worth a GPU round trip."""
    session = _state["graphs"].get(spec["sha256"])
    if session is None:
        graph = await _fetch_model(req_id, spec)
        session = await _state["ort"].InferenceSession.create(
            graph, _obj('{"executionProviders":["wasm"]}'))
        _state["graphs"][spec["sha256"]] = session
    return session


def _pixels(bitmap):
    """RGBA bytes of the bitmap at its own size (no resampling: the graphs do that)."""
    canvas = js.OffscreenCanvas.new(bitmap.width, bitmap.height)
    ctx = canvas.getContext("2d", _obj('{"willReadFrequently":true}'))
    ctx.drawImage(bitmap, 0, 0)
    # ORT wants a Uint8Array for "uint8": a view on the same bytes, no copy.
    return js.Uint8Array.new(ctx.getImageData(0, 0, bitmap.width, bitmap.height).data.buffer)


def _feeds(ort, pairs):
    """A feeds object {name: Tensor} from (name, type, data, dims) tuples."""
    feeds = js.Object.new()
    for name, kind, data, dims in pairs:
        js.Reflect.set(feeds, name, ort.Tensor.new(kind, data, _obj(str(list(dims)))))
    return feeds


async def _load(msg):
    await _session(msg["id"], msg["model"], msg["ort"])
    _post(messages.ready(msg["id"], msg["model"]["id"], _state["provider"], _state["threads"],
                         _state["created_ms"].get(msg["model"]["id"], {})))


async def _cut(msg, bitmap):
    """Model mask of the bitmap; refined to the bitmap's own size when a refiner is given."""
    model = msg["model"]
    size = model["size"]
    width, height = msg["width"], msg["height"]
    try:
        session = await _session(msg["id"], model, msg["ort"])
        prepare = await _graph(msg["id"], msg["prepare"])
        refiner = msg["refiner"] and await _graph(msg["id"], msg["refiner"])
        decontaminator = msg["decontaminator"] and await _graph(msg["id"],
                                                               msg["decontaminator"])
        ort = _state["ort"]
        _post(messages.progress(msg["id"], "inference"))
        t0 = _now()
        box = geometry.model_box(model["fit"], width, height, size)
        photo = _pixels(bitmap)
        out = await prepare.run(_feeds(ort, [
            ("rgba", "uint8", photo, (1, height, width, 4)),
            ("box", "int64", _int64s(str(list(box))), (4,)),
            ("size", "int64", _int64s("[%d]" % size), (1,)),
        ]))
        rgba = js.Reflect.get(out, "model_rgba").data
        feeds = _feeds(ort, [(session.inputNames[0], "uint8", rgba, (1, size, size, 4))])
        t1 = _now()
        out = await session.run(feeds)
        t2 = _now()
        alpha = js.Reflect.get(out, session.outputNames[0]).data
        if alpha.length != size * size:
            raise RuntimeError("The model returned %d values, expected %d" % (alpha.length, size * size))
        timings = {"pixels": t1 - t0, "run": t2 - t1}
        if refiner:
            _post(messages.progress(msg["id"], "refine"))
            guide = geometry.guide_size(height, width, msg["refiner"]["guide"])
            feeds = _feeds(ort, [
                ("rgba", "uint8", photo, (1, height, width, 4)),
                ("mask", "uint8", alpha, (1, 1, size, size)),
                ("box", "int64", _int64s(str(list(box))), (4,)),
                ("guide", "int64", _int64s(str(list(guide))), (2,)),
            ])
            out = await refiner.run(feeds)
            alpha = js.Reflect.get(out, "alpha").data
            box = (0, 0, height, width)
            t3 = _now()
            timings["refine"] = t3 - t2
        else:
            width = height = size
        channels = 1
        if decontaminator:
            _post(messages.progress(msg["id"], "decontaminate"))
            coarse = geometry.guide_size(height, width, msg["decontaminator"]["coarse"])
            out = await decontaminator.run(_feeds(ort, [
                ("rgba", "uint8", photo, (1, height, width, 4)),
                ("alpha", "uint8", alpha, (1, 1, height, width)),
                ("guide", "int64", _int64s(str(list(guide))), (2,)),
                ("coarse", "int64", _int64s(str(list(coarse))), (2,)),
            ]))
            alpha = js.Reflect.get(out, "cutout").data
            channels = 4
            timings["decontaminate"] = _now() - t3
        buffer = alpha.buffer
        if alpha.byteOffset != 0 or buffer.byteLength != alpha.byteLength:
            buffer = alpha.slice().buffer   # transfer needs a buffer of exactly the pixels
        _post(messages.result(msg["id"], model["id"], width, height, channels, box,
                              _state["provider"], _state["threads"], timings), buffer)
    finally:
        bitmap.close()


async def _handle(data):
    req_id = 0
    try:
        msg = messages.decode(data.json)
        req_id = msg["id"]
        if msg["type"] == "load":
            await _load(msg)
        elif msg["type"] == "cut":
            await _cut(msg, data.payload)
        else:
            raise messages.MessageError("worker can't handle %r" % msg["type"])
    except Exception as e:
        # Reported to the page, which decides what the user sees and logs real bugs.
        _post(messages.error(req_id, _describe(e), bug=not isinstance(e, RuntimeError)))


def _describe(e):
    text = str(e) or e.__class__.__name__
    return text.split("\n")[0][:300]


async def _after(previous, data):
    if previous is not None:
        try:
            await previous
        except Exception:
            pass
    await _handle(data)


def _on_message(event):
    # Sync handler that chains a task: works the same on both interpreters, and runs jobs
    # in arrival order so a "cut" waits for the "load" of the same model.
    _state["tail"] = asyncio.create_task(_after(_state["tail"], event.data))


xworker.onmessage = _on_message
