"""Worker entry: the page's messages, run one job at a time: a "load" (sessions.py) or a
"cut" (stages.py's stages, in order).

Runs on MicroPython and Pyodide alike, so it only uses what both FFIs share: attribute
access, `.new(...)`, awaiting promises, and JS objects built with JSON.parse / Reflect.
Pixels stay in JS typed arrays; Python only forwards them.
"""

import asyncio

import js
from polyscript import xworker  # the name `xworker` must be a module global: polyscript

from channel import wire
from shared import geometry, i18n, messages
from shared import runtime_choice as runtimes
from shared.i18n import Problem

# dispatches messages by evaluating "xworker.onmessage"
from worker import memory, stages
from worker.providers import Engine
from worker.sessions import Sessions, kept, parts

memory.install()  # before either runtime makes its memory


class StopRequested(Exception):
    """The page asked to stop this request (messages.cancel)."""


class State:
    def __init__(self):
        self.tail = None  # last queued job: jobs run one at a time, in order
        self.cancelled = set()  # request ids the page asked to stop
        self.waiting = 0  # jobs arrived and not started yet
        self.models_memory = 0  # bytes of WebAssembly memory the models took (to load, run)


async def _model_memory(step):
    """Await `step` (a model's load or run, the helper graphs' sessions): the memory it grows
    is kept whatever the photos, as long as the worker is; the rest was grown by the photos'
    full-size stages."""
    before = memory.total()
    try:
        return await step
    finally:
        after = memory.total()
        if before is not None and after is not None:
            _state.models_memory += after - before


def _grown():
    """Bytes of WebAssembly memory the photos' full-size stages added beyond what the
    models need (memories never shrink), or None where they can't be counted."""
    size = memory.total()
    return None if size is None else max(0, size - _state.models_memory)


_state = State()


def _now():
    return js.performance.now()


def _post(msg, payload=None, photo=None):
    xworker.postMessage(*wire.pack(msg, payload, photo))


engine = Engine()  # the ORT runtimes and the execution provider (providers.py)
sessions = Sessions(engine, _post)


def _engine_report(model):
    """What every ready/result says of the engine (remember: once, for the page to store)."""
    remember, engine.remember = engine.remember, None
    provider = runtimes.PROVIDER if sessions.on_litert(model) else engine.provider
    return provider, engine.threads, sessions.runtime_reason or engine.reason, remember


async def _on_grey(msg, model, size):
    """The model's run on a mid-grey size² square (its first run, where no photo waits)."""
    await sessions.segment(msg, model, js.Uint8Array.new(size * size * 4).fill(128), (size, size))


async def _load(msg, payload):
    model = msg["model"]
    if model.get("own") and payload is not None:
        sessions.own = {model["sha256"]: js.Uint8Array.new(payload)}  # one brought model kept
    try:
        fresh = model["id"] not in sessions.models
        for part in parts(model):
            await _model_memory(sessions.model(msg["id"], part, msg, kept(model)))
        if model.get("own"):  # its output is only known once it ran: run it once on grey
            await _model_memory(_on_grey(msg, model, model["size"]))
        elif fresh and not model.get("parts") and not _state.waiting and engine.provider == "wasm":
            # A session's first run took 1.4 s where the next take 0.6 (u2netp, WebAssembly
            # still on its first tier): paid now, while no photo waits, not on the first one.
            # WebGPU already made its smoke run; a second one is only a delay there. LiteRT.js's
            # first runs are slow too (~950 ms, then 530).
            t0 = _now()
            await _model_memory(_on_grey(msg, model, model.get("min_size") or model["size"]))
            sessions.created_ms[model["id"]]["warm"] = _now() - t0
    except Exception:
        if model.get("own"):
            await sessions.forget_own(model)
        raise
    if msg.get("graphs"):
        # The helper graphs' sessions now, not in the first cut: 215 ms on a return visit,
        # ~700 on a first (onnxruntime-web's WebAssembly too, beside LiteRT.js). A failure
        # here is the first cut's to report.
        try:
            await _model_memory(_graphs(msg))
        except Exception as e:
            js.console.warn("BG Zero: the helper graphs will load with the first cut: " + str(e))
    _post(
        messages.ready(
            msg["id"],
            msg["model"]["id"],
            *_engine_report(msg["model"]),
            timings=sessions.created_ms.get(kept(model)[0], {}),
        )
    )


def _go_on(msg):
    """Between stages: a cancelled request stops here (a model run itself cannot be stopped)."""
    if msg["id"] in _state.cancelled:
        _state.cancelled.discard(msg["id"])
        raise StopRequested()


# The helper graphs a cut may run, in the order they load (catalog.GRAPHS names them).
_GRAPHS = ("prepare", "mix", "mirror", "refine", "decontaminate")


async def _graphs(msg):
    """{name: session or None} of the helper graphs this cut runs."""
    specs = msg["graphs"]
    graphs = {}
    for name in _GRAPHS:  # not a comprehension: MicroPython can't await in one
        graphs[name] = specs[name] and await sessions.graph(msg["id"], specs[name])
    return graphs


