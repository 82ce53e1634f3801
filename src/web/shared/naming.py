"""File names of what the user downloads."""


def stem(name):
    """'dir/photo.final.JPG' -> 'photo.final'; nameless or dot-files -> 'image'."""
    base = (name or "").replace("\\", "/").split("/")[-1].strip()
    dot = base.rfind(".")
    if dot > 0:
        base = base[:dot]
    elif dot == 0:
        base = ""
    return base.strip() or "image"


def with_suffix(name, suffix, ext):
    """('photo.final.JPG', 'nobg', 'png') -> 'photo.final-nobg.png'."""
    return "%s-%s.%s" % (stem(name), suffix, ext)


def nobg_name(name, ext="png"):
    """'photo.final.JPG' -> 'photo.final-nobg.png'."""
    return with_suffix(name, "nobg", ext)


def unique(name, taken):
    """`name`, or 'cat-nobg-2.png', '-3'... when it is in `taken` (a set of names in lower
    case, as case-insensitive file systems and ZIP tools compare them); the result is added
    to `taken`. Stable: the same names in the same order get the same results."""
    dot = name.rfind(".")
    base, ext = (name[:dot], name[dot:]) if dot > 0 else (name, "")
    candidate, n = name, 1
    while candidate.lower() in taken:
        n += 1
        candidate = "%s-%d%s" % (base, n, ext)
    taken.add(candidate.lower())
    return candidate
