"""The queue of photos: one job at a time, its rows (cut, opened again, removed), each
row's file and the ZIP of them all."""

import asyncio

import js
from pyscript import document
from pyscript.ffi import create_proxy

from cut import heic
from cut.worker_bridge import Cancelled
from output import row_export, zip_export
from shared import formats, i18n
from shared.i18n import Message
from tool import look, queue_view, result
from tool.state import body, describe, fail, page, show_message, show_stage, ui
from ui import offline

THUMB = 96  # px, the long side of a queue row's picture
ZIP_NAME = "bgzero-nobg.zip"


def start():
    """The queue's rows and its buttons (Cancel all, ZIP)."""
    page.queue_view = queue_view.QueueView(
        ui["batch"], ui["queue"], ui["queue-summary"], on_row_action
    )
    ui["cancel-all"].addEventListener("click", create_proxy(cancel_all))
    ui["zip"].addEventListener("click", create_proxy(lambda e: asyncio.create_task(download_zip())))


def follow():
    """Something the download depends on changed: hold the link back and re-encode."""
    if page.cutout is not None:
        page.result.stale()
    asyncio.create_task(run_queue())


async def run_queue():
    """One job at a time: a finished photo asked to be opened again, else the next waiting
    photo, else the result on screen re-encoded when what it is made of changed."""
    if page.busy:
        return
    page.busy = True
    try:
        while True:
            row = page.opening or page.queue.next_waiting()
            if row is not None:
                await (open_row(row) if row is page.opening else cut_row(row))
                # Counts every finished attempt, good or bad: tests and bench wait on it.
                page.handled += 1
                body.dataset.handled = str(page.handled)
            elif page.cutout is not None and page.offered != page.wanted():
                await result.reoffer()
            else:
                break
    finally:
        page.busy = False
    if page.cutter is not None:
        page.cutter.settle()
    offline.settled()


async def settle_row():
    """The master of the row on screen, made from its cut-out if no download was one."""
    row = page.row
    if row is not None and row.master is None and page.cutout is not None:
        try:
            row.master = await row_export.master(page.cutout)
        except Exception as e:  # the row's download says so if it is ever needed
            js.console.warn("BG Zero: no master for %s: %s" % (row.name, e))


async def cut_row(row):
    queue, view = page.queue, page.queue_view
    await settle_row()  # before its cut-out leaves the screen
    queue.start(row)
    view.update(row, queue)

    def on_stage(stage, done=None, total=None):
        show_stage(stage, done, total)
        row.stage = stage
        view.update(row, queue)

    page.row = row
    try:
        on_stage("decode")
        row.file = await heic.readable(row.file)  # an iPhone photo: a PNG from here on
        await result.cut(row.file, on_stage)
        queue.finish(row, row.output or formats.file_name(row.name, page.format))
        await thumbnail(row)
    except Exception as e:
        if page.row is row:
            page.row = None
        if isinstance(e, Cancelled):
            queue.cancelled(row)
        else:
            queue.fail(row, describe(e))
        fail(e)
    view.update(row, queue)
    ui["zip"].disabled = not queue.counts()["done"]


async def open_row(row):
    """A finished photo on screen again, for the editor: cut anew (the same result); its
    row's file then follows the edits."""
    page.opening = None
    await settle_row()
    page.row = row
    try:
        await result.cut(row.file)
    except Exception as e:
        page.row = None
        fail(e)


async def thumbnail(row):
    """A small picture of the result for its row (what the page shows is full size)."""
    canvas = page.result.screen.source
    scale = THUMB / max(canvas.width, canvas.height, 1)
    small = js.OffscreenCanvas.new(
        max(1, int(canvas.width * scale)), max(1, int(canvas.height * scale))
    )
    ctx = small.getContext("2d")
    ctx.imageSmoothingQuality = "high"
    ctx.drawImage(canvas, 0, 0, small.width, small.height)
    row.thumb = js.URL.createObjectURL(await small.convertToBlob())


def on_files(files):
    rows = page.queue.add([str(f.name) for f in files])
    for row, file in zip(rows, files):
        row.file = file
    page.queue_view.draw(page.queue)
    asyncio.create_task(run_queue())


def on_row_action(action, row_id):
    queue = page.queue
    row = queue.get(row_id)
    if row is None:
        return
    if action == "cancel":
        if row.state == "cutting":
            page.cutter.cancel()
        elif row.state == "waiting":
            queue.cancelled(row)
    elif action == "retry":
        queue.retry(row)
        asyncio.create_task(run_queue())
    elif action == "remove" and row.state != "cutting":
        queue.remove(row)
        if row.thumb:
            js.URL.revokeObjectURL(row.thumb)
        row.file = row.blob = row.master = row.thumb = None  # its memory goes with it
        if page.row is row:
            page.row = None
    elif action == "download" and row.blob is not None:
        asyncio.create_task(download_row(row))
    elif action == "open" and row.state == "done":
        page.opening = row
        asyncio.create_task(run_queue())
    page.queue_view.draw(queue)
    ui["zip"].disabled = not queue.counts()["done"]


def cancel_all(event):
    for row in page.queue.rows:
        if row.state == "waiting":
            page.queue.cancelled(row)
        elif row.state == "cutting":
            page.cutter.cancel()
    page.queue_view.draw(page.queue)


async def row_file(row):
    """The finished row's file in the export chosen now: the one made with it, or a new
    one from its master (kept for the next time)."""
    made = (page.format, page.look)
    if row.made != made:
        if row is page.row:
            await settle_row()
        blob, name = await row_export.remake(
            row, page.format, page.background, page.picture, look.framing(), page.shadow
        )
        row.blob, row.output, row.made = blob, name, made
    return row.blob


async def download_row(row):
    try:
        zip_export.save(await row_file(row), row.output)
    except Exception as e:
        show_message(Message("error.detail", detail=i18n.detail(e)))


async def download_zip():
    """Every finished photo in the format, background, crop and size chosen now."""
    rows = page.queue.zip_names(page.format)
    if not rows:
        return
    ui["zip"].disabled = True
    try:
        entries = []
        for row, name in rows:  # not a comprehension: MicroPython can't await in one
            entries.append((name, await row_file(row)))
        zip_export.save(await zip_export.zip_blob(entries, document.baseURI), ZIP_NAME)
    except Exception as e:
        show_message(Message("zip.failed", detail=i18n.detail(e)))
    finally:
        ui["zip"].disabled = not page.queue.counts()["done"]
