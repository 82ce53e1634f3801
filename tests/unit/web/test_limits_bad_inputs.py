"""Header sizes and input limits on the bad-input corpus, natively and in real MicroPython."""

import io
import json
import shutil
import struct
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

from bgzero.eval.groundtruth import photos
from bgzero.models import assets
from shared import geometry, header, limits, sniff

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT / "tests"))
from make_bad_inputs import OK, make_corpus  # noqa: E402

# Messages that only the browser's decoder can give: nothing refuses these files before it.
AT_DECODE = ("could not be decoded", "PNG file is incomplete", OK)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    folder = tmp_path_factory.mktemp("bad-inputs")
    return folder, make_corpus(folder)


def size_of(data):
    """The header's size, sniffed as the page does."""
    return header.image_size(data, sniff.sniff(data))


def _slice(f, start, end):
    f.seek(start)
    return f.read(max(0, end - start))


def before_decoding(path):
    """(message or None, mime, complete): what file_input.read_image decides before it
    decodes, with the same reads (its JS-side Blob slices are file reads here)."""
    size = path.stat().st_size
    with open(path, "rb") as f:
        head = _slice(f, 0, header.HEAD_BYTES)
        mime = sniff.sniff(head)
        problem = limits.check_type(size, mime)
        if problem:
            return problem, mime, True
        complete = True
        if mime == "image/jpeg":
            data, pos, dims, scan = head, 0, None, None
            for _ in range(limits.JPEG_READS):
                found, scan, more = header.jpeg_walk(data, pos)
                dims = dims or found
                if more is None or more <= pos or more >= size:
                    break
                pos = more
                data = _slice(f, pos, pos + header.HEAD_BYTES)
            complete = (
                sniff.jpeg_complete(_slice(f, size - 2, size))
                or scan is None
                or sniff.jpeg_complete(_slice(f, scan, size))
            )
        else:
            dims = header.image_size(head, mime)
            if mime == "image/png":
                complete = sniff.png_complete(_slice(f, size - 12, size))
        return limits.check_image(mime, dims, complete), mime, complete


def test_corpus_is_big_and_varied(corpus):
    folder, files = corpus
    assert len([name for name, expected in files if expected != OK]) >= 20
    assert len({name for name, _ in files}) == len(files)
    assert all((folder / name).is_file() for name, _ in files)


def test_every_bad_input_is_refused_with_its_message_before_decoding(corpus):
    folder, files = corpus
    for name, expected in files:
        problem, mime, complete = before_decoding(folder / name)
        if expected in AT_DECODE:
            assert problem is None, (name, problem)
            if expected != OK:
                assert expected in str(limits.undecodable(mime, complete)), name
        else:
            assert problem and expected in str(problem), (name, problem)


def test_50_megapixel_photo_is_accepted_at_full_size(corpus):
    folder, _ = corpus
    photo = folder / "50-megapixels.jpg"
    assert size_of(photo.read_bytes()) == (8660, 5774)
    assert geometry.fit_size(8660, 5774, limits.MAX_PIXELS) == (8660, 5774)
    assert limits.check_pixels(9504, 6336) is None  # 61 MP full-frame camera
    assert limits.check_pixels(9248, 6936) is None  # 64 MP phone mode
    assert "108.0 MP" in str(limits.check_pixels(12000, 9000))  # 108 MP phone mode


def _encode(image, fmt, **options):
    out = io.BytesIO()
    image.save(out, fmt, **options)
    return out.getvalue()


def _real_images():
    photo = Image.open(photos("pets")[1]).convert("RGB")
    odd = photo.resize((333, 217))
    exif = Image.Exif()
    exif[0x0112] = 6
    yield "jpeg", _encode(odd, "JPEG")
    yield "progressive jpeg", _encode(odd, "JPEG", progressive=True)
    # A 60 KB ICC profile and an EXIF thumbnail put the frame header far past the first read.
    yield (
        "jpeg, big APP segments",
        _encode(odd, "JPEG", exif=exif.tobytes(), icc_profile=b"\x00" * 60000),
    )
    yield "png", _encode(odd, "PNG")
    yield "png 16-bit grey", _encode(odd.convert("I;16"), "PNG")
    yield "gif", _encode(odd, "GIF")
    yield "webp lossy", _encode(odd, "WEBP", quality=70)
    yield "webp lossless", _encode(odd, "WEBP", lossless=True)
    yield "webp alpha", _encode(odd.convert("RGBA"), "WEBP", quality=70)
    yield "bmp", _encode(odd, "BMP")
    bmp = bytearray(_encode(odd, "BMP"))
    bmp[22:26] = struct.pack("<i", -odd.height)  # rows top-down
    yield "bmp top-down", bytes(bmp)


