"""The result's controls: background, crop and size, format, and the copy to the
clipboard; the download follows each change."""

import asyncio

import js
from pyscript import document
from pyscript.ffi import create_proxy

from cut import file_input, heic
from output.export import to_file
from shared import backgrounds, formats, i18n, shadows
from shared.i18n import Message
from tool import look
from tool.queue import follow
from tool.state import body, fail, page, show_message, ui
from ui import page_text


def start():
    """The background swatches, and the controls that work before the worker is ready."""
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
        (ui["shadow"], "change", on_shadow),
        (ui["shadow-blur"], "change", on_shadow),
        (ui["shadow-offset"], "change", on_shadow),
        (ui["shadow-opacity"], "change", on_shadow),
        (ui["crop"], "change", on_framing),
        (ui["margin"], "input", on_framing),
        (ui["max-side"], "input", on_framing),
        (ui["copy"], "click", lambda e: asyncio.create_task(copy_png())),
    ):
        el.addEventListener(kind, create_proxy(handler))


def offer_formats():
    """The format menu, once the worker is ready to cut."""
    for format_id in formats.FORMATS:
        option = document.createElement("option")
        option.value = format_id
        page_text.put(option, "format." + format_id)
        option.selected = format_id == page.format
        ui["format"].append(option)
    ui["format"].addEventListener("change", create_proxy(on_format_change))
    ui["format"].disabled = False


def on_format_change(event):
    page.format = ui["format"].value
    follow()


def restyle():
    """The background or the crop and size changed: the download follows."""
    page.look += 1
    body.dataset.look = str(page.look)
    follow()


def on_framing(event):
    restyle()


def on_shadow(event):
    on = bool(ui["shadow"].checked)
    fields = {}
    for name in shadows.RANGES:
        el = ui["shadow-" + name]
        el.disabled = not on
        fields[name] = int(el.value)
    page.shadow = shadows.check(fields) if on else None
    restyle()


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
        picture = await file_input.read_image(await heic.readable(file))
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
                page.cutout,
                canvas,
                "png",
                None,
                look.behind(page.cutout),
                look.framing(),
                page.shadow,
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
