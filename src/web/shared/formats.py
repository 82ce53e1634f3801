"""The output formats: one table read by the page, the export code, the embed protocol and
`bgzero remove` (the way Squoosh gives every encoder a small `meta`)."""

from shared import naming

# id -> what the UI shows, what the browser's encoder and Pillow are asked for, whether the
# result keeps transparency, and the default quality (None: lossless, no quality setting).
FORMATS = {
    "png": {
        "label": "PNG",
        "mime": "image/png",
        "ext": "png",
        "alpha": True,
        "quality": None,
        "pillow": "PNG",
    },
    "webp": {
        "label": "WebP",
        "mime": "image/webp",
        "ext": "webp",
        "alpha": True,
        "quality": 0.9,
        "pillow": "WEBP",
    },
    "jpeg": {
        "label": "JPEG",
        "mime": "image/jpeg",
        "ext": "jpg",
        "alpha": False,
        "quality": 0.9,
        "pillow": "JPEG",
    },
    # The alpha alone, as a greyscale PNG (white = kept), for other tools.
    "mask": {
        "label": "Mask (PNG)",
        "mime": "image/png",
        "ext": "png",
        "alpha": False,
        "quality": None,
        "pillow": "PNG",
    },
}
DEFAULT = "png"
# A format without alpha flattens the cut-out on this colour when no background is chosen.
FLATTEN_ON = "#ffffff"


class FormatError(ValueError):
    pass


def get(format_id):
    """The format's entry; FormatError names the ones there are."""
    if format_id not in FORMATS:
        raise FormatError("unknown format %r: one of %s" % (format_id, ", ".join(FORMATS)))
    return FORMATS[format_id]


def quality(format_id, wanted=None):
    """The encoder quality in (0, 1], or None for a lossless format."""
    default = get(format_id)["quality"]
    if default is None:
        return None
    if wanted is None:
        return default
    if not isinstance(wanted, (int, float)) or isinstance(wanted, bool) or not 0 < wanted <= 1:
        raise FormatError("quality must be a number in (0, 1]")
    return float(wanted)


def file_name(photo_name, format_id):
    """'cat.jpg' -> 'cat-nobg.webp'; the mask is 'cat-mask.png'."""
    entry = get(format_id)
    suffix = "mask" if format_id == "mask" else "nobg"
    return naming.with_suffix(photo_name, suffix, entry["ext"])
