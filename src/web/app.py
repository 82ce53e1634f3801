"""The tool page's entry script (main thread, MicroPython): starts it and wires its parts
(tool/) to the photo input, the worker and the menus."""

import asyncio

import js
from pyscript import document

from cut.cutter import Cutter

# The worker first: its interpreter boots on another thread while this one imports the rest
# of the page and builds it. A failure here is reported once the page can say so (connect).
try:
    _cutter, _cutter_failed = Cutter(document.baseURI), None
except Exception as e:
    _cutter, _cutter_failed = None, e

from pyscript.ffi import create_proxy

from cut import file_input
from shared import catalog
from shared.i18n import Message
from tool import (
    brought_model,
    controls,
    editing,
    launch,
    model_choice,
    network_panel,
    panel,
    queue,
    samples,
)
from tool.result_view import ResultView
from tool.state import fail, mark, page, set_state, ui, view
from ui import offline, page_text


async def start():
    set_state("starting")
    page_text.start()
    mark("main")
    page.result = ResultView(
        ui["result"], ui["before"], ui["toggle"], ui["download"], ui["compare"]
    )
    panel.start()
    editing.start()
    controls.start()
    ui["cancel"].addEventListener("click", create_proxy(lambda e: page.cutter.cancel()))
    queue.start()
    page.input = file_input.FileInput(ui["file"], ui["drop"], queue.on_files, ui["folder"])
    # Usable at once: a photo chosen while the worker starts is cut as soon as it is ready.
    page.input.accept()
    samples.start()
    launch.start(page.input.take)
    page_text.put(ui["pick-text"], "pick.photo")
    mark("input")
    offline.start(ui["network"], page.input.take, ui["update"], ui["update-reload"], ui["storage"])
    page.network = network_panel.NetworkPanel(
        ui["network-activity"], ui["network-summary"], ui["network-rows"]
    )
    try:
        kept_first = await connect()
    except Exception as e:
        ui["file"].disabled = True  # nothing chosen now could be cut: say so, take no more
        ui["folder"].disabled = True
        fail(e)
        return
    set_state("ready")
    # ?model=own-kept: a link that starts with the model kept on this device.
    first = brought_model.open_kept_model if kept_first else model_choice.load_model
    asyncio.create_task(first())
    page.input.enable()


async def connect():
    """The cutter and its worker, with the menus that wait for them: the models once the
    catalog is in, the rest once the worker is ready. True when the page starts with the
    model kept on the device."""
    params = js.URLSearchParams.new(js.location.search)
    if _cutter_failed is not None:
        raise _cutter_failed
    page.cutter = _cutter
    page.catalog = await page.cutter.fetch_catalog()
    wanted = params.get("model")
    page.model = catalog.pick(page.catalog, wanted if wanted else None)
    model_choice.fill()
    brought_model.start()
    await brought_model.offer_kept_model()
    view.line(Message("status.starting_worker", model=page.model["id"]))
    await page.cutter.ready()
    mark("worker")
    model_choice.listen(brought_model.chosen)
    controls.offer_formats()
    return wanted == brought_model.KEPT and page.own_option is not None


asyncio.create_task(start())
