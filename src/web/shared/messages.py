"""Messages between the page and the cut worker (cut_worker.py).

On the wire a message is a JS object {json: <this dict as JSON>, payload: <ImageBitmap or
ArrayBuffer, transferred>}: the dict part is plain JSON so both interpreters and native
tests handle it the same way, and pixels never pass through Python.
"""

import json

from shared import geometry, i18n
from shared.catalog import GRAPHS, OWN_GRAPHS

PROVIDERS = ("wasm", "webgpu", "litert")  # litert: LiteRT.js on WASM (runtime_choice.py)

# kind -> required fields (besides "type" and "id")
_FIELDS = {
    # page -> worker: get a session ready; engine: {want, fault, remembered}, see
    # provider_choice (the provider is chosen by the first load or cut)
    "load": ("model", "ort", "engine"),
    # page -> worker: payload = ImageBitmap of width×height; graphs: {name: spec or None} of
    # catalog.GRAPHS (prepare always; decontaminate needs refine)
    "cut": ("model", "ort", "engine", "width", "height", "graphs"),
    "progress": ("stage",),  # worker -> page: optional done/total
    # reason: why this provider (None or a provider_choice reason); remember: None or
    # {key, provider, reason}, a choice for the page to keep for the next visit
    "ready": ("model", "provider", "threads", "reason", "remember", "timings"),
    # worker -> page: payload = width×height ImageBitmap, the alpha as its alpha (channels 1)
    # or the RGBA cut-out (channels 4); box = the photo's part of them
    "result": (
        "model",
        "width",
        "height",
        "channels",
        "box",
        "provider",
        "threads",
        "reason",
        "remember",
        "timings",
    ),
    "error": ("message",),  # message: an i18n.Message's data(), shown in the page's language
    # page -> worker: stop request `target` at its next stage (it is answered "cancelled");
    # handled on arrival, not after the jobs before it
    "cancel": ("target",),
    "cancelled": (),  # worker -> page: the final reply of a cancelled request
}
_MODEL_FIELDS = ("id", "url", "size", "bytes", "sha256", "fit")
_GRAPH_FIELDS = ("url", "bytes", "sha256")
# A model the user brings (shared/own_model.py) also has "own": its normalisation and the
# graphs around it; its bytes travel as the payload of its first "load".
_OWN_FIELDS = ("mean", "std") + tuple(OWN_GRAPHS)


class MessageError(ValueError):
    pass


def _make(kind, req_id, **fields):
    msg = {"type": kind, "id": req_id}
    msg.update(fields)
    return validate(msg)


def _in_order(kind, req_id, *values):
    """A `kind` message whose fields are `values`, in _FIELDS' order (validate() says which
    one is missing)."""
    return _make(kind, req_id, **dict(zip(_FIELDS[kind], values)))


def load(req_id, model, ort, engine, graphs=None):
    """`graphs`: the helper graphs a cut with this model will run ({name: spec or None}, as
    a cut's): the worker gets their sessions ready too, before a photo waits for them."""
    extra = {} if graphs is None else {"graphs": graphs}
    return _make("load", req_id, model=model, ort=ort, engine=engine, **extra)


def cut(req_id, model, ort, engine, width, height, graphs, returns_photo=False):
    """`returns_photo`: the payload is the page's own photo, which the worker hands back with
    the result (the pixels then cross once, with no copy made on the page's thread)."""
    msg = _in_order("cut", req_id, model, ort, engine, width, height, graphs)
    msg["returns_photo"] = bool(returns_photo)
    return msg


def progress(req_id, stage, done=None, total=None):
    msg = {"type": "progress", "id": req_id, "stage": stage}
    if done is not None:
        msg["done"] = done
        msg["total"] = total
    return validate(msg)


def ready(req_id, model_id, provider, threads, reason, remember, timings):
    return _in_order("ready", req_id, model_id, provider, threads, reason, remember, timings)


def result(
    req_id,
    model_id,
    width,
    height,
    channels,
    box,
    provider,
    threads,
    reason,
    remember,
    timings,
    grown=None,
):
    """`grown`: bytes of WebAssembly memory the worker's cuts added beyond its models'
    (limits.replaces_worker), None where the worker can't count them."""
    return _make(
        "result",
        req_id,
        model=model_id,
        width=width,
        height=height,
        channels=channels,
        box=list(box),
        provider=provider,
        threads=threads,
        reason=reason,
        remember=remember,
        timings=timings,
        grown=grown,
    )


