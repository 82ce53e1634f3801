"""The whole path of one image in real Chromium, checked against `bgzero remove`."""

import pytest
from PIL import Image

from bgzero.eval.groundtruth import photos
from oracle import assert_matches_native

PETS = photos("pets")
PEOPLE = photos("people")


def test_pick_photo_download_matches_native_and_stays_private(app, tmp_path):
    app.open()
    before = len(app.log.requests)
    app.cut(PETS[0])
    during = app.log.requests[before:]
    png = app.download(tmp_path)
    assert png.name == f"{PETS[0].stem}-nobg.png"
    assert_matches_native(png, PETS[0])
    for method, url, body in during:
        assert url.startswith(app.origin + "/") or url.startswith("blob:" + app.origin), url
        assert body is None, f"{method} {url} carried a body"
    assert app.log.console_errors() == []
    status = app.status()
    assert "litert" in status and "2 threads" in status and "u2netp" in status, status
    assert app.page.evaluate("crossOriginIsolated")


@pytest.mark.parametrize("how, photo", [("paste", PEOPLE[0]), ("drop", PETS[1])])
def test_paste_and_drop(app, tmp_path, how, photo):
    app.open()
    app.deliver(how, photo)
    assert app.state() == "done", app.message()
    assert_matches_native(app.download(tmp_path), photo)
    assert app.log.console_errors() == []


def test_bad_files_get_a_message_and_the_next_photo_works(app, tmp_path):
    text = tmp_path / "holiday.jpg"
    text.write_text("this is a shopping list, not a photo\n" * 20)
    truncated = tmp_path / "truncated.jpg"
    truncated.write_bytes(PETS[3].read_bytes()[: PETS[3].stat().st_size * 6 // 10])
    app.open()
    app.pick(text)
    assert app.state() == "error"
    assert "not an image" in app.message()
    app.pick(truncated)
    assert app.state() == "error"
    assert "incomplete" in app.message()
    app.cut(PETS[3])
    assert app.state() == "done" and app.message() == ""
    assert_matches_native(app.download(tmp_path), PETS[3])
    assert app.log.console_errors() == []


def test_photo_chosen_before_python_is_ready_is_processed(app, tmp_path):
    app.page.goto(app.origin + "/", wait_until="commit")
    app.page.wait_for_selector("#file", state="attached")
    assert app.page.evaluate("document.body.dataset.state") == "starting"
    app.page.set_input_files("#file", str(PETS[4]))
    app.page.wait_for_function("Number(document.body.dataset.handled || 0) >= 1")
    assert app.state() == "done", app.message()
    assert_matches_native(app.download(tmp_path), PETS[4])


def test_the_picker_opens_before_the_worker_is_ready(app, tmp_path):
    """Usable at once: the file input works as soon as Python runs, and a photo chosen while
    the worker starts is cut when it is ready."""
    app.open(wait=False)
    app.page.wait_for_function("!document.getElementById('file').disabled")
    assert app.page.inner_text("#pick-text") == "Choose a photo"
    app.pick(PETS[6])
    assert app.state() == "done", app.message()
    marks = app.page.evaluate("[document.body.dataset.tInput, document.body.dataset.tWorker]")
    assert int(marks[0]) < int(marks[1])
    assert_matches_native(app.download(tmp_path), PETS[6])


def test_same_file_twice_in_a_row(app):
    app.open()
    app.cut(PETS[5])
    app.cut(PETS[5])
    assert app.handled() == 2 and app.state() == "done"


def test_refines_a_12_megapixel_photo_at_full_size(app, tmp_path):
    big = tmp_path / "big.jpg"
    Image.open(PEOPLE[1]).convert("RGB").resize((4000, 3000), Image.Resampling.BICUBIC).save(
        big, quality=90
    )
    app.open()
    timings = app.cut(big)
    assert "refine" in timings
    assert_matches_native(app.download(tmp_path), big)
    assert app.log.console_errors() == []


def test_cancel_stops_a_cut_and_the_next_photo_cuts(app, tmp_path):
    """Cancel during the model's stage: the worker stops at its next stage boundary, the page
    says so, and the same worker cuts the next photo as before."""
    app.open()
    big = tmp_path / "big.png"  # a cut long enough to catch: refinement at 8 MP
    with Image.open(PETS[1]) as image:
        image.convert("RGB").resize((3500, 2300), Image.Resampling.BICUBIC).save(big)
    before = app.handled()
    app.pick(big, wait=False)
    app.page.wait_for_function(
        "document.getElementById('stage').textContent.startsWith('Removing')"
    )
    app.page.click("#cancel")
    app._wait_handled(before)
    assert app.state() == "cancelled", app.message()
    assert "Cancelled" in app.page.inner_text("#stage")
    assert app.page.is_hidden("#cancel")
    assert app.page.get_attribute("#download", "aria-disabled") == "true"  # nothing half-made
    app.cut(PETS[0])
    assert app.state() == "done", app.message()
    assert_matches_native(app.download(tmp_path), PETS[0])
    assert app.log.console_errors() == []
