"""Installable, offline and self-healing: the service worker in real Chromium."""

import base64
import json

import pytest
from PIL import Image

from bgzero.dev.driver import CHROMIUM, CHROMIUM_ARGS, AppPage
from bgzero.eval.groundtruth import photos
from oracle import assert_matches_native

PETS = photos("pets")
CATALOG_JS = "fetch('./models/catalog.json').then(r => r.json())"
CACHED_MODELS_JS = """async () => {
  const cache = await caches.open('bgzero-models');
  return (await cache.keys()).map(r => new URL(r.url).pathname.slice(1));
}"""
CORRUPT_JS = """async (file) => {
  const cache = await caches.open('bgzero-models');
  const url = new URL(file, location.href).href;
  const good = await cache.match(url);
  const bytes = new Uint8Array(await good.arrayBuffer());
  for (let i = 1000; i < bytes.length; i += 4096) bytes[i] ^= 0x5a;
  await cache.put(url, new Response(bytes, {headers: good.headers}));
}"""
CACHED_SHA_JS = """async (file) => {
  const cache = await caches.open('bgzero-models');
  const response = await cache.match(new URL(file, location.href).href);
  const bytes = await response.arrayBuffer();
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
  return Array.from(digest, b => b.toString(16).padStart(2, '0')).join('');
}"""


def model_files(app):
    catalog = app.page.evaluate(CATALOG_JS)
    models = {m["id"]: m for m in catalog["models"]}
    return models, catalog["graphs"]["refine"]


def visit_and_cache(app):
    """One visit with the default model used; returns once its files are in Cache Storage."""
    app.open()
    app.cut(PETS[0])
    models, refine = model_files(app)
    u2netp = models["u2netp"]
    wanted = {u2netp["file"], u2netp["litert"]["file"], refine["file"]}
    app.wait_until(
        f"({CACHED_MODELS_JS})().then(k => {json.dumps(sorted(wanted))}.every(f => k.includes(f)))"
    )
    app.page.wait_for_function("navigator.serviceWorker.controller !== null")
    return models, refine


def test_no_installability_errors(playwright, origin, tmp_path):
    # Installability needs a profile: every new_context() is incognito, which Chrome refuses.
    context = playwright.chromium.launch_persistent_context(
        tmp_path / "profile", executable_path=CHROMIUM, args=CHROMIUM_ARGS
    )
    try:
        app = AppPage(context.pages[0], origin)
        app.open()
        app.page.wait_for_function("navigator.serviceWorker.controller !== null")
        cdp = context.new_cdp_session(app.page)
        errors = cdp.send("Page.getInstallabilityErrors")["installabilityErrors"]
        manifest = app.page.evaluate("fetch('./manifest.webmanifest').then(r => r.json())")
    finally:
        context.close()
    assert errors == []
    sizes = {icon["sizes"] for icon in manifest["icons"]}
    assert {"192x192", "512x512"} <= sizes
    assert any(icon.get("purpose") == "maskable" for icon in manifest["icons"])
    assert "image/*" in manifest["share_target"]["params"]["files"][0]["accept"]
    assert "image/jpeg" in manifest["file_handlers"][0]["accept"]


def test_a_first_visit_is_kept_offline_once_its_first_photo_is_cut(app):
    """The service worker's install downloads the whole shell: a first visit starts it only
    after its first work (here a photo picked at once), not while the worker loads."""
    app.open(wait=False)
    app.pick(PETS[1])
    assert app.state() == "done", app.message()
    app.page.wait_for_function("navigator.serviceWorker.controller !== null")
    urls = [url for _, url, _ in app.log.requests]
    models, _ = model_files(app)
    model = next(i for i, u in enumerate(urls) if u.endswith(models["u2netp"]["litert"]["file"]))
    registered = next(i for i, u in enumerate(urls) if u.endswith("/sw.js"))
    source = next(i for i, u in enumerate(urls) if u.endswith("/bgzero-source.tgz"))
    assert model < registered < source, (urls[model], urls[registered], urls[source])


def test_offline_after_one_visit(app, tmp_path):
    visit_and_cache(app)
    responses = []
    app.page.context.on("response", lambda r: responses.append(r))
    app.page.context.set_offline(True)
    app.page.reload()
    app.wait_model_ready()
    assert "Offline" in app.page.inner_text("#network")
    app.cut(PETS[1])
    png = app.download(tmp_path)
    assert Image.open(png).size == Image.open(PETS[1]).size
    network = [
        r.url
        for r in responses
        if not r.url.startswith(("blob:", "data:")) and not r.from_service_worker
    ]
    assert network == [], f"not served by the service worker: {network[:5]}"
    # A model never used on this device cannot work offline: the page says why.
    app.page.select_option("#model", "isnet-quint8")
    app.page.wait_for_function("document.body.dataset.state === 'error'")
    assert "needs a connection once" in app.message()
    assert app.log.console_errors() == []


def test_corrupted_cached_model_is_replaced(app, tmp_path):
    models, _ = visit_and_cache(app)
    model = models["u2netp"]["litert"]  # the file the worker loads here: LiteRT.js's graph
    app.page.evaluate(CORRUPT_JS, model["file"])
    assert app.page.evaluate(CACHED_SHA_JS, model["file"]) != model["sha256"]
    app.page.reload()
    app.cut(PETS[2])
    app.wait_until(
        f"({CACHED_SHA_JS})({json.dumps(model['file'])}).then(h => h === '{model['sha256']}')"
    )
    assert_matches_native(app.download(tmp_path), PETS[2])
    assert app.log.console_errors() == []


