"""The page (main thread, MicroPython): owns the state, wires input -> worker -> compositor."""

import asyncio
import json

import js
from pyscript import document
from pyscript.ffi import create_proxy

import compositor
import file_input
import offline
from cutter import Cutter, fetch_catalog
from shared import catalog, status
from view import StatusView
from worker_bridge import WorkerError



def _el(id_):
    return document.getElementById(id_)


ui = {k: _el(k) for k in ("file", "pick-text", "drop", "model", "status", "progress", "stage",
                          "message", "timings", "result", "before", "toggle", "download",
                          "network")}
body = document.body


# ---- view ---------------------------------------------------------------------------------

view = StatusView(ui["status"], ui["progress"], ui["stage"], ui["message"],
                  "this site does not send the cross-origin isolation headers")
set_state, show_stage, show_message, show_engine = view.state, view.stage, view.message, view.engine


def mark(name):
    """Startup milestones (ms since navigation) as data attributes, read by tests and bench."""
    body.setAttribute("data-t-" + name, str(int(js.performance.now())))


# ---- app ----------------------------------------------------------------------------------

app = {"catalog": None, "model": None, "cutter": None, "busy": False, "next": None,
       "base": None, "input": None, "output": None, "handled": 0}


async def load_model():
    """Preload the chosen model so the first cut doesn't wait for the download."""
    model = app["model"]
    try:
        reply = await app["cutter"].load(model, show_stage)
        if model is not app["model"]:
            return   # the user picked another model meanwhile; its own load reports
        show_engine(reply)
        body.dataset.loadTimings = json.dumps(reply["timings"])   # download, session (ms)
        mark("model")
        offline.keep(app["cutter"].graph_files(model))
        if not app["busy"]:
            show_stage("done")
            ui["stage"].textContent = "Ready: drop a photo"
            ui["progress"].value = 1
    except Exception as e:
        fail(e)


async def cut(file):
    output = app["output"]
    set_state("busy")
    show_message("")
    output.clear()
    done = await app["cutter"].cut(file, output.canvas, app["model"], show_stage)
    show_engine(done["engine"])
    output.show_before(file)
    output.set_png(done["png"], file.name)
    ui["timings"].textContent = status.timings_text(done["timings"])
    body.dataset.timings = json.dumps(done["timings"])
    show_stage("done")
    ui["progress"].value = 1
    set_state("done")


async def run_cuts(file):
    """One cut at a time; a file chosen meanwhile replaces any earlier waiting one."""
    if app["busy"]:
        app["next"] = file
        return
    app["busy"] = True
    try:
        while file is not None:
            try:
                await cut(file)
            except Exception as e:
                fail(e)
            # Counts every finished attempt, good or bad: tests and bench wait on it.
            app["handled"] += 1
            body.dataset.handled = str(app["handled"])
            file, app["next"] = app["next"], None
    finally:
        app["busy"] = False


def on_file(file):
    asyncio.create_task(run_cuts(file))


def fail(error):
    """Every handler ends here: bad input is a message; anything else is also a logged bug."""
    set_state("error")
    ui["progress"].value = 0
    if isinstance(error, file_input.BadInput):
        show_message(str(error))
        show_stage("done")
        ui["stage"].textContent = "Choose another file"
        return
    if isinstance(error, WorkerError) and not error.bug:
        show_message(str(error))
        return
    show_message("Something went wrong: %s" % (str(error) or error.__class__.__name__))
    js.console.error("BG Zero: %s: %s" % (error.__class__.__name__, error))


def on_model_change(event):
    app["model"] = catalog.pick(app["catalog"], ui["model"].value)
    ui["status"].textContent = app["model"]["id"] + " · loading…"
    asyncio.create_task(load_model())


async def start():
    set_state("starting")
    mark("main")
    app["base"] = document.baseURI
    app["output"] = compositor.Output(ui["result"], ui["before"], ui["toggle"], ui["download"])
    app["input"] = file_input.FileInput(ui["file"], ui["drop"], on_file)
    offline.start(ui["network"], app["input"].take)
    params = js.URLSearchParams.new(js.location.search)
    try:
        app["catalog"] = await fetch_catalog()
        wanted = params.get("model")
        app["model"] = catalog.pick(app["catalog"], wanted if wanted else None)
        for m in app["catalog"]["models"]:
            option = document.createElement("option")
            option.value = m["id"]
            option.textContent = catalog.label(m)
            option.selected = m["id"] == app["model"]["id"]
            ui["model"].append(option)
        ui["status"].textContent = app["model"]["id"] + " · starting worker…"
        app["cutter"] = Cutter(app["catalog"], app["base"])
        await app["cutter"].ready()
        mark("worker")
        ui["model"].addEventListener("change", create_proxy(on_model_change))
        ui["model"].disabled = False
    except Exception as e:
        fail(e)
        return
    ui["pick-text"].textContent = "Choose a photo"
    set_state("ready")
    asyncio.create_task(load_model())
    app["input"].enable()


asyncio.create_task(start())
