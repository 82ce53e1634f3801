"""The page (main thread, MicroPython): owns the state, wires input -> worker -> result."""

import asyncio
import json

import js
from pyscript import document
from pyscript.ffi import create_proxy

import compose
import file_input
import network_panel
import offline
import own_model_picker
import page_text
import queue_view
import row_export
import smart_tool
import zip_export
from cutout import Cutout
from cutter import Cutter, to_file
from editor import Editor
from result_view import ResultView
from shared import backgrounds, catalog, formats, geometry, i18n, jobs, own_model, status
from shared import embed_protocol as protocol
from shared.i18n import Message
from view import StatusView
from worker_bridge import Cancelled, WorkerError


def _el(id_):
    return document.getElementById(id_)


ui = {
    k: _el(k)
    for k in (
        "file",
        "pick-text",
        "drop",
        "model",
        "status",
        "progress",
        "stage",
        "message",
        "timings",
        "result",
        "before",
        "toggle",
        "download",
        "format",
        "network",
        "viewport",
        "brush-outline",
        "editor-tools",
        "start-from",
        "tool-erase",
        "tool-restore",
        "tool-smart",
        "brush-size",
        "brush-hardness",
        "undo",
        "redo",
        "fit",
        "mode-auto",
        "mode-manual",
        "background",
        "bg-colours",
        "bg-colour",
        "bg-image",
        "bg-blur-control",
        "bg-blur",
        "crop",
        "margin",
        "max-side",
        "copy",
        "own-file",
        "own-panel",
        "own-info",
        "own-preset",
        "own-keep",
        "cancel",
        "folder",
        "batch",
        "queue",
        "queue-summary",
        "cancel-all",
        "zip",
        "network-activity",
        "update",
        "update-reload",
        "storage",
        "network-summary",
        "network-rows",
    )
}
body = document.body


# ---- view ---------------------------------------------------------------------------------

view = StatusView(
    ui["status"],
    ui["progress"],
    ui["stage"],
    ui["message"],
    "status.not_isolated",
)
set_state, show_stage, show_message, show_engine = view.state, view.stage, view.message, view.engine


THUMB = 96  # px, the long side of a queue row's picture
ZIP_NAME = "bgzero-nobg.zip"


def mark(name):
    """Startup milestones (ms since navigation) as data attributes, read by tests and bench."""
    body.setAttribute("data-t-" + name, str(int(js.performance.now())))


# ---- state --------------------------------------------------------------------------------


class Page:
    """What the page holds: the catalog and chosen model, the cutter, the cut-out on screen,
    and the queue of photos (shared/jobs.py) it came from."""

    def __init__(self):
        self.catalog = None
        self.model = None
        self.cutter = None
        self.input = None
        self.result = None  # ResultView
        self.cutout = None  # the Cutout on screen (the editor's, next)
        self.busy = False
        self.queue = jobs.Queue()
        self.queue_view = None
        self.network = None  # the network activity panel
        self.row = None  # the queue row whose cut-out is on screen (its file follows edits)
        self.opening = None  # a finished row asked to be opened again
        self.handled = 0
        self.format = formats.DEFAULT  # what the download is encoded as
        self.edits = 0  # finished edits of the cut-out on screen
        self.offered = None  # wanted() of what is behind the download link now
        self.mode = "auto"  # "auto" | "manual" (the editor's brush is on)
        self.editor = None
        self.background = dict(backgrounds.NONE)  # shared/backgrounds description
        self.picture = None  # ImageBitmap of an "image" background (never leaves the page)
        self.look = 0  # counts background and framing changes: the download follows them
        self.backgrounds = 0  # counts background changes alone (the backdrop follows them)
        self.copies = 0
        self.backdrop = None  # compose.backdrop() of the cut-out on screen
        self.backdrop_of = None  # (cut-out, backgrounds) it was made for
        # The model file the user brought: name, info, sha256, bytes, buffer (until sent to
        # the worker), file (a File or the kept Blob; None until a kept one is opened), kept.
        self.own = None
        self.own_option = None  # its <option> in the model menu

    def wanted(self):
        """What the download must be made of: (format, edits, look)."""
        return (self.format, self.edits, self.look)

    def keep(self, cutout):
        """The new cut-out on screen; the previous one's pixels are freed."""
        if self.cutout is not None:
            self.editor.release()
            self.editor.show(None)
            self.cutout.close()
        if self.backdrop is not None and not isinstance(self.backdrop, str):
            self.backdrop.width = 0  # the old cut-out's full-size background
        self.backdrop = self.backdrop_of = None
        self.cutout = cutout
        self.edits = 0

    def drop(self):
        self.keep(None)


