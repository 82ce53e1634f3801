"""A photo cut out and its result offered: on screen, in the editor, behind the download
link and in its queue row."""

import json

import js

from cut import file_input
from cut.cutout import Cutout
from output import row_export
from output.export import to_file
from shared import status
from tool import look
from tool.state import body, fail, page, set_state, show_engine, show_message, show_stage, ui
from ui import page_text


async def cut(file, on_stage=None):
    on_stage = on_stage or show_stage
    started = js.performance.now()
    result = page.result
    set_state("busy")
    show_message("")
    result.clear()
    page.drop()
    start = ui["start-from"].value if page.mode == "manual" else "model"
    if start == "model":
        ui["cancel"].hidden = False
        try:
            cutout = await page.cutter.cut(file, page.model, on_stage, file.name)
        finally:
            if ui["cancel"].matches(":focus"):  # hiding it would drop the focus to <body>
                ui["file"].focus()
            ui["cancel"].hidden = True
        show_engine(cutout.engine)
    else:  # Manual Remove without the model
        show_stage("decode")
        cutout = Cutout.blank(file.name, await file_input.read_image(file), start == "keep")
    page.keep(cutout)
    result.show_before(file)
    await offer(cutout)
    page.editor.show(cutout)
    page_text.put(ui["timings"], status.timings_text(cutout.timings))
    body.dataset.timings = json.dumps(cutout.timings)
    show_stage("done")
    seconds = "%.1f" % ((js.performance.now() - started) / 1000)
    page_text.put(ui["stage"], "stage.done_in", seconds=seconds)
    ui["progress"].value = 1
    set_state("done")
    page.network.update()


async def offer(cutout):
    """Compose the cut-out in the chosen format, show it, and encode it behind the download
    link."""
    # What this file is made of, read before the encode: an edit during it comes next.
    made_of = page.wanted()
    format_id = page.format
    row, backdrop, frame = page.row, look.behind(cutout), look.framing()
    try:
        screen = page.result.screen
        blob, name, _ = await to_file(
            cutout,
            screen.composed,
            format_id,
            show_stage,
            backdrop,
            frame,
            page.shadow,
            shown=lambda source: screen.show(source=source),
        )
        if row is not None:  # the queue's copies: the ZIP and the row's download use them
            # Not plain: the master is made once, when the cut-out leaves the screen
            # (settle_row), not after every edit.
            plain = row_export.plain(format_id, backdrop, frame, page.shadow)
            row.master = blob if plain else None
            row.blob, row.output, row.made = blob, name, (format_id, made_of[2])
    except Exception:
        page.offered = made_of  # not tried again in a loop: the next change tries again
        raise
    if cutout is not page.cutout:
        return  # another photo replaced it meanwhile
    page.result.offer(blob, name, format_id)
    # Copying needs the async clipboard and ClipboardItem (not every browser has them).
    ui["copy"].hidden = not (
        js.Reflect.has(js.window, "ClipboardItem") and js.Reflect.has(js.navigator, "clipboard")
    )
    page.offered = made_of
    body.dataset.format = format_id
    body.dataset.offered = str(made_of[1])
    body.dataset.looked = str(made_of[2])


async def reoffer():
    """The cut-out on screen again, in the format chosen since it was encoded."""
    try:
        await offer(page.cutout)
        show_stage("done")
        ui["progress"].value = 1
    except Exception as e:
        fail(e)
