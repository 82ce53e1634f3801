"""The embed frame in real Chromium, driven by parent pages on other origins.

The app is built into a temporary dist that allows one parent origin; a second origin is
not allowed. Both parents are the same small page (inline script: it is the test's page,
not ours) served by http.server without isolation headers, so the frame is not
cross-origin isolated and must run single-threaded.
"""

import base64
import functools
import io
import threading
import time
import urllib.parse
import urllib.request
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from types import SimpleNamespace

import numpy as np
import pytest
from PIL import Image

from bgzero.dev.driver import TIMEOUT_MS, free_port, serve
from bgzero.eval.groundtruth import photos
from bgzero.site import build as site
from made_photos import iphone_photo
from oracle import assert_matches_native, assert_same_picture, native_file
from shared import formats, shadows

PETS = photos("pets")
ERROR_CODES = {"bad-message", "bad-image", "unknown-model", "busy"}

# ?app=ORIGIN embeds ORIGIN/embed.html; ?intruder=ORIGIN also embeds this page from ORIGIN,
# which then talks to its sibling (the BG Zero frame) from an origin the build did not allow;
# ?sibling=ORIGIN does the same from the allowed origin: a window that is not the parent;
# ?query=?a=b is the frame's own query string.
PARENT = """<!doctype html>
<meta charset="utf-8">
<title>A site that embeds BG Zero</title>
<link rel="icon" href="data:,">
<body>
<script>
const params = new URLSearchParams(location.search);
window.received = [];
const results = {};
addEventListener("message", (e) => {
  const d = e.data;
  const file = d && d.file instanceof Blob ? d.file : null;
  if (file) results[d.id] = file;
  received.push({origin: e.origin, data: file ? {...d, file: file.type,
                                                 png: d.png ? d.png.type : null} : d});
});
for (const [name, path] of [["app", "/embed.html"], ["intruder", "/parent.html"],
                            ["sibling", "/parent.html"]]) {
  if (!params.get(name)) continue;
  const frame = document.createElement("iframe");
  frame.id = name;
  frame.allow = "cross-origin-isolated";   // takes effect only under an isolated parent
  frame.src = params.get(name) + path + (name === "app" ? params.get("query") || "" : "");
  document.body.append(frame);
}
const bgzero = () => params.get("app") ? document.getElementById("app").contentWindow
                                       : parent.frames[0];
async function send(id, path, options) {
  const image = await (await fetch(path)).blob();
  bgzero().postMessage({type: "bgzero:remove", id, image, options}, "*");
}
function cancel(id) {
  bgzero().postMessage({type: "bgzero:cancel", id}, "*");
}
async function pngBase64(id) {
  const bytes = new Uint8Array(await results[id].arrayBuffer());
  let text = "";
  for (let i = 0; i < bytes.length; i += 8192) {
    text += String.fromCharCode(...bytes.subarray(i, i + 8192));
  }
  return btoa(text);
}

// Malformed requests, reproducibly random; each must get exactly one error reply.
// Only ids made by validId() are valid (junk never has a valid top-level id).
const sentIds = new Set();
const badIds = [undefined, null, NaN, Infinity, {}, [], true, "z".repeat(257), 1n];
function fuzz(n, seed) {
  let s = seed >>> 0;
  const rnd = () => {   // mulberry32
    s = (s + 0x6D2B79F5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), s | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (k) => Math.floor(rnd() * k);
  const pick = (a) => a[int(a.length)];
  const str = (k) => Array.from({length: k}, () => String.fromCharCode(int(0x10000))).join("");
  const junk = (depth) => {
    switch (int(depth > 0 ? 13 : 9)) {
      case 0: return null;
      case 1: return undefined;
      case 2: return rnd() * 1e12 - 5e11;
      case 3: return str(int(40));
      case 4: return rnd() < 0.5;
      case 5: return pick([NaN, Infinity, -0, 2n ** 70n]);
      case 6: return new Uint8Array(int(64));
      case 7: return new Date(int(1e12));
      case 8: return new Blob([str(int(100))]);
      case 9: return Array.from({length: int(5)}, () => junk(depth - 1));
      case 10: return Object.fromEntries(Array.from({length: int(5)},
                                         () => [pick(["type", "image", "options", str(3)]),
                                                junk(depth - 1)]));
      case 11: return new Map([[junk(0), junk(depth - 1)]]);
      default: return {type: "bgzero:remove", id: pick(badIds), options: junk(depth - 1)};
    }
  };
  const nested = (k) => {
    let o = {options: {model: "u2netp"}};
    while (k--) o = {options: o, id: o};
    return o;
  };
  const cyclic = () => { const o = {type: "bgzero:remove", id: 1}; o.options = o; return o; };
  const notImage = () => pick([new Blob([str(int(2000))]), new Blob([]), new ArrayBuffer(0),
                               new Uint8Array([255, 216, 255, 224, 0, 16]).buffer,
                               new File([str(50)], "photo.jpg", {type: "image/jpeg"})]);
  const badImage = () => pick([junk(1), "photo.jpg", new Uint8Array(100), [1, 2, 3],
                               {size: 10}, null, undefined, 7]);
  // Valid ids, recorded: replies must echo them exactly (big and fractional ones too).
  const idMakers = [() => "m" + int(1e6), () => int(1e6) + 0.25, () => 2 ** 53 - int(1e6),
                    () => -int(1e6)];
  const validId = () => { const id = pick(idMakers)(); sentIds.add(id); return id; };
  const makers = [
    () => junk(3),
    () => ({}),
    () => ({type: pick(["bgzero:result", "bgzero:remove ", "remove", "", null, 7]),
            id: validId(), image: new Blob(["x"])}),
    () => ({type: "bgzero:remove"}),
    () => ({type: "bgzero:remove", id: pick(badIds), image: notImage()}),
    () => ({type: "bgzero:remove", id: validId(), image: badImage()}),
    () => ({type: "bgzero:remove", id: validId(), image: notImage(), options: junk(2)}),
    () => ({type: "bgzero:remove", id: validId(), image: notImage(),
            options: {model: pick(["nope", "U2NETP", "", 3, ["u2netp"]]),
                      format: pick([undefined, "png", "webp", 1])}}),
    () => ({type: "bgzero:remove", id: validId(), image: notImage(),
            options: {format: pick(["webp", "PNG", ""])}}),
    () => ({type: "x".repeat(1 << (10 + int(10))), id: validId(), image: notImage()}),
    () => ({type: "bgzero:remove", id: validId(), image: notImage(),
            options: {model: str(1 << 17)}}),
    () => nested(50 + int(200)),
    () => cyclic(),
    () => ({type: "bgzero:remove", id: validId(), image: notImage()}),
    // A cancel of nothing waiting or running, with a good id or a bad one.
    () => ({type: "bgzero:cancel", id: pick([validId(), pick(badIds)])}),
    () => ({type: "bgzero:cancel"}),
    // Odd objects transferred with the message: its own buffer, a port, a canvas.
    () => { const b = new ArrayBuffer(int(100));
            return {transfer: [{type: "bgzero:remove", id: validId(), image: b}, [b]]}; },
    () => { const port = new MessageChannel().port1;
            return {transfer: [{type: "bgzero:remove", id: validId(), image: port}, [port]]}; },
    () => { const canvas = new OffscreenCanvas(1 + int(8), 1 + int(8));
            return {transfer: [{type: pick(["bgzero:remove", "bgzero:cancel"]), id: validId(),
                                image: canvas, options: junk(1)}, [canvas]]}; },
  ];
  const target = bgzero();
  for (let i = 0; i < n; i++) {
    const m = pick(makers)();
    if (m && m.transfer) target.postMessage(m.transfer[0], "*", m.transfer[1]);
    else target.postMessage(m, "*");
  }
}
</script>
"""


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


