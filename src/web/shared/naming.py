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


def nobg_name(name, ext="png"):
    """'photo.final.JPG' -> 'photo.final-nobg.png'."""
    return "%s-nobg.%s" % (stem(name), ext)
