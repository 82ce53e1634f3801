"""The pages around the tool in real Chromium: header and footer everywhere, the licences
of what dist/ ships, the source archive, the privacy page's clear-all, both languages."""

import io
import json
import tarfile

import pytest

from bgzero.driver import AppPage
from conftest import DIST, PageLog
from test_language import english_left

PAGES = ("privacy.html", "licences.html", "accessibility.html")
FOOTER = ("privacy.html", "licences.html", "accessibility.html", "bgzero-source.tar.gz")


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
    assert english_left(app) == set()
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
    for model in catalog["models"]:
        assert model["id"] in text and model["sha256"] in text


def test_the_source_archive_is_the_tree_the_site_was_built_from(app):
    response = app.page.request.get(f"{app.origin}/bgzero-source.tar.gz")
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