class _Isolating(_Quiet):
    def end_headers(self):
        self.send_header("Cross-Origin-Opener-Policy", "same-origin")
        self.send_header("Cross-Origin-Embedder-Policy", "require-corp")
        super().end_headers()


def _static_server(root, handler=_Quiet):
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=root))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.fixture(scope="module")
def sites(tmp_path_factory):
    root = tmp_path_factory.mktemp("parent")
    (root / "parent.html").write_text(PARENT)
    for i in range(2):
        (root / f"pet{i}.jpg").write_bytes(PETS[i].read_bytes())
    iphone_photo(PETS[0], root / "pet0.heic")
    with Image.open(PETS[1]) as image:  # 8 MP: a cut long enough to cancel
        image.convert("RGB").resize((3500, 2300), Image.Resampling.BICUBIC).save(root / "big.png")
    servers = [
        _static_server(str(root)),
        _static_server(str(root)),
        _static_server(str(root), _Isolating),
    ]
    allowed, other, isolated = [f"http://127.0.0.1:{s.server_address[1]}" for s in servers]
    dist = tmp_path_factory.mktemp("embed") / "dist"
    site.build(dist, model_ids=["u2netp"], embed_origins=[allowed + "/", isolated])
    port = free_port()
    process = serve(dist, port)
    yield SimpleNamespace(
        app=f"http://127.0.0.1:{port}",
        allowed=allowed,
        other=other,
        isolated=isolated,
        heic=root / "pet0.heic",
    )
    process.terminate()
    process.wait(10)
    for server in servers:
        server.shutdown()


