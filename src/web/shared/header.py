"""The width and height an image's header claims, read before anything decodes it.

A decompression bomb is a small file whose header claims a huge picture: knowing the size
from the first bytes lets the page refuse it without allocating a pixel. Runs on MicroPython
too, so plain byte arithmetic (its `struct` lacks some formats).
"""

# Read first from every file: holds every header here but some JPEGs' (those are walked on).
HEAD_BYTES = 1024


def _be(b, i, n):
    v = 0
    for k in range(i, i + n):
        v = (v << 8) | b[k]
    return v


def _le(b, i, n):
    v = 0
    for k in range(i + n - 1, i - 1, -1):
        v = (v << 8) | b[k]
    return v


def image_size(head, mime):
    """(width, height) from the header in `head` (a file's first bytes) of an image of this
    sniffed type, or None if they don't tell: an unknown type, a header cut short, or a JPEG
    frame header further on."""
    b = bytes(head)
    n = len(b)
    if mime == "image/jpeg":
        return jpeg_walk(b)[0]
    if mime == "image/png":
        return (_be(b, 16, 4), _be(b, 20, 4)) if n >= 24 and b[12:16] == b"IHDR" else None
    if mime == "image/gif":
        return _gif_size(b) if n >= 13 else None
    if mime == "image/webp":
        return _webp_size(b) if n >= 30 else None
    if mime == "image/bmp":
        return _bmp_size(b) if n >= 26 else None
    return None


def _gif_size(b):
    # Chromium grows the logical screen to fit the first frame, so a 1×1 screen may hold a
    # huge frame: take the larger of the two.
    width, height = _le(b, 6, 2), _le(b, 8, 2)
    i = 13
    if b[10] & 0x80:  # global colour table
        i += 3 << ((b[10] & 7) + 1)
    while i < len(b):
        if b[i] == 0x2C:  # image descriptor
            if i + 9 > len(b):
                break
            return (
                max(width, _le(b, i + 1, 2) + _le(b, i + 5, 2)),
                max(height, _le(b, i + 3, 2) + _le(b, i + 7, 2)),
            )
        if b[i] != 0x21:  # neither an extension: damaged
            break
        i += 2
        while i < len(b) and b[i]:  # the extension's sub-blocks
            i += b[i] + 1
        i += 1
    if width and height:
        return width, height
    return None  # 0×0 screen, frame not in these bytes


def _webp_size(b):
    kind = b[12:16]
    if kind == b"VP8X":
        return 1 + _le(b, 24, 3), 1 + _le(b, 27, 3)
    if kind == b"VP8 " and b[23:26] == b"\x9d\x01\x2a":
        return _le(b, 26, 2) & 0x3FFF, _le(b, 28, 2) & 0x3FFF
    if kind == b"VP8L" and b[20] == 0x2F:
        bits = _le(b, 21, 4)
        return 1 + (bits & 0x3FFF), 1 + ((bits >> 14) & 0x3FFF)
    return None


def _bmp_size(b):
    dib = _le(b, 14, 4)
    if dib == 12:  # OS/2 1.x: 16-bit sizes
        return _le(b, 18, 2), _le(b, 20, 2)
    if 16 <= dib <= 124:
        width, height = _le(b, 18, 4), _le(b, 22, 4)
        if height >= 1 << 31:  # negative: rows stored top-down
            height = (1 << 32) - height
        if width < 1 << 31:
            return width, height
    return None  # unknown header: the decoder judges


def _is_sof(marker):
    return 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC)


def jpeg_walk(data, start=0):
    """Walk a JPEG's marker segments in `data`: the file's bytes from offset `start`, which
    is 0 or where a segment starts.

    Returns (size, scan, more): size is (width, height) from the frame header (SOFn) if it
    was in `data`; scan the offset where the main image's entropy-coded data starts, once
    reached; more the offset to go on reading from when the segments run past `data`.
    Segments are skipped by their lengths, so the EXIF thumbnail (a whole JPEG inside APP1)
    is never taken for the image.
    """
    b = bytes(data)
    size = None
    i = 0
    if start == 0:
        if b[:2] != b"\xff\xd8":
            return None, None, None
        i = 2
    while i + 2 <= len(b):
        if b[i] != 0xFF:
            return size, None, None  # damaged: the decoder judges
        marker = b[i + 1]
        if marker == 0xFF:  # fill byte
            i += 1
            continue
        if marker == 0x01 or 0xD0 <= marker <= 0xD7:  # markers without a length
            i += 2
            continue
        if marker == 0xD9:
            return size, None, None
        if i + 4 > len(b):
            break
        length = _be(b, i + 2, 2)
        if marker == 0xDA:
            return size, start + i + 2 + length, None
        if size is None and _is_sof(marker):
            if i + 9 > len(b):
                break
            size = (_be(b, i + 7, 2), _be(b, i + 5, 2))
        i += 2 + length
    return size, None, start + i
