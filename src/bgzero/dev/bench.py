"""`make bench`: stage timings in headless Chromium next to native onnxruntime, same photos.

A benchmark, not a test: it prints what it measured and asserts nothing about speed.
"""

import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

from PIL import Image

from bgzero.dev import bench_cli, bench_memory, bench_queue, bench_start
from bgzero.dev.driver import CHROMIUM, CHROMIUM_ARGS, AppPage, free_port, serve
from bgzero.eval.groundtruth import GT, photos
from bgzero.models.cards import best_card, load_cards
from bgzero.native.pipeline import cutout, default_setting, open_photo
from bgzero.native.settings import BEST

STAGES = [
    "decode",
    "resize",
    "download",
    "session",
    "run",
    "refine",
    "decontaminate",
    "composite",
    "encode",
]


def bench_photos(count: int) -> list[Path]:
    """Pets and people photos in turn, so a short run still sees both kinds."""
    mixed = [p for pair in zip(photos("pets"), photos("people")) for p in pair]
    return mixed[:count]


def native_timings(model: str, photo: Path, repeat: int) -> list[dict]:
    """Stage timings of `bgzero remove` for a model id (or "best")."""
    setting = default_setting(model)
    rows = []
    for _ in range(repeat):
        timings = {}
        started = time.perf_counter()
        image = open_photo(photo)
        timings["decode"] = time.perf_counter() - started
        result = cutout(image, setting, timings)
        timings["refine"] = timings.pop("upscale")
        started = time.perf_counter()
        result.save("/dev/null", "PNG")
        timings["encode"] = time.perf_counter() - started
        rows.append(timings)
    return rows


def browser_timings(browser, origin: str, model: str, worker: str, images: list[Path]) -> dict:
    """Cold: a new context (empty HTTP cache) and the first photo; warm: the photos after it,
    with the renderer's peak memory (sampled every 50 ms) while each is cut."""
    context = browser.new_context()
    page = context.new_page()
    app = AppPage(page, origin)
    started = time.perf_counter()
    app.open(worker=worker, model=model)
    ready = time.perf_counter() - started
    cold = {**app.cut(images[0]), **app.load_timings()}
    first = time.perf_counter() - started
    warm, peaks = [], []
    for photo in images[1:]:
        peak, timings = peak_rss(lambda photo=photo: app.cut(photo))
        warm.append(timings)
        peaks.append(peak)
    status = app.status()
    context.close()
    return {
        "ready": ready,
        "first_cutout": first,
        "cold": cold,
        "warm": warm,
        "peak_rss": max(peaks, default=0),
        "status": status,
    }


def peak_rss(work) -> tuple[int, object]:
    """(the largest renderer process's peak RSS in bytes while `work()` ran, its result)."""
    samples, result = bench_memory.sampled(work, largest_renderer)
    return max((value for _, value in samples), default=0), result


def largest_renderer() -> int:
    """Bytes resident in the largest Chromium renderer (the page and its worker)."""
    largest = 0
    for proc in Path("/proc").iterdir():
        try:
            if b"--type=renderer" in (proc / "cmdline").read_bytes():
                status = (proc / "status").read_text()
                largest = max(largest, int(status.split("VmRSS:")[1].split()[0]) * 1024)
        except (OSError, IndexError, ValueError):
            continue
    return largest


def large_photo(folder: Path, source: Path) -> Path:
    """A 4000×3000 JPEG (12 MP) made from a real photo: refinement runs at full size."""
    path = folder / "large-4000x3000.jpg"
    Image.open(source).convert("RGB").resize((4000, 3000), Image.Resampling.BICUBIC).save(
        path, quality=90
    )
    return path


