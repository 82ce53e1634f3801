"""Installable, offline and self-healing: the service worker in real Chromium."""

import json

from PIL import Image

from bgzero.dev.driver import CHROMIUM, CHROMIUM_ARGS, AppPage
from bgzero.eval.groundtruth import photos

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
    wanted = {models["u2netp"]["file"], refine["file"]}
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
    assert manifest["share_target"]["params"]["files"][0]["accept"] == ["image/*"]


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
    model = models["u2netp"]
    app.page.evaluate(CORRUPT_JS, model["file"])
    assert app.page.evaluate(CACHED_SHA_JS, model["file"]) != model["sha256"]
    app.page.reload()
    app.cut(PETS[2])
    app.wait_until(
        f"({CACHED_SHA_JS})({json.dumps(model['file'])}).then(h => h === '{model['sha256']}')"
    )
    png = app.download(tmp_path)
    from test_cutout import assert_matches_native

    assert_matches_native(png, PETS[2])
    assert app.log.console_errors() == []


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
