"""Download all as ZIP: the finished photos' files in one archive, written by client-zip
(npm, streaming) in the browser; nothing leaves the device."""

import js

_import = js.Function.new("u", "return import(u)")
_entry = js.Function.new("name", "input", "return {name, input, lastModified: new Date()};")


async def zip_blob(entries, base):
    """A Blob of a ZIP holding (name, Blob) entries, in order."""
    module = await _import(js.URL.new("./runtime/client-zip/index.js", base).href)
    files = js.Array.new()
    for name, blob in entries:
        files.push(_entry(name, blob))
    return await module.downloadZip(files).blob()


def save(blob, name):
    """Hand a Blob to the browser as a download called `name`."""
    url = js.URL.createObjectURL(blob)
    link = js.document.createElement("a")
    link.href = url
    link.download = name
    js.document.body.append(link)
    link.click()
    link.remove()
    js.setTimeout(js.Function.new("u", "return () => URL.revokeObjectURL(u)")(url), 60000)
