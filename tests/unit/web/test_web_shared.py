"""The browser's pure Python (src/web/shared) behaves the same natively as in the page."""

import json
import pathlib
import sys

import pytest

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[3] / "src" / "web"))

from shared import catalog, geometry, i18n, limits, messages, naming, provider_choice, sniff, status

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 20
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 24


@pytest.mark.parametrize(
    "head, mime",
    [
        (JPEG, "image/jpeg"),
        (PNG, "image/png"),
        (b"GIF89a" + b"\x00" * 26, "image/gif"),
        (b"RIFF\x10\x00\x00\x00WEBPVP8 " + b"\x00" * 16, "image/webp"),
        (b"BM" + b"\x00" * 30, "image/bmp"),
        (b"\x00\x00\x00\x1cftypavif" + b"\x00" * 20, "image/avif"),
        (b"\x00\x00\x00\x18ftypheic" + b"\x00" * 20, "image/heic"),
        (b"II*\x00" + b"\x00" * 28, "image/tiff"),
        (b"  <svg xmlns='http://www.w3.org/2000/svg'>", "image/svg+xml"),
        (b"hello, this is plain text....", None),
        (b"", None),
    ],
)
def test_sniff_tells_the_real_type(head, mime):
    assert sniff.sniff(head) == mime


def test_jpeg_end_marker_found_in_bytes_or_latin1_text():
    assert sniff.jpeg_complete(b"\x12\x34\xff\xd9")
    assert sniff.jpeg_complete(b"\xff\xd9\x00\x00trailer")
    assert not sniff.jpeg_complete(b"\x12\x34\xff\x00")
    assert sniff.jpeg_complete("ab\xff\xd9")
    assert not sniff.jpeg_complete("ab\xff")


def test_check_file_messages():
    assert limits.check_file(1000, JPEG) is None
    assert limits.check_file(1000, PNG) is None
    assert "empty" in str(limits.check_file(0, b""))
    assert "too large" in str(limits.check_file(limits.MAX_BYTES + 1, JPEG))
    assert "not an image" in str(limits.check_file(1000, b"%PDF-1.7" + b"\x00" * 24))
    # HEIC is accepted: the page turns it into PNG first (cut/heic.py); JPEG XL is not.
    assert limits.check_file(1000, b"\x00\x00\x00\x18ftypheic" + b"\x00" * 20) is None
    assert "JPEG XL" in str(limits.check_type(1000, "image/jxl"))
    assert str(limits.check_file(1000, JPEG, False)) == "This JPEG file is incomplete (truncated)."
    assert limits.check_file(1000, PNG, False) is None
    assert limits.check_type(1000, "image/jpeg") is None
    assert "can't be opened" in str(limits.check_type(1000, "image/tiff"))
    assert str(limits.check_image("image/png", (100_000, 100_000))).startswith(
        "This image is too large"
    )


def _segment(marker, payload):
    return b"\xff" + bytes([marker]) + (len(payload) + 2).to_bytes(2, "big") + payload


def test_jpeg_entropy_start_skips_the_exif_thumbnail():
    thumb = b"\xff\xd8" + _segment(0xDA, b"\x00" * 4) + b"\x11\x22\xff\xd9"
    head = (
        b"\xff\xd8"
        + _segment(0xE1, b"Exif\x00\x00" + thumb)
        + _segment(0xDB, b"\x01" * 10)
        + _segment(0xDA, b"\x02" * 8)
    )
    start = sniff.jpeg_entropy_start(head + b"\x55" * 10)
    assert start == len(head)
    assert sniff.jpeg_entropy_start(PNG) is None
    assert sniff.jpeg_entropy_start(b"\xff\xd8" + _segment(0xE0, b"x" * 10)) is None  # no scan yet


def test_fit_size_keeps_aspect_within_limits():
    assert geometry.fit_size(600, 400, limits.MAX_PIXELS) == (600, 400)
    w, h = geometry.fit_size(10000, 8000, max_pixels=20_000_000)
    assert w * h <= 20_000_000 and abs(w / h - 1.25) < 0.01
    assert max(geometry.fit_size(40000, 100, limits.MAX_PIXELS)) <= limits.MAX_SIDE
    assert limits.check_pixels(0, 10) and limits.check_pixels(1, 1) is None


