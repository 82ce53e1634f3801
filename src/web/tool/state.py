"""The tool page's state, its elements by id, its status line, and how a failure is shown."""

import js
from pyscript import document

from cut import file_input
from cut.worker_bridge import Cancelled, WorkerError
from shared import backgrounds, formats, i18n, jobs
from shared.i18n import Message
from ui import page_text
from ui.view import StatusView

ui = {
    k: document.getElementById(k)
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
        "shadow",
        "shadow-blur",
        "shadow-offset",
        "shadow-opacity",
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
        "next-photo",
        "sheet",
        "compare",
        "lacks",
    )
}
body = document.body

view = StatusView(
    ui["status"],
    ui["progress"],
    ui["stage"],
    ui["message"],
    "status.not_isolated",
    ui["lacks"],
)
set_state, show_stage, show_message, show_engine = view.state, view.stage, view.message, view.engine


def mark(name):
    """Startup milestones (ms since navigation) as data attributes, read by tests and bench."""
    body.setAttribute("data-t-" + name, str(int(js.performance.now())))


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
        self.shadow = None  # shared/shadows description, None for no shadow
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
