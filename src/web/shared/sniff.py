"""Tell an image's real type from its first bytes (the name and the browser's MIME lie)."""

from shared import header as _header

# ISO-BMFF ("ftyp") brands: AVIF and the HEIF family share the container.
_AVIF_BRANDS = (b"avif", b"avis")
_HEIC_BRANDS = (b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1")


def sniff(head):
    """Return the MIME type of an image from its first bytes, or None if unknown."""
    head = bytes(head)
    if head[:3] == b"\xff\xd8\xff":
        return "image/jpeg"
    if head[:8] == b"\x89PNG\r\n\x1a\n":
        return "image/png"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "image/gif"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    if head[:2] == b"BM" and len(head) >= 14:
        return "image/bmp"
    if head[4:8] == b"ftyp":
        brand = head[8:12]
        if brand in _AVIF_BRANDS:
            return "image/avif"
        if brand in _HEIC_BRANDS:
            return "image/heic"
    if head[:4] in (b"II*\x00", b"MM\x00*"):
        return "image/tiff"
    if head[:4] == b"\x00\x00\x01\x00":
        return "image/x-icon"
    if head[:8] == b"\x00\x00\x00\x0cjP  ":
        return "image/jp2"
    if head[:2] == b"\xff\x0a" or head[:8] == b"\x00\x00\x00\x0cJXL ":
        return "image/jxl"
    text = head.lstrip()[:5].lower()
    if text.startswith(b"<?xml") or text.startswith(b"<svg"):
        return "image/svg+xml"
    return None


def jpeg_entropy_start(data):
    """Offset where the main image's scan data starts in a JPEG's first bytes, or None."""
    return _header.jpeg_walk(data)[1]


def png_complete(tail):
    """True when a PNG's last bytes hold its IEND chunk."""
    return b"IEND" in bytes(tail)


def jpeg_complete(tail):
    """True when these bytes (after the main scan start) hold the end-of-image marker FF D9.

    `tail` is bytes, or a str decoded as latin-1 (one char per byte). Entropy-coded
    data never contains FF D9, so finding it means the file was not cut even if a
    trailer follows (motion photos append a whole video after the JPEG).
    """
    if isinstance(tail, str):
        return "\xff\xd9" in tail
    return b"\xff\xd9" in bytes(tail)
