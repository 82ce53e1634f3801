"""The model menu: the catalog's models and the brought one, and the chosen model loaded
in the worker before the first cut needs it."""

import asyncio
import json

from pyscript import document
from pyscript.ffi import create_proxy

from shared import catalog
from shared.i18n import Message
from tool import own_model_picker
from tool.state import body, fail, mark, page, show_engine, show_stage, ui, view
from ui import offline, page_text


def fill():
    """The catalog's models (the plain choices, then the others in a group), page.model
    selected, and the option to bring a model file."""
    first, more = catalog.menu(page.catalog)
    for m in first:
        ui["model"].append(_option(m))
    if more:
        group = document.createElement("optgroup")
        page_text.put_attr(group, "label", "model.more")
        for m in more:
            group.append(_option(m))
        ui["model"].append(group)
    option = document.createElement("option")
    option.value = own_model_picker.OPTION
    page_text.put(option, "own.menu")
    ui["model"].append(option)


def _option(model):
    option = document.createElement("option")
    option.value = model["id"]
    page_text.put(option, catalog.label(model))
    option.selected = model["id"] == page.model["id"]
    return option


def listen(on_own):
    """The menu in use, once the worker is ready. `on_own()`: the brought model's option
    was chosen (brought_model decides how it is opened)."""

    def on_change(event):
        value = ui["model"].value
        if value == own_model_picker.OPTION:
            ui["model"].value = page.model["id"]  # until a file is chosen
            ui["own-file"].click()
            return
        own = page.own_option is not None and value == page.own_option.value
        ui["own-panel"].hidden = not own
        if own:
            on_own()
            return
        page.model = catalog.pick(page.catalog, value)
        view.line(Message("status.loading", model=page.model["id"]))
        asyncio.create_task(load_model())

    ui["model"].addEventListener("change", create_proxy(on_change))
    ui["model"].disabled = False


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
            offline.settled()  # no photo waits: a first visit may now be kept offline
            show_stage("done")
            page_text.put(ui["stage"], "stage.ready")
            ui["progress"].value = 1
    except Exception as e:
        fail(e)
