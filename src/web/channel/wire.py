"""How a message crosses between the page and the worker: {json, payload} plus a transfer
list, so pixel buffers move (never copied) and the dict part stays plain JSON."""

import js

from shared import messages


def pack(msg, payload=None):
    """(wire object, transfer list) for postMessage."""
    wire = js.Object.new()
    wire.json = messages.encode(msg)
    transfer = js.Array.new()
    if payload is not None:
        wire.payload = payload
        transfer.push(payload)
    return wire, transfer
