"""The pages around the tool in real Chromium: header and footer everywhere, the licences
of what dist/ ships, the source archive, the privacy page's clear-all, both languages."""

import io
import json
import tarfile

import latin_words
import pytest
from test_language import english_left

from bgzero.dev.driver import AppPage
from bgzero.eval.groundtruth import photos
from conftest import DIST, PageLog

PAGES = ("how-it-works.html", "privacy.html", "licences.html", "accessibility.html")
PETS = photos("pets")
FOOTER = (
    "how-it-works.html",
    "privacy.html",
    "licences.html",
    "accessibility.html",
    "bgzero-source.tgz",
)


# The licences' data (package names, versions, licence ids, model sources) is not prose:
# every table cell's text, less the sentences in it that are translated.
_DATA = """() => {
  const texts = [];
  for (const body of document.querySelectorAll("tbody")) {
    const walker = document.createTreeWalker(body, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
      if (!walker.currentNode.parentElement.closest("[data-i18n]")) {
        texts.push(walker.currentNode.textContent);
      }
    }
  }
  return texts.join(" ");
}"""


def open_page(app, name):
    app.page.goto(f"{app.origin}/{name}")
    app.page.wait_for_function("document.body.dataset.lang !== undefined")


@pytest.mark.parametrize("name", PAGES)
def test_every_page_has_the_footer_and_the_language_switch(app, name):
    open_page(app, name)
    links = app.page.eval_on_selector_all(
        "footer a", "(links) => links.map((a) => a.getAttribute('href'))"
    )
    assert [link.removeprefix("./") for link in links] == list(FOOTER)
    for link in links:
        response = app.page.request.get(f"{app.origin}/{link.removeprefix('./')}")
        assert response.status == 200, link
    app.page.click("button[data-lang=zh]")
    assert app.page.evaluate("document.documentElement.lang") == "zh-CN"
    assert english_left(app, latin_words.leftover(app.page.evaluate(_DATA))) == set()
    assert app.log.console_errors() == []


def test_the_tool_page_links_the_pages_too(app):
    app.open()
    links = app.page.eval_on_selector_all(
        "footer a", "(links) => links.map((a) => a.getAttribute('href'))"
    )
    assert [link.removeprefix("./") for link in links] == list(FOOTER)


def test_licences_list_every_npm_package_and_model_dist_ships(app):
    open_page(app, "licences.html")
    text = app.page.inner_text("main")
    for package in ("@pyscript/core", "onnxruntime-web", "client-zip", "pyodide", "polyscript"):
        assert package in text, package
    assert app.page.locator("details pre").count() >= 5  # full licence texts
    catalog = json.loads((DIST / "models" / "catalog.json").read_text())
    files = [m for m in catalog["models"] if not m.get("parts")]  # a pair ships no file
    assert {p for m in catalog["models"] for p in m.get("parts", [])} <= {m["id"] for m in files}
    for model in files:
        assert model["id"] in text and model["sha256"] in text


def test_the_source_archive_is_the_tree_the_site_was_built_from(app):
    response = app.page.request.get(f"{app.origin}/bgzero-source.tgz")
    with tarfile.open(fileobj=io.BytesIO(response.body())) as tar:
        names = set(tar.getnames())
        assert {"bgzero/pyproject.toml", "bgzero/src/web/app.py", "bgzero/Makefile"} <= names
        shipped = tar.extractfile("bgzero/src/web/shared/i18n.py").read()
    assert shipped == (DIST / "py" / "shared" / "i18n.py").read_bytes()


def test_clear_all_removes_caches_settings_and_the_service_worker(browser, origin):
    context = browser.new_context()
    page = context.new_page()
    app = AppPage(page, origin)
    app.log = PageLog(context, page)
    app.open()
    page.click("button[data-lang=zh]")  # a setting to clear
    page.wait_for_function("navigator.serviceWorker.controller !== null")
    assert page.evaluate("caches.keys().then((k) => k.length)") > 0
    open_page(app, "privacy.html")
    page.click("#clear-all")
    page.wait_for_function("document.body.dataset.cleared === 'yes'")
    assert page.evaluate("caches.keys().then((k) => k.length)") == 0
    assert page.evaluate("localStorage.length") == 0
    assert page.evaluate("navigator.serviceWorker.getRegistrations().then((r) => r.length)") == 0
    assert "已清除" in page.inner_text("#cleared")  # said in the language on screen
    assert app.log.console_errors() == []
    context.close()


def test_the_network_panel_lists_every_request_and_none_carried_a_body(app):
    app.open()
    app.page.wait_for_function("navigator.serviceWorker.controller !== null")
    app.page.reload()  # a return visit: the service worker sees every request from the start
    app.wait_model_ready()
    before = len(app.log.requests)
    app.cut(PETS[0])
    app.show_options()
    app.page.click("#network-activity summary")
    app.page.wait_for_function("Number(document.body.dataset.network || 0) >= 1")
    rows = app.page.eval_on_selector_all(
        "#network-rows tr", "(rows) => rows.map((r) => [r.cells[0].textContent, r.dataset.body])"
    )
    urls = [url for url, _ in rows]
    assert "/" in urls and any(url.endswith(".onnx") for url in urls), urls  # page and worker
    assert any(url.startswith("/runtime/") for url in urls)
    assert [r for r in rows if r[1] != "no"] == []
    assert "none carried a body" in app.page.inner_text("#network-summary")
    # What the browser really sent while the photo was cut agrees: no body, our origin only.
    for method, url, body in app.log.requests[before:]:
        assert body is None and url.startswith((app.origin, "blob:" + app.origin)), (method, url)
    assert app.log.console_errors() == []