@pytest.mark.parametrize(
    "kind, data", list(_real_images()), ids=lambda v: v if isinstance(v, str) else ""
)
def test_header_size_matches_pillow(kind, data):
    size = Image.open(io.BytesIO(data)).size
    assert size_of(data) == size
    if data[:2] == b"\xff\xd8":
        assert size_of(data[: header.HEAD_BYTES]) in (None, size)
        # Walked in small windows, as the page reads it, the walk finds the same.
        pos, dims = 0, None
        while True:
            found, scan, more = header.jpeg_walk(data[pos : pos + 64], pos)
            dims = dims or found
            if more is None:
                break
            assert more > pos
            pos = more
        assert dims == size and scan == sniff.jpeg_entropy_start(data)
        assert sniff.jpeg_complete(data[scan:])


def test_damaged_headers_tell_nothing_rather_than_nonsense():
    assert size_of(b"") is None
    assert size_of(b"\x89PNG\r\n\x1a\n\x00\x00") is None
    assert size_of(b"GIF89a\x00\x00\x00\x00\x00\x00\x00") is None  # 0×0, no frame
    assert size_of(b"BM" + b"\x00" * 12 + b"\xff" * 12) is None  # absurd DIB size
    assert header.jpeg_walk(b"\xff\xd8\x12\x34" + b"\x00" * 10) == (None, None, None)
    assert header.jpeg_walk(b"\xff\xd8\xff\xd9") == (None, None, None)
    assert header.jpeg_walk(b"\xff\xd8\xff\xe1\x80\x00", 0) == (None, None, 2 + 2 + 0x8000)


MICROPYTHON = (
    assets.cache_dir()
    / "npm"
    / "node_modules"
    / "@micropython"
    / "micropython-webassembly-pyscript"
    / "micropython.mjs"
)
_CHECK = """
import json, os
from shared import geometry, header, limits, sniff
out = {}
def as_json(message):  # an i18n.Message or None
    return message.data() if message else None
for name in sorted(os.listdir("/corpus")):
    data = open("/corpus/" + name, "rb").read()
    size = header.image_size(data, sniff.sniff(data))
    out[name] = [list(size) if size else None,
                 as_json(limits.check_file(len(data), data[:header.HEAD_BYTES])),
                 as_json(limits.check_file(len(data), data, sniff.jpeg_complete(data[-2:])))]
print(json.dumps(out))
"""
_NODE = """
import { loadMicroPython } from %s;
import fs from "node:fs";
const [shared, corpus, code] = process.argv.slice(2);
let out = "";
const mp = await loadMicroPython({stdout: (line) => { out += line + "\\n"; }});
for (const dir of ["/lib/shared", "/corpus"]) mp.FS.mkdirTree(dir);
const copy = (from, to) => fs.readdirSync(from).forEach(
  (name) => mp.FS.writeFile(to + "/" + name, fs.readFileSync(from + "/" + name)));
copy(shared, "/lib/shared");
copy(corpus, "/corpus");
mp.runPython(fs.readFileSync(code, "utf8"));
process.stdout.write(out);
"""


@pytest.mark.skipif(
    not (shutil.which("node") and MICROPYTHON.is_file()),
    reason="needs node and the npm MicroPython (make build installs it)",
)
def test_micropython_reads_the_corpus_like_cpython(corpus, tmp_path):
    folder, files = corpus
    small = tmp_path / "corpus"
    small.mkdir()
    for name, _ in files:
        if (folder / name).stat().st_size < 4_000_000:
            shutil.copy(folder / name, small / name)
    (tmp_path / "check.py").write_text(_CHECK)
    (tmp_path / "run.mjs").write_text(_NODE % json.dumps(str(MICROPYTHON)))
    result = subprocess.run(
        [
            "node",
            str(tmp_path / "run.mjs"),
            str(ROOT / "src/web/shared"),
            str(small),
            str(tmp_path / "check.py"),
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    in_micropython = json.loads(result.stdout)
    native = {}
    exec(
        _CHECK.replace("/corpus", str(small)).replace(
            "print(json.dumps(out))", "result = json.dumps(out)"
        ),
        native,
    )
    assert in_micropython == json.loads(native["result"])
    assert len(in_micropython) >= 20
