"""Backgrounds as one description (src/web/shared/backgrounds.py) for page, embed and CLI."""

import pytest

from shared import backgrounds


def test_command_line_values():
    assert backgrounds.parse("none") == {"kind": "none"}
    assert backgrounds.parse("#FFF") == {"kind": "colour", "colour": "#ffffff"}
    assert backgrounds.parse("#0a0B0c") == {"kind": "colour", "colour": "#0a0b0c"}
    assert backgrounds.parse("blur") == {"kind": "blur", "strength": backgrounds.DEFAULT_BLUR}
    assert backgrounds.parse("blur:7.5") == {"kind": "blur", "strength": 7.5}
    assert backgrounds.parse("beach.jpg") == {"kind": "image", "path": "beach.jpg"}
    for bad in ("#ggg", "#12345", "blur:x", "blur:0", "blur:51", ""):
        with pytest.raises(backgrounds.BackgroundError):
            backgrounds.parse(bad)


def test_cover_fills_the_frame_centred_and_blur_scales_with_the_photo():
    assert backgrounds.cover(200, 100, 100, 100) == (-50, 0, 200, 100)
    assert backgrounds.cover(100, 400, 200, 200) == (0, -300, 200, 800)
    assert backgrounds.blur_radius(10, 4000, 3000) == 40
    assert backgrounds.blur_radius(10, 40, 30) == 1.0
    assert backgrounds.SWATCHES[0] == "#ffffff"
