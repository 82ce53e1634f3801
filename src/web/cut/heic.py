"""iPhone photos (HEIC/HEIF): browsers other than Safari cannot decode them, so a registry
decoder (heic-to: libheif in WebAssembly, LGPL-3.0) turns one into a PNG here, on the device,
loaded only when such a file arrives. The PNG keeps the file's name; libheif applies the
photo's rotation, so it is upright."""

import js
from pyscript.ffi import to_js

from cut.file_input import BadInput, head_of
from shared import i18n, sniff
from shared.i18n import Message

_import = js.Function.new("u", "return import(u)")
_DECODER = "./runtime/heic-to/heic-to.js"


async def readable(file):
    """`file` (a File or Blob), or a PNG of it when it is HEIC/HEIF (a File of the same name,
    where it had one)."""
    if sniff.sniff(await head_of(file)) != "image/heic":
        return file
    try:
        module = await _import(js.URL.new(_DECODER, js.document.baseURI).href)
        png = await module.heicTo(to_js({"blob": file, "type": "image/png"}))
    except Exception as e:
        failed = Message("file.heic_failed", format="HEIC/HEIF", detail=i18n.detail(e))
        raise BadInput(failed) from None
    if not js.Reflect.has(file, "name"):
        return png
    return js.File.new(to_js([png]), file.name, to_js({"type": "image/png"}))
