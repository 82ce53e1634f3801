"""The actions beside the stage (under it on a phone): the next photo, and on a phone the
sheet of options that opens over the stage (CSS shows the buttons only there)."""

from pyscript.ffi import create_proxy

from tool.state import body, ui


def start():
    ui["next-photo"].addEventListener("click", create_proxy(lambda e: ui["file"].click()))
    ui["sheet"].addEventListener("click", create_proxy(lambda e: open_sheet(not is_open())))
    body.dataset.sheet = "closed"


def is_open():
    return body.dataset.sheet == "open"


def open_sheet(wanted):
    body.dataset.sheet = "open" if wanted else "closed"
    ui["sheet"].setAttribute("aria-expanded", "true" if wanted else "false")
