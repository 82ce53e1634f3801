"""The first screen, as people see it on a laptop and a phone: before a photo the drop target
and "Choose a photo" are in view; after a cut the result and its Download are, with no
scrolling, the result large; nothing is wider than the window. The before/after handle moves
with the mouse, a finger and the arrow keys, from the photo's pixels to the cut-out's."""

import io

import numpy as np
import pytest
from PIL import Image

from bgzero.dev.driver import AppPage
from bgzero.eval.groundtruth import photos
from bgzero.native.pipeline import cutout, default_setting, open_photo
from bgzero.repo import GT
from bgzero.site.samples import SAMPLES
from conftest import PageLog
from first_screen import BOXES, SIZES, check_after, check_before
from oracle import assert_matches_native

LANDSCAPE = photos("pets")[0]
PORTRAIT = photos("people")[0]


@pytest.fixture()
def sized(browser, origin, request):
    width, height = request.param
    phone = width < 900
    context = browser.new_context(
        viewport={"width": width, "height": height}, has_touch=phone, is_mobile=phone
    )
    page = context.new_page()
    app = AppPage(page, origin)
    app.log = PageLog(context, page)
    app.phone = phone
    yield app
    context.close()


@pytest.mark.parametrize("sized", SIZES, indirect=True, ids=str)
def test_the_result_and_its_download_fill_the_first_screen(sized):
    app = sized
    app.open()
    check_before(app.page.evaluate(BOXES))
    app.cut(PORTRAIT if app.phone else LANDSCAPE)
    app.page.wait_for_function("document.body.dataset.zoom !== undefined")
    check_after(app.page.evaluate(BOXES))
    assert app.log.console_errors() == []


def shown(app):
    """What the screen shows of the photo's box now, as an RGB array at the photo's size, and
    how many of its rows are clear of the handle that lies over its lower edge."""
    left, top, right, bottom = app.page.evaluate(
        "(() => { const r = document.getElementById('result').getBoundingClientRect();"
        " return [r.left, r.top, r.right, r.bottom]; })()"
    )
    clip = {"x": left, "y": top, "width": right - left, "height": bottom - top}
    shot = Image.open(io.BytesIO(app.page.screenshot(clip=clip))).convert("RGB")
    size = Image.open(LANDSCAPE).size
    handle = app.page.locator(".compare").bounding_box()
    clear = int(size[1] * min(1, (handle["y"] - top) / (bottom - top)))
    return np.asarray(shot.resize(size, Image.BILINEAR)).astype(int)[:clear], clear


def compare_at(app):
    return int(app.page.evaluate("document.body.dataset.compare"))


@pytest.mark.parametrize("sized", [(1280, 720)], indirect=True, ids=str)
def test_the_before_after_handle_by_mouse_and_keys_from_photo_to_cut_out(sized):
    app = sized
    app.open()
    app.cut(LANDSCAPE)
    photo = np.asarray(Image.open(LANDSCAPE).convert("RGB")).astype(int)
    alpha = np.asarray(cutout(open_photo(LANDSCAPE), default_setting("u2netp")))[..., 3]
    away = alpha == 0  # where the cut-out shows what is behind it, not the photo
    seen, clear = shown(app)
    assert clear > photo.shape[0] // 2
    assert np.abs(seen - photo[:clear])[away[:clear]].mean() > 20  # at 100 %: the cut-out
    handle = app.page.locator("#compare").bounding_box()
    y = handle["y"] + handle["height"] / 2
    app.page.mouse.move(handle["x"] + handle["width"] - 2, y)
    app.page.mouse.down()
    app.page.mouse.move(handle["x"] + 1, y, steps=10)
    app.page.mouse.up()
    assert compare_at(app) == 0
    seen, clear = shown(app)
    assert np.abs(seen - photo[:clear]).mean() < 8  # at 0 %: the photo's pixels
    app.page.focus("#compare")
    for _ in range(5):
        app.page.keyboard.press("ArrowRight")
    assert compare_at(app) == 5
    app.page.keyboard.press("End")
    assert compare_at(app) == 100
    seen, clear = shown(app)
    assert np.abs(seen - photo[:clear])[away[:clear]].mean() > 20
    assert app.log.console_errors() == []


@pytest.mark.parametrize("sized", [(390, 844)], indirect=True, ids=str)
def test_the_before_after_handle_follows_a_finger(sized):
    app = sized
    app.open()
    app.cut(PORTRAIT)
    handle = app.page.locator("#compare").bounding_box()
    y = handle["y"] + handle["height"] / 2
    # A touch on the track a third of the way along moves the handle there.
    app.page.touchscreen.tap(handle["x"] + handle["width"] / 3, y)
    app.page.wait_for_function("Number(document.body.dataset.compare) < 50")
    assert 20 <= compare_at(app) <= 45, compare_at(app)
    assert app.log.console_errors() == []


def test_a_sample_photo_click_gives_a_cut_out_with_no_file_chosen(app, tmp_path):
    app.open()
    samples = app.page.locator("button[data-sample]")
    assert samples.count() == len(SAMPLES)
    subset, name, *_ = SAMPLES[0]
    before = app.handled()
    samples.first.click()
    app._wait_handled(before)
    assert app.state() == "done", app.message()
    png = app.download(tmp_path)
    assert png.name == name.replace(".jpg", "-nobg.png")
    assert_matches_native(png, GT / subset / "images" / name)
    assert [r for r in app.log.requests if r[2] is not None] == []  # fetched, nothing sent
    assert app.log.console_errors() == []
