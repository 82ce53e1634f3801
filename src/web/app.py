"""The page (main thread, MicroPython): owns the state, wires input -> worker -> compositor."""

import asyncio
import json

import js
from pyscript import PyWorker, document
from pyscript.ffi import create_proxy

import compositor
import file_input
from shared import catalog, geometry, messages, status

T0 = js.performance.now()   # navigation start is 0: this is "main Python ready"


def _el(id_):
    return document.getElementById(id_)


ui = {k: _el(k) for k in ("file", "pick-text", "drop", "model", "status", "progress", "stage",
                          "message", "timings", "result", "before", "toggle", "download")}
body = document.body


class Worker:
    """A thin bridge: send a message dict (+ transferred payload), get the final reply."""

    def __init__(self, kind, base, on_progress):
        self.kind = kind
        if kind == "py":
            interpreter, module, config = "pyodide", "pyodide/pyodide.mjs", "./worker-py.toml"
        else:
            interpreter, module, config = ("micropython", "micropython/micropython.mjs",
                                           "./worker-mpy.toml")
        # PyWorker returns the real Worker (create_named_worker resolves to its `sync` proxy).
        # Its `type` is polyscript's interpreter name, not "mpy"/"py", and it ignores the
        # config's `interpreter`: `version` must be the module URL, absolute (blob: worker),
        # or polyscript falls back to its CDN.
        self.worker = PyWorker("./py/inference.py", type=interpreter, config=config,
                               version=js.URL.new("./runtime/" + module, base).href)
        self._on_progress = on_progress
        self._pending = {}    # id -> resolve of the reply promise
        self._next_id = 1
        self._proxy = create_proxy(self._message)
        self.worker.addEventListener("message", self._proxy)

    async def ready(self):
        await self.worker.ready

    def request(self, msg_builder, *args, payload=None):
        """Promise of the worker's final reply (ready/result/error) to a message."""
        req_id = self._next_id
        self._next_id += 1
        msg = msg_builder(req_id, *args)

        def executor(resolve, reject):
            self._pending[req_id] = resolve

        promise = js.Promise.new(create_proxy(executor))
        wire = js.Object.new()
        wire.json = messages.encode(msg)
        transfer = js.Array.new()
        if payload is not None:
            wire.payload = payload
            transfer.push(payload)
        self.worker.postMessage(wire, transfer)
        return promise

    def _message(self, event):
        data = event.data
        if not js.Reflect.has(data, "json"):
            return   # polyscript's own traffic
        try:
            msg = messages.decode(data.json)
        except messages.MessageError as e:
            js.console.error("bad worker message: " + str(e))
            return
        if msg["type"] == "progress":
            self._on_progress(msg)
            return
        resolve = self._pending.pop(msg["id"], None)
        if resolve is None:
            if msg["type"] == "error":
                js.console.error("BG Zero worker: " + msg["message"])
            return
        # Errors resolve too: a Python exception would not survive a JS rejection intact.
        resolve(data)


class WorkerError(Exception):
    def __init__(self, message, bug):
        super().__init__(message)
        self.bug = bug


def _reply(js_reply):
    """(message dict, payload or None) of a final reply; raises WorkerError for "error"."""
    msg = messages.decode(js_reply.json)
    if msg["type"] == "error":
        raise WorkerError(msg["message"], msg.get("bug", False))
    payload = js_reply.payload if js.Reflect.has(js_reply, "payload") else None
    return msg, payload


# ---- view ---------------------------------------------------------------------------------

def set_state(state):
    body.dataset.state = state


def show_stage(stage, done=None, total=None):
    ui["stage"].textContent = status.stage_text(stage, done, total)
    value = status.fraction(done, total)
    if value is None:
        ui["progress"].removeAttribute("value")   # indeterminate
    else:
        ui["progress"].value = value


def show_message(text):
    ui["message"].textContent = text or ""
    ui["message"].hidden = not text


def on_progress(msg):
    show_stage(msg["stage"], msg.get("done"), msg.get("total"))


def show_engine(msg):
    ui["status"].textContent = status.status_line(msg["model"], msg["provider"], msg["threads"])


def mark(name):
    """Startup milestones (ms since navigation) as data attributes, read by tests and bench."""
    body.setAttribute("data-t-" + name, str(int(js.performance.now())))


# ---- app ----------------------------------------------------------------------------------

app = {"catalog": None, "model": None, "worker": None, "busy": False, "next": None,
       "base": None, "input": None, "output": None, "handled": 0}


def model_spec():
    # URL() and not string joins: the page URL may carry ?worker=py or a #fragment.
    return catalog.spec(app["model"], js.URL.new(app["model"]["file"], app["base"]).href)


def refiner_spec():
    refiner = app["catalog"]["refiner"]
    url = js.URL.new(refiner["file"], app["base"]).href if refiner else None
    return catalog.refiner_spec(app["catalog"], app["model"], url)


def sent_size(width, height, refining):
    """Size of the copy that crosses to the worker: the refinement's working size, or just
    what the model's input box needs (the original stays here for compositing)."""
    if refining:
        return geometry.working_size(width, height, app["catalog"]["refiner"]["max_pixels"])
    model = app["model"]
    top, left, bottom, right = geometry.model_box(model.get("fit", "stretch"), width, height,
                                                  model["size"])
    return right - left, bottom - top


