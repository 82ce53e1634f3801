"""`bgzero eval --clicks`: the simulated user's clicks and the corrections compared."""

import numpy as np
from scipy import ndimage

from bgzero.eval import clicks
from bgzero.eval.groundtruth import photos
from bgzero.native.pipeline import cutout_alpha, default_setting, open_photo
from bgzero.web_shared import smart


def test_the_click_goes_to_the_middle_of_the_largest_error():
    fg = np.zeros((60, 80), bool)
    fg[10:50, 10:40] = True
    pred = fg.copy()
    pred[20:30, 50:70] = True  # kept by mistake: 10×20
    pred[45:48, 12:14] = False  # a small miss
    known = np.ones_like(fg)
    click = clicks.next_click(pred, fg, known)
    assert not click.add and 20 <= click.y < 30 and 50 <= click.x < 70
    assert 4 <= click.radius <= 6
    fixed = clicks.disk(None, pred, click, None)
    assert clicks.iou(fixed, fg, known) > clicks.iou(pred, fg, known)
    assert clicks.next_click(fg, fg, known) is None


def test_scale_is_the_distance_to_what_already_has_the_asked_value():
    pred = np.zeros((20, 20), bool)
    pred[:, 10:] = True
    assert clicks.scale(pred, 5, 4, True) == 6
    assert clicks.scale(pred, 5, 14, False) == 5
    assert clicks.scale(np.zeros((20, 30), bool), 5, 5, True) == 30


def test_a_smart_click_adds_where_nothing_is_kept_and_removes_where_something_is():
    assert smart.adds(0) and smart.adds(127)
    assert not smart.adds(128) and not smart.adds(255)


def test_crop_window_stays_in_the_photo():
    assert smart.crop_window(5, 5, 10, 400, 300) == (0, 0, 96, 96)
    assert smart.crop_window(390, 290, 50, 400, 300) == (200, 100, 400, 300)
    assert smart.crop_window(100, 100, 1000, 400, 300) == (0, 0, 400, 300)


def test_the_edge_window_is_half_the_photo_and_grows_with_the_click_distance():
    assert smart.edge_window(200, 300, 5, 400, 600) == (50, 150, 350, 450)
    assert smart.edge_window(0, 0, 5, 400, 600) == (0, 0, 300, 300)
    assert smart.edge_window(200, 300, 100, 400, 600) == (0, 100, 400, 500)
    assert smart.edge_window(10, 10, 5, 40, 60) == (0, 0, 40, 60)


def test_the_edge_band_moves_the_edge_only_the_way_the_click_asks():
    photo = open_photo(photos("people")[0])
    setting = default_setting("u2netp")
    pred = cutout_alpha(photo, setting) > 127
    ys, xs = np.nonzero(pred ^ ndimage.binary_erosion(pred))
    y, x = int(ys[len(ys) // 2]), int(xs[len(xs) // 2])
    for add in (True, False):
        out = clicks.edge_band(photo, pred, clicks.Click(y, x, add, 4.0), setting)
        changed = out != pred
        assert changed.any() and (out[changed] == add).all()


def test_every_correction_runs_on_real_photos_and_none_makes_things_worse():
    setting = default_setting("u2netp")
    for method in clicks.METHODS.values():
        means, noc, count = clicks.simulate(setting, "pets", 2, method, limit=2)
        assert count == 2 and len(means) == 3 and 0 <= noc <= clicks.MAX_CLICKS
        assert means[2] >= means[0] - 0.01


def test_the_clicks_section_replaces_only_itself():
    text = "# Quality\n\ntables\n\n## Clicks\n\nold\n\n## After\n\nkept\n"
    out = clicks.replace_section(text, "## Clicks\n\nnew\n")
    assert "old" not in out and "new" in out and "## After\n\nkept" in out
    assert clicks.replace_section("# Q\n", "## Clicks\n").endswith("\n\n## Clicks\n")
