"""Drop, paste or pick a file -> a validated, EXIF-oriented ImageBitmap (main thread)."""

import js
from pyscript.ffi import create_proxy

from shared import header, limits, sniff


class BadInput(Exception):
    """The user's file can't be used; `message` (an i18n.Message) is for the user, not a
    bug."""

    def __init__(self, message):
        self.message = message
        super().__init__(str(message))


async def _bytes(blob):
    return bytes(js.Uint8Array.new(await blob.arrayBuffer()))


async def head_of(file):
    """The first bytes of `file`: enough for its type (sniff) and its header's size."""
    return await _bytes(file.slice(0, header.HEAD_BYTES))


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
    """Validate `file` and decode it: its ImageBitmap (read_photo says more)."""
    return (await read_photo(file))[0]


async def read_photo(file):
    """Validate `file` and decode it: (ImageBitmap, opaque), `opaque` when its format has
    no transparency (JPEG); raise BadInput with a message for the user.

    Type, byte size and the size the header claims are checked before decoding, so a
    decompression bomb never allocates its pixels."""
    size = int(file.size)
    head = await head_of(file)
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
    return bitmap, mime == "image/jpeg"


def _files(items):
    """Every File of a FileList or a DataTransferItemList; the sniffer judges each later."""
    files = []
    if items is None:
        return files
    for i in range(items.length):
        item = items[i]
        if js.Reflect.has(item, "getAsFile"):  # DataTransferItem (paste)
            if item.kind != "file":
                continue
            item = item.getAsFile()
        if item is not None:
            files.append(item)
    return files


class FileInput:
    """Wires #file (many files), the folder picker, the drop zone and paste. `on_files(list)`
    gets the Files of each pick, drop or paste, in their order.

    Listeners go up as soon as Python runs; until `enable()` files are queued, not lost.
    """

    def __init__(self, input_el, drop_zone, on_files, folder_el=None):
        self._input = input_el
        self._folder = folder_el
        self._zone = drop_zone
        self._on_files = on_files
        self._ready = False
        self._queued = []
        self._proxies = [
            create_proxy(self._changed),
            create_proxy(self._drag_over),
            create_proxy(self._drag_leave),
            create_proxy(self._dropped),
            create_proxy(self._pasted),
            create_proxy(self._folder_changed),
        ]
        changed, over, leave, dropped, pasted, folder = self._proxies
        input_el.addEventListener("change", changed)
        if folder_el is not None:
            folder_el.addEventListener("change", folder)
        # Drops anywhere on the page: a missed drop would navigate away to the file.
        js.document.addEventListener("dragover", over)
        js.document.addEventListener("dragleave", leave)
        js.document.addEventListener("drop", dropped)
        js.document.addEventListener("paste", pasted)

    def accept(self):
        """Let the user pick files already: they wait in the queue until enable()."""
        self._input.disabled = False
        if self._folder is not None:
            self._folder.disabled = False

    def enable(self):
        self._ready = True
        self.accept()
        if not self._queued:
            # Files set on the input before our "change" listener existed.
            self._queued = _files(self._input.files)
            self._input.value = ""
        if self._queued:
            files, self._queued = self._queued, []
            self._on_files(files)

    def take(self, files):
        """Process `files` (a list) now, or as soon as the app is ready."""
        if not files:
            return
        if self._ready:
            self._on_files(files)
        else:
            self._queued.extend(files)

    def _changed(self, event):
        files = _files(self._input.files)
        self._input.value = ""  # so picking the same file again fires "change"
        self.take(files)

    def _folder_changed(self, event):
        # A folder holds more than photos (notes, sidecars): only images are taken from it.
        files = [f for f in _files(self._folder.files) if str(f.type).startswith("image/")]
        self._folder.value = ""
        self.take(files)

    def _drag_over(self, event):
        event.preventDefault()
        self._zone.classList.add("dragging")

    def _drag_leave(self, event):
        self._zone.classList.remove("dragging")

    def _dropped(self, event):
        event.preventDefault()
        self._zone.classList.remove("dragging")
        self.take(_files(event.dataTransfer.files))

    def _pasted(self, event):
        files = _files(event.clipboardData.items)
        if files:
            event.preventDefault()
            self.take(files)
