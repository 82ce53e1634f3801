"""The smart tool with real clicks in real Chromium: one click removes a wrongly kept object
and nothing else, one click adds a missed one, undo undoes it, and the page's result is the
one `bgzero eval --clicks` computes natively (bgzero/clicks.py's second_look_sized)."""

import json

import numpy as np
from PIL import Image
from scipy import ndimage

from bgzero.eval import clicks
from bgzero.eval.groundtruth import photos
from bgzero.native.pipeline import cutout_alpha, default_setting, open_photo
from editing import edits, pixels, set_brush, tap, to_screen, wait_offered
from made_photos import two_objects

PETS = photos("pets")


def centre(mask):
    ys, xs = np.nonzero(mask)
    return int(ys.mean()), int(xs.mean())


def smart_click(app, x, y, touch=False):
    """A click (or a tap) with the smart tool; what the page did with it."""
    before = edits(app)
    if touch:
        tap(app, x, y)
    else:
        app.page.mouse.click(*to_screen(app, x, y))
    wait_offered(app, before + 1)
    return json.loads(app.page.evaluate("document.body.dataset.smart"))


def iou(a, b):
    return (a & b).sum() / max((a | b).sum(), 1)


def test_a_smart_click_removes_the_wrongly_kept_object_as_natively(app, tmp_path):
    path, kept, wrong = two_objects(PETS[0], PETS[1], tmp_path)
    app.open(mode="manual")
    app.cut(path)
    before = pixels(app, tmp_path)
    assert (before[..., 3] > 127)[wrong].mean() > 0.9, "the model should keep both pets"
    app.page.click("#tool-smart")
    set_brush(app, 100, 80)  # the size of the wrong region, as a user would set it
    y, x = centre(wrong)
    click = smart_click(app, x, y)
    assert click["add"] is False and abs(click["x"] - x) <= 1 and abs(click["y"] - y) <= 1
    after = pixels(app, tmp_path)
    assert (after[..., 3] > 127)[wrong].mean() < 0.05, "the wrong pet is still there"
    near_kept = ndimage.binary_dilation(kept, iterations=8)
    assert (after[near_kept] == before[near_kept]).all(), "the smart click touched the other pet"
    changed = (after != before).any(axis=2)
    reach = ndimage.binary_dilation(wrong, iterations=8)
    assert changed[~reach].sum() == 0, "the smart click changed pixels away from the pet"

    # The same click natively, on the native cut-out: the same region goes.
    photo, setting = open_photo(path), default_setting("u2netp")
    pred = cutout_alpha(photo, setting) > 127
    native = clicks.second_look_sized(
        photo, pred, clicks.Click(click["y"], click["x"], False, click["r"]), setting
    )
    page_after = after[..., 3] > 127
    assert iou(page_after, native) >= 0.98
    assert iou((before[..., 3] > 127) & ~page_after, pred & ~native) >= 0.9

    app.page.keyboard.press("Control+z")
    wait_offered(app, 2)
    assert (pixels(app, tmp_path) == before).all(), "undo did not bring the pet back"
    assert app.log.console_errors() == []


def test_a_smart_tap_adds_a_missed_object_with_its_own_pixels(app, tmp_path):
    path, wanted, other = two_objects(PETS[8], PETS[3], tmp_path)
    app.open(mode="manual")
    app.page.select_option("#start-from", "remove")
    app.pick(path)
    assert app.state() == "done", app.message()
    app.page.click("#tool-smart")
    set_brush(app, 200, 80)  # about the missed pet's size
    y, x = centre(wanted)
    assert smart_click(app, x, y, touch=True)["add"] is True
    result = pixels(app, tmp_path)
    alpha = result[..., 3]
    assert (alpha > 127)[wanted].mean() > 0.9, "the missed pet was not added"
    assert (alpha[other] == 0).all(), "the other pet came too"
    photo = np.asarray(Image.open(path).convert("RGB")).astype(int)
    core = ndimage.binary_erosion(wanted, iterations=6) & (alpha == 255)
    assert core.sum() > 1000
    assert np.abs(result[..., :3][core] - photo[core]).max() <= 2
    assert app.log.console_errors() == []
