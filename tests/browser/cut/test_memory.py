"""Thirty photos in a row in one page: the page's JS heap does not grow with use."""

from PIL import Image

from bgzero.eval.groundtruth import photos
from oracle import assert_matches_native


def heap_used(cdp) -> int:
    cdp.send("HeapProfiler.collectGarbage")
    return cdp.send("Runtime.getHeapUsage")["usedSize"]


def test_thirty_photos_do_not_grow_the_heap(app, record_property):
    series = (photos("pets") + photos("people"))[:30]
    app.open()
    cdp = app.page.context.new_cdp_session(app.page)
    used = {}
    for count, photo in enumerate(series, 1):
        app.cut(photo)
        if count in (5, 30):
            used[count] = heap_used(cdp)
    record_property("heap_after_5", used[5])
    record_property("heap_after_30", used[30])
    print(
        f"JS heap after photo 5: {used[5] / 1e6:.2f} MB, after 30: {used[30] / 1e6:.2f} MB "
        f"({(used[30] / used[5] - 1) * 100:+.1f} %)"
    )
    assert used[30] <= used[5] * 1.10
    assert app.log.console_errors() == []


def test_a_big_photo_keeps_its_worker_and_its_warm_model(app, tmp_path):
    """WebAssembly memory never shrinks, so a photo whose full-size stages grew it beyond
    limits.RECYCLE_BYTES would leave the page a fresh worker to make (and the next photo the
    model's load to wait for). Above geometry.SPLIT_PIXELS the helper graphs run in strips
    of rows (the row route): a 6 MP photo grows it by about a strip's planes, the worker
    stays, and the next photo is cut by it as before. (In one piece, u2netp's 6 MP cut grew
    it by ~500 MB and the page replaced the worker.)"""
    app.open()

    def cut_workers():
        return [w for w in app.page.workers if w.url.startswith("blob:")]

    [first] = cut_workers()
    pet = photos("pets")[1]
    big = tmp_path / f"{pet.stem}-big.png"  # lossless: no two JPEG decoders to tell apart
    with Image.open(pet) as image:
        image.convert("RGB").resize((3000, 2000), Image.Resampling.BICUBIC).save(big)
    app.cut(big)
    assert_matches_native(app.download(tmp_path), big)
    small = photos("people")[2]
    app.cut(small)
    assert_matches_native(app.download(tmp_path), small)
    assert cut_workers() == [first]
    assert app.log.console_errors() == []
