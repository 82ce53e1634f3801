"""Manual Remove with real pointer input (Playwright's mouse, CDP touch) in real Chromium:
what a stroke does to the downloaded file, undo and redo, zoom, and no model at all."""

import numpy as np
from PIL import Image

from bgzero.eval.groundtruth import photos
from editing import edits, pixels, set_brush, to_screen, wait_offered

PET = photos("pets")[8]


def mouse_stroke(app, points):
    before = edits(app)
    mouse = app.page.mouse
    mouse.move(*to_screen(app, *points[0]))
    mouse.down()
    for point in points[1:]:
        mouse.move(*to_screen(app, *point), steps=8)
    mouse.up()
    wait_offered(app, before + 1)


def touch_stroke(app, points):
    before = edits(app)
    cdp = app.page.context.new_cdp_session(app.page)
    for i, point in enumerate(points):
        x, y = to_screen(app, *point)
        kind = "touchStart" if i == 0 else "touchMove"
        cdp.send("Input.dispatchTouchEvent", {"type": kind, "touchPoints": [{"x": x, "y": y}]})
    cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    wait_offered(app, before + 1)


def solid_row(alpha):
    """(y, x0, x1): the row with the longest run of fully kept pixels, and that run."""
    best = (0, 0, 0)
    for y in range(alpha.shape[0] // 4, alpha.shape[0] * 3 // 4):
        row = np.concatenate([[0], (alpha[y] == 255).astype(int), [0]])
        edges = np.flatnonzero(np.diff(row))
        for x0, x1 in zip(edges[::2], edges[1::2]):
            if x1 - x0 > best[2] - best[1]:
                best = (y, x0, x1)
    return best


def core(shape, y, x0, x1, size):
    """The pixels a hard brush of this size certainly covered along that row (its edge is
    anti-aliased; the core is half its width)."""
    mask = np.zeros(shape, bool)
    mask[y - size // 4 : y + size // 4 + 1, x0 : x1 + 1] = True
    return mask


def test_erase_stroke_then_undo_and_redo_round_trip(app, tmp_path):
    app.open(mode="manual")
    app.cut(PET)
    original = pixels(app, tmp_path)
    y, x0, x1 = solid_row(original[..., 3])
    assert x1 - x0 > 60, "the pet should have a solid part"
    x0, x1 = x0 + 20, x1 - 20
    set_brush(app, 30, 100)
    mouse_stroke(app, [(x0, y), ((x0 + x1) // 2, y), (x1, y)])
    erased = pixels(app, tmp_path)
    under = core(erased.shape[:2], y, x0, x1, 30)
    assert (erased[..., 3][under] == 0).all()
    far = np.ones(under.shape, bool)
    far[max(0, y - 40) : y + 41] = False
    assert (erased[far] == original[far]).all(), "the stroke reached beyond itself"

    app.page.keyboard.press("Control+z")
    wait_offered(app, 2)
    assert (pixels(app, tmp_path) == original).all()
    app.page.keyboard.press("Control+Shift+z")
    wait_offered(app, 3)
    assert (pixels(app, tmp_path) == erased).all()
    app.page.click("#undo")
    wait_offered(app, 4)
    app.page.keyboard.press("Control+y")
    wait_offered(app, 5)
    assert (pixels(app, tmp_path) == erased).all()
    assert app.log.console_errors() == []


def test_restore_brings_back_the_photos_own_pixels_without_the_model(app, tmp_path):
    app.open(mode="manual")
    app.page.select_option("#start-from", "remove")
    app.pick(PET)
    assert app.state() == "done", app.message()
    assert "run" not in app.page.evaluate("document.body.dataset.timings || '{}'")
    empty = pixels(app, tmp_path)
    assert (empty[..., 3] == 0).all()
    photo = np.asarray(Image.open(PET).convert("RGB")).astype(int)
    h, w = photo.shape[:2]
    app.page.click("#tool-restore")
    set_brush(app, 40, 100)
    y, x0, x1 = h // 2, w // 4, w * 3 // 4
    mouse_stroke(app, [(x0, y), (x1, y)])
    restored = pixels(app, tmp_path)
    under = core(restored.shape[:2], y, x0, x1, 40)
    assert (restored[..., 3][under] == 255).all()
    assert np.abs(restored[..., :3][under] - photo[under]).max() <= 2
    assert (restored[..., 3][: y - 30] == 0).all()
    assert app.log.console_errors() == []


def test_touch_erases_and_pinch_and_wheel_zoom_keep_strokes_in_place(app, tmp_path):
    app.open(mode="manual")
    app.page.select_option("#start-from", "keep")
    app.pick(PET)
    w, h = Image.open(PET).size
    zoom = float(app.page.evaluate("document.body.dataset.zoom"))
    # Wheel zoom around a point, then a touch stroke: it lands where the finger is.
    app.page.mouse.move(*to_screen(app, w // 2, h // 2))
    app.page.mouse.wheel(0, -300)
    app.page.wait_for_function(f"Number(document.body.dataset.zoom) > {zoom}")
    set_brush(app, 24, 100)
    y, x0, x1 = h // 2, w // 2 - 30, w // 2 + 30
    touch_stroke(app, [(x0, y), (w // 2, y), (x1, y)])
    result = pixels(app, tmp_path)
    under = core(result.shape[:2], y, x0, x1, 24)
    assert (result[..., 3][under] == 0).all()
    assert (result[..., 3][: y - 30] == 255).all()
    # Two fingers apart: zoom in, and no paint.
    cdp = app.page.context.new_cdp_session(app.page)
    zoom = float(app.page.evaluate("document.body.dataset.zoom"))
    cx, cy = to_screen(app, w // 2, h // 4)
    for d in (20, 40, 60, 80):
        points = [{"x": cx - d, "y": cy, "id": 1}, {"x": cx + d, "y": cy, "id": 2}]
        kind = "touchStart" if d == 20 else "touchMove"
        cdp.send("Input.dispatchTouchEvent", {"type": kind, "touchPoints": points})
    cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    app.page.wait_for_function(f"Number(document.body.dataset.zoom) > {zoom * 1.5}")
    assert edits(app) == 1
    assert app.log.console_errors() == []
