"""The embed frame (main thread, MicroPython): the postMessage API of shared/embed_protocol
around the page's own cutter. Parents on origins the build did not allow get no answer."""

import asyncio
import json

import js
from pyscript import document
from pyscript.ffi import create_proxy

from cut import file_input, heic
from cut.cutter import Cutter
from cut.worker_bridge import Cancelled, WorkerError
from output import compose
from output.export import to_file
from shared import catalog, i18n
from shared import embed_protocol as protocol
from ui import page_text
from ui.view import StatusView

# Reads a message event in JS so its contents never enter Python as they are: a JSON view
# of the fields we use (see protocol.read_request) and the request id kept as a JS value,
# since MicroPython would not give large or fractional numbers back exactly. The view's
# cost is bounded by a budget, not by the result's length: a structured clone may share
# one object or one long string many times, and JSON would spell each copy out.
_look = js.Function.new(
    "e",
    "keys",
    "max",
    """
const tag = (v) => Object.prototype.toString.call(v).slice(8, -1);
const d = e.data, view = {kind: tag(d), image: null, fields: null, problem: null};
if (view.kind === "Object") {
  view.image = tag(d.image);
  const keep = new Set(keys), spent = {};
  let budget = max;
  const replacer = function (key, value) {
    if (key !== "" && !Array.isArray(this) && !keep.has(key)) return undefined;
    budget -= 8 + (typeof value === "string" ? value.length : 0);
    if (budget < 0) throw spent;
    return value;
  };
  try { view.fields = JSON.parse(JSON.stringify(d, replacer)); }
  catch (error) { view.problem = error === spent ? "too large" : "unserialisable"; }
}
return {view: JSON.stringify(view), id: {id: view.fields ? view.fields.id : null}};
""",
)
_KEYS = js.JSON.parse(json.dumps(list(protocol.VIEW_KEYS)))
# Window identity in JS: FFI proxies of the same window need not compare equal in Python.
_from_parent = js.Function.new("e", "return e.source === window.parent")

ui = {k: document.getElementById(k) for k in ("status", "progress", "stage", "message")}
body = document.body


class Frame:
    """The frame's state: allowed parent origins, the cutter, and the requests in order."""

    def __init__(self):
        self.origins = ()
        self.catalog = None
        self.cutter = None
        self.engine = None  # the worker's "ready" reply
        self.ready = False
        self.failed = None  # why the frame could not start; every request gets it
        self.running = False
        self.queue = []
        self.current = None  # the request being cut
        self.handled = 0
        self.canvas = document.createElement("canvas")


frame = Frame()


# ---- view ---------------------------------------------------------------------------------

view = StatusView(
    ui["status"],
    ui["progress"],
    ui["stage"],
    ui["message"],
    "status.parent_not_isolated",
)
set_state, show_stage, show_message, show_engine = view.state, view.stage, view.message, view.engine


# ---- messages -----------------------------------------------------------------------------


def post(target, origin, msg, ident=None, file=None):
    wire = js.JSON.parse(json.dumps(msg))
    if ident is not None:
        js.Object.assign(wire, ident)
    if file is not None:
        wire.file = file
        if msg.get("format") == "png":
            wire.png = file  # the name the API had before it had formats
    target.postMessage(wire, origin)


def parent_origins():
    """Where "ready" goes: the parent's origin when the browser tells it and it is allowed;
    failing that every allowed origin (the browser drops the ones that don't match)."""
    if getattr(js.Object, "is")(js.window.parent, js.window):
        return ()  # opened on its own, not in a frame
    origin = None
    if js.Reflect.has(js.location, "ancestorOrigins") and js.location.ancestorOrigins.length:
        origin = js.location.ancestorOrigins.item(0)
    elif document.referrer:
        origin = js.URL.new(document.referrer).origin
    if origin is not None:
        return (origin,) if origin in frame.origins else ()
    return frame.origins


def model_ids():
    return [m["id"] for m in frame.catalog["models"]] if frame.catalog else []


def announce():
    engine = frame.engine
    msg = protocol.ready(engine["provider"], engine["threads"], js.crossOriginIsolated, model_ids())
    for origin in parent_origins():
        post(js.window.parent, origin, msg)


def on_message(event):
    origin = event.origin
    if origin not in frame.origins:
        return  # not a parent the build allows: no answer at all, not even an error
    source = event.source
    if source is None or not _from_parent(event):
        return  # another window on an allowed origin (a popup, a sibling frame): ignored
    ident = None
    try:
        seen = _look(event, _KEYS, protocol.MAX_VIEW_CHARS)
        ident = seen.id
        view = json.loads(seen.view)
        request = protocol.read_request(view, model_ids())
        if request["type"] == protocol.CANCEL:
            cancel(request["id"], source, origin, ident)
            return
        if len(frame.queue) >= protocol.MAX_WAITING:
            busy = i18n.Message("api.busy", n=protocol.MAX_WAITING)
            raise protocol.ProtocolError("busy", busy, True)
    except protocol.ProtocolError as e:
        answer = protocol.error(None, e.code, page_text.text(e.message))
        post(source, origin, answer, ident if e.has_id else None)
        return
    except Exception as e:  # e.g. text MicroPython cannot hold (lone surrogates)
        unreadable = page_text.text("api.unreadable", detail=e.__class__.__name__)
        post(source, origin, protocol.error(None, "bad-message", unreadable))
        return
    request["source"], request["origin"], request["ident"] = source, origin, ident
    request["kind"], request["image"] = view["image"], event.data.image
    frame.queue.append(request)
    asyncio.create_task(pump())