page = Page()


# ---- app ----------------------------------------------------------------------------------


async def load_model():
    """Preload the chosen model so the first cut doesn't wait for the download."""
    model = page.model
    try:
        reply = await page.cutter.load(model, show_stage)
        if model is not page.model:
            return  # the user picked another model meanwhile; its own load reports
        show_engine(reply)
        body.dataset.loadTimings = json.dumps(reply["timings"])  # download, session (ms)
        mark("model")
        offline.keep(page.cutter.graph_files(model))
        if not page.busy:
            show_stage("done")
            page_text.put(ui["stage"], "stage.ready")
            ui["progress"].value = 1
    except Exception as e:
        fail(e)


async def cut(file, on_stage=None):
    on_stage = on_stage or show_stage
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
    ui["progress"].value = 1
    set_state("done")
    page.network.update()


async def offer(cutout):
    """Compose and encode the cut-out in the chosen format, behind the download link."""
    # What this file is made of, read before the encode: an edit during it comes next.
    made_of = page.wanted()
    format_id = page.format
    row, backdrop, frame = page.row, behind(cutout), framing()
    try:
        blob, name, _ = await to_file(
            cutout, page.result.canvas, format_id, show_stage, backdrop, frame
        )
        if row is not None:  # the queue's copies: the ZIP and the row's download use them
            # Not plain: the master is made once, when the cut-out leaves the screen
            # (settle_row), not after every edit.
            plain = row_export.plain(format_id, backdrop, frame)
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


def behind(cutout):
    """What is painted behind the cut-out, made once per cut-out and background."""
    if cutout is None:
        return None
    key = (cutout, page.backgrounds)  # a crop or size change keeps the backdrop
    if page.backdrop_of != key:
        old = page.backdrop
        if old is not None and not isinstance(old, str):
            old.width = 0  # a full-size canvas
        page.backdrop = compose.backdrop(cutout, page.background, page.picture)
        page.backdrop_of = key
    return page.backdrop


def _number(el, low, high):
    """The field's whole number within its bounds, or 0 when empty or not a number."""
    try:
        value = int(float(el.value))
    except ValueError:
        return 0
    return max(low, min(high, value))


def framing():
    """The download's crop and size, from the controls (bounded as the embed API's are)."""
    return {
        "crop": bool(ui["crop"].checked),
        "margin": _number(ui["margin"], 0, protocol.MAX_MARGIN),
        "max_side": _number(ui["max-side"], protocol.MIN_SIDE, geometry.MAX_SIDE) or None,
    }


def restyle():
    """The background or the crop and size changed: the download follows."""
    page.look += 1
    body.dataset.look = str(page.look)
    follow()


def on_framing(event):
    restyle()


def look():
    """compose.render's keywords for what the page shows (the editor's strokes use them)."""
    shown = behind(page.cutout)
    if shown is None and not formats.get(page.format)["alpha"]:
        shown = formats.FLATTEN_ON
    return {"behind": shown, "mask": page.format == "mask"}


def set_background(background):
    page.background = background
    page.backgrounds += 1
    kind = background["kind"]
    ui["bg-colours"].hidden = kind != "colour"
    ui["bg-blur-control"].hidden = kind != "blur"
    restyle()


def on_background(event):
    kind = ui["background"].value
    if kind == "colour":
        set_background({"kind": "colour", "colour": backgrounds.colour(ui["bg-colour"].value)})
    elif kind == "blur":
        set_background(backgrounds.blur(int(ui["bg-blur"].value)))
    elif kind == "image":
        ui["bg-image"].click()  # the picture comes with its "change" event
        if page.picture is not None:
            set_background({"kind": "image"})
    else:
        set_background(dict(backgrounds.NONE))


async def take_picture(file):
    try:
        picture = await file_input.read_image(file)
    except Exception as e:
        fail(e)
        return
    if page.picture is not None:
        page.picture.close()
    page.picture = picture
    ui["background"].value = "image"
    set_background({"kind": "image"})


def on_picture(event):
    files = ui["bg-image"].files
    if files.length:
        asyncio.create_task(take_picture(files.item(0)))
    ui["bg-image"].value = ""


def on_swatch(event):
    ui["bg-colour"].value = event.target.dataset.colour
    on_background(None)


