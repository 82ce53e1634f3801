"""Drives the app in headless Chromium: shared by the browser tests and `bgzero bench`."""

import base64
import json
import mimetypes
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
# Without these, Chromium keeps dialling Google's hosts on this closed network.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
# A software WebGPU adapter (SwiftShader), as most users' browsers have a (real) adapter:
# the app must start with one present, and the WebGPU path can be tested on it.
WEBGPU_ARGS = ["--enable-unsafe-webgpu", "--use-webgpu-adapter=swiftshader"]
TIMEOUT_MS = 180_000

# A File built in the page, delivered as a paste (ClipboardEvent) or a drop (DragEvent).
_DELIVER = """async ([how, name, type, b64]) => {
  const bytes = Uint8Array.from(atob(b64), c => c.charCodeAt(0));
  const data = new DataTransfer();
  data.items.add(new File([bytes], name, {type}));
  const event = how === "paste"
    ? new ClipboardEvent("paste", {clipboardData: data, bubbles: true, cancelable: true})
    : new DragEvent("drop", {dataTransfer: data, bubbles: true, cancelable: true});
  (how === "paste" ? document : document.getElementById("drop")).dispatchEvent(event);
}"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port: int, alive=lambda: True, seconds: float = 30) -> None:
    """Return once 127.0.0.1:port accepts connections; raise if `alive()` turns false."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            if not alive():
                raise RuntimeError(f"the server for port {port} exited") from None
            time.sleep(0.1)
    raise RuntimeError(f"nothing listens on port {port} after {seconds} s")


def serve(dist: Path, port: int) -> subprocess.Popen:
    """`bgzero serve` in a child process, returned once it accepts connections."""
    process = subprocess.Popen(
        [sys.executable, "-m", "bgzero", "serve", "--dist", str(dist), "--port", str(port)]
    )
    try:
        wait_for_port(port, alive=lambda: process.poll() is None)
    except RuntimeError:
        process.kill()
        raise
    return process


class AppPage:
    """The page as a user sees it: open, hand it a photo, read the result."""

    def __init__(self, page, origin: str):
        self.page = page
        self.origin = origin
        page.set_default_timeout(TIMEOUT_MS)

    def open(
        self, worker: str | None = None, model: str | None = None, wait: bool = True, **params: str
    ):
        """The page, with ?worker= ?model= and any other query parameters given."""
        pairs = (("worker", worker), ("model", model), *params.items())
        query = "&".join(f"{k}={v}" for k, v in pairs if v)
        self.page.goto(f"{self.origin}/" + (f"?{query}" if query else ""))
        if wait:
            self.wait_model_ready()

    def wait_until(self, expression: str, seconds: float = TIMEOUT_MS / 1000) -> None:
        """Poll until `expression` (which may give a Promise, e.g. of Cache Storage) is true;
        Playwright's wait_for_function takes a Promise itself for a true value."""
        deadline = time.monotonic() + seconds
        while not self.page.evaluate(expression):
            if time.monotonic() > deadline:
                raise TimeoutError(f"still false after {seconds:.0f} s: {expression}")
            self.page.wait_for_timeout(100)

    def wait_model_ready(self):
        self.page.wait_for_function("document.body.dataset.tModel !== undefined")

    def handled(self) -> int:
        return int(self.page.evaluate("document.body.dataset.handled || '0'"))

    def _wait_handled(self, before: int, count: int = 1) -> None:
        self.page.wait_for_function(
            f"Number(document.body.dataset.handled || 0) >= {before + count}"
        )

    def pick(self, photo: Path, wait: bool = True) -> None:
        before = self.handled()
        self.page.set_input_files("#file", str(photo))
        if wait:
            self._wait_handled(before)

    def deliver(self, how: str, photo: Path, wait: bool = True) -> None:
        """Paste or drop `photo` as a user would, with its bytes as the File's content."""
        before = self.handled()
        kind = mimetypes.guess_type(photo.name)[0] or "application/octet-stream"
        b64 = base64.b64encode(photo.read_bytes()).decode()
        self.page.evaluate(_DELIVER, [how, photo.name, kind, b64])
        if wait:
            self._wait_handled(before)

    def cut(self, photo: Path) -> dict:
        """Pick `photo`, wait for the result, return the page's stage timings in seconds."""
        self.pick(photo)
        if self.state() != "done":
            raise RuntimeError(f"{photo.name}: {self.message()}")
        timings = self._seconds("timings")
        # The worker's copy to pixels and the prepare graph are the browser's resize too, as
        # natively: "run" is then the model's run alone on both sides.
        prepare = timings.pop("prepare", 0)
        timings["resize"] = timings.get("resize", 0) + timings.pop("pixels", 0) + prepare
        if "run" in timings:
            timings["run"] -= prepare
        return timings

    def load_timings(self) -> dict:
        """Model download and session creation of the page's first load, in seconds."""
        return self._seconds("loadTimings")

    def _seconds(self, key: str) -> dict:
        text = self.page.evaluate(f"document.body.dataset.{key} || '{{}}'")
        return {k: v / 1000 for k, v in json.loads(text).items()}

    def download(self, folder: Path) -> Path:
        with self.page.expect_download() as info:
            self.page.click("#download")
        path = folder / info.value.suggested_filename
        info.value.save_as(path)
        return path

    def state(self) -> str:
        return self.page.evaluate("document.body.dataset.state")

    def show_options(self) -> None:
        """Open the panel's option groups (Background, Shadow, Size and format) and Details with a
        click on each closed heading, as a person does."""
        closed = self.page.locator(
            "#options details:not([open]) > summary, #details:not([open]) > summary"
        )
        while closed.count():
            closed.first.click()

    def status(self) -> str:
        """The engine line (in Details, which may be closed: its text, not what is drawn)."""
        return self.page.text_content("#status")

    def message(self) -> str:
        return self.page.inner_text("#message")