def cancel(req_id, target):
    return _make("cancel", req_id, target=target)


def cancelled(req_id):
    return _make("cancelled", req_id)


def error(req_id, message, bug=False):
    """`message`: an i18n.Message (a plain string is shown as it is)."""
    return _make("error", req_id, message=i18n.from_data(message).data(), bug=bool(bug))


def validate(msg):
    """Return msg if it is a well-formed message, else raise MessageError."""
    if not isinstance(msg, dict):
        raise MessageError("message is not an object")
    kind = msg.get("type")
    if kind not in _FIELDS:
        raise MessageError("unknown message type %r" % (kind,))
    if not isinstance(msg.get("id"), int):
        raise MessageError("%s: id must be an int" % kind)
    for key in _FIELDS[kind]:
        if key not in msg:
            raise MessageError("%s: missing %r" % (kind, key))
    if kind in ("load", "cut"):
        model = msg["model"]
        if not isinstance(model, dict):
            raise MessageError("%s: model must be an object" % kind)
        parts = model.get("parts")  # "Best quality": two models (catalog.pair_spec)
        if parts is not None and not (isinstance(parts, list) and len(parts) == 2):
            raise MessageError("%s: a pair is two models" % kind)
        for part in parts or [model]:
            if not isinstance(part, dict):
                raise MessageError("%s: model must be an object" % kind)
            for key in _MODEL_FIELDS:
                if key not in part:
                    raise MessageError("%s: model lacks %r" % (kind, key))
            if part["fit"] not in geometry.ALL_FITS:
                raise MessageError("%s: unknown fit %r" % (kind, part["fit"]))
            if part["fit"] == geometry.ASPECT and not part.get("any_size"):
                raise MessageError("%s: %s has a fixed input size" % (kind, part["id"]))
        own = model.get("own")
        if own is not None and not (isinstance(own, dict) and all(k in own for k in _OWN_FIELDS)):
            raise MessageError("%s: own model needs %s" % (kind, ", ".join(_OWN_FIELDS)))
    if kind in ("load", "cut") and not isinstance(msg["engine"], dict):
        raise MessageError("%s: engine must be an object" % kind)
    if "provider" in _FIELDS[kind] and msg["provider"] not in PROVIDERS:
        raise MessageError("%s: unknown provider %r" % (kind, msg["provider"]))
    if kind == "cut" and not (msg["width"] > 0 and msg["height"] > 0):
        raise MessageError("cut: empty image")
    if kind == "load" and msg.get("graphs") is not None:
        _check_graphs(msg["graphs"])
    if kind == "cut":
        _check_graphs(msg["graphs"])
        if not isinstance(msg.get("returns_photo", False), bool):
            raise MessageError("cut: returns_photo is true or false")
        if msg["model"].get("parts") and msg["graphs"]["mix"] is None:
            raise MessageError("cut: a pair needs the mix graph")
        if msg["model"].get("flip") and msg["graphs"]["mirror"] is None:
            raise MessageError("cut: a second look in the mirror needs the mirror graph")
    if kind == "error" and not (isinstance(msg["message"], dict) and "key" in msg["message"]):
        raise MessageError("error: message must be a text key and parameters")
    if kind == "cancel" and not isinstance(msg["target"], int):
        raise MessageError("cancel: target must be a request id")
    if kind == "result" and len(msg["box"]) != 4:
        raise MessageError("result: box needs top, left, bottom, right")
    if kind == "result" and msg["channels"] not in (1, 4):
        raise MessageError("result: channels must be 1 (alpha) or 4 (RGBA)")
    return msg


def _check_graphs(graphs):
    if not isinstance(graphs, dict) or set(graphs) != set(GRAPHS):
        raise MessageError("cut: graphs must name %s" % ", ".join(GRAPHS))
    if graphs["prepare"] is None:
        raise MessageError("cut: the prepare graph is needed")
    if graphs["decontaminate"] is not None and graphs["refine"] is None:
        raise MessageError("cut: decontamination needs the refined alpha")
    for name, spec in graphs.items():
        if spec is None:
            continue
        if not isinstance(spec, dict):
            raise MessageError("cut: %s must be an object" % name)
        for key in _GRAPH_FIELDS + GRAPHS[name]:
            if key not in spec:
                raise MessageError("cut: %s lacks %r" % (name, key))


def encode(msg):
    return json.dumps(validate(msg))


def decode(text):
    try:
        msg = json.loads(text)
    except ValueError:
        raise MessageError("message is not JSON") from None
    return validate(msg)