@pytest.fixture()
def page(browser):
    context = browser.new_context()
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    page.console_errors = []
    page.on("console", lambda m: m.type == "error" and page.console_errors.append(m.text))
    page.on("pageerror", lambda e: page.console_errors.append(str(e)))
    yield page
    context.close()


def _messages(page, kind=None, origin=None):
    return [
        m["data"]
        for m in page.evaluate("received")
        if (origin is None or m["origin"] == origin)
        and (kind is None or (isinstance(m["data"], dict) and m["data"].get("type") == kind))
    ]


def _wait_for(page, condition):
    page.wait_for_function(f"received.some(m => m.data && ({condition}))")


def _png(page, req_id):
    return io.BytesIO(base64.b64decode(page.evaluate("(id) => pngBase64(id)", req_id)))


def test_allowed_parent_gets_ready_progress_and_the_native_cutout(sites, page):
    page.goto(
        f"{sites.allowed}/parent.html?app={sites.app}&intruder={sites.other}"
        f"&sibling={sites.allowed}"
    )
    _wait_for(page, "m.data.type === 'bgzero:ready'")
    [ready] = _messages(page, "bgzero:ready")
    # A parent without COOP/COEP: the frame is not isolated, so one WebAssembly thread.
    assert ready == {
        "type": "bgzero:ready",
        "provider": "litert",  # one thread (not isolated), relaxed SIMD: LiteRT.js
        "threads": 1,
        "isolated": False,
        "models": ["u2netp"],
    }, ready
    frame = next(f for f in page.frames if f.url.startswith(sites.app))
    assert "1 thread" in frame.inner_text("#status")
    assert "not cross-origin isolated" in frame.inner_text("#status")

    # Sibling frames are ignored, on the other origin and on the allowed one alike; the
    # parent's request is served.
    intruder = next(f for f in page.frames if f.url.startswith(sites.other))
    sibling = next(f for f in page.frames[1:] if f.url.startswith(sites.allowed))
    intruder.evaluate("send('intruder', '/pet1.jpg')")
    sibling.evaluate("send('sibling', '/pet1.jpg')")
    page.evaluate("send(7, '/pet0.jpg')")
    _wait_for(page, "m.data.type === 'bgzero:result' && m.data.id === 7")
    time.sleep(1)
    replies = _messages(page, origin=sites.app)
    assert all(m["id"] == 7 for m in replies if m["type"] != "bgzero:ready"), replies
    assert intruder.evaluate("received") == [] and sibling.evaluate("received") == []

    stages = [m["stage"] for m in replies if m["type"] == "bgzero:progress"]
    assert [s for s in stages if s in ("decode", "inference", "encode")] == [
        "decode",
        "inference",
        "encode",
    ], stages
    [result] = _messages(page, "bgzero:result")
    assert result["png"] == "image/png"
    assert (result["width"], result["height"]) == Image.open(PETS[0]).size
    assert_matches_native(_png(page, 7), PETS[0])
    assert page.console_errors == []


