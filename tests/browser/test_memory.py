"""Thirty photos in a row in one page: the page's JS heap does not grow with use."""

from bgzero.groundtruth import photos


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
