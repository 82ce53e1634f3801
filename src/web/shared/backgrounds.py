"""What goes behind the cut-out: nothing, a colour, an image the user picks, or the photo
itself blurred. One description for the page, the embed frame and `bgzero remove`:
{"kind": "none"} | {"kind": "colour", "colour": "#rrggbb"} | {"kind": "image"} (the
picture travels beside it) | {"kind": "blur", "strength": 1..50}."""

from shared import i18n

KINDS = ("none", "colour", "image", "blur")
NONE = {"kind": "none"}
# White first: what a shop's catalogue wants.
SWATCHES = ("#ffffff", "#000000", "#f1f3f6", "#d7e3fc", "#fde2e4", "#e2f0cb")
DEFAULT_BLUR = 12
MAX_BLUR = 50


class BackgroundError(i18n.Problem):
    """`message`: an i18n.Message (str() is its English text, for the command line)."""


def _hex(text):
    return len(text) == 7 and text[0] == "#" and all(c in "0123456789abcdef" for c in text[1:])


def colour(text):
    """'#RGB' or '#RRGGBB' (any case) -> '#rrggbb'; BackgroundError otherwise."""
    value = str(text).strip().lower()
    if len(value) == 4 and value[0] == "#":
        value = "#" + "".join(c * 2 for c in value[1:])
    if not _hex(value):
        raise BackgroundError("bg.not_colour", text=repr(text))
    return value


def blur(strength):
    if isinstance(strength, bool) or not isinstance(strength, (int, float)):
        raise BackgroundError("bg.blur_number")
    if not 1 <= strength <= MAX_BLUR:
        raise BackgroundError("bg.blur_range", high=MAX_BLUR)
    return {"kind": "blur", "strength": strength}


def blur_radius(strength, width, height):
    """The blur's standard deviation in pixels: `strength` thousandths of the long side, so
    a preview and the full-size file look alike."""
    return max(1.0, strength * max(width, height) / 1000)


def cover(image_width, image_height, width, height):
    """(x, y, w, h) to draw an image so it covers width×height, centred (CSS cover)."""
    scale = max(width / image_width, height / image_height)
    w, h = image_width * scale, image_height * scale
    return ((width - w) / 2, (height - h) / 2, w, h)


def parse(text):
    """A command-line value: a colour, 'blur' or 'blur:STRENGTH', 'none', or else the path
    of an image ({"kind": "image", "path": text})."""
    value = str(text).strip()
    if value.lower() == "none":
        return dict(NONE)
    if value.lower() == "blur":
        return blur(DEFAULT_BLUR)
    if value.lower().startswith("blur:"):
        try:
            strength = float(value[5:])
        except ValueError:
            raise BackgroundError("bg.blur_value", value=value[5:]) from None
        return blur(strength)
    if value.startswith("#"):
        return {"kind": "colour", "colour": colour(value)}
    if not value:
        raise BackgroundError("bg.empty")
    return {"kind": "image", "path": value}