def test_parent_on_an_origin_not_allowed_gets_nothing(sites, page):
    page.goto(f"{sites.other}/parent.html?app={sites.app}")
    # The frame may load (and ignore the parent) or be refused by frame-ancestors: either
    # way not a single message may reach this parent.
    frame = next((f for f in page.frames if f.url.startswith(sites.app)), None)
    if frame is not None:
        frame.wait_for_function("document.body.dataset.state === 'ready'")
    for i in range(3):
        page.evaluate("(id) => send(id, '/pet0.jpg')", i)
        time.sleep(1)
    time.sleep(2)
    assert page.evaluate("received") == []


def test_ten_thousand_malformed_messages_then_a_valid_one(sites, page):
    page.goto(f"{sites.allowed}/parent.html?app={sites.app}")
    _wait_for(page, "m.data.type === 'bgzero:ready'")
    page.evaluate("fuzz(10000, 20240601)")
    page.wait_for_function("received.filter(m => m.data.type === 'bgzero:error').length >= 10000")
    time.sleep(1)  # nothing more may come: exactly one reply per message
    errors = _messages(page, "bgzero:error")
    assert len(errors) == 10000
    codes = {}
    for e in errors:
        codes[e["code"]] = codes.get(e["code"], 0) + 1
        assert set(e) == {"type", "id", "code", "message"} and e["message"], e
    assert set(codes) == ERROR_CODES, codes  # every refusal path, and no "internal"
    echoed = [e["id"] for e in errors if e["id"] is not None]
    assert len(echoed) > 2000
    assert page.evaluate("""received.filter(m => m.data.type === 'bgzero:error' &&
        m.data.id !== null).every(m => sentIds.has(m.data.id))""")
    print("error replies by code:", codes)

    page.evaluate("send('after the junk', '/pet1.jpg')")
    _wait_for(page, "m.data.type === 'bgzero:result'")
    assert_matches_native(_png(page, "after the junk"), PETS[1])


def test_a_parent_cancels_a_running_and_a_waiting_request(sites, page):
    page.goto(f"{sites.allowed}/parent.html?app={sites.app}")
    _wait_for(page, "m.data.type === 'bgzero:ready'")
    for req_id, path in (("big", "/big.png"), ("next", "/pet1.jpg"), ("gone", "/pet0.jpg")):
        page.evaluate(f"send('{req_id}', '{path}')")
    _wait_for(page, "m.data.id === 'big' && m.data.stage === 'inference'")
    page.evaluate("cancel('gone')")  # waiting: answered at once, never cut
    page.evaluate("cancel('big')")  # running: stops at the worker's next stage
    page.evaluate("cancel('never sent')")
    _wait_for(page, "m.data.type === 'bgzero:result' && m.data.id === 'next'")
    time.sleep(1)
    errors = {e["id"]: e["code"] for e in _messages(page, "bgzero:error")}
    assert errors == {"gone": "cancelled", "big": "cancelled", "never sent": "bad-message"}
    assert [r["id"] for r in _messages(page, "bgzero:result")] == ["next"]
    assert_matches_native(_png(page, "next"), PETS[1])
    assert page.console_errors == []


