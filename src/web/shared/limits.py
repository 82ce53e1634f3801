"""What the page accepts, and the messages it shows when it refuses."""

from shared import sniff as _sniff

MAX_BYTES = 50 * 1000 * 1000
MAX_PIXELS = 40 * 1000 * 1000   # larger photos are scaled down for the cutout canvas
MAX_SIDE = 16384                # Chromium's canvas side limit is 32767; stay well under
JPEG_HEADER_BYTES = 262144      # where a JPEG's first scan must start for the FF D9 search
SCAN_CHUNK = 1 << 20            # bytes per step of that search

# Types Chromium's createImageBitmap decodes.
DECODABLE = ("image/jpeg", "image/png", "image/gif", "image/webp", "image/bmp",
             "image/avif", "image/x-icon")

_NAMES = {"image/heic": "HEIC/HEIF", "image/tiff": "TIFF", "image/svg+xml": "SVG",
          "image/jp2": "JPEG 2000", "image/jxl": "JPEG XL"}


def _mb(n):
    return "%d MB" % (n // 1000000)


def check_file(size, head, complete=True):
    """Return a message for the user if this file can't be used, else None.

    size: bytes; head: the first bytes; complete: False when a JPEG lacks its end marker
    (Chromium may decode a cut JPEG partially, grey at the bottom, without an error).
    """
    if size == 0:
        return "This file is empty."
    if size > MAX_BYTES:
        return "This file is too large (%.1f MB); the limit is %s." % (size / 1e6, _mb(MAX_BYTES))
    mime = _sniff.sniff(head)
    if mime is None:
        return "This file is not an image we can read. Try a JPEG, PNG, WebP, GIF, BMP or AVIF."
    if mime not in DECODABLE:
        return ("%s images can't be opened in this browser. Convert it to JPEG or PNG first."
                % _NAMES.get(mime, mime))
    if mime == "image/jpeg" and not complete:
        return "This JPEG file is incomplete (truncated)."
    return None


def needs_end_check(head):
    """Whether the file must be searched for its end marker before check_file (JPEG)."""
    return _sniff.sniff(head) == "image/jpeg"


def check_pixels(width, height):
    """Return a message if the decoded image is unusable, else None."""
    if width < 1 or height < 1:
        return "This image has no pixels."
    return None


def fit_size(width, height, max_pixels=MAX_PIXELS, max_side=MAX_SIDE):
    """Largest (w, h) with the same aspect ratio within max_pixels and max_side."""
    scale = 1.0
    if width * height > max_pixels:
        scale = (max_pixels / (width * height)) ** 0.5
    if max(width, height) * scale > max_side:
        scale = max_side / max(width, height)
    if scale >= 1.0:
        return width, height
    return max(1, int(width * scale)), max(1, int(height * scale))
