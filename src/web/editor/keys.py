"""The editor's keyboard (main thread): undo and redo shortcuts, Space to pan, and the keyboard
brush (arrows move it, Enter or Space paints or smart-clicks, + and - zoom)."""

import js

from shared import brush


class Keys:
    """The keys of an editor.Editor (its view, brush, tool and `dab`)."""

    def __init__(self, editor):
        self.editor = editor
        self.space = False  # held: the pointer pans instead of painting
        self.cursor = None  # image point of the keyboard brush

    def down(self, event):
        """The document's keydown."""
        ed = self.editor
        tag = str(event.target.tagName or "").lower()
        if (
            tag in ("input", "select", "textarea", "button") or event.target.id == "viewport"
        ) and not (event.ctrlKey or event.metaKey):
            return  # space and letters keep their meaning in controls and the keyboard brush
        ctrl = event.ctrlKey or event.metaKey
        key = str(event.key).lower()
        if ctrl and key == "z":
            event.preventDefault()
            if event.shiftKey:
                ed.redo()
            else:
                ed.undo()
        elif ctrl and key == "y":
            event.preventDefault()
            ed.redo()
        elif key == " " and ed.active and ed.cutout is not None:
            event.preventDefault()
            self.space = True
            js.document.body.dataset.panning = ""

    def up(self, event):
        """The document's keyup."""
        if event.key == " ":
            self.space = False
            js.document.body.removeAttribute("data-panning")

    def show_cursor(self):
        """The keyboard brush's outline, scrolled into view (placed mid-photo at first)."""
        ed = self.editor
        if not ed.active or ed.cutout is None:
            return
        if self.cursor is None:
            self.cursor = (ed.cutout.width / 2, ed.cutout.height / 2)
        vp = ed.els["viewport"]
        sx, sy = ed.view.to_screen(*self.cursor)
        ed.view.reveal(sx, sy, vp.clientWidth, vp.clientHeight, ed.brush()[0] * ed.view.zoom)
        ed.place()
        ed.outline(*ed.view.to_screen(*self.cursor))
        js.document.body.dataset.brushAt = "%d,%d" % self.cursor

    def viewport(self, event):
        """The viewport's keydown: the keyboard brush."""
        ed = self.editor
        if not ed.active or ed.cutout is None or event.ctrlKey or event.metaKey or event.altKey:
            return
        key = str(event.key)
        if self.cursor is None:
            self.show_cursor()
        x, y = self.cursor
        moved = brush.key_move(
            key, event.shiftKey, ed.view.zoom, x, y, ed.cutout.width, ed.cutout.height
        )
        if moved is not None:
            self.cursor = moved
        elif key in brush.KEY_ZOOM:
            ed.view.zoom_at(brush.KEY_ZOOM[key], *ed.view.to_screen(x, y))
        elif key in ("Enter", " ") and not event.repeat:
            ed.dab(x, y)
        else:
            return
        event.preventDefault()
        self.show_cursor()
