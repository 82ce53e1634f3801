"""A Cutout drawn onto a canvas at its full size, on a backdrop (main thread, Canvas
operations only)."""

import js

from shared import backgrounds, shadows


def backdrop(cutout, background, picture=None):
    """What render() paints behind the cut-out for a shared/backgrounds description: None,
    a CSS colour, or a canvas of the cut-out's size (made once, not at every stroke).
    `picture`: the ImageBitmap of an "image" background."""
    kind = background["kind"]
    if kind == "colour":
        return background["colour"]
    if kind not in ("image", "blur") or (kind == "image" and picture is None):
        return None
    width, height = cutout.width, cutout.height
    canvas = js.OffscreenCanvas.new(width, height)
    ctx = canvas.getContext("2d")
    ctx.imageSmoothingEnabled = True
    ctx.imageSmoothingQuality = "high"
    if kind == "image":
        x, y, w, h = backgrounds.cover(picture.width, picture.height, width, height)
        ctx.drawImage(picture, x, y, w, h)
        return canvas
    radius = backgrounds.blur_radius(background["strength"], width, height)
    # Drawn a little larger than the frame: a blur fades to transparent at its own edges.
    margin = 3 * radius
    ctx.filter = "blur(%.1fpx)" % radius
    ctx.drawImage(cutout.photo, -margin, -margin, width + 2 * margin, height + 2 * margin)
    return canvas


def render(cutout, canvas, behind=None, mask=False, rect=None, shadow=None):
    """The cut-out on `canvas`: its decontaminated colours, or the photo kept where the alpha
    is (`destination-in` multiplies what is drawn by the alpha canvas's alpha), times the
    photo's own alpha: a pixel transparent in the photo stays so. `behind`: what backdrop()
    made, painted behind it (`destination-over`), or None for transparency; `mask`: the
    alpha alone, white on black; `rect` (x, y, w, h): redraw only that part (the editor's
    strokes) of a canvas already rendered at this size; `shadow`: a shared/shadows
    description, drawn between the cut-out and what is behind it (not on a mask). Returns
    the rect it drew (the whole canvas when it had to)."""
    width, height = cutout.width, cutout.height
    shadow = None if mask else shadow
    # A shadow reaches far beyond a stroke, and comes from the whole alpha: all is redrawn.
    if rect is None or shadow is not None or (canvas.width, canvas.height) != (width, height):
        canvas.width = width
        canvas.height = height
        rect = (0, 0, width, height)
    x, y, w, h = rect
    ctx = canvas.getContext("2d")
    ctx.save()
    ctx.beginPath()
    ctx.rect(x, y, w, h)
    ctx.clip()  # composite operations such as destination-in reach only this far
    ctx.clearRect(x, y, w, h)
    ctx.globalCompositeOperation = "source-over"
    if mask:
        ctx.fillStyle = "#ffffff"
        ctx.fillRect(x, y, w, h)
        behind = "#000000"
    elif cutout.colours is not None:
        ctx.drawImage(cutout.colours, 0, 0)
    else:
        ctx.imageSmoothingEnabled = True
        ctx.imageSmoothingQuality = "high"
        ctx.drawImage(cutout.photo, 0, 0, width, height)
    ctx.globalCompositeOperation = "destination-in"
    if cutout.colours is None or mask:
        ctx.drawImage(cutout.alpha, 0, 0)
    if (cutout.colours is not None or mask) and not cutout.opaque:
        # What the photo already had stays transparent (drawn above, the photo carries it).
        ctx.drawImage(cutout.photo, 0, 0, width, height)
    if shadow is not None:
        cast = cast_shadow(canvas, shadow)
        ctx.globalCompositeOperation = "destination-over"
        ctx.drawImage(cast, 0, 0)
        cast.width = 0  # a full-size canvas
    if behind is not None:
        ctx.globalCompositeOperation = "destination-over"
        if isinstance(behind, str):
            ctx.fillStyle = behind
            ctx.fillRect(x, y, w, h)
        else:
            ctx.drawImage(behind, 0, 0)
    ctx.restore()
    return rect


def is_plain(cutout, behind=None, mask=False, shadow=None):
    """render() would copy the decontaminated colours as they are: nothing behind them, no
    mask or shadow, and no transparency of the photo's own to keep."""
    plain = behind is None and not mask and shadow is None
    return plain and cutout.colours is not None and cutout.opaque


def composed(cutout, canvas, behind=None, mask=False, rect=None, shadow=None):
    """(the canvas that holds the composition, the rect drawn): render()'s on `canvas`, or
    where that would be a copy (is_plain), the cut-out's colours themselves, `canvas` then
    freed: at 12 MP a copy is 48 MB."""
    if is_plain(cutout, behind, mask, shadow):
        canvas.width = 0
        return cutout.colours, rect or (0, 0, cutout.width, cutout.height)
    return canvas, render(cutout, canvas, behind, mask, rect, shadow)


def cast_shadow(canvas, shadow):
    """A canvas of `canvas`'s size holding the shadow of what it shows: black, the alpha
    blurred (a Gaussian of standard deviation shadowBlur / 2, in every engine) and moved
    down. The image is drawn one width to the left, off the canvas, and its shadow one width
    back: only the shadow lands."""
    width, height = canvas.width, canvas.height
    sigma, dy, opacity = shadows.pixels(shadow, width, height)
    out = js.OffscreenCanvas.new(width, height)
    ctx = out.getContext("2d")
    ctx.shadowColor = "rgba(0, 0, 0, %.4f)" % opacity
    ctx.shadowBlur = 2 * sigma
    ctx.shadowOffsetX = width
    ctx.shadowOffsetY = dy
    ctx.drawImage(canvas, -width, 0)
    return out


def flatten(canvas, colour):
    """Paint `colour` under whatever is still transparent (for a format without alpha)."""
    ctx = canvas.getContext("2d")
    ctx.save()
    ctx.globalCompositeOperation = "destination-over"
    ctx.fillStyle = colour
    ctx.fillRect(0, 0, canvas.width, canvas.height)
    ctx.restore()
