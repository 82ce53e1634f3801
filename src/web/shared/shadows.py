"""A soft shadow under the subject, made from its own alpha: blurred, moved down, made
lighter. One description for the page, the embed frame and `bgzero remove`:
None (no shadow) or {"blur": 1..100, "offset": 0..100, "opacity": 1..100}: the blur's
standard deviation and the drop in thousandths of the photo's long side (a preview and the
full-size file look alike), the opacity in percent."""

from shared import i18n

DEFAULT = {"blur": 20, "offset": 15, "opacity": 50}
RANGES = {"blur": (1, 100), "offset": (0, 100), "opacity": (1, 100)}
# Beyond this many standard deviations the shadow is under 1 % of its opacity: where a crop
# to the subject stops so as not to cut the shadow off.
REACH = 2


class ShadowError(i18n.Problem):
    """`message`: an i18n.Message (str() is its English text, for the command line)."""


def check(fields):
    """A description from a dict of any of blur/offset/opacity (numbers; the others take
    DEFAULT's); ShadowError for an unknown name or a value out of its range."""
    shadow = dict(DEFAULT)
    for name, value in fields.items():
        if name not in RANGES:
            raise ShadowError("shadow.unknown", name=name)
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ShadowError("shadow.number", name=name)
        low, high = RANGES[name]
        if not low <= value <= high:
            raise ShadowError("shadow.range", name=name, low=low, high=high)
        shadow[name] = value
    return shadow


def pixels(shadow, width, height):
    """(sigma, dy, opacity) for a width×height image: the blur's standard deviation in
    pixels, the drop in whole pixels (the page's canvas and Pillow move by the same rows),
    the opacity 0..1."""
    long_side = max(width, height)
    sigma = max(0.5, shadow["blur"] * long_side / 1000)
    dy = int(shadow["offset"] * long_side / 1000 + 0.5)
    return sigma, dy, shadow["opacity"] / 100


def grow(bounds, shadow, width, height):
    """The subject's bounds (x0, y0, x1, y1, ends excluded) widened to hold its shadow too,
    within the image: a crop to the subject keeps the shadow whole."""
    if bounds is None or shadow is None:
        return bounds
    sigma, dy, _ = pixels(shadow, width, height)
    spread = int(REACH * sigma + 0.999)
    x0, y0, x1, y1 = bounds
    return (
        max(0, x0 - spread),
        max(0, min(y0, y0 + dy - spread)),
        min(width, x1 + spread),
        min(height, max(y1, y1 + dy + spread)),
    )