async def copy_png():
    """The cut-out as it looks now, as a PNG on the clipboard (the one image type browsers
    put there)."""
    if page.cutout is None:
        return
    try:
        canvas = document.createElement("canvas")
        try:
            blob, _, _ = await to_file(
                page.cutout, canvas, "png", None, behind(page.cutout), framing()
            )
        finally:
            canvas.width = 0
        record = js.Object.new()
        js.Reflect.set(record, "image/png", blob)
        items = js.Array.new()
        items.push(js.ClipboardItem.new(record))
        await js.navigator.clipboard.write(items)
        show_message("")
        page.copies += 1
        body.dataset.copied = str(page.copies)
    except Exception as e:
        show_message(Message("copy.failed", detail=i18n.detail(e)))


def follow():
    """Something the download depends on changed: hold the link back and re-encode."""
    if page.cutout is not None:
        page.result.stale()
    asyncio.create_task(run_queue())


def on_edit():
    """After each stroke, undo or redo: the download follows (encoded in the background)."""
    page.edits += 1
    body.dataset.edits = str(page.edits)
    follow()


async def second_look(cutout, box):
    """The smart tool's crop, cut by the chosen model; None (and a message) when it fails."""
    try:
        return await smart_tool.second_look(page.cutter, page.model, cutout, box)
    except Exception as e:
        show_message(Message("smart.failed", detail=i18n.detail(e)))
        return None


def set_mode(mode):
    """Auto Remove: the model's cut-out; Manual Remove: the brush on it (or on a blank)."""
    page.mode = mode
    body.dataset.mode = mode
    ui["editor-tools"].hidden = mode != "manual"
    ui["mode-auto"].setAttribute("aria-pressed", str(mode == "auto").lower())
    ui["mode-manual"].setAttribute("aria-pressed", str(mode == "manual").lower())
    page.editor.set_active(mode == "manual")


def on_format_change(event):
    page.format = ui["format"].value
    follow()


async def reoffer():
    """The cut-out on screen again, in the format chosen since it was encoded."""
    try:
        await offer(page.cutout)
        show_stage("done")
        ui["progress"].value = 1
    except Exception as e:
        fail(e)


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
                await reoffer()
            else:
                break
    finally:
        page.busy = False
    if page.cutter is not None:
        page.cutter.settle()


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
        await cut(row.file, on_stage)
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
        await cut(row.file)
    except Exception as e:
        page.row = None
        fail(e)


async def thumbnail(row):
    """A small picture of the result for its row (the result canvas itself is full size)."""
    canvas = page.result.canvas
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
            row, page.format, page.background, page.picture, framing()
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


def describe(error):
    """The Message the user reads of a failure (the row's; fail() also shows it)."""
    if isinstance(error, (file_input.BadInput, WorkerError)):
        return error.message
    return Message("error.detail", detail=i18n.detail(error))


def fail(error):
    """Every handler ends here: bad input is a message; anything else is also a logged bug."""
    ui["progress"].value = 0
    if isinstance(error, Cancelled):
        set_state("cancelled")
        show_message(None)
        show_stage("done")
        ui["progress"].value = 0
        page_text.put(ui["stage"], "stage.cancelled")
        return
    set_state("error")
    if isinstance(error, file_input.BadInput):
        show_message(error.message)
        show_stage("done")
        page_text.put(ui["stage"], "stage.another")
        return
    show_message(describe(error))
    if isinstance(error, WorkerError) and not error.bug:
        return
    js.console.error("BG Zero: %s: %s" % (error.__class__.__name__, error))


def on_model_change(event):
    value = ui["model"].value
    if value == own_model_picker.OPTION:
        ui["model"].value = page.model["id"]  # until a file is chosen
        ui["own-file"].click()
        return
    own = page.own_option is not None and value == page.own_option.value
    ui["own-panel"].hidden = not own
    if own:
        if page.own["file"] is None:  # kept on the device, not opened yet this visit
            asyncio.create_task(open_kept_model())
        else:
            asyncio.create_task(use_own_model())
        return
    page.model = catalog.pick(page.catalog, value)
    view.line(Message("status.loading", model=page.model["id"]))
    asyncio.create_task(load_model())


def on_own_file(event):
    files = ui["own-file"].files
    if files.length:
        asyncio.create_task(take_own_model(files.item(0)))
    ui["own-file"].value = ""


