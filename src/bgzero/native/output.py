"""A cut-out written as the page exports it: over a background, framed, in a format of
shared/formats (`bgzero remove`'s files)."""

import numpy as np
from PIL import Image, ImageFilter, ImageOps, UnidentifiedImageError

from bgzero.native.pipeline import PhotoError
from bgzero.web_shared import backgrounds, formats, geometry, shadows


def backdrop(background: dict, photo: Image.Image) -> Image.Image | None:
    """The RGBA image behind a cut-out of `photo` for a shared/backgrounds description (an
    "image" one carries its file's "path"), as the page's compose.backdrop makes it."""
    kind = background["kind"]
    if kind == "colour":
        return Image.new("RGBA", photo.size, background["colour"])
    if kind == "image":
        try:
            with Image.open(background["path"]) as picture:
                picture = ImageOps.exif_transpose(picture).convert("RGBA")
        except (OSError, UnidentifiedImageError) as error:
            raise PhotoError(f"{background['path']}: not a background image ({error})") from None
        return ImageOps.fit(picture, photo.size, Image.Resampling.BICUBIC)
    if kind == "blur":
        radius = backgrounds.blur_radius(background["strength"], *photo.size)
        return photo.convert("RGB").filter(ImageFilter.GaussianBlur(radius)).convert("RGBA")
    return None


def cast_shadow(cut: Image.Image, shadow: dict) -> Image.Image:
    """The RGBA shadow of a cut-out as the page's compose.cast_shadow draws it: black, its
    alpha moved down and blurred, times the opacity. The canvas blurs as if transparent
    lay beyond the edges (Pillow repeats the edge pixels): hence the padding."""
    width, height = cut.size
    sigma, dy, opacity = shadows.pixels(shadow, width, height)
    pad = int(3 * sigma) + 2
    moved = Image.new("L", (width + 2 * pad, height + 2 * pad), 0)
    moved.paste(cut.getchannel("A"), (pad, pad + dy))
    blurred = moved.filter(ImageFilter.GaussianBlur(sigma))
    blurred = blurred.crop((pad, pad, pad + width, pad + height))
    alpha = np.asarray(blurred, dtype=np.float32) * opacity
    out = Image.new("RGBA", cut.size, (0, 0, 0, 0))
    out.putalpha(Image.fromarray((alpha + 0.5).astype(np.uint8)))
    return out


def framed(
    image: Image.Image, cut: Image.Image, framing: dict | None, shadow: dict | None = None
) -> Image.Image:
    """`image` cropped to the subject of `cut` (the cut-out, whose alpha finds it) with a
    margin (and its shadow whole) and/or scaled to a longest side, as the page's
    export.framed does ({"crop", "margin", "max_side"})."""
    framing = framing or {}
    width, height = image.size
    box = (0, 0, width, height)
    if framing.get("crop"):
        ys, xs = np.nonzero(np.asarray(cut.getchannel("A")) >= geometry.CROP_ALPHA)
        bounds = None
        if xs.size:
            bounds = (int(xs.min()), int(ys.min()), int(xs.max()) + 1, int(ys.max()) + 1)
        bounds = shadows.grow(bounds, shadow, width, height)
        box = geometry.crop_box(bounds, framing.get("margin", 0), width, height)
    size = geometry.scaled_size(box[2], box[3], framing.get("max_side"))
    if box != (0, 0, width, height):
        image = image.crop((box[0], box[1], box[0] + box[2], box[1] + box[3]))
    if size != image.size:
        image = image.resize(size, Image.Resampling.LANCZOS)
    return image


def save(
    result: Image.Image,
    path,
    format_id: str = formats.DEFAULT,
    behind: Image.Image | None = None,
    framing: dict | None = None,
    shadow: dict | None = None,
) -> None:
    """Write an RGBA cut-out in one of shared/formats (the page's table), with `shadow` (a
    shared/shadows description) and over `behind` (backdrop()'s) if given, framed by
    `framing`: a format without alpha is flattened on white when there is nothing behind,
    the mask is the alpha as greyscale (no shadow)."""
    entry = formats.get(format_id)
    quality = formats.quality(format_id)
    options = {} if quality is None else {"quality": round(quality * 100)}
    cut = result
    if format_id == "mask":
        shadow = None
    if shadow is not None:
        result = Image.alpha_composite(cast_shadow(cut, shadow), result)
    if format_id != "mask" and behind is not None:
        result = Image.alpha_composite(behind, result)
    # The crop follows the cut-out's alpha, also when a background made the image opaque.
    result = framed(result, cut, framing, shadow)
    if format_id == "mask":
        image = result.getchannel("A")
    elif not entry["alpha"]:
        image = Image.new("RGB", result.size, formats.FLATTEN_ON)
        image.paste(result, mask=result.getchannel("A"))
    else:
        image = result
    image.save(path, entry["pillow"], **options)
