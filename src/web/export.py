"""A composed canvas -> a file in one of shared/formats (main thread)."""

import js
from pyscript.ffi import create_proxy, is_none

from shared import formats


def encode(canvas, format_id=formats.DEFAULT, quality=None):
    """A promise of the canvas as a Blob of the format (toBlob only has a callback)."""
    entry = formats.get(format_id)
    level = formats.quality(format_id, quality)

    def executor(resolve, reject):
        def done(blob):
            if is_none(blob):  # the browser could not encode (e.g. out of memory)
                reject(js.Error.new("The %s could not be encoded." % entry["label"]))
            else:
                resolve(blob)

        if level is None:
            canvas.toBlob(create_proxy(done), entry["mime"])
        else:
            canvas.toBlob(create_proxy(done), entry["mime"], level)

    return js.Promise.new(create_proxy(executor))