async def take_own_model(file, name=None, preset=None, kept=False):
    """A model file the user chose (or the one kept on the device): read and described
    here, run by the worker."""
    show_message("")
    name = name or file.name
    try:
        buffer, info, sha256 = await own_model_picker.read(file, name)
    except own_model.OwnModelError as e:
        if kept:
            drop_own_model(catalog.pick(page.catalog))
        show_message(e.message)
        return
    page.own = {
        "name": name,
        "info": info,
        "sha256": sha256,
        "bytes": int(file.size),
        "buffer": buffer,
        "file": file,
        "kept": kept,
    }
    page_text.put(ui["own-info"], own_model_picker.describe(name, info))
    ui["own-preset"].value = preset or own_model.guess_preset(info)
    ui["own-keep"].checked = kept
    await use_own_model()


async def open_kept_model():
    found = await own_model_picker.kept()
    if found is None:
        drop_own_model(catalog.pick(page.catalog))
        show_message(Message("own.gone"))
        return
    meta, blob = found
    await take_own_model(blob, meta["name"], meta.get("preset"), kept=True)


async def on_own_keep(event):
    own = page.own
    if own is None or own["file"] is None:
        return
    try:
        if ui["own-keep"].checked:
            meta = {"name": own["name"], "sha256": own["sha256"], "bytes": own["bytes"]}
            meta["preset"] = ui["own-preset"].value
            await own_model_picker.keep(own["file"], meta)
        else:
            await own_model_picker.forget()
    except Exception as e:
        ui["own-keep"].checked = False
        show_message(Message("own.keep_failed", detail=i18n.detail(e)))
        return
    own["kept"] = bool(ui["own-keep"].checked)
    body.dataset.ownKept = "yes" if own["kept"] else "no"


async def offer_kept_model():
    """A model kept on a former visit: in the menu, opened when chosen."""
    found = await own_model_picker.kept()
    if found is None:
        return
    meta, blob = found
    page.own = {
        "name": meta["name"],
        "sha256": meta["sha256"],
        "bytes": int(blob.size),
        "file": None,
        "kept": True,
        "info": None,
        "buffer": None,
    }
    page.own_option = document.createElement("option")
    page.own_option.value = "own-kept"
    page_text.put(page.own_option, own_model_picker.label(meta["name"], int(blob.size)))
    ui["model"].append(page.own_option)


def on_own_preset(event):
    if page.own is not None:
        asyncio.create_task(use_own_model())


async def use_own_model():
    """The brought model with the chosen preset as the page's model; on any failure the
    model before it stays."""
    own = page.own
    previous = page.model if not page.model.get("own") else catalog.pick(page.catalog)
    try:
        settled = own_model.settle(own["info"], ui["own-preset"].value)
    except own_model.OwnModelError as e:
        drop_own_model(previous)
        show_message(e.message)
        return
    model = own_model.entry(
        own["name"], own["sha256"], own["bytes"], settled, ui["own-preset"].value
    )
    if page.own_option is None:
        page.own_option = document.createElement("option")
        ui["model"].append(page.own_option)
    page.own_option.value = model["id"]
    page_text.put(page.own_option, own_model_picker.label(own["name"], own["bytes"]))
    ui["model"].value = model["id"]
    ui["own-panel"].hidden = False
    page.model = model
    view.line(Message("status.loading", model=own["name"]))
    payload, own["buffer"] = own["buffer"], None  # transferred: the worker keeps the bytes
    try:
        reply = await page.cutter.load(model, show_stage, payload)
    except Exception as e:
        if page.model is model:
            drop_own_model(previous)
            asyncio.create_task(load_model())  # the worker let it go for this one
        failed = Message("own.failed", detail=i18n.detail(e))
        show_message(e.message if isinstance(e, WorkerError) else failed)
        return
    if page.model is not model:
        return
    show_engine(reply)
    body.dataset.ownModel = model["id"]
    show_stage("done")
    page_text.put(ui["stage"], "stage.ready")
    ui["progress"].value = 1


def drop_own_model(previous):
    """Back to `previous` (a catalog model): the brought one leaves the menu."""
    page.own = None
    if page.own_option is not None:
        page.own_option.remove()
        page.own_option = None
    ui["own-panel"].hidden = True
    page.model = previous
    ui["model"].value = previous["id"]
    view.line(Message("text", text=previous["id"]))
    body.dataset.ownModel = "none"


