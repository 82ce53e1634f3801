"""The shadow's description and geometry (shared/shadows), shared by page, embed and CLI."""

import pytest

from shared import shadows


def test_check_fills_in_the_defaults_and_refuses_what_is_out_of_range():
    assert shadows.check({}) == shadows.DEFAULT
    assert shadows.check({"blur": 40, "opacity": 80.5}) == {
        "blur": 40,
        "offset": shadows.DEFAULT["offset"],
        "opacity": 80.5,
    }
    for fields, said in (
        ({"size": 3}, "not a shadow setting"),
        ({"blur": "3"}, "must be a number"),
        ({"opacity": True}, "must be a number"),
        ({"blur": 0}, "between 1 and 100"),
        ({"offset": 101}, "between 0 and 100"),
    ):
        with pytest.raises(shadows.ShadowError, match=said):
            shadows.check(fields)


def test_pixels_scale_with_the_long_side():
    sigma, dy, opacity = shadows.pixels(shadows.DEFAULT, 4000, 3000)
    assert (sigma, dy, opacity) == (80, 60, 0.5)
    # A thumbnail keeps a visible blur; the drop is whole pixels, rounded half up.
    assert shadows.pixels({"blur": 1, "offset": 15, "opacity": 100}, 100, 30) == (0.5, 2, 1.0)


def test_grow_keeps_the_shadow_inside_a_crop_and_the_image():
    shadow = {"blur": 10, "offset": 50, "opacity": 50}  # 1000 px: sigma 10, drop 50
    assert shadows.grow((100, 200, 300, 400), shadow, 1000, 800) == (80, 200, 320, 470)
    assert shadows.grow((0, 0, 1000, 790), shadow, 1000, 800) == (0, 0, 1000, 800)
    assert shadows.grow(None, shadow, 1000, 800) is None
    assert shadows.grow((1, 2, 3, 4), None, 1000, 800) == (1, 2, 3, 4)