def ort_base():
    return js.URL.new("./runtime/ort/", app["base"]).href


async def load_model():
    """Preload the chosen model so the first cut doesn't wait for the download."""
    try:
        reply, _ = _reply(await app["worker"].request(messages.load, model_spec(), ort_base()))
        show_engine(reply)
        mark("model")
        if not app["busy"]:
            show_stage("done")
            ui["stage"].textContent = "Ready: drop a photo"
            ui["progress"].value = 1
    except Exception as e:
        fail(e)


async def cut(file):
    output = app["output"]
    set_state("busy")
    show_message("")
    output.clear()
    timings = {}
    t = js.performance.now()
    show_stage("decode")
    bitmap = await file_input.read_image(file)
    timings["decode"] = js.performance.now() - t
    output.show_before(file)
    try:
        refiner = refiner_spec()
        width, height = sent_size(bitmap.width, bitmap.height, refiner is not None)
        t = js.performance.now()
        show_stage("resize")
        copy = await js.createImageBitmap(bitmap, js.JSON.parse(
            '{"resizeWidth":%d,"resizeHeight":%d,"resizeQuality":"high"}' % (width, height)))
        timings["resize"] = js.performance.now() - t
        reply, alpha = _reply(await app["worker"].request(
            messages.cut, model_spec(), ort_base(), width, height, refiner, payload=copy))
        show_engine(reply)
        timings.update(reply["timings"])
        t = js.performance.now()
        show_stage("composite")
        mask = compositor.mask_canvas(alpha, reply["width"], reply["height"])
        compositor.cutout(output.canvas, bitmap, mask, reply["box"])
        timings["composite"] = js.performance.now() - t
    finally:
        bitmap.close()
    t = js.performance.now()
    show_stage("encode")
    blob = await compositor.to_png(output.canvas)
    output.set_png(blob, file.name)
    timings["encode"] = js.performance.now() - t
    ui["timings"].textContent = status.timings_text(timings)
    body.dataset.timings = json.dumps(timings)
    show_stage("done")
    ui["progress"].value = 1
    set_state("done")


async def run_cuts(file):
    """One cut at a time; a file chosen meanwhile replaces any earlier waiting one."""
    if app["busy"]:
        app["next"] = file
        return
    app["busy"] = True
    try:
        while file is not None:
            try:
                await cut(file)
            except Exception as e:
                fail(e)
            # Counts every finished attempt, good or bad: tests and bench wait on it.
            app["handled"] += 1
            body.dataset.handled = str(app["handled"])
            file, app["next"] = app["next"], None
    finally:
        app["busy"] = False


def on_file(file):
    asyncio.create_task(run_cuts(file))


def fail(error):
    """Every handler ends here: bad input is a message; anything else is also a logged bug."""
    set_state("error")
    ui["progress"].value = 0
    if isinstance(error, file_input.BadInput):
        show_message(str(error))
        show_stage("done")
        ui["stage"].textContent = "Choose another file"
        return
    if isinstance(error, WorkerError) and not error.bug:
        show_message(str(error))
        return
    show_message("Something went wrong: %s" % (str(error) or error.__class__.__name__))
    js.console.error("BG Zero: %s: %s" % (error.__class__.__name__, error))


def on_model_change(event):
    app["model"] = catalog.pick(app["catalog"], ui["model"].value)
    ui["status"].textContent = app["model"]["id"] + " · loading…"
    asyncio.create_task(load_model())


async def start():
    set_state("starting")
    mark("main")
    app["base"] = document.baseURI
    app["output"] = compositor.Output(ui["result"], ui["before"], ui["toggle"], ui["download"])
    app["input"] = file_input.FileInput(ui["file"], ui["drop"], on_file)
    params = js.URLSearchParams.new(js.location.search)
    kind = "py" if params.get("worker") == "py" else "mpy"
    try:
        response = await js.fetch("./models/catalog.json")
        if not response.ok:
            raise RuntimeError("model catalog missing (HTTP %d)" % response.status)
        app["catalog"] = catalog.parse(json.loads(await response.text()))
        wanted = params.get("model")
        app["model"] = catalog.pick(app["catalog"], wanted if wanted else None)
        for m in app["catalog"]["models"]:
            option = document.createElement("option")
            option.value = m["id"]
            option.textContent = catalog.label(m)
            option.selected = m["id"] == app["model"]["id"]
            ui["model"].append(option)
        ui["model"].addEventListener("change", create_proxy(on_model_change))
        ui["model"].disabled = False
        ui["status"].textContent = app["model"]["id"] + " · starting worker…"
        app["worker"] = Worker(kind, app["base"], on_progress)
        await app["worker"].ready()
        mark("worker")
    except Exception as e:
        fail(e)
        return
    ui["pick-text"].textContent = "Choose a photo"
    set_state("ready")
    asyncio.create_task(load_model())
    app["input"].enable()


asyncio.create_task(start())