@pytest.mark.parametrize(
    "change, message",
    [
        (lambda body: body[: len(body) // 2], "The model download is incomplete"),
        (lambda body: body + body[:1000], "The model download is larger than the catalog says"),
    ],
    ids=["short", "long"],
)
def test_a_model_download_of_the_wrong_length_gets_a_message_then_the_next_photo_cuts(
    browser, origin, tmp_path, change, message
):
    """A model's download that ends short or runs long (a proxy's cut, a wrong file) is
    caught while it streams in, with a message; the next photo loads it again and cuts."""
    # service workers blocked: every request is the page's own, for the route to change
    context = browser.new_context(accept_downloads=True, service_workers="block")

    def changed(route):
        response = route.fetch()
        route.fulfill(response=response, body=change(response.body()))

    context.route("**/models/u2netp-*", changed)  # LiteRT.js's graph and the ONNX one
    try:
        app = AppPage(context.new_page(), origin)
        app.open(wait=False)
        app.pick(PETS[1])
        assert app.state() == "error"
        assert message in app.message()
        context.unroute("**/models/u2netp-*")
        app.cut(PETS[1])
        assert app.message() == ""
        assert_matches_native(app.download(tmp_path), PETS[1])
    finally:
        context.close()


def test_precache_is_versioned_by_the_build(app):
    app.open()
    app.page.wait_for_function("navigator.serviceWorker.controller !== null")
    names = app.page.evaluate("caches.keys()")
    version = app.page.evaluate("fetch('./manifest.json').then(r => r.json())")["version"]
    assert f"bgzero-shell-{version}" in names
    assert not [n for n in names if n.startswith("bgzero-shell-") and not n.endswith(version)]


def test_plain_static_host_gets_isolation_from_the_service_worker(browser, tmp_path):
    """A host that sends no COOP/COEP: one thread at first, threads once the worker serves."""
    import threading

    import uvicorn
    from starlette.staticfiles import StaticFiles

    import bgzero.server  # noqa: F401  (registers the .mjs and .wasm types a host would send)
    from bgzero.dev.driver import free_port, wait_for_port
    from conftest import DIST

    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(
            StaticFiles(directory=DIST, html=True), host="127.0.0.1", port=port, log_level="warning"
        )
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    wait_for_port(port)
    context = browser.new_context()
    try:
        app = AppPage(context.new_page(), f"http://127.0.0.1:{port}")
        app.open()
        assert app.page.evaluate("crossOriginIsolated") is False
        assert "1 thread" in app.status()
        app.page.wait_for_function("navigator.serviceWorker.controller !== null")
        app.page.reload()
        app.wait_model_ready()
        assert app.page.evaluate("crossOriginIsolated") is True
        assert "2 threads" in app.status()
        app.cut(PETS[3])
        assert app.state() == "done"
    finally:
        context.close()
        server.should_exit = True
        thread.join(10)


# A share sheet's POST: a multipart form of photos sent to ./share as a navigation.
SHARE_JS = """(photos) => {
  const form = Object.assign(document.createElement('form'),
    {method: 'post', enctype: 'multipart/form-data', action: './share'});
  const input = Object.assign(document.createElement('input'),
    {type: 'file', name: 'image', multiple: true});
  const data = new DataTransfer();
  for (const [name, b64] of photos) {
    const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    data.items.add(new File([bytes], name, {type: 'image/jpeg'}));
  }
  input.files = data.files;
  form.append(input);
  document.body.append(form);
  form.submit();
}"""


SHARED_LEFT_JS = "caches.open('bgzero-shared').then((c) => c.keys()).then((k) => k.length)"


def test_photos_shared_to_the_app_offline_open_the_tool_with_both_queued(app):
    """Android's share sheet posts the photos to ./share; with the network off, the service
    worker takes them on the device and the tool opens with both in the queue."""
    visit_and_cache(app)
    app.page.context.set_offline(True)
    shared = PETS[1:3]
    photos_b64 = [[p.name, base64.b64encode(p.read_bytes()).decode()] for p in shared]
    with app.page.expect_navigation(url="**/?share=1"):
        app.page.evaluate(SHARE_JS, photos_b64)
    app.wait_model_ready()
    app.page.wait_for_function("Number(document.body.dataset.handled || 0) >= 2")
    names = app.page.eval_on_selector_all("#queue .name", "els => els.map(e => e.textContent)")
    assert names == [p.name for p in shared]
    assert app.state() == "done", app.message()
    posts = [(method, url) for method, url, _ in app.log.requests if method != "GET"]
    assert [url.rsplit("/", 1)[-1] for _, url in posts] == ["share"]  # answered offline
    assert app.page.evaluate(SHARED_LEFT_JS) == 0  # handed over, none left behind
    assert app.log.console_errors() == []


# The browser's launch queue as the OS fills it for "Open with BG Zero" (the installed app's
# file_handlers), recorded so the test can hand the page's consumer a file.
LAUNCH_INIT = """Object.defineProperty(window, 'launchQueue', {value: {
  setConsumer(consumer) { window.bgzeroLaunch = consumer; }}});"""
LAUNCH_JS = """async (b64) => {
  const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
  const file = new File([bytes], 'opened.jpg', {type: 'image/jpeg'});
  window.bgzeroLaunch({files: [{kind: 'file', name: file.name, getFile: async () => file}]});
}"""


def test_a_photo_opened_with_the_app_is_cut(app):
    app.page.add_init_script(LAUNCH_INIT)
    app.open()
    app.page.wait_for_function("typeof window.bgzeroLaunch === 'function'")
    app.page.evaluate(LAUNCH_JS, base64.b64encode(PETS[3].read_bytes()).decode())
    app.page.wait_for_function("Number(document.body.dataset.handled || 0) >= 1")
    assert app.state() == "done", app.message()
    assert app.page.evaluate("document.getElementById('download').download") == "opened-nobg.png"
    assert app.log.console_errors() == []