def renderer_rss() -> int:
    """Bytes resident in Chromium's renderer processes (pages and their workers)."""
    total = 0
    for proc in Path("/proc").iterdir():
        try:
            cmdline = (proc / "cmdline").read_bytes()
            if b"chromium" in cmdline and b"--type=renderer" in cmdline:
                status = (proc / "status").read_text()
                total += int(status.split("VmRSS:")[1].split()[0]) * 1024
        except (OSError, IndexError, ValueError):
            continue
    return total


def editor_timings(browser, origin: str, photo: Path, strokes: int = 30) -> dict:
    """Manual Remove on a large photo: per stroke segment, pointer event -> painted (ms);
    background change and export per format (s, wall); renderer memory before and after
    `strokes` strokes."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    page = context.new_page()
    app = AppPage(page, origin)
    app.open(mode="manual")
    app.cut(photo)
    page.evaluate("document.getElementById('viewport').scrollIntoView()")
    box = page.evaluate(
        "(() => { const r = document.getElementById('result').getBoundingClientRect();"
        " return [r.left, r.top, r.width, r.height]; })()"
    )
    before = renderer_rss()
    latencies = []
    for i in range(strokes):
        y = box[1] + box[3] * (0.2 + 0.6 * i / strokes)
        page.mouse.move(box[0] + box[2] * 0.2, y)
        page.mouse.down()
        page.mouse.move(box[0] + box[2] * 0.8, y, steps=20)
        page.mouse.up()
        page.wait_for_function(f"document.body.dataset.offered === '{i + 1}'")
        latencies += json.loads(page.evaluate("document.body.dataset.strokeMs"))
    after = renderer_rss()
    app.show_options()
    started = time.perf_counter()
    page.select_option("#background", "blur")
    page.wait_for_function("document.body.dataset.looked === document.body.dataset.look")
    background = time.perf_counter() - started
    exports = {}
    for format_id in ("webp", "jpeg", "mask", "png"):
        started = time.perf_counter()
        page.select_option("#format", format_id)
        page.wait_for_function(f"document.body.dataset.format === '{format_id}'")
        exports[format_id] = time.perf_counter() - started
    context.close()
    return {
        "latencies": latencies,
        "rss_before": before,
        "rss_after": after,
        "background": background,
        "exports": exports,
    }


def _median(rows: list[dict], stage: str) -> float:
    values = [r[stage] for r in rows if stage in r]
    return statistics.median(values) if values else float("nan")


def _line(label: str, rows: list[dict]) -> str:
    cells = " ".join(f"{_median(rows, s) * 1000:{max(9, len(s))}.0f}" for s in STAGES)
    return f"  {label:<22}{cells}"


def run_bench(args) -> int:
    sections = args.section or ["start", "browser", "memory", "queue", "cli"]
    if "start" in sections:
        print(bench_start.run(args.dist, bench_photos(1)[0]) + "\n")
    status = run_browser_bench(args) if "browser" in sections else 0
    if "memory" in sections:
        with tempfile.TemporaryDirectory() as folder:
            large = large_photo(Path(folder), bench_photos(1)[0])
            models = args.model or ["u2netp", "isnet-quint8"]
            print("\n" + bench_memory.run(args.dist, large, models, largest_renderer))
    if "queue" in sections:
        run_queue_bench(args)
    if "cli" in sections:
        with tempfile.TemporaryDirectory() as work:
            print("\n" + bench_cli.report(bench_cli.run(Path(work))))
    return status


def run_queue_bench(args) -> None:
    from playwright.sync_api import sync_playwright  # the test extra's: bgzero[test]

    port = free_port()
    server = serve(args.dist, port)
    try:
        with tempfile.TemporaryDirectory() as folder, sync_playwright() as playwright:
            large = large_photo(Path(folder), bench_photos(1)[0])
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            result = bench_queue.queue_curve(
                browser, f"http://127.0.0.1:{port}", large, args.queue, Path(folder), renderer_rss
            )
            browser.close()
    finally:
        server.terminate()
    print("\n" + bench_queue.report(result, args.queue))


def run_browser_bench(args) -> int:
    from playwright.sync_api import sync_playwright  # the test extra's: bgzero[test]

    cards = load_cards()
    model_ids = args.model or list(cards) + ([BEST] if best_card(cards) else [])
    workers = args.worker or ["mpy", "py"]
    images = bench_photos(args.images)
    if not images:
        print(f"bgzero bench: no photos under {GT}", file=sys.stderr)
        return 1
    port = free_port()
    server = serve(args.dist, port)
    origin = f"http://127.0.0.1:{port}"
    results = {}
    default = next(c for c in cards.values() if c.default)
    with tempfile.TemporaryDirectory() as folder:
        large = large_photo(Path(folder), images[0])
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                for model in model_ids:
                    for worker in workers:
                        results[(model, worker)] = browser_timings(
                            browser, origin, model, worker, images
                        )
                # 12 MP: the default model, and "Best quality" beside the IS-Net it runs
                # (its memory must be no worse than IS-Net's alone).
                large_models = [default.id] + (
                    [best_card(cards).id, BEST] if BEST in model_ids else []
                )
                for model in large_models:
                    results[("large", model)] = browser_timings(
                        browser, origin, model, workers[0], [images[0], large]
                    )
                results["editor"] = editor_timings(browser, origin, large)
                browser.close()
        finally:
            server.terminate()
        large_native = native_timings(default.id, large, 2)
    print(
        f"photos: {', '.join(p.name for p in images)} "
        f"({', '.join('%dx%d' % Image.open(p).size for p in images)})"
    )
    print("milliseconds, median; cold = first photo after opening the page, warm = the rest")
    header = " ".join(f"{s:>{max(9, len(s))}}" for s in STAGES)
    for model in model_ids:
        size = f"{cards[model].size}²" if model in cards else "two models mixed"
        print(f"\n{model} ({size})")
        print(f"  {'':<22}{header}")
        for worker in workers:
            r = results[(model, worker)]
            print(_line(f"browser {worker} cold", [r["cold"]]))
            print(_line(f"browser {worker} warm", r["warm"]))
            print(
                f"  {'':<22}ready {r['ready']:.2f} s, first cutout {r['first_cutout']:.2f} s"
                f" from navigation; {r['status']}"
            )
        native = [t for photo in images for t in native_timings(model, photo, 1)]
        print(_line("native cold", native[:1]))
        print(_line("native warm", native[1:]))
    print("\none 4000×3000 photo (12 MP; refinement and colours at full size)")
    print(f"  {'':<22}{header}")
    for model in large_models:
        r = results[("large", model)]
        print(_line(f"browser {model}", r["warm"]))
        print(f"  {'':<22}largest renderer's peak RSS {r['peak_rss'] / 1e6:.0f} MB")
    print(_line(f"native {default.id}", large_native[1:]))
    editor = results["editor"]
    ms = sorted(editor["latencies"])
    print(f"\nManual Remove on the 4000×3000 photo, {len(ms)} stroke segments of 30 strokes")
    print(
        f"  pointer event -> painted: median {statistics.median(ms):.1f} ms, "
        f"95th percentile {ms[int(len(ms) * 0.95)]:.1f} ms, worst {ms[-1]:.1f} ms"
    )
    grown = (editor["rss_after"] - editor["rss_before"]) / 1e6
    print(
        f"  renderer memory: {editor['rss_before'] / 1e6:.0f} MB before, "
        f"{editor['rss_after'] / 1e6:.0f} MB after 30 strokes ({grown:+.0f} MB)"
    )
    exported = ", ".join(f"{k} {v:.2f} s" for k, v in editor["exports"].items())
    print(
        f"  blurred background: {editor['background']:.2f} s; export (compose + encode): {exported}"
    )
    summary = {"/".join(k) if isinstance(k, tuple) else k: r for k, r in results.items()}
    if args.json:
        Path(args.json).write_text(json.dumps(summary, indent=1, default=str))
    return 0