# ---- requests -----------------------------------------------------------------------------


def cancel(req_id, source, origin, ident):
    """A parent's bgzero:cancel: a waiting request is answered "cancelled" now, a running one
    when the cut stops (worker_bridge.Cancelled in process())."""

    def same(request):
        return request["id"] == req_id and getattr(js.Object, "is")(request["source"], source)

    for i, request in enumerate(frame.queue):
        if same(request):
            del frame.queue[i]
            message = protocol.error(req_id, "cancelled", page_text.text("api.cancelled"))
            post(source, origin, message, request["ident"])
            return
    if frame.current is not None and same(frame.current):
        frame.cutter.cancel()
        return
    post(
        source,
        origin,
        protocol.error(req_id, "bad-message", page_text.text("api.no_request")),
        ident,
    )


def _name(request):
    """The image's file name when the parent sent a File (it names the export), else ''."""
    image = request["image"]
    return str(image.name) if request["kind"] == "File" else ""


async def pump():
    """Requests run one at a time, in arrival order, once the model is ready."""
    if frame.running or not (frame.ready or frame.failed):
        return
    frame.running = True
    try:
        while frame.queue:
            await process(frame.queue.pop(0))
    finally:
        frame.running = False
    if frame.cutter is not None:
        frame.cutter.settle()


async def process(request):
    def reply(msg, file=None):
        post(request["source"], request["origin"], msg, request["ident"], file)

    def on_stage(stage, done=None, total=None):
        show_stage(stage, done, total)
        reply(protocol.progress(request["id"], stage, done, total))

    req_id = request["id"]
    if frame.failed:
        reply(protocol.error(req_id, "internal", page_text.text(frame.failed)))
        return
    set_state("busy")
    canvas = frame.canvas
    try:
        image = request["image"]
        if request["kind"] == "ArrayBuffer":
            parts = js.Array.new()
            parts.push(image)
            image = js.Blob.new(parts)
        image = await heic.readable(image)  # an iPhone photo: a PNG from here on
        model = catalog.pick(frame.catalog, request["model"])
        frame.current = request
        try:
            cutout = await frame.cutter.cut(image, model, on_stage, _name(request))
        finally:
            frame.current = None
        try:
            show_engine(cutout.engine)
            behind = compose.backdrop(cutout, request["background"])
            try:
                blob, name, size = await to_file(
                    cutout,
                    canvas,
                    request["format"],
                    on_stage,
                    behind,
                    request["framing"],
                    request["shadow"],
                )
            finally:
                if behind is not None and not isinstance(behind, str):
                    behind.width = 0  # a full-size canvas
        finally:
            cutout.close()  # the frame keeps nothing of a request once it is answered
        show_message("")
        result = protocol.result(req_id, request["format"], name, *size)
        reply(result, blob)
    except file_input.BadInput as e:
        show_message(e.message)
        reply(protocol.error(req_id, "bad-image", page_text.text(e.message)))
    except Cancelled:
        show_message(None)
        reply(protocol.error(req_id, "cancelled", page_text.text("api.cancelled")))
    except Exception as e:
        text = str(e) or e.__class__.__name__
        show_message(i18n.of_error(e))
        if not (isinstance(e, WorkerError) and not e.bug):  # e.g. offline: not a bug
            js.console.error("BG Zero embed: %s: %s" % (e.__class__.__name__, text))
        said = page_text.text(e.message) if isinstance(e, WorkerError) else text
        reply(protocol.error(req_id, "internal", said))
    finally:
        canvas.width = canvas.height = 0  # a full-size canvas holds tens of MB
        frame.handled += 1
        body.dataset.handled = str(frame.handled)
        show_stage("done")
        set_state("ready")


# ---- start --------------------------------------------------------------------------------


async def read_origins():
    """The parent origins the build allows; none when the file can't be read (offline and
    not cached yet): the frame then answers nobody rather than failing to start."""
    try:
        response = await js.fetch("./embed.json")
        if not response.ok:
            return ()
        return protocol.read_config(json.loads(await response.text()))
    except Exception:
        return ()


def fail(error):
    text = str(error) or error.__class__.__name__
    detail = getattr(error, "message", None) or i18n.detail(error)
    frame.failed = i18n.Message("embed.failed", detail=detail)  # shown, and every reply's
    set_state("error")
    show_message(frame.failed)
    js.console.error("BG Zero embed: " + text)
    asyncio.create_task(pump())  # answers whatever waits


async def start():
    set_state("starting")
    page_text.start(str(js.URLSearchParams.new(js.location.search).get("lang") or ""))
    frame.origins = await read_origins()
    try:
        frame.cutter = Cutter(document.baseURI)  # its worker boots while the catalog loads
        frame.catalog = await frame.cutter.fetch_catalog()
    except Exception as e:
        fail(e)
    # From here on requests are answered; those sent before "ready" wait in the queue.
    js.window.addEventListener("message", create_proxy(on_message))
    if frame.failed:
        return
    try:
        model = catalog.pick(frame.catalog)
        view.line(i18n.Message("status.starting_worker", model=model["id"]))
        await frame.cutter.ready()
        frame.engine = await frame.cutter.load(model, show_stage)
    except Exception as e:
        fail(e)
        return
    show_engine(frame.engine)
    show_stage("done")
    page_text.put(ui["stage"], "stage.ready_embed")
    ui["progress"].value = 1
    if not frame.origins:
        show_message(i18n.Message("embed.no_origin"))
    frame.ready = True
    set_state("ready")
    announce()
    asyncio.create_task(pump())


asyncio.create_task(start())
