"""The editor's arithmetic (src/web/shared/brush.py): stamps, dirty rectangles, history, view."""

import pytest

from shared import brush


def test_stamps_leave_no_gap_and_end_on_the_pointer():
    points = brush.stamps(0, 0, 100, 0, 8)
    assert points[-1] == (100, 0) and (0, 0) not in points
    gaps = [b[0] - a[0] for a, b in zip([(0, 0), *points], points)]
    assert max(gaps) <= 8 * brush.SPACING + 1e-9
    assert brush.stamps(5, 5, 5, 5, 10) == [(5, 5)]  # a click is one stamp


def test_pressure_scales_a_pen_and_a_mouse_is_left_alone():
    assert brush.radius(40) == 20 and brush.radius(40, 0.5) == 20
    assert brush.radius(40, 0.25) == 10 and brush.radius(40, 1.0) == 20
    assert brush.radius(1000) == brush.MAX_SIZE / 2 and brush.radius(0) == brush.MIN_SIZE / 2


def test_dirty_rect_covers_every_stamp_and_stays_in_the_image():
    rect = brush.dirty_rect([(10, 10), (50, 20)], 5, 40, 100)
    x, y, w, h = rect
    assert x <= 5 and y <= 5 and x + w == 40 and y + h >= 25
    assert brush.dirty_rect([], 5, 40, 40) is None
    assert brush.dirty_rect([(-50, -50)], 5, 40, 40) is None


def test_history_undoes_redoes_and_drops_the_oldest_past_its_limit():
    history = brush.History(limit=3)
    for i in range(3):
        assert history.push({"n": i}) is None
    assert history.push({"n": 3}) == {"n": 0}  # to be baked into the base
    assert [e["n"] for e in history.done] == [1, 2, 3]
    assert history.undo() and history.undo()
    assert history.redo() == {"n": 2}
    history.push({"n": 9})  # a new edit forgets what was undone
    assert not history.can_redo() and [e["n"] for e in history.done] == [1, 2, 9]
    while history.undo():
        pass
    assert not history.can_undo() and history.redo() == {"n": 1}


def test_view_fits_and_zooms_around_the_pointer():
    view = brush.View()
    view.fit(4000, 3000, 800, 600)
    assert view.zoom == pytest.approx(0.2) and view.to_image(400, 300) == pytest.approx(
        (2000, 1500)
    )
    before = view.to_image(123, 456)
    view.zoom_at(3, 123, 456)
    assert view.zoom == pytest.approx(0.6)
    assert view.to_image(123, 456) == pytest.approx(before)
    view.fit(300, 200, 800, 600)  # a small photo fills the stage
    assert view.zoom == pytest.approx(800 / 300) and view.to_image(0, 300 - 100 * 800 / 300) == (
        pytest.approx(0),
        pytest.approx(0),
    )
    view.fit(100, 50, 800, 600)  # up to 4×
    assert view.zoom == brush.FIT_MAX_ZOOM and view.to_image(200, 200) == (0, 0)
    view.zoom_at(1e9, 0, 0)
    assert view.zoom == brush.MAX_ZOOM
    assert brush.wheel_factor(-100) > 1 > brush.wheel_factor(100)
    assert brush.wheel_factor(-3, 1) == brush.wheel_factor(-48)


def test_arrow_keys_move_the_brush_a_screen_step_at_any_zoom_and_stay_on_the_image():
    assert brush.key_move("ArrowRight", False, 1.0, 50, 50, 100, 100) == (58, 50)
    assert brush.key_move("ArrowUp", True, 0.5, 50, 50, 100, 100) == (50, 0)  # 80 px: clamped
    assert brush.key_move("ArrowLeft", False, 4.0, 50, 50, 100, 100) == (48, 50)
    assert brush.key_move("ArrowDown", True, 2.0, 10, 98, 100, 100) == (10, 99)
    assert brush.key_move("Enter", False, 1.0, 50, 50, 100, 100) is None


def test_reveal_pans_the_least_that_keeps_a_point_inside_the_viewport():
    view = brush.View()
    view.zoom, view.x, view.y = 2.0, 0.0, 0.0
    view.reveal(*view.to_screen(10, 10), 400, 300, 20)  # inside: no pan
    assert (view.x, view.y) == (0, 0)
    view.reveal(*view.to_screen(250, 10), 400, 300, 20)  # 500 px: 120 past the right margin
    assert (view.x, view.y) == (-120, 0)
    assert view.to_screen(250, 10) == (380, 20)
    view.reveal(*view.to_screen(-20, -20), 400, 300, 20)
    assert view.to_screen(-20, -20) == (20, 20)
    view.reveal(*view.to_screen(0, 0), 30, 30, 20)  # a margin past half the view: the middle
    assert view.to_screen(0, 0) == (15, 15)


def test_the_page_canvas_holds_what_the_view_needs_in_powers_of_two():
    assert brush.screen_scale(0.24, 1) == 0.25 and brush.screen_scale(0.25, 1) == 0.25
    assert brush.screen_scale(0.26, 1) == 0.5 and brush.screen_scale(0.3, 2) == 1
    assert brush.screen_scale(3.0, 1) == 1  # never more than the image's own pixels
    assert brush.screen_scale(0.0001, 1) == brush.MIN_SCREEN_SCALE
    # Kept while it is enough and at most twice the needed: a small zoom repaints nothing.
    assert brush.screen_scale(0.2, 1, current=0.5) == 0.5
    assert brush.screen_scale(0.1, 1, current=0.5) == 0.125  # far out: fewer pixels
    assert brush.screen_scale(0.6, 1, current=0.5) == 1  # in: more


def test_a_rect_of_the_image_maps_to_whole_pixels_of_the_page_canvas():
    assert brush.screen_size(4000, 3000, 0.25) == (1000, 750)
    assert brush.screen_size(4001, 3, 0.25) == (1001, 1)
    source, target = brush.screen_rect((10, 10, 5, 5), 4000, 3000, 1000, 750)
    assert target == (2, 2, 2, 2) and source == (8, 8, 8, 8)
    # At the image's own size, the same pixels.
    assert brush.screen_rect((3, 4, 5, 6), 40, 30, 40, 30) == ((3, 4, 5, 6), (3, 4, 5, 6))
    # Within bounds at the edges.
    source, target = brush.screen_rect((3998, 2998, 10, 10), 4000, 3000, 1000, 750)
    assert target == (999, 749, 1, 1) and source == (3996, 2996, 4, 4)