@pytest.mark.parametrize(
    "name, out",
    [
        ("photo.final.JPG", "photo.final-nobg.png"),
        ("cat.jpeg", "cat-nobg.png"),
        ("C:\\Users\\me\\dog.png", "dog-nobg.png"),
        ("dir/sub/noext", "noext-nobg.png"),
        (".hidden", "image-nobg.png"),
        ("", "image-nobg.png"),
        (None, "image-nobg.png"),
    ],
)
def test_nobg_name(name, out):
    assert naming.nobg_name(name) == out


CATALOG = {
    "default": "u2netp",
    "models": [
        {
            "id": "u2netp",
            "name": "U²-Net small",
            "size": 320,
            "file": "models/u2netp-abc.onnx",
            "bytes": 4574000,
            "sha256": "ab" * 32,
            "licence": "MIT",
            "fit": "letterbox",
            "refine": True,
            "decontaminate": True,
        },
        {
            "id": "isnet-quint8",
            "name": "IS-Net",
            "size": 1024,
            "file": "models/isnet-def.onnx",
            "bytes": 44000000,
            "sha256": "cd" * 32,
            "licence": "AGPL-3.0",
            "any_size": True,
        },
    ],
    "graphs": {
        "refine": {
            "file": "models/refine-123.onnx",
            "bytes": 9000,
            "sha256": "ef" * 32,
            "guide": 1024,
            "max_pixels": 16000000,
        },
        "prepare": {"file": "models/prepare-456.onnx", "bytes": 900, "sha256": "aa" * 32},
        "mix": {"file": "models/mix-3.onnx", "bytes": 700, "sha256": "ee" * 32},
        "mirror": {"file": "models/mirror-4.onnx", "bytes": 300, "sha256": "e1" * 32},
        "decontaminate": {
            "file": "models/decontaminate-789.onnx",
            "bytes": 9000,
            "sha256": "bb" * 32,
            "coarse": 256,
            "wide": 6,
            "narrow": 3,
            "soften": 3,
        },
        "normaliser": {"file": "models/normaliser-1.onnx", "bytes": 500, "sha256": "cc" * 32},
        "finisher": {"file": "models/finisher-2.onnx", "bytes": 600, "sha256": "dd" * 32},
    },
}


def test_catalog_parse_pick_and_spec():
    cat = catalog.parse(json.loads(json.dumps(CATALOG)))
    assert cat["default"] == "u2netp"
    assert catalog.pick(cat)["id"] == "u2netp"
    assert catalog.pick(cat, "isnet-quint8")["size"] == 1024
    assert catalog.pick(cat, "nope")["id"] == "u2netp"
    assert catalog.find(cat, "nope") is None
    assert "44.0 MB" in str(catalog.label(cat["models"][1]))
    spec = catalog.spec(cat["models"][0], "https://x/models/u2netp-abc.onnx")
    assert spec["url"] == "https://x/models/u2netp-abc.onnx" and spec["size"] == 320
    assert spec["fit"] == "letterbox"
    assert catalog.spec(cat["models"][1], "u")["fit"] == "stretch"
    graphs = catalog.graph_specs(cat, cat["models"][0], lambda f: "https://x/" + f, True)
    assert graphs["refine"]["guide"] == 1024 and graphs["refine"]["sha256"] == "ef" * 32
    assert graphs["refine"]["url"] == "https://x/models/refine-123.onnx"
    assert graphs["decontaminate"]["coarse"] == 256 and graphs["prepare"]["bytes"] == 900
    # Not for a photo the worker gets scaled down, nor for a model whose card says no.
    assert catalog.graph_specs(cat, cat["models"][0], str, False)["decontaminate"] is None
    plain = catalog.graph_specs(cat, cat["models"][1], str, True)
    assert plain["refine"] is None and plain["decontaminate"] is None and plain["prepare"]
    assert plain["mix"] is None  # one model: nothing to mix
    assert catalog.graph_files(cat, cat["models"][1]) == [
        "models/isnet-def.onnx",
        "models/prepare-456.onnx",
        "models/mirror-4.onnx",
        "models/mix-3.onnx",
        "models/refine-123.onnx",
        "models/decontaminate-789.onnx",
        "models/normaliser-1.onnx",
        "models/finisher-2.onnx",
    ]
    own = {"id": "own-x", "size": 1024, "file": None, "own": {"mean": [0.5] * 3, "std": [1] * 3}}
    assert catalog.graph_files(cat, own)[0] == "models/prepare-456.onnx"
    extra = catalog.own_spec(cat, own, lambda f: "https://x/" + f)
    assert (
        extra["mean"] == [0.5] * 3
        and extra["finisher"]["url"] == "https://x/models/finisher-2.onnx"
    )


