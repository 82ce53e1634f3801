"""The embed frame's postMessage API: what a parent may send, what the frame answers.

parent -> frame  {type: "bgzero:remove", id, image: Blob | ArrayBuffer,
                  options?: {quality?: "fast" | "best", model?: <catalog id>,
                             format?: <shared/formats id>,
                             background?: "none" | "#rrggbb" | "blur" | "blur:<1-50>",
                             shadow?: boolean | {blur?, offset?, opacity?},
                             crop?: boolean, margin?: px, maxSide?: px}}
                 {type: "bgzero:cancel", id}: stop that request, waiting or running (it is
                  answered with an error of code "cancelled"; an id neither waiting nor
                  running gets "bad-message")
frame -> parent  {type: "bgzero:ready", provider, threads, isolated, models}
                 {type: "bgzero:progress", id, stage, done?, total?}
                 {type: "bgzero:result", id, file: Blob, format, name, width, height,
                  png: Blob (the same file, when the format is png)}
                 {type: "bgzero:error", id, code, message}

The frame never lets a parent's message into Python as is: it reads a JSON *view* of it
(see `read_request`), with the image replaced by its type name, so junk of any size or
shape costs a bounded amount of work and can only end in a ProtocolError.
"""

from shared import backgrounds as _backgrounds
from shared import formats as _formats
from shared import geometry as _geometry
from shared import i18n
from shared import shadows as _shadows

REMOVE = "bgzero:remove"
READY = "bgzero:ready"
PROGRESS = "bgzero:progress"
RESULT = "bgzero:result"
ERROR = "bgzero:error"
CANCEL = "bgzero:cancel"

CODES = ("bad-message", "bad-image", "unknown-model", "busy", "cancelled", "internal")
FORMATS = tuple(_formats.FORMATS)
# Object.prototype.toString names of what `image` may be (a File is a Blob).
IMAGE_KINDS = ("Blob", "File", "ArrayBuffer")
# The fields a view keeps, at any depth (JSON.stringify's key list): the image never.
VIEW_KEYS = (
    "type",
    "id",
    "options",
    "quality",
    "model",
    "format",
    "background",
    "shadow",
    "blur",
    "offset",
    "opacity",
    "crop",
    "margin",
    "maxSide",
)
# "fast": one model (`model`, else the default); "best": the catalog's "Best quality" pair.
QUALITIES = ("fast", "best")
BEST = "best"
MAX_MARGIN = 2000
MIN_SIDE = 16
MAX_VIEW_CHARS = 65536  # budget of a view: characters, plus 8 per value
MAX_ID_CHARS = 256
MAX_WAITING = 8  # requests queued behind the running one; more are answered "busy"


class ProtocolError(ValueError):
    """A request the frame refuses: `code` is one of CODES; `message` an i18n.Message (the
    frame replies in its language; str() is English); `has_id` says whether the request's
    id was valid and can be echoed in the error reply."""

    def __init__(self, code, message, has_id=False):
        self.message = message
        super().__init__(str(message))
        self.code = code
        self.has_id = has_id


def _say(key, **params):
    return i18n.Message(key, **params)


def _name(value):
    """A short, safe description of a value for an error message (a Message)."""
    if isinstance(value, str):
        return repr(value if len(value) <= 40 else value[:40] + "…")
    if value is None:
        return _say("api.what.nothing")
    if isinstance(value, bool):
        return _say("api.what.boolean")
    if isinstance(value, (int, float)):
        return _say("api.what.number")
    if isinstance(value, list):
        return _say("api.what.array")
    return _say("api.what.object")


def _kind(kind):
    return kind if isinstance(kind, str) else _say("api.what.this")


def valid_id(value):
    """A request id is a string of at most MAX_ID_CHARS or a finite number (JSON turns
    NaN and ±Infinity into null, so any number that arrives here is finite)."""
    if isinstance(value, bool):
        return False
    if isinstance(value, str):
        return len(value) <= MAX_ID_CHARS
    return isinstance(value, (int, float))