def test_isolated_parent_gets_a_multi_threaded_frame(sites, page):
    with urllib.request.urlopen(f"{sites.app}/embed.html") as response:
        corp = response.headers["Cross-Origin-Resource-Policy"]
    if corp != "cross-origin":
        # An isolated (COEP require-corp) parent may only frame a cross-origin page that
        # opts in with CORP: cross-origin; `bgzero serve` sends it for embed.html.
        pytest.skip(f"the server sends CORP {corp!r} for embed.html, not 'cross-origin'")
    page.goto(f"{sites.isolated}/parent.html?app={sites.app}")
    assert page.evaluate("crossOriginIsolated")
    _wait_for(page, "m.data.type === 'bgzero:ready'")
    [ready] = _messages(page, "bgzero:ready")
    threads = min(4, page.evaluate("navigator.hardwareConcurrency"))
    assert (ready["isolated"], ready["threads"]) == (True, threads), ready
    page.evaluate("send('isolated', '/pet1.jpg')")
    _wait_for(page, "m.data.type === 'bgzero:result'")
    assert_matches_native(_png(page, "isolated"), PETS[1])
    assert page.console_errors == []


# The frame runs the page's worker: the same choice of provider and the same fallbacks
# (the browser has a software WebGPU adapter, see conftest). A cut on the forced adapter is
# engines/test_webgpu.py's: on SwiftShader it takes minutes, and the engine is the same.
@pytest.mark.parametrize(
    "query, provider, said",
    [
        ("", "litert", "WebGPU not used: software adapter (swiftshader)"),
        ("?provider=webgpu&fault=webgpu-import", "wasm", "WebGPU failed, using WASM: import"),
        ("?provider=webgpu&fault=webgpu-session", "wasm", "WebGPU failed, using WASM: session"),
        ("?provider=webgpu&fault=webgpu-smoke", "wasm", "WebGPU failed, using WASM: smoke run"),
    ],
)
def test_the_frame_chooses_and_falls_back_like_the_page(sites, page, query, provider, said):
    page.goto(f"{sites.allowed}/parent.html?app={sites.app}&query={urllib.parse.quote(query)}")
    _wait_for(page, "m.data.type === 'bgzero:ready'")
    [ready] = _messages(page, "bgzero:ready")
    assert ready["provider"] == provider, ready
    frame = next(f for f in page.frames if f.url.startswith(sites.app))
    assert frame.url.endswith("/embed.html" + query)
    assert said in frame.inner_text("#status"), frame.inner_text("#status")
    page.evaluate("send(1, '/pet0.jpg')")
    _wait_for(page, "m.data.type === 'bgzero:result' && m.data.id === 1")
    assert provider in frame.inner_text("#status")
    assert_matches_native(_png(page, 1), PETS[0])
    assert page.console_errors == []


@pytest.mark.parametrize("format_id, mode", [("webp", "RGBA"), ("jpeg", "RGB")])
def test_the_frame_answers_in_the_format_asked_for(sites, page, format_id, mode):
    page.goto(f"{sites.allowed}/parent.html?app={sites.app}")
    _wait_for(page, "m.data.type === 'bgzero:ready'")
    page.evaluate(f"send(4, '/pet1.jpg', {{format: '{format_id}'}})")
    _wait_for(page, "m.data.type === 'bgzero:result' && m.data.id === 4")
    [result] = _messages(page, "bgzero:result")
    entry = formats.FORMATS[format_id]
    assert result["format"] == format_id and result["file"] == entry["mime"]
    # A Blob has no name: the file is named as an unnamed photo's would be.
    assert result["png"] is None and result["name"] == "image-nobg." + entry["ext"]
    image = Image.open(_png(page, 4))
    assert image.mode == mode and image.size == Image.open(PETS[1]).size
    assert page.console_errors == []