def test_a_fit_asked_for_in_the_url_applies_where_the_models_graph_can_take_it():
    cat = catalog.parse(json.loads(json.dumps(CATALOG)))
    u2netp, isnet = cat["models"]
    assert [catalog.wanted_fit(p) for p in ("aspect", "stretch", "fill", None)] == [
        "aspect",
        "stretch",
        None,
        None,
    ]
    assert catalog.with_fit(catalog.spec(isnet, "u"), "aspect")["fit"] == "aspect"
    # u2netp's graph is a fixed 320² square: it keeps its card's fit, but may be stretched.
    assert catalog.with_fit(catalog.spec(u2netp, "u"), "aspect")["fit"] == "letterbox"
    assert catalog.with_fit(catalog.spec(u2netp, "u"), "stretch")["fit"] == "stretch"
    assert catalog.with_fit(catalog.spec(isnet, "u"), None)["fit"] == "stretch"
    # "Best quality": its first model's fit; the partner keeps the pair's.
    pair = catalog.pair_spec({**cat, "models": cat["models"] + [PAIR]}, PAIR, str)
    first, second = catalog.with_fit(pair, "aspect")["parts"]
    assert first["fit"] == "aspect" and second["fit"] == "stretch"
    # The worker is told nothing it cannot do.
    engine = {"want": None}
    graphs = dict.fromkeys(catalog.GRAPHS)
    graphs["prepare"] = {"url": "u", "bytes": 1, "sha256": "s"}
    cut = messages.cut(1, catalog.spec(isnet, "u"), "o", engine, 10, 10, graphs)
    assert cut["model"]["fit"] == "stretch" and cut["returns_photo"] is False
    assert messages.cut(1, catalog.spec(isnet, "u"), "o", engine, 10, 10, graphs, True)[
        "returns_photo"
    ]
    with pytest.raises(messages.MessageError, match="returns_photo"):
        messages.validate({**cut, "returns_photo": "yes"})
    fixed = catalog.spec(u2netp, "u")
    with pytest.raises(messages.MessageError, match="fixed input size"):
        messages.cut(1, {**fixed, "fit": "aspect"}, "o", engine, 10, 10, graphs)
    with pytest.raises(messages.MessageError, match="unknown fit"):
        messages.cut(1, {**catalog.spec(isnet, "u"), "fit": "fill"}, "o", engine, 10, 10, graphs)


PAIR = {
    "id": "best",
    "name": "Best quality",
    "parts": ["isnet-quint8", "u2netp"],
    "size": 1024,
    "min_size": 0,
    "file": None,
    "bytes": 48574000,
    "sha256": None,
    "fit": "stretch",
    "refine": True,
    "decontaminate": True,
    "flip": True,
    "partner_fit": "stretch",
}


