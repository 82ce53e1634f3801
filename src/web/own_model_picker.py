"""A model the user brings, in the page (main thread): read the chosen .onnx file, check it
with shared/own_model.py's rules, and describe it. The file never leaves the device: its
bytes go to the worker only."""

import js

from shared import onnx_info, own_model

OPTION = "own"  # the model menu's "Your own model…" entry


async def read(file):
    """(ArrayBuffer, onnx_info of it, sha256 hex) of a chosen file; raises
    own_model.OwnModelError with a message for the user."""
    own_model.check_bytes(int(file.size))
    buffer = await file.arrayBuffer()
    data = js.Uint8Array.new(buffer)
    try:
        info = onnx_info.read(lambda i: data[i], data.length)
    except onnx_info.OnnxError as error:
        raise own_model.OwnModelError("%s is %s." % (file.name, error)) from None
    digest = js.Uint8Array.new(await js.crypto.subtle.digest("SHA-256", buffer))
    return buffer, info, "".join("%02x" % digest[i] for i in range(32))


def shape(value):
    dims = value["dims"]
    text = (
        "?" if dims is None else "[" + ", ".join("?" if d is None else str(d) for d in dims) + "]"
    )
    return "%s %s %s" % (value["name"], value["type"] or "", text)


def describe(name, info):
    """One line on the file: its name and what it takes and gives."""
    inputs = "; ".join(shape(v) for v in info["inputs"]) or "none"
    outputs = "; ".join(shape(v) for v in info["outputs"][:1]) or "none"
    return "%s · input %s · output %s" % (name, inputs, outputs)
