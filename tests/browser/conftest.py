"""One `bgzero serve` and one Chromium for the whole browser session (per pytest-xdist worker);
a fresh page per test."""

import os
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from bgzero.dev.driver import CHROMIUM, CHROMIUM_ARGS, WEBGPU_ARGS, AppPage, free_port, serve

ROOT = Path(__file__).resolve().parents[2]
DIST = Path(os.environ.get("BGZERO_DIST", ROOT / "dist"))


@pytest.fixture(scope="session")
def origin():
    if not (DIST / "index.html").is_file():
        pytest.fail(f"{DIST} is not built: run `make build` (make test does)")
    port = free_port()
    process = serve(DIST, port)
    yield f"http://127.0.0.1:{port}"
    process.terminate()
    process.wait(10)


@pytest.fixture(scope="session")
def playwright():
    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def browser(playwright):
    # With a (software) WebGPU adapter, as users have one: every test starts the app with it.
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS + WEBGPU_ARGS)
    yield browser
    browser.close()


class PageLog:
    """What a page did: console messages, page errors and every request with its body."""

    def __init__(self, context, page):
        self.console, self.errors, self.requests = [], [], []
        page.on("console", lambda m: self.console.append((m.type, m.text)))
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        context.on("request", lambda r: self.requests.append((r.method, r.url, r.post_data_buffer)))

    def console_errors(self):
        return [text for kind, text in self.console if kind == "error"] + self.errors


@pytest.fixture()
def app(browser, origin):
    context = browser.new_context(accept_downloads=True)
    page = context.new_page()
    driver = AppPage(page, origin)
    driver.log = PageLog(context, page)
    yield driver
    context.close()