def test_best_quality_is_two_catalog_models_mixed():
    cat = catalog.parse({**CATALOG, "models": CATALOG["models"] + [PAIR]})
    best = catalog.find(cat, "best")
    spec = catalog.pair_spec(cat, best, lambda f: "https://x/" + f)
    first, second = spec["parts"]
    assert spec["id"] == "best" and first["id"] == "isnet-quint8" and second["id"] == "u2netp"
    assert first["url"] == "https://x/models/isnet-def.onnx" and first["min_size"] == 0
    assert second["fit"] == "stretch" and spec["flip"]  # the pair's fit, not u2netp's own
    graphs = catalog.graph_specs(cat, best, str, True)
    assert graphs["mix"]["sha256"] == "ee" * 32 and graphs["refine"] and graphs["decontaminate"]
    assert graphs["mirror"]["sha256"] == "e1" * 32
    assert catalog.graph_specs(cat, {**best, "flip": False}, str, True)["mirror"] is None
    # Both models' files are kept for offline use, the pair has none of its own.
    files = catalog.graph_files(cat, best)
    assert files[:2] == ["models/isnet-def.onnx", "models/u2netp-abc.onnx"]
    assert "models/mix-3.onnx" in files and None not in files
    assert "48.6 MB" in str(catalog.label(best))
    # The menu: the plain choices first (Fast, Best quality), with why; the rest after them.
    first, more = catalog.menu(cat)
    assert [m["id"] for m in first] == ["u2netp", "best"]
    assert [m["id"] for m in more] == ["isnet-quint8"]
    fast = i18n.render("en", catalog.label(first[0]))
    assert fast.startswith("Fast · ") and "quickest" in fast
    assert i18n.render("zh", catalog.label(first[1])).startswith("最佳质量 · ")
    with pytest.raises(catalog.CatalogError):
        catalog.spec(best, "u")  # one spec for two models would run one of them only
    for parts in (["u2netp"], ["u2netp", "gone"], ["best", "u2netp"], "u2netp"):
        with pytest.raises(catalog.CatalogError):
            catalog.parse({**CATALOG, "models": CATALOG["models"] + [{**PAIR, "parts": parts}]})


def test_catalog_rejects_broken_entries():
    with pytest.raises(catalog.CatalogError):
        catalog.parse({"models": []})
    with pytest.raises(catalog.CatalogError):
        catalog.parse({"models": [{"id": "x"}]})
    twice = {"models": [CATALOG["models"][0], CATALOG["models"][0]]}
    with pytest.raises(catalog.CatalogError):
        catalog.parse(twice)
    assert catalog.parse({**CATALOG, "default": "gone"})["default"] == "u2netp"
    with pytest.raises(catalog.CatalogError):
        catalog.parse({"default": "u2netp", "models": CATALOG["models"]})  # no graphs
    no_guide = {**CATALOG["graphs"], "refine": {"file": "r", "bytes": 1, "sha256": "ab"}}
    with pytest.raises(catalog.CatalogError, match="guide"):
        catalog.parse({**CATALOG, "graphs": no_guide})


def test_status_texts():
    def text(message):
        return str(message)

    assert text(status.status_line("u2netp", "wasm", 2)) == "u2netp · wasm · 2 threads"
    assert text(status.status_line("u2netp", "webgpu", 1)) == "u2netp · webgpu · 1 thread"
    assert (
        text(status.status_line("u2netp", "wasm", 2, provider_choice.reason("no-adapter")))
        == "u2netp · wasm · 2 threads · WebGPU not used: no WebGPU adapter"
    )
    assert text(status.stage_text("download", 1_200_000, 4_400_000)) == (
        "Loading model · 1.2 MB / 4.4 MB"
    )
    assert text(status.stage_text("download", 1_200_000)) == "Loading model · 1.2 MB"
    assert text(status.stage_text("inference")) == "Removing background…"
    assert text(status.stage_text("done")) == "Done"
    assert status.fraction(1, 4) == 0.25 and status.fraction(None, 4) is None
    assert text(status.timings_text({"run": 830.4, "decode": 12.6})) == "decode 13 ms · run 830 ms"


PREPARE = {"url": "p", "bytes": 1, "sha256": "aa"}
REFINE = {"url": "u", "bytes": 1, "sha256": "ab", "guide": 1024}
COLOURS = {
    "url": "c",
    "bytes": 1,
    "sha256": "cd",
    "coarse": 256,
    "wide": 6,
    "narrow": 3,
    "soften": 3,
}


