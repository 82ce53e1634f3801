"""How a message crosses between the page and the worker: {json, payload} plus a transfer
list, so pixel buffers move (never copied) and the dict part stays plain JSON."""

import js

from shared import messages


def pack(msg, payload=None, photo=None):
    """(wire object, transfer list) for postMessage. `photo`: the page's own ImageBitmap of
    the photo, going back with a cut's result (messages.cut's returns_photo)."""
    wire = js.Object.new()
    wire.json = messages.encode(msg)
    transfer = js.Array.new()
    if payload is not None:
        wire.payload = payload
        transfer.push(payload)
    if photo is not None:
        wire.photo = photo
        transfer.push(photo)
    return wire, transfer