def test_the_frame_takes_background_shadow_crop_size_and_heic_like_the_page(sites, page, tmp_path):
    page.goto(f"{sites.allowed}/parent.html?app={sites.app}")
    _wait_for(page, "m.data.type === 'bgzero:ready'")
    page.evaluate(
        "send(6, '/pet1.jpg', {format: 'png', background: '#f00', crop: true, "
        "margin: 0, maxSide: 120})"
    )
    _wait_for(page, "m.data.type === 'bgzero:result' && m.data.id === 6")
    [result] = _messages(page, "bgzero:result")
    image = Image.open(_png(page, 6)).convert("RGBA")
    assert max(image.size) == 120 and (result["width"], result["height"]) == image.size
    pixels = np.asarray(image).astype(int)
    assert (pixels[..., 3] == 255).all()  # on the colour, opaque
    assert (np.abs(pixels[..., :3] - (255, 0, 0)).max(-1) <= 2).any()
    page.evaluate("send(7, '/pet1.jpg', {background: 'file:///etc/hosts'})")
    _wait_for(page, "m.data.type === 'bgzero:error' && m.data.id === 7")
    [error] = _messages(page, "bgzero:error")
    assert error["code"] == "bad-message" and "background" in error["message"]
    # A shadow: the pixels of `bgzero remove --shadow`; a bad one is refused by name.
    page.evaluate("send(8, '/pet1.jpg', {background: '#ffffff', shadow: {opacity: 70}})")
    _wait_for(page, "m.data.type === 'bgzero:result' && m.data.id === 8")
    white = {"kind": "colour", "colour": "#ffffff"}
    shadow = shadows.check({"opacity": 70})
    native = native_file(PETS[1], tmp_path / "native.png", background=white, shadow=shadow)
    assert_same_picture(_png(page, 8), native)
    page.evaluate("send(9, '/pet1.jpg', {shadow: {blur: 500}})")
    _wait_for(page, "m.data.type === 'bgzero:error' && m.data.id === 9")
    error = _messages(page, "bgzero:error")[-1]
    assert error["code"] == "bad-message", error
    assert "shadow's blur must be between 1 and 100" in error["message"], error
    # An iPhone photo (HEIC, taken on its side) is cut upright, as the CLI cuts it.
    page.evaluate("send(10, '/pet0.heic')")
    _wait_for(page, "m.data.type === 'bgzero:result' && m.data.id === 10")
    result = _messages(page, "bgzero:result")[-1]
    upright = Image.open(PETS[0]).size[::-1]
    assert (result["width"], result["height"]) == upright
    assert_matches_native(_png(page, 10), sites.heic)
    assert page.console_errors == []


def test_quality_best_needs_the_pair_in_the_build(sites, page):
    """This build ships u2netp alone: "Best quality" is refused by name, "fast" is served
    (the pair itself is cut in the page's test, test_cutout_large_models.py, through the same
    Cutter)."""
    page.goto(f"{sites.allowed}/parent.html?app={sites.app}")
    _wait_for(page, "m.data.type === 'bgzero:ready'")
    page.evaluate("send(8, '/pet1.jpg', {quality: 'best'})")
    page.evaluate("send(9, '/pet1.jpg', {quality: 'fast'})")
    _wait_for(page, "m.data.type === 'bgzero:result' && m.data.id === 9")
    [error] = _messages(page, "bgzero:error")
    assert error["id"] == 8 and error["code"] == "unknown-model" and "best" in error["message"]
    assert_matches_native(_png(page, 9), PETS[1])
    assert page.console_errors == []


def test_a_chinese_frame_answers_and_shows_in_chinese(sites, page):
    query = urllib.parse.quote("?lang=zh")
    page.goto(f"{sites.allowed}/parent.html?app={sites.app}&query={query}")
    _wait_for(page, "m.data.type === 'bgzero:ready'")
    frame = next(f for f in page.frames if f.url.startswith(sites.app))
    assert frame.evaluate("document.documentElement.lang") == "zh-CN"
    assert "个线程" in frame.inner_text("#status")
    page.evaluate("send(8, '/pet1.jpg', {model: 'no-such-model'})")
    _wait_for(page, "m.data.type === 'bgzero:error' && m.data.id === 8")
    [error] = _messages(page, "bgzero:error")
    assert error["code"] == "unknown-model" and error["message"].startswith("未知模型"), error
    page.evaluate("send(9, '/pet1.jpg', {background: 'blur:x'})")
    _wait_for(page, "m.data.type === 'bgzero:error' && m.data.id === 9")
    error = _messages(page, "bgzero:error")[-1]
    assert "强度必须是数字" in error["message"], error
    assert page.console_errors == []
