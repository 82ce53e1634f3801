"""What the page accepts, and the messages it shows when it refuses."""

from shared import geometry as _geometry
from shared import header as _header
from shared import i18n
from shared import sniff as _sniff
from shared.i18n import Message

# Big enough for a MAX_PIXELS photo saved as an 8-bit PNG; the pixel limit is what matters.
MAX_BYTES = 200 * 1000 * 1000
# Full-frame cameras (up to 61 MP) and phones' 64 MP mode are cut out at full size. Beyond,
# the decoded bitmap plus the canvas (4 bytes a pixel each) outgrow what a tab can count on,
# and a header claiming far more is a decompression bomb: refused before decoding.
MAX_PIXELS = 65 * 1000 * 1000
MAX_SIDE = _geometry.MAX_SIDE
JPEG_READS = 64  # header.HEAD_BYTES reads to find a JPEG's frame header and scan
SCAN_CHUNK = 1 << 20  # bytes per step of the FF D9 search

# After a cut the page replaces its worker (once it has nothing more to cut) when the photos'
# full-size stages grew the worker's WebAssembly memory, which never shrinks, beyond this
# many bytes. In one piece the helper graphs grew it (onnxruntime-web's heap, beside
# LiteRT.js's) by 181 MB on u2netp at 1920x1080, 311 MB at 3.5 MP and 385 MB at 12 MP (in
# 4 MP strips); above geometry.SPLIT_PIXELS they run in strips of rows, which grew it by 97
# MB at 3.5 MP and ~110 MB at 12 MP; IS-Net on WebAssembly grows it by none (its model's heap
# is larger than the helper graphs need). So this is a guard now, rarely reached. A new
# worker costs the next photo its model's load and first run (1-4 s) if it comes soon.
RECYCLE_BYTES = 256 * 1024 * 1024
# Where the worker can't count its memory: after a photo above this many pixels.
RECYCLE_PIXELS = 4000000


def replaces_worker(pixels, grown):
    """Whether a cut of `pixels` that left the worker's memory `grown` bytes beyond what its
    models need (None: not counted) calls for a fresh worker."""
    if grown is None:
        return pixels > RECYCLE_PIXELS
    return grown > RECYCLE_BYTES


# Types Chromium's createImageBitmap decodes.
DECODABLE = (
    "image/jpeg",
    "image/png",
    "image/gif",
    "image/webp",
    "image/bmp",
    "image/avif",
    "image/x-icon",
)

# Turned into PNG on the device before anything else reads them (src/web/cut/heic.py).
CONVERTED = ("image/heic",)

_NAMES = {
    "image/heic": "HEIC/HEIF",
    "image/tiff": "TIFF",
    "image/svg+xml": "SVG",
    "image/jp2": "JPEG 2000",
    "image/jxl": "JPEG XL",
}


def check_type(size, mime):
    """A Message if a file of `size` bytes, sniffed as `mime`, can't be used, else None."""
    if size == 0:
        return Message("file.empty")
    if size > MAX_BYTES:
        return Message("file.too_large", size=i18n.size(size), limit=i18n.size(MAX_BYTES))
    if mime is None:
        return Message("file.not_image")
    if mime not in DECODABLE and mime not in CONVERTED:
        return Message("file.cant_open", format=_NAMES.get(mime, mime))
    return None


def check_image(mime, dims, complete=True):
    """A Message if the image its header describes can't be used, else None.

    dims: (width, height) from the header, or None when it does not tell; complete: False
    when a JPEG lacks its end marker (Chromium may decode a cut JPEG partially, grey at the
    bottom, without an error)."""
    if dims is not None:
        problem = check_pixels(dims[0], dims[1])
        if problem:
            return problem
    if mime == "image/jpeg" and not complete:
        return Message("file.truncated", format="JPEG")
    return None


def check_file(size, head, complete=True, dims=None):
    """check_type, then check_image, of a file whose first bytes are `head` (sniffed once).
    dims: when found beyond `head` (a JPEG's frame header)."""
    mime = _sniff.sniff(head)
    return check_type(size, mime) or check_image(
        mime, dims if dims is not None else _header.image_size(head, mime), complete
    )


def check_pixels(width, height):
    """A Message if an image of this size is unusable (from its header or decoded)."""
    if width < 1 or height < 1:
        return Message("image.no_pixels", width=width, height=height)
    if width * height > MAX_PIXELS:
        mp = width * height / 1e6
        return Message(
            "image.too_large", width=width, height=height, mp=mp, limit=MAX_PIXELS // 1000000
        )
    return None


def undecodable(mime, complete=True):
    """The Message when the browser can't decode a file that check_file let through."""
    if not complete and mime:
        return Message("file.truncated", format=mime.split("/")[1].upper())
    return Message("image.undecodable")
