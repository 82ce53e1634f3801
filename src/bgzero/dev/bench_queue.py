"""`make bench`, queue part: many 12 MP photos queued at once in the page, the renderer's
memory sampled after each one (issue 11: it must stay bounded however long the queue)."""

import shutil
import time
from pathlib import Path

from bgzero.dev.driver import AppPage

SAMPLE_SECONDS = 0.5


def queue_curve(browser, origin: str, photo: Path, count: int, folder: Path, rss) -> dict:
    """{"mb": [renderer MB after each photo], "peak_mb", "seconds", "states"}: `count` copies
    of `photo` picked at once; `rss()` reads the renderer's resident bytes."""
    copies = []
    for i in range(count):
        copy = folder / f"queued-{i:03d}{photo.suffix}"
        shutil.copy(photo, copy)
        copies.append(str(copy))
    context = browser.new_context()
    page = context.new_page()
    app = AppPage(page, origin)
    app.open()
    before = app.handled()
    started = time.perf_counter()
    page.set_input_files("#file", copies)
    curve, peak, seen = [], rss(), before
    while seen < before + count:
        time.sleep(SAMPLE_SECONDS)
        now = rss()
        peak = max(peak, now)
        handled = app.handled()
        curve.extend([now / 1e6] * (handled - seen))
        seen = handled
    seconds = time.perf_counter() - started
    states = page.eval_on_selector_all("#queue li", "items => items.map(li => li.dataset.state)")
    context.close()
    return {"mb": curve, "peak_mb": peak / 1e6, "seconds": seconds, "states": states}


def report(result: dict, count: int) -> str:
    curve = result["mb"]
    marks = sorted({0, len(curve) // 4, len(curve) // 2, 3 * len(curve) // 4, len(curve) - 1})
    points = ", ".join(f"#{i + 1}: {curve[i]:.0f}" for i in marks if 0 <= i < len(curve))
    done = result["states"].count("done")
    return (
        f"queue of {count} photos of 4000×3000 (u2netp): {done} done in {result['seconds']:.0f} s;"
        f" renderer MB after photo {points}; peak {result['peak_mb']:.0f} MB"
    )
