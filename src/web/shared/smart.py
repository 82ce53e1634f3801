"""The smart correction's window: a click (or tap) with the brush's radius r says "this
region is wrong here"; the model takes a second look at a crop around it, four radii wide,
and the crop's region under the click (connected, within three radii) takes the value
asked for, at least a disk of the brush's size. Pure, so the page (smart_tool.py) and
`bgzero eval --clicks` (bgzero/clicks.py) crop the same window."""

CROP_FACTOR = 4  # crop side, in radii: the object and some of what is around it
REACH_FACTOR = 3  # how far from the click the crop's region may change the mask
MIN_CROP = 96  # below this the model sees too little context to tell anything
# The edge correction's crop: half the photo's long side, so the model sees the edge at
# about twice the detail of its first look and still enough of the subject to know it
# (a quarter lost 0.35 IoU points on people against half; bgzero eval --clicks).
EDGE_FRACTION = 0.5
EDGE_BAND = 1.5  # how far from the current edge it may change the mask, in click distances
EDGE_MIN_BAND = 8  # pixels: a click on the edge itself still reaches its blur


def crop_window(y, x, radius, height, width):
    """(top, left, bottom, right) of the second look's crop around pixel (x, y), inside a
    width×height photo."""
    side = int(min(max(height, width), max(MIN_CROP, CROP_FACTOR * radius)))
    left = min(max(0, x - side // 2), max(0, width - side))
    top = min(max(0, y - side // 2), max(0, height - side))
    return top, left, min(height, top + side), min(width, left + side)


def edge_window(y, x, distance, height, width):
    """(top, left, bottom, right) of the edge correction's crop around pixel (x, y), which
    is `distance` pixels from the nearest pixel that already has the value asked for."""
    side = max(MIN_CROP, EDGE_FRACTION * max(height, width), CROP_FACTOR * distance)
    side = int(min(max(height, width), side))
    left = min(max(0, x - side // 2), max(0, width - side))
    top = min(max(0, y - side // 2), max(0, height - side))
    return top, left, min(height, top + side), min(width, left + side)


def adds(alpha_at_click):
    """Whether a click on a pixel of this alpha (0..255) adds the subject (it was not kept)
    or removes what was kept there."""
    return alpha_at_click <= 127