FUSER = {"url": "u", "bytes": 1, "sha256": "ee"}


def graphs(prepare=PREPARE, refine=None, decontaminate=None, mix=None, mirror=None):
    return {
        "prepare": prepare,
        "mirror": mirror,
        "mix": mix,
        "refine": refine,
        "decontaminate": decontaminate,
    }


ENGINE = {"want": "auto", "fault": None, "remembered": {}}
WHY = provider_choice.reason("software", "swiftshader")
ORT = "https://x/ort/"


def test_messages_round_trip_and_validation():
    model = catalog.spec(CATALOG["models"][0], "https://x/m.onnx")
    remember = {"key": "webgpu:a/b/c/d@ort-1.30.0", "provider": "wasm", "reason": WHY}
    for msg in (
        messages.load(1, model, ORT, ENGINE),
        messages.cut(2, model, ORT, ENGINE, 600, 400, graphs()),
        messages.cut(2, model, ORT, ENGINE, 600, 400, graphs(refine=REFINE)),
        messages.cut(2, model, ORT, ENGINE, 600, 400, graphs(PREPARE, REFINE, COLOURS)),
        messages.progress(2, "download", 10, 100),
        messages.progress(2, "inference"),
        messages.ready(1, "u2netp", "wasm", 2, WHY, remember, {"session": 300.0}),
        messages.result(
            2, "u2netp", 600, 400, 1, [0, 0, 400, 600], "webgpu", 4, None, None, {"run": 80.0}
        ),
        messages.result(2, "u2netp", 600, 400, 4, [0, 0, 400, 600], "wasm", 2, WHY, None, {}),
        messages.error(2, "boom", bug=True),
    ):
        assert messages.decode(messages.encode(msg)) == msg
    with pytest.raises(messages.MessageError):
        messages.decode('{"type": "nope", "id": 1}')
    with pytest.raises(messages.MessageError):
        messages.decode("not json")
    with pytest.raises(messages.MessageError):
        messages.ready(1, "u2netp", "cuda", 2, None, None, {})
    with pytest.raises(messages.MessageError):
        messages.load(1, model, ORT, "webgpu")  # engine options are an object
    with pytest.raises(messages.MessageError):
        messages.cut(1, {"id": "u2netp"}, ORT, ENGINE, 10, 10, graphs())
    with pytest.raises(messages.MessageError):
        messages.cut(1, model, ORT, ENGINE, 0, 10, graphs())
    with pytest.raises(messages.MessageError):
        messages.cut(1, model, ORT, ENGINE, 10, 10, graphs(refine={"url": "u"}))
    with pytest.raises(messages.MessageError):
        messages.cut(1, model, ORT, ENGINE, 10, 10, graphs(prepare={"url": "u"}))
    with pytest.raises(messages.MessageError):
        messages.result(2, "u2netp", 600, 400, 1, [0, 0], "wasm", 1, None, None, {})
    with pytest.raises(messages.MessageError):
        messages.result(2, "u2netp", 600, 400, 3, [0, 0, 400, 600], "wasm", 1, None, None, {})
    with pytest.raises(messages.MessageError):
        messages.cut(1, model, ORT, ENGINE, 10, 10, graphs(prepare=None))
    with pytest.raises(messages.MessageError):
        messages.cut(1, model, ORT, ENGINE, 10, 10, {"prepare": PREPARE})
    with pytest.raises(messages.MessageError):  # colours need the refined alpha
        messages.cut(2, model, ORT, ENGINE, 600, 400, graphs(decontaminate=COLOURS))
    with pytest.raises(messages.MessageError):
        messages.cut(2, model, ORT, ENGINE, 600, 400, graphs(PREPARE, REFINE, {"url": "u"}))