async def start():
    set_state("starting")
    page_text.start()
    mark("main")
    page.result = ResultView(ui["result"], ui["before"], ui["toggle"], ui["download"])
    els = dict(ui)  # the editor takes the controls it knows by id
    els.update(canvas=ui["result"], outline=ui["brush-outline"])
    page.editor = Editor(els, on_edit, look, second_look)
    for value in backgrounds.SWATCHES:
        swatch = document.createElement("button")
        swatch.type = "button"
        swatch.style.background = value
        swatch.dataset.colour = value
        page_text.put_attr(swatch, "aria-label", "background.swatch", colour=value)
        swatch.addEventListener("click", create_proxy(on_swatch))
        ui["bg-colours"].append(swatch)
    for el, kind, handler in (
        (ui["background"], "change", on_background),
        (ui["bg-colour"], "input", on_background),
        (ui["bg-blur"], "change", on_background),
        (ui["bg-image"], "change", on_picture),
        (ui["crop"], "change", on_framing),
        (ui["margin"], "input", on_framing),
        (ui["max-side"], "input", on_framing),
        (ui["copy"], "click", lambda e: asyncio.create_task(copy_png())),
    ):
        el.addEventListener(kind, create_proxy(handler))
    ui["cancel"].addEventListener("click", create_proxy(lambda e: page.cutter.cancel()))
    ui["mode-auto"].addEventListener("click", create_proxy(lambda e: set_mode("auto")))
    ui["mode-manual"].addEventListener("click", create_proxy(lambda e: set_mode("manual")))
    if js.URLSearchParams.new(js.location.search).get("mode") == "manual":
        set_mode("manual")
    page.queue_view = queue_view.QueueView(
        ui["batch"], ui["queue"], ui["queue-summary"], on_row_action
    )
    ui["cancel-all"].addEventListener("click", create_proxy(cancel_all))
    ui["zip"].addEventListener("click", create_proxy(lambda e: asyncio.create_task(download_zip())))
    page.input = file_input.FileInput(ui["file"], ui["drop"], on_files, ui["folder"])
    # Usable at once: a photo chosen while the worker starts is cut as soon as it is ready.
    page.input.accept()
    page_text.put(ui["pick-text"], "pick.photo")
    mark("input")
    offline.start(ui["network"], page.input.take, ui["update"], ui["update-reload"], ui["storage"])
    page.network = network_panel.NetworkPanel(
        ui["network-activity"], ui["network-summary"], ui["network-rows"]
    )
    params = js.URLSearchParams.new(js.location.search)
    try:
        page.cutter = Cutter(document.baseURI)
        page.catalog = await page.cutter.fetch_catalog()
        wanted = params.get("model")
        page.model = catalog.pick(page.catalog, wanted if wanted else None)
        for m in page.catalog["models"]:
            option = document.createElement("option")
            option.value = m["id"]
            page_text.put(option, catalog.label(m))
            option.selected = m["id"] == page.model["id"]
            ui["model"].append(option)
        option = document.createElement("option")
        option.value = own_model_picker.OPTION
        page_text.put(option, "own.menu")
        ui["model"].append(option)
        for preset_id in own_model.ORDER:
            preset = own_model.PRESETS[preset_id]
            option = document.createElement("option")
            option.value = preset_id
            label, size = preset["label"], preset["size"]
            page_text.put(option, "own.preset_option", label=label, size=size)
            ui["own-preset"].append(option)
        ui["own-file"].addEventListener("change", create_proxy(on_own_file))
        ui["own-preset"].addEventListener("change", create_proxy(on_own_preset))
        ui["own-keep"].addEventListener(
            "change", create_proxy(lambda e: asyncio.create_task(on_own_keep(e)))
        )
        await offer_kept_model()
        view.line(Message("status.starting_worker", model=page.model["id"]))
        await page.cutter.ready()
        mark("worker")
        ui["model"].addEventListener("change", create_proxy(on_model_change))
        ui["model"].disabled = False
        for format_id in formats.FORMATS:
            option = document.createElement("option")
            option.value = format_id
            page_text.put(option, "format." + format_id)
            option.selected = format_id == page.format
            ui["format"].append(option)
        ui["format"].addEventListener("change", create_proxy(on_format_change))
        ui["format"].disabled = False
    except Exception as e:
        ui["file"].disabled = True  # nothing chosen now could be cut: say so, take no more
        ui["folder"].disabled = True
        fail(e)
        return
    set_state("ready")
    asyncio.create_task(load_model())
    page.input.enable()


asyncio.create_task(start())
