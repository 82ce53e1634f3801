"""The model file the user brings: read and described here, kept on the device when asked,
run by the worker with the chosen preset; the catalog's model comes back when it fails."""

import asyncio

from pyscript import document
from pyscript.ffi import create_proxy

from cut.worker_bridge import WorkerError
from shared import catalog, i18n, own_model
from shared.i18n import Message
from tool import own_model_picker
from tool.model_choice import load_model
from tool.state import body, page, show_engine, show_message, show_stage, ui, view
from ui import page_text

KEPT = "own-kept"  # the menu's value (and ?model=) of the model kept on the device


def start():
    """The preset menu and the brought model's controls."""
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


def chosen():
    """Its option in the model menu was chosen."""
    if page.own["file"] is None:  # kept on the device, not opened yet this visit
        asyncio.create_task(open_kept_model())
    else:
        asyncio.create_task(use_own_model())


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
    page.own_option.value = KEPT
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
