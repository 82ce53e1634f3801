"""A model the user brings, in the page (main thread): read the chosen .onnx file, check it
with shared/own_model.py's rules, describe it, and keep it on the device when asked. The
file never leaves the device: its bytes go to the worker only."""

import json

import js
from pyscript.ffi import is_none

from shared import i18n, onnx_info, own_model
from shared.i18n import Message

OPTION = "own"  # the model menu's "Your own model…" entry


async def read(file, name):
    """(ArrayBuffer, onnx_info of it, sha256 hex) of a chosen file (or Blob) called `name`;
    raises own_model.OwnModelError with a message for the user."""
    own_model.check_bytes(int(file.size))
    buffer = await file.arrayBuffer()
    data = js.Uint8Array.new(buffer)
    try:
        info = onnx_info.read(lambda i: data[i], data.length)
    except onnx_info.OnnxError as error:
        raise own_model.OwnModelError("own.not_onnx", name=name, detail=str(error)) from None
    digest = js.Uint8Array.new(await js.crypto.subtle.digest("SHA-256", buffer))
    return buffer, info, "".join("%02x" % digest[i] for i in range(32))


def shape(value):
    return "%s %s %s" % (value["name"], value["type"] or "", own_model.shape_text(value["dims"]))


def label(name, nbytes):
    """The Message of its entry in the model menu."""
    return Message("own.option", name=name, size=i18n.size(nbytes))


def describe(name, info):
    """One line on the file: its name and what it takes and gives."""
    nothing = Message("own.nothing")
    inputs = "; ".join(shape(v) for v in info["inputs"]) or nothing
    outputs = "; ".join(shape(v) for v in info["outputs"][:1]) or nothing
    return Message("own.describe", name=name, inputs=inputs, outputs=outputs)


# Kept for offline use only when the user ticks "Keep on this device": one model at a time,
# in its own Cache Storage (the service worker's clean-up leaves other caches alone).
_KEPT = "bgzero-own-model"
_FILE = "./own-model/model.onnx"
_META = "./own-model/kept.json"


async def keep(file, meta):
    """Store the model file and `meta` (name, sha256, preset) on this device, in place of
    the one kept before."""
    cache = await js.caches.open(_KEPT)
    await cache.put(_FILE, js.Response.new(file))
    await cache.put(_META, js.Response.new(json.dumps(meta)))


async def forget():
    await js.caches.delete(_KEPT)


async def kept():
    """(meta, Blob) of the kept model, or None."""
    try:
        cache = await js.caches.open(_KEPT)
        meta = await cache.match(_META)
        data = await cache.match(_FILE)
        if is_none(meta) or is_none(data):
            return None
        return json.loads(await meta.text()), await data.blob()
    except Exception:
        return None  # no Cache Storage here (some embeds, private modes): nothing kept
