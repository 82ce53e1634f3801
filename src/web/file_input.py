"""Drop, paste or pick a file -> a validated, EXIF-oriented ImageBitmap (main thread)."""

import js
from pyscript.ffi import create_proxy

from shared import header, limits, sniff


class BadInput(Exception):
    """The user's file can't be used; the message is for the user, not a bug."""


async def _bytes(blob):
    return bytes(js.Uint8Array.new(await blob.arrayBuffer()))


async def _jpeg_header(file, size, head):
    """(width, height) or None, and where the main scan starts or None: the segments are
    walked one small read at a time (bytes cost ~1.5 µs each to bring into MicroPython)."""
    data, pos, dims = head, 0, None
    for _ in range(limits.JPEG_READS):
        found, scan, more = header.jpeg_walk(data, pos)
        dims = dims or found
        if more is None or more <= pos or more >= size:
            return dims, scan
        pos = more
        data = await _bytes(file.slice(pos, pos + header.HEAD_BYTES))
    return dims, None


async def _jpeg_complete(file, size, scan):
    """Whether the main image's FF D9 is there; only unusual files need more than 2 bytes."""
    if sniff.jpeg_complete(await _bytes(file.slice(max(0, size - 2), size))):
        return True
    if scan is None:
        return True  # can't tell: let the decoder judge
    # latin-1 keeps one char per byte, so each chunk is searched in C, not byte by byte.
    decoder = js.TextDecoder.new("latin1")
    pos = scan
    while pos < size - 1:
        end = min(size, pos + limits.SCAN_CHUNK)
        if sniff.jpeg_complete(decoder.decode(await file.slice(pos, end).arrayBuffer())):
            return True
        if end == size:
            break
        pos = end - 1  # FF D9 may straddle two chunks
    return False


async def read_image(file):
    """Validate `file` and decode it; raise BadInput with a message for the user.

    Type, byte size and the size the header claims are checked before decoding, so a
    decompression bomb never allocates its pixels."""
    size = int(file.size)
    head = await _bytes(file.slice(0, header.HEAD_BYTES))
    mime = sniff.sniff(head)  # once: everything below goes by this type
    problem = limits.check_type(size, mime)
    if problem:
        raise BadInput(problem)
    complete = True
    if mime == "image/jpeg":
        dims, scan = await _jpeg_header(file, size, head)
        complete = await _jpeg_complete(file, size, scan)
    else:
        dims = header.image_size(head, mime)
        if mime == "image/png":
            complete = sniff.png_complete(await _bytes(file.slice(max(0, size - 12), size)))
    problem = limits.check_image(mime, dims, complete)
    if problem:
        raise BadInput(problem)
    try:
        bitmap = await js.createImageBitmap(
            file, js.JSON.parse('{"imageOrientation":"from-image"}')
        )
    except Exception:
        raise BadInput(limits.undecodable(mime, complete)) from None
    problem = limits.check_pixels(bitmap.width, bitmap.height)
    if problem:
        bitmap.close()
        raise BadInput(problem)
    return bitmap


def _first_image(items):
    """The first File of a FileList or a DataTransferItemList; the sniffer judges it later."""
    if items is None:
        return None
    for i in range(items.length):
        item = items[i]
        if js.Reflect.has(item, "getAsFile"):  # DataTransferItem (paste)
            if item.kind != "file":
                continue
            item = item.getAsFile()
        return item
    return None


class FileInput:
    """Wires #file, the drop zone and paste. `on_file(file)` gets each chosen File.

    Listeners go up as soon as Python runs; until `enable()` files are queued, not lost.
    """

    def __init__(self, input_el, drop_zone, on_file):
        self._input = input_el
        self._zone = drop_zone
        self._on_file = on_file
        self._ready = False
        self._queued = None
        self._proxies = [
            create_proxy(self._changed),
            create_proxy(self._drag_over),
            create_proxy(self._drag_leave),
            create_proxy(self._dropped),
            create_proxy(self._pasted),
        ]
        changed, over, leave, dropped, pasted = self._proxies
        input_el.addEventListener("change", changed)
        # Drops anywhere on the page: a missed drop would navigate away to the file.
        js.document.addEventListener("dragover", over)
        js.document.addEventListener("dragleave", leave)
        js.document.addEventListener("drop", dropped)
        js.document.addEventListener("paste", pasted)

    def accept(self):
        """Let the user pick a file already: it waits in the queue until enable()."""
        self._input.disabled = False

    def enable(self):
        self._ready = True
        self._input.disabled = False
        if self._queued is None:
            # A file set on the input before our "change" listener existed.
            self._queued = _first_image(self._input.files)
            self._input.value = ""
        if self._queued is not None:
            file, self._queued = self._queued, None
            self._on_file(file)

    def take(self, file):
        """Process `file` now, or as soon as the app is ready."""
        if file is None:
            return
        if self._ready:
            self._on_file(file)
        else:
            self._queued = file

    def _changed(self, event):
        file = _first_image(self._input.files)
        self._input.value = ""  # so picking the same file again fires "change"
        self.take(file)

    def _drag_over(self, event):
        event.preventDefault()
        self._zone.classList.add("dragging")

    def _drag_leave(self, event):
        self._zone.classList.remove("dragging")

    def _dropped(self, event):
        event.preventDefault()
        self._zone.classList.remove("dragging")
        self.take(_first_image(event.dataTransfer.files))

    def _pasted(self, event):
        file = _first_image(event.clipboardData.items)
        if file is not None:
            event.preventDefault()
            self.take(file)
