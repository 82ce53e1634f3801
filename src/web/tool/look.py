"""What the download looks like besides the cut-out: its backdrop, crop and size."""

from output import compose
from shared import embed_protocol as protocol
from shared import formats, geometry
from tool.state import page, ui


def behind(cutout):
    """What is painted behind the cut-out, made once per cut-out and background."""
    if cutout is None:
        return None
    key = (cutout, page.backgrounds)  # a crop or size change keeps the backdrop
    if page.backdrop_of != key:
        old = page.backdrop
        if old is not None and not isinstance(old, str):
            old.width = 0  # a full-size canvas
        page.backdrop = compose.backdrop(cutout, page.background, page.picture)
        page.backdrop_of = key
    return page.backdrop


def _number(el, low, high):
    """The field's whole number within its bounds, or 0 when empty or not a number."""
    try:
        value = int(float(el.value))
    except ValueError:
        return 0
    return max(low, min(high, value))


def framing():
    """The download's crop and size, from the controls (bounded as the embed API's are)."""
    return {
        "crop": bool(ui["crop"].checked),
        "margin": _number(ui["margin"], 0, protocol.MAX_MARGIN),
        "max_side": _number(ui["max-side"], protocol.MIN_SIDE, geometry.MAX_SIDE) or None,
    }


def shown():
    """compose.render's keywords for what the page shows (the editor's strokes use them)."""
    backdrop = behind(page.cutout)
    if backdrop is None and not formats.get(page.format)["alpha"]:
        backdrop = formats.FLATTEN_ON
    return {"behind": backdrop, "mask": page.format == "mask", "shadow": page.shadow}
