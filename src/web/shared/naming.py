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
