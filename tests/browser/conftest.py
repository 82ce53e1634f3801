"""One `bgzero serve` and one Chromium for the whole browser session; a fresh page per test."""

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[2]
DIST = Path(os.environ.get("BGZERO_DIST", ROOT / "dist"))
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
# Without these, Chromium keeps dialling Google's hosts on this closed network.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(dist: Path, port: int) -> subprocess.Popen:
    process = subprocess.Popen([sys.executable, "-m", "bgzero", "serve", "--dist", str(dist),
                                "--port", str(port)])
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return process
        except OSError:
            if process.poll() is not None:
                raise RuntimeError(f"bgzero serve exited with {process.returncode}")
            time.sleep(0.1)
    process.kill()
    raise RuntimeError("bgzero serve did not start in 30 s")


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
def browser():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class PageLog:
    """What a page did: console messages, page errors and every request with its body."""

    def __init__(self, context, page):
        self.console, self.errors, self.requests = [], [], []
        page.on("console", lambda m: self.console.append((m.type, m.text)))
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        context.on("request", lambda r: self.requests.append(
            (r.method, r.url, r.post_data_buffer)))

    def console_errors(self):
        return [text for kind, text in self.console if kind == "error"] + self.errors


@pytest.fixture()
def context(browser):
    context = browser.new_context(accept_downloads=True)
    yield context
    context.close()


@pytest.fixture()
def page(context, origin):
    page = context.new_page()
    page.log = PageLog(context, page)
    page.set_default_timeout(120_000)
    yield page
    page.close()
