"""A finished queue row as a file in the export chosen now (format, background, crop and
size): each row keeps its cut-out as a transparent full-size PNG, its master (edits
included), so the ZIP and the row's download follow a later choice without cutting the
photo again (main thread, one photo's pixels at a time)."""

import js

from cut import file_input
from cut.cutout import Cutout
from output import compose, export


def plain(format_id, behind, framing, shadow=None):
    """Whether a file made this way is the master itself: a full-size transparent PNG."""
    return (
        format_id == "png"
        and behind is None
        and shadow is None
        and not framing.get("crop")
        and not framing.get("max_side")
    )


async def master(cutout):
    """The cut-out alone, transparent and full size, as a PNG Blob."""
    canvas = js.document.createElement("canvas")
    try:
        compose.render(cutout, canvas)
        return await export.encode(canvas, "png")
    finally:
        canvas.width = 0


async def remake(row, format_id, background, picture, framing, shadow=None):
    """(Blob, file name) of the row in this export, from its master and its photo (the
    photo for a blurred background and its own transparency), with `shadow`."""
    if row.master is None:  # its cut-out left the screen before a master was made
        raise RuntimeError("no full-size copy of this cut-out was kept: open it again")
    photo = await file_input.read_image(row.file)
    try:
        colours = await js.createImageBitmap(row.master)
    except BaseException:
        photo.close()
        raise
    cutout = Cutout.from_master(row.name, photo, colours)
    behind = compose.backdrop(cutout, background, picture)
    canvas = js.document.createElement("canvas")
    try:
        blob, name, _ = await export.to_file(
            cutout, canvas, format_id, None, behind, framing, shadow
        )
    finally:
        canvas.width = 0
        if behind is not None and not isinstance(behind, str):
            behind.width = 0
        cutout.close()
    return blob, name
