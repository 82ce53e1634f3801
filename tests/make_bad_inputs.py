"""Files a user might hand the page, most of them bad: made at test time, never committed.

`make_corpus(folder)` writes them and returns [(filename, expected)], where expected is a
substring of the message the page must show, or "ok" when the file must be cut out.
Run it directly to write the corpus into a folder: `python tests/make_bad_inputs.py DIR`.
"""

import io
import random
import struct
import sys
import zipfile
import zlib
from pathlib import Path

import numpy as np
from PIL import Image

from bgzero.eval.groundtruth import photos

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src" / "web"))
from shared import limits

OK = "ok"


def _photo(width=None):
    photo = Image.open(photos("pets")[0]).convert("RGB")
    if width:
        photo = photo.resize((width, width * photo.height // photo.width))
    return photo


def _encode(image, fmt, **options):
    out = io.BytesIO()
    image.save(out, fmt, **options)
    return out.getvalue()


def _png_chunk(kind, data, crc=None):
    crc = zlib.crc32(kind + data) if crc is None else crc
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)


def _png(width, height, idat, depth=8, colour=2, idat_crc=None):
    ihdr = struct.pack(">IIBBBBB", width, height, depth, colour, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", ihdr)
        + _png_chunk(b"IDAT", idat, idat_crc)
        + _png_chunk(b"IEND", b"")
    )


def _png_16bit(photo):
    rgb = np.asarray(photo).astype(">u2") * 257
    rows = b"".join(b"\x00" + row.tobytes() for row in rgb)  # filter type 0 on every row
    return _png(photo.width, photo.height, zlib.compress(rows), depth=16)


def _jpeg_claiming(width, height):
    """A real 8×8 JPEG whose frame header (SOF0) says width × height."""
    data = bytearray(_encode(Image.new("RGB", (8, 8), "red"), "JPEG"))
    sof = data.index(b"\xff\xc0")
    data[sof + 5 : sof + 9] = struct.pack(">HH", height, width)
    return bytes(data)


def _gif_claiming(width, height, frame=None):
    """A 1×1 GIF whose logical screen, and first frame if given, say width × height."""
    data = bytearray(_encode(Image.new("P", (1, 1)), "GIF"))
    data[6:10] = struct.pack("<HH", width, height)
    if frame:
        at = data.index(b"\x2c\x00\x00\x00\x00") + 5  # image descriptor at (0, 0)
        data[at : at + 4] = struct.pack("<HH", *frame)
    return bytes(data)


def _bmp(dib_size, width, height, body=b"\x00" * 64):
    dib = struct.pack("<IiiHHIIiiII", dib_size, width, height, 1, 24, 0, 0, 2835, 2835, 0, 0)
    return b"BM" + struct.pack("<IHHI", 14 + len(dib) + len(body), 0, 0, 14 + len(dib)) + dib + body


def _webp_vp8x(width, height):
    vp8x = b"\x00" * 4 + (width - 1).to_bytes(3, "little") + (height - 1).to_bytes(3, "little")
    body = b"WEBP" + b"VP8X" + struct.pack("<I", len(vp8x)) + vp8x + b"\x00" * 32
    return b"RIFF" + struct.pack("<I", len(body)) + body


def _ftyp(brand, junk):
    return struct.pack(">I", 24) + b"ftyp" + brand + b"\x00\x00\x00\x00mif1" + brand + junk


def _zip():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("holiday/cat.jpg", b"not really a cat")
    return out.getvalue()


def make_corpus(folder, big=True):
    """Write the corpus into `folder`; `big=False` leaves out the 50 MP photo (slow to make)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(20240601)
    small = _photo(400)
    jpeg = _encode(small, "JPEG", quality=85)
    png = _encode(small, "PNG")
    frames = [small.rotate(angle) for angle in (0, 10, 20)]
    files = [
        ("empty.jpg", b"", "empty"),
        ("shopping-list.jpg", b"eggs, milk, bread\n" * 40, "not an image"),
        ("truncated.jpg", jpeg[: len(jpeg) * 6 // 10], "JPEG file is incomplete"),
        ("truncated.png", png[: len(png) * 6 // 10], "PNG file is incomplete"),
        (
            "bomb-100000x100000.png",
            _png(100000, 100000, zlib.compress(b"\x00" * 1000)),
            "100000 × 100000 pixels",
        ),
        ("bomb-65000x65000.jpg", _jpeg_claiming(65000, 65000), "65000 × 65000 pixels"),
        ("70-megapixels.jpg", _jpeg_claiming(10000, 7000), "10000 × 7000 pixels"),
        ("bomb-65535x65535.gif", _gif_claiming(65535, 65535), "65535 × 65535 pixels"),
        ("bomb-20000x20000.webp", _webp_vp8x(20000, 20000), "20000 × 20000 pixels"),
        ("bomb-100000x100000.bmp", _bmp(40, 100000, 100000), "100000 × 100000 pixels"),
        ("absurd-header.bmp", _bmp(0x7FFFFFF0, 8, 8), "could not be decoded"),
        ("bomb-in-first-frame.gif", _gif_claiming(1, 1, (40000, 40000)), "40000 × 40000 pixels"),
        ("zero-size.gif", _gif_claiming(0, 0, (0, 0)), "no pixels"),
        (
            "script.svg",
            b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script>'
            b'<rect width="10" height="10"/></svg>',
            "SVG images can't be opened",
        ),
        ("iphone.heic", _ftyp(b"heic", rng.randbytes(2000)), "could not be decoded"),
        ("junk.avif", _ftyp(b"avif", rng.randbytes(2000)), "could not be decoded"),
        ("scan.tiff", _encode(_photo(64), "TIFF"), "TIFF images can't be opened"),
        (
            "invoice.pdf",
            b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n",
            "not an image",
        ),
        (
            "page.png",
            b"<!doctype html><html><body><img src=x onerror=alert(1)></body></html>",
            "not an image",
        ),
        ("photos.zip", _zip(), "not an image"),
        ("random.jpg", b"\x00" + rng.randbytes(4095), "not an image"),
        ("garbage-idat.png", _png(64, 64, rng.randbytes(500)), "could not be decoded"),
        (
            "bad-crc.png",
            _png(64, 64, zlib.compress((b"\x00" + b"\x80" * 192) * 64), idat_crc=0),
            "could not be decoded",
        ),
        ("soi-eoi.jpg", b"\xff\xd8\xff\xd9", "could not be decoded"),
        ("too-large.png", None, "too large"),
        (
            "animated.gif",
            _encode(
                frames[0], "GIF", save_all=True, append_images=frames[1:], duration=100, loop=0
            ),
            OK,
        ),
        ("cmyk.jpg", _encode(small.convert("CMYK"), "JPEG", quality=85), OK),
        ("16-bit.png", _png_16bit(small), OK),
    ]
    if big:
        files.append(("50-megapixels.jpg", None, OK))
    corpus = []
    for name, data, expected in files:
        path = folder / name
        if name == "too-large.png":
            with open(path, "wb") as f:
                f.write(png[:64])
                f.truncate(limits.MAX_BYTES + 5000000)  # sparse: costs no disk
        elif name == "50-megapixels.jpg":
            _photo().resize((8660, 5774), Image.Resampling.BILINEAR).save(path, quality=80)
        else:
            path.write_bytes(data)
        corpus.append((name, expected))
    return corpus


if __name__ == "__main__":
    for name, expected in make_corpus(sys.argv[1] if len(sys.argv) > 1 else "bad-inputs"):
        print(f"{name:28} {expected}")