def read_request(view, model_ids):
    """Validate the view of a parent's message; return {"type": REMOVE, "id", "model",
    "format", "background" (a shared/backgrounds description), "shadow" (a shared/shadows
    description or None), "framing" (export's crop and size)}, or {"type": CANCEL, "id"}.

    view: {"kind": type name of the message, "image": type name of its `image`,
    "fields": the message's VIEW_KEYS as JSON values, or None when it had none or they
    could not be serialised, "problem": None | "too large" | "unserialisable"}.
    model_ids: the catalog's model ids. `model` is None for the default model; quality
    "best" asks for the catalog's BEST pair.
    """
    if not isinstance(view, dict) or view.get("kind") != "Object":
        kind = view.get("kind") if isinstance(view, dict) else None
        raise ProtocolError("bad-message", _say("api.not_object", what=_kind(kind)))
    if view.get("problem"):
        problem = "api.too_large" if view["problem"] == "too large" else "api.unserialisable"
        raise ProtocolError("bad-message", _say(problem))
    fields = view.get("fields")
    if not isinstance(fields, dict):
        raise ProtocolError("bad-message", _say("api.no_fields"))
    req_id = fields.get("id")
    has_id = valid_id(req_id)

    def refuse(code, message):
        raise ProtocolError(code, message, has_id)

    if fields.get("type") not in (REMOVE, CANCEL):
        what = _name(fields.get("type"))
        refuse("bad-message", _say("api.unknown_type", what=what, remove=REMOVE, cancel=CANCEL))
    if not has_id:
        refuse("bad-message", _say("api.bad_id", n=MAX_ID_CHARS, what=_name(req_id)))
    if fields["type"] == CANCEL:
        return {"type": CANCEL, "id": req_id}
    image = view.get("image")
    if image not in IMAGE_KINDS:
        refuse("bad-message", _say("api.bad_image", what=_kind(image)))
    options = fields.get("options")
    if options is None:
        options = {}
    if not isinstance(options, dict):
        refuse("bad-message", _say("api.bad_options", what=_name(options)))
    model = options.get("model")
    if model is not None:
        if not isinstance(model, str):
            refuse("bad-message", _say("api.bad_model", what=_name(model)))
        if model not in model_ids:
            refuse(
                "unknown-model",
                _say("api.unknown_model", what=_name(model), models=", ".join(model_ids)),
            )
    quality = options.get("quality", "fast")
    if quality not in QUALITIES:
        choices = ", ".join('"%s"' % q for q in QUALITIES)
        refuse("bad-message", _say("api.bad_quality", choices=choices, what=_name(quality)))
    if quality == "best":
        if model not in (None, BEST):
            refuse("bad-message", _say("api.best_model", best='"best"', what=_name(model)))
        if BEST not in model_ids:
            refuse(
                "unknown-model",
                _say("api.unknown_model", what=BEST, models=", ".join(model_ids)),
            )
        model = BEST
    fmt = options.get("format")
    if fmt is None:
        fmt = _formats.DEFAULT
    if fmt not in FORMATS:
        refuse("bad-message", _say("api.bad_format", formats=", ".join(FORMATS), what=_name(fmt)))
    background = options.get("background")
    if background is None:
        background = dict(_backgrounds.NONE)
    else:
        try:
            if not isinstance(background, str):
                raise _backgrounds.BackgroundError("bg.must_be_string")
            background = _backgrounds.parse(background)
            if background["kind"] == "image":
                raise _backgrounds.BackgroundError("bg.use")
        except _backgrounds.BackgroundError as e:
            what = _name(options["background"])
            refuse("bad-message", _say("api.bad_background", what=what, detail=e.message))
    shadow = options.get("shadow", False)
    try:
        if shadow is True:
            shadow = dict(_shadows.DEFAULT)
        elif shadow is False or shadow is None:
            shadow = None
        elif isinstance(shadow, dict):
            shadow = _shadows.check(shadow)
        else:
            raise _shadows.ShadowError("shadow.use")
    except _shadows.ShadowError as e:
        what = _name(options["shadow"])
        refuse("bad-message", _say("api.bad_shadow", what=what, detail=e.message))
    crop = options.get("crop", False)
    if not isinstance(crop, bool):
        refuse("bad-message", _say("api.bad_crop", what=_name(crop)))
    margin = _whole(options.get("margin", 20), 0, MAX_MARGIN, "margin", refuse)
    max_side = options.get("maxSide")
    if max_side is not None:
        max_side = _whole(max_side, MIN_SIDE, _geometry.MAX_SIDE, "maxSide", refuse)
    return {
        "type": REMOVE,
        "id": req_id,
        "model": model,
        "format": fmt,
        "background": background,
        "shadow": shadow,
        "framing": {"crop": crop, "margin": margin, "max_side": max_side},
    }


def _whole(value, low, high, name, refuse):
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        what = _name(value)
        refuse("bad-message", _say("api.bad_whole", name=name, low=low, high=high, what=what))
    return value


def read_config(data):
    """The parent origins allowed by dist/embed.json ({"origins": [...]}, written by
    `bgzero build --embed-origin`); anything malformed allows none."""
    origins = data.get("origins") if isinstance(data, dict) else None
    if not isinstance(origins, list):
        return ()
    return tuple(o for o in origins if isinstance(o, str) and "://" in o)


def ready(provider, threads, isolated, models):
    return {
        "type": READY,
        "provider": provider,
        "threads": threads,
        "isolated": bool(isolated),
        "models": list(models),
    }


def progress(req_id, stage, done=None, total=None):
    msg = {"type": PROGRESS, "id": req_id, "stage": stage}
    if done is not None:
        msg["done"] = done
        msg["total"] = total
    return msg


def result(req_id, format_id, name, width, height):
    """The result reply without its Blob (`file`, and `png` for a PNG), which the frame
    adds in JS."""
    return {
        "type": RESULT,
        "id": req_id,
        "format": format_id,
        "name": name,
        "width": width,
        "height": height,
    }


def error(req_id, code, message):
    if code not in CODES:
        raise ValueError("unknown error code %r" % (code,))
    return {"type": ERROR, "id": req_id, "code": code, "message": str(message)[:300]}
