"""`make bench`, start part: the first cut-out from navigation, a photo picked as soon as the
page takes one, on a first visit (a new browser context: empty caches) and on return visits
(the same context: its service worker, its caches, its compiled WebAssembly), with the
page's start-up marks (issue 23: first visit <= 2.5 s, return visit <= 1.5 s)."""

import json
import statistics
from pathlib import Path

from bgzero.dev.driver import CHROMIUM, CHROMIUM_ARGS, TIMEOUT_MS, free_port, serve

VISITS = ("first", "return", "return", "return")
_MARKS = (
    "JSON.stringify(Object.fromEntries(Object.entries(document.body.dataset)"
    ".filter(([k]) => /^t[A-Z]/.test(k)).map(([k, v]) => [k.slice(1).toLowerCase(), +v])))"
)


def visits(browser, origin: str, photo: Path, query: str = "") -> list[dict]:
    """One row per visit: ms from navigation to each mark (main: the page's Python runs,
    input: a photo is taken, worker: its interpreter is up, model: the model loaded) and to
    the cut-out (done)."""
    context = browser.new_context()
    rows = []
    try:
        for visit in VISITS:
            page = context.new_page()
            page.set_default_timeout(TIMEOUT_MS)
            page.goto(f"{origin}/{query}")
            page.wait_for_function("document.body.dataset.tInput !== undefined")
            page.set_input_files("#file", str(photo))
            page.wait_for_function("Number(document.body.dataset.handled || 0) >= 1")
            done = page.evaluate("performance.now()")
            rows.append({"visit": visit, **json.loads(page.evaluate(_MARKS)), "done": done})
            # A return visit comes after the app was kept for offline use, which a first
            # visit starts only once its first cut-out is done (ui/offline.py): not timed.
            page.evaluate("navigator.serviceWorker.ready.then(() => true)")
            page.close()
    finally:
        context.close()
    return rows


def report(label: str, rows: list[dict]) -> str:
    """A line per kind of visit: the median ms of each mark."""
    lines = [f"first cut-out from navigation, {label} (ms, median of the visits of a kind)"]
    for kind in dict.fromkeys(r["visit"] for r in rows):
        same = [r for r in rows if r["visit"] == kind]
        cells = []
        for mark in ("main", "input", "worker", "model", "done"):
            values = [r[mark] for r in same if mark in r]
            if values:
                cells.append(f"{mark} {statistics.median(values):.0f}")
        lines.append(f"  {kind:<7} ({len(same)}): " + ", ".join(cells))
    return "\n".join(lines)


def run(dist: Path, photo: Path) -> str:
    """The report of both CPU runtimes' start (LiteRT.js, the default where it runs, and
    onnxruntime-web), each in a fresh context."""
    from playwright.sync_api import sync_playwright  # the test extra's: bgzero[test]

    port = free_port()
    server = serve(dist, port)
    origin = f"http://127.0.0.1:{port}"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            default = visits(browser, origin, photo)
            ort = visits(browser, origin, photo, "?runtime=ort")
            browser.close()
    finally:
        server.terminate()
    return "\n".join(
        [f"photo: {photo.name}", report("default", default), report("?runtime=ort", ort)]
    )
