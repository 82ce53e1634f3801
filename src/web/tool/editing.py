"""Auto Remove and Manual Remove: the editor on the result, and what its strokes and smart
tool ask of the page."""

import js
from pyscript.ffi import create_proxy

from editor import smart_tool
from editor.editor import Editor
from shared import i18n
from shared.i18n import Message
from tool import look
from tool.queue import follow
from tool.state import body, page, show_message, ui


def start():
    """The editor on the result canvas, and the mode buttons (?mode=manual starts there)."""
    els = dict(ui)  # the editor takes the controls it knows by id
    els.update(canvas=ui["result"], outline=ui["brush-outline"])
    page.editor = Editor(els, page.result.screen, on_edit, look.shown, second_look)
    ui["mode-auto"].addEventListener("click", create_proxy(lambda e: set_mode("auto")))
    ui["mode-manual"].addEventListener("click", create_proxy(lambda e: set_mode("manual")))
    js.ResizeObserver.new(create_proxy(refit)).observe(ui["viewport"])
    if js.URLSearchParams.new(js.location.search).get("mode") == "manual":
        set_mode("manual")


def refit(entries, observer=None):
    """The stage changed size (the window, a phone turned, the toolbar shown): a cut-out shown
    whole is fitted again; one the user zoomed or panned stays where they put it."""
    editor = page.editor
    view = editor.view
    if editor.cutout is None:  # none placed yet: the view of the last one is not its own
        return
    if editor.fitted == (view.zoom, view.x, view.y):
        editor.fit()
    else:  # a browser zoom changes the device pixels per CSS pixel: placed at its pixels
        editor.place()


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