def test_a_pair_crosses_with_both_models_and_the_mix_graph():
    cat = catalog.parse({**CATALOG, "models": CATALOG["models"] + [PAIR]})
    pair = catalog.pair_spec(cat, catalog.find(cat, "best"), str)
    both = graphs(PREPARE, REFINE, COLOURS, FUSER, FUSER)
    msg = messages.cut(3, pair, ORT, ENGINE, 600, 400, both)
    assert messages.decode(messages.encode(msg))["model"]["parts"][1]["id"] == "u2netp"
    assert messages.load(4, pair, ORT, ENGINE)["model"]["id"] == "best"
    with pytest.raises(messages.MessageError):  # mixing needs its graph
        messages.cut(3, pair, ORT, ENGINE, 600, 400, graphs(PREPARE, REFINE, COLOURS, None, FUSER))
    with pytest.raises(messages.MessageError):  # and the second look, the mirror
        messages.cut(3, pair, ORT, ENGINE, 600, 400, graphs(PREPARE, REFINE, COLOURS, FUSER))
    for parts in ([pair["parts"][0]], [pair["parts"][0], {"id": "x"}], "ab"):
        with pytest.raises(messages.MessageError):
            messages.cut(3, {**pair, "parts": parts}, ORT, ENGINE, 600, 400, both)


def test_crop_box_and_scaled_size():
    assert geometry.crop_box((10, 20, 30, 60), 5, 100, 100) == (5, 15, 30, 50)
    assert geometry.crop_box((0, 0, 100, 100), 20, 100, 100) == (0, 0, 100, 100)
    assert geometry.crop_box(None, 20, 80, 60) == (0, 0, 80, 60)
    assert geometry.scaled_size(4000, 3000, 1000) == (1000, 750)
    assert geometry.scaled_size(300, 200, 1000) == (300, 200)
    assert geometry.scaled_size(300, 200, None) == (300, 200)
    assert geometry.scaled_size(5000, 3, 1000) == (1000, 1)


def test_working_size_follows_the_long_side_within_the_cards_range():
    assert geometry.working_size(500, 375, 320) == 320  # a fixed model: always its size
    assert geometry.working_size(500, 375, 1024, 512, 64) == 512  # never below min_size
    assert geometry.working_size(375, 700, 1024, 512, 64) == 704  # rounded to the step
    assert geometry.working_size(1000, 600, 1024, 512, 64) == 1024  # 1000 rounds up
    assert geometry.working_size(4000, 3000, 1024, 512, 64) == 1024  # never above size
    for side in range(1, 3000, 7):
        edge = geometry.working_size(side, 10, 1024, 512, 64)
        assert edge % 64 == 0 and 512 <= edge <= 1024


def test_unique_names_number_the_repeats_stably():
    taken = set()
    names = ["cat-nobg.png", "cat-nobg.png", "Cat-nobg.PNG", "dog-nobg.png", "cat-nobg-2.png"]
    assert [naming.unique(n, taken) for n in names] == [
        "cat-nobg.png",
        "cat-nobg-2.png",
        "Cat-nobg-3.PNG",  # case-insensitive file systems would merge it with the first
        "dog-nobg.png",
        "cat-nobg-2-2.png",
    ]
    assert naming.unique("mask", set()) == "mask" and naming.unique("mask", {"mask"}) == "mask-2"


def test_cancel_messages_name_their_request():
    assert messages.decode(messages.encode(messages.cancel(5, 3))) == {
        "type": "cancel",
        "id": 5,
        "target": 3,
    }
    assert messages.decode(messages.encode(messages.cancelled(3)))["type"] == "cancelled"
    with pytest.raises(messages.MessageError):
        messages.validate({"type": "cancel", "id": 5, "target": "3"})


def test_what_the_browser_lacks_in_plain_words():
    no_webgpu = provider_choice.reason("no-webgpu")
    assert (
        status.lacks(2, provider_choice.reason("no-adapter")) is None
    )  # the device's, not the browser's
    assert status.lacks(2, None) is None
    assert status.lacks(1, None).key == "lacks.threads"
    assert status.lacks(2, no_webgpu).key == "lacks.webgpu"
    assert status.lacks(1, no_webgpu).key == "lacks.both"
    remembered = provider_choice.reason_from_memory(no_webgpu)
    assert status.lacks(4, remembered).key == "lacks.webgpu"
    assert "one processor core" in str(status.lacks(1, None))
