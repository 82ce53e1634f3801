"""A new build reaches an installed app safely: the waiting service worker is offered with
a reload, every page runs one build's files only (another open tab keeps its own build until
it closes), unchanged models stay cached; and a browser
that refuses storage still gets a working app and is told offline use is unavailable."""

import shutil

from bgzero.dev.driver import AppPage, free_port, serve
from bgzero.eval.groundtruth import photos
from bgzero.site import build as site
from conftest import DIST, PageLog

PETS = photos("pets")
_CACHES = "caches.keys().then((keys) => keys.sort())"
_STYLE = "fetch('./style.css').then((r) => r.text())"
_STYLE_FROM_WORKER = "fetch(location.origin + '/style.css').then((r) => r.text())"
_MODELS = "caches.open('bgzero-models').then((c) => c.keys()).then((k) => k.map((r) => r.url))"


def cached_models(page):
    """The model files in Cache Storage, once the first one is there."""
    for _ in range(600):
        urls = page.evaluate(_MODELS)
        if any(url.endswith(".onnx") and "/u2netp-" in url for url in urls):
            return urls
        page.wait_for_timeout(100)
    raise AssertionError("the model was never cached")


def second_build(folder):
    """A copy of dist/ whose style differs: another build, another version."""
    shutil.copytree(DIST, folder)
    with open(folder / "style.css", "a") as style:
        style.write("\n/* the next version */\n")
    return site.restamp(folder)["version"]


def test_a_new_build_is_offered_then_taken_whole_and_unchanged_models_stay(browser, tmp_path):
    new = second_build(tmp_path / "next")
    old = (DIST / "sw.js").read_text().split('VERSION = "')[1].split('"')[0]
    assert new != old
    port = free_port()
    origin = f"http://127.0.0.1:{port}"
    server = serve(DIST, port)
    context = browser.new_context()
    try:
        page = context.new_page()
        app = AppPage(page, origin)
        app.log = PageLog(context, page)
        app.open()
        page.wait_for_function("navigator.serviceWorker.controller !== null")
        models_before = cached_models(page)
        assert f"bgzero-shell-{old}" in page.evaluate(_CACHES)
        other = AppPage(context.new_page(), origin)  # a second tab of the installed app
        other.log = PageLog(context, other.page)
        other.open()
        server.terminate()
        server.wait(10)
        server = serve(tmp_path / "next", port)  # the site is updated under the open pages
        page.evaluate("navigator.serviceWorker.getRegistration().then((r) => r.update())")
        page.wait_for_function("document.body.dataset.update === 'ready'")
        assert page.is_visible("#update"), page.evaluate(
            "[document.querySelector('#update').outerHTML, document.body.dataset.state]"
        )
        # Until the user says so, the page goes on with its own build: it still cuts.
        app.cut(PETS[0])
        assert "the next version" not in page.evaluate(_STYLE)
        with page.expect_navigation():
            page.click("#update-reload")
        app.wait_model_ready()
        assert page.evaluate("document.body.dataset.update") is None
        assert "the next version" in page.evaluate(_STYLE)
        assert f"bgzero-shell-{new}" in page.evaluate(_CACHES)
        # The other tab did not ask: it keeps running its own build's files (a file it loads
        # now comes from its build), and cuts with them, until it is closed or reloaded.
        assert "the next version" not in other.page.evaluate(_STYLE)
        # So do the workers it started before the update (the cut-out's, made from a blob).
        worker = next(w for w in other.page.workers if w.url.startswith("blob:"))
        assert "the next version" not in worker.evaluate(_STYLE_FROM_WORKER)
        other.cut(PETS[2])
        assert f"bgzero-shell-{old}" in page.evaluate(_CACHES)
        assert other.log.console_errors() == []
        other.page.close()
        page.reload()  # a navigation tidies up: no page runs the old build any more
        app.wait_model_ready()
        app.wait_until(f"caches.has('bgzero-shell-{old}').then((has) => !has)")
        assert f"bgzero-shell-{new}" in page.evaluate(_CACHES)
        # The model did not change: it stays cached.
        assert set(models_before) <= set(cached_models(page))
        app.cut(PETS[1])
        assert app.log.console_errors() == []
    finally:
        context.close()
        server.terminate()
        server.wait(10)


def test_refused_storage_leaves_a_working_app_that_says_offline_is_unavailable(browser, origin):
    context = browser.new_context()
    page = context.new_page()
    app = AppPage(page, origin)
    app.log = PageLog(context, page)
    cdp = context.new_cdp_session(page)
    cdp.send("Storage.overrideQuotaForOrigin", {"origin": origin, "quotaSize": 10_000})
    app.open()
    page.wait_for_function("document.body.dataset.storage === 'refused'")
    assert "Offline use is unavailable" in page.inner_text("#storage")
    app.cut(PETS[2])
    assert app.state() == "done"
    context.close()
