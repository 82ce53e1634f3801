"""`make bench`, memory part: where a 12 MP cut's memory goes (issue 23: a renderer peak of
at most 1.0 GB), as the largest renderer's RSS while the page shows each step of the cut."""

import json
import threading
import time
from pathlib import Path

from bgzero.dev.driver import CHROMIUM, CHROMIUM_ARGS, AppPage, free_port, serve

SAMPLE_S = 0.05
_TIMED = ("prepare", "run", "refine", "decontaminate", "composite", "encode")  # run: prepare too
_STAGE = "document.getElementById('stage').dataset.stage || ''"
# WebAssembly memories only grow, so their size is each runtime's high-water mark
# (onnxruntime-web's, which the helper graphs share; LiteRT.js's). A large photo's worker is
# replaced after its cut, so it is not asked at the end: a wrapper put into every worker
# before its runtimes load sends its memories' total on a BroadcastChannel every 50 ms (not
# while a graph runs: a step's growth may first show at the next step).
_WORKER_PROBE = """() => {
  const Memory = WebAssembly.Memory, memories = [], id = Math.random();
  WebAssembly.Memory = function (descriptor) {
    const memory = new Memory(descriptor);
    memories.push(memory);
    return memory;
  };
  WebAssembly.Memory.prototype = Memory.prototype;
  const channel = new BroadcastChannel("bgzero-wasm");
  setInterval(() => memories.length && channel.postMessage(
    [id, memories.reduce((sum, m) => sum + m.buffer.byteLength, 0)]), 50);
}"""
_PAGE_PROBE = """
window.__wasm = {};
new BroadcastChannel("bgzero-wasm").onmessage = (e) => { window.__wasm[e.data[0]] = e.data[1]; };
"""
_READ = "[%s, Object.values(window.__wasm || {}).reduce((a, b) => a + b, 0)]" % _STAGE


def sampled(work, rss, every: float = SAMPLE_S) -> tuple[list[tuple[float, int]], object]:
    """([(time.monotonic(), `rss()`)] taken every `every` seconds while `work()` ran, the
    result of `work()`)."""
    samples, stop = [], threading.Event()

    def sample():
        while not stop.is_set():
            samples.append((time.monotonic(), rss()))
            stop.wait(every)

    sampler = threading.Thread(target=sample)
    sampler.start()
    try:
        result = work()
    finally:
        stop.set()
        sampler.join()
    return samples, result


def probe_wasm(page) -> None:
    """Before the page opens: its workers' WebAssembly memories are reported to it (_READ)."""
    from playwright.sync_api import Error

    def probe(worker):
        try:
            worker.evaluate(_WORKER_PROBE)
        except Error:  # a worker gone already (LiteRT.js's and onnxruntime's threads come and go)
            pass

    page.add_init_script(_PAGE_PROBE)
    page.on("worker", probe)


def stage_peaks(app: AppPage, photo: Path, rss) -> tuple[list[tuple[str, int]], dict]:
    """([(step, the highest `rss()` in bytes seen while the page showed it)] in the order the
    steps came, after ("ready", RSS before the photo), ending with ("peak", the highest);
    {step: the workers' WebAssembly memories in bytes then} where probe_wasm reports them)."""
    ready = rss()
    before = app.handled()
    wasm = {"ready": app.page.evaluate(_READ)[1]}

    def cut():
        steps = []  # (when the page first showed it, step)
        app.pick(photo, wait=False)
        while app.handled() < before + 1:
            step, size = app.page.evaluate(_READ)
            if step and (not steps or steps[-1][1] != step):
                steps.append((time.monotonic(), step))
            if step:
                wasm[step] = max(wasm.get(step, 0), size)
            app.page.wait_for_timeout(20)
        return steps

    samples, steps = sampled(cut, rss)
    if app.state() != "done":
        raise RuntimeError(f"{photo.name}: {app.message()}")
    peaks = {}
    for at, value in samples:
        shown = [step for since, step in steps if since <= at]
        step = shown[-1] if shown else "ready"
        peaks[step] = max(peaks.get(step, 0), value)
    rows = [("ready", ready)]
    rows += [(step, peaks[step]) for step in dict.fromkeys(s for _, s in steps) if step in peaks]
    return rows + [("peak", max(value for _, value in samples))], wasm


def run(dist: Path, photo: Path, models: list[str], rss) -> str:
    """The report: one line per model, a fresh browser each."""
    from playwright.sync_api import sync_playwright  # the test extra's: bgzero[test]

    port = free_port()
    server = serve(dist, port)
    lines = [
        f"{photo.name}: largest renderer's RSS while the page shows each step (MB; in brackets"
        " the worker's WebAssembly memories, which only grow)"
    ]
    try:
        with sync_playwright() as playwright:
            for model in models:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                page = browser.new_page()
                probe_wasm(page)
                app = AppPage(page, f"http://127.0.0.1:{port}")
                app.open(model=model)
                rows, wasm = stage_peaks(app, photo, rss)
                timings = json.loads(app.page.evaluate("document.body.dataset.timings || '{}'"))
                browser.close()
                cells = ", ".join(
                    f"{step} {value / 1e6:.0f}"
                    + (f" ({wasm[step] / 1e6:.0f})" if wasm.get(step) else "")
                    for step, value in rows
                )
                # what a lower peak may cost: the worker's stages' times (ms)
                took = ", ".join(f"{k} {timings[k]:.0f}" for k in _TIMED if k in timings)
                lines.append(f"  {model:<13} {cells}; ms: {took}")
    finally:
        server.terminate()
    return "\n".join(lines)
