"""A Cutout drawn onto a canvas at its full size (main thread, Canvas operations only)."""


def render(cutout, canvas, background=None, mask=False, rect=None):
    """The cut-out on `canvas`: its decontaminated colours, or the photo kept where the alpha
    is (`destination-in` multiplies what is drawn by the alpha canvas's alpha), times the
    photo's own alpha: a pixel transparent in the photo stays so. `background`: a CSS colour
    painted behind it (`destination-over`), or None for transparency; `mask`: the alpha
    alone, white on black; `rect` (x, y, w, h): redraw only that part (the editor's strokes)
    of a canvas already rendered at this size."""
    width, height = cutout.width, cutout.height
    if rect is None or (canvas.width, canvas.height) != (width, height):
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
        background = "#000000"
    elif cutout.colours is not None:
        ctx.drawImage(cutout.colours, 0, 0)
    else:
        ctx.imageSmoothingEnabled = True
        ctx.imageSmoothingQuality = "high"
        ctx.drawImage(cutout.photo, 0, 0, width, height)
    ctx.globalCompositeOperation = "destination-in"
    if cutout.colours is None or mask:
        ctx.drawImage(cutout.alpha, 0, 0)
    if cutout.colours is not None or mask:
        # What the photo already had stays transparent (drawn above, the photo carries it).
        ctx.drawImage(cutout.photo, 0, 0, width, height)
    if background is not None:
        ctx.globalCompositeOperation = "destination-over"
        ctx.fillStyle = background
        ctx.fillRect(x, y, w, h)
    ctx.restore()