async def _mask(msg, graphs, rows, photo, timings):
    """(alpha, box, (rows, cols)) of the model's mask of the photo: "Best quality"'s two
    models' mixed on the refine guide's grid."""
    model = msg["model"]
    width, height = msg["width"], msg["height"]

    async def look(part, rgba, hw):
        _go_on(msg)
        alpha = await _model_memory(sessions.segment(msg, part, rgba, hw))
        _go_on(msg)
        return alpha

    ort, prepare = engine.wasm, graphs["prepare"]
    prepare_rows = rows.get("prepare")
    masks = []
    for i, part in enumerate(parts(model)):
        # "Best quality" with a flip: its first model also sees the photo in a mirror.
        mirror = graphs["mirror"] if i == 0 and model.get("flip") else None
        masks.append(
            await stages.mask(
                ort, prepare, look, part, photo, width, height, mirror, timings, prepare_rows
            )
        )
    if len(masks) == 1:
        alpha, hw, box, _ = masks[0]
        return alpha, box, hw
    refine = msg["graphs"]["refine"]
    grid = geometry.guide_size(height, width, refine["guide"] if refine else 1024)
    alpha = await stages.mix(ort, graphs["mix"], masks[0], masks[1], grid)
    _go_on(msg)
    return alpha, (0, 0, grid[0], grid[1]), grid


# Of onnxruntime-web's heap, what its sessions keep between runs beyond the models'
# weights (their plans, buffers and the allocator's rounding): not room for a helper graph.
_HEAP_KEPT = 64 * 1024 * 1024


def _heap_room(model):
    """Bytes of the helper graphs' heap (onnxruntime-web's) that its models' runs leave free
    between them, or None where it can't be counted."""
    heap = memory.total(ort=True)
    if heap is None:
        return None
    weights = 0
    for part in parts(model):
        if not sessions.on_litert(part):
            weights += part.get("bytes") or 0
    return heap - weights - _HEAP_KEPT


async def _row_route(msg, width, height):
    """{graph: {part: session}} of the graphs that run this photo on the row route
    (geometry.one_piece: a large photo whose one piece the heap has no room for), their
    sessions made on first use (a few photos need them; the start shouldn't pay for it)."""
    room = _heap_room(msg["model"])
    route = {}
    for name in ("prepare", "refine", "decontaminate"):
        spec = msg["graphs"][name]
        if not spec or not spec.get("rows") or geometry.one_piece(name, width * height, room):
            continue
        route[name] = {}
        for part in spec["rows"]:
            route[name][part] = await sessions.graph(msg["id"], spec["rows"][part])
    return route


async def _edges(msg, graphs, rows, photo, alpha, box, mask_hw, timings):
    """(alpha or RGBA, box, (height, width), channels) of the model's mask: refined to the
    photo's own size when the cut has the refine graph, then decontaminated when it has that
    one too (messages.validate: never without refine)."""
    if not graphs["refine"]:
        return alpha, box, mask_hw, 1
    ort = engine.wasm  # the helper graphs' runtime
    width, height = msg["width"], msg["height"]

    def go_on():
        _go_on(msg)

    t0 = _now()
    _post(messages.progress(msg["id"], "refine"))
    guide = geometry.guide_size(height, width, msg["graphs"]["refine"]["guide"])
    mask = alpha
    if "refine" in rows:
        alpha = await stages.refine_rows(
            ort, rows["refine"], photo, width, height, alpha, mask_hw, box, guide, go_on
        )
    else:
        alpha = await stages.refine(
            ort, graphs["refine"], photo, width, height, alpha, mask_hw, box, guide
        )
    stages.release(mask)
    _go_on(msg)
    box = (0, 0, height, width)
    t1 = _now()
    timings["refine"] = t1 - t0
    if not graphs["decontaminate"]:
        return alpha, box, (height, width), 1
    _post(messages.progress(msg["id"], "decontaminate"))
    settings = msg["graphs"]["decontaminate"]
    refined = alpha
    if "decontaminate" in rows:
        alpha = await stages.decontaminate_rows(
            ort, rows["decontaminate"], settings, photo, alpha, width, height, guide, go_on
        )
    else:
        alpha = await stages.decontaminate(
            ort, graphs["decontaminate"], settings, photo, alpha, width, height, guide
        )
    stages.release(refined)
    timings["decontaminate"] = _now() - t1
    return alpha, box, (height, width), 4


async def _cut(msg, bitmap):
    """Model mask of the bitmap (two models' mixed for "Best quality"), refined and
    decontaminated as the cut's graphs say; the result's bitmap to the page."""
    model = msg["model"]
    try:
        _go_on(msg)
        for part in parts(model):
            await _model_memory(sessions.model(msg["id"], part, msg, kept(model)))
        graphs = await _model_memory(_graphs(msg))
        rows = await _model_memory(_row_route(msg, msg["width"], msg["height"]))
        _post(messages.progress(msg["id"], "inference"))
        t0 = _now()
        photo = stages.pixels(bitmap)
        returning = msg.get("returns_photo")
        if not returning:
            bitmap.close()  # its pixels are in `photo` now: one full-size copy fewer
        returned = bitmap if returning else None
        t1 = _now()
        timings = {"pixels": t1 - t0}
        alpha, box, mask_hw = await _mask(msg, graphs, rows, photo, timings)
        timings["run"] = _now() - t1  # the prepare graph's time included
        alpha, box, (height, width), channels = await _edges(
            msg, graphs, rows, photo, alpha, box, mask_hw, timings
        )
        stages.release(photo)
        pixels = await stages.bitmap(alpha, width, height, channels)
        stages.release(alpha)  # the bytes are in the bitmap now
        _post(
            messages.result(
                msg["id"],
                model["id"],
                width,
                height,
                channels,
                box,
                *_engine_report(msg["model"]),
                timings=timings,
                grown=_grown(),
            ),
            pixels,
            returned,  # transferred: closing it below does nothing then
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
    except StopRequested:
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
