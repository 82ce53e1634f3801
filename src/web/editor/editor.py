"""Manual Remove (main thread): erase and restore brushes and the smart click on the cut-out's
alpha at full resolution, zoom and pan with mouse, pen and touch. layers.py keeps the edits
and their undo, keys.py the keyboard; shared/brush.py does the arithmetic, smart_tool.py the
smart click.
"""

import asyncio
import json

import js
from pyscript.ffi import create_proxy, to_js

from editor import smart_tool
from editor.keys import Keys
from editor.layers import Layers
from shared import brush


class Editor:
    """`els`: the viewport, result canvas, before image, brush outline and the toolbar's
    controls; `screen`: output/screen.py's, whose full-size canvas the edits are drawn on;
    `on_edit()` runs after each finished edit (the page re-encodes the download);
    `look()` gives compose.render's keywords for how the page shows the cut-out (what is
    behind it, or the mask); `second_look(cutout, box)` gives the model's alpha of a crop for
    the smart tool (smart_tool.second_look), or None when it could not."""

    def __init__(self, els, screen, on_edit, look, second_look):
        self.els = els
        self.screen = screen
        self.layers = Layers(els, screen, on_edit, look)
        self.keys = Keys(self)
        self.clicks = smart_tool.Clicks(self.layers, second_look)
        self.cutout = None
        self.view = brush.View()
        self.fitted = None  # the view fit() made, until a zoom or pan changes it
        self.active = False  # Manual Remove: the brush is on
        self.tool = "erase"
        self.stroke = None  # {"tool", "r", "hardness", "points", "id"} while drawing
        self.press = None  # (pointer id, x, y) of a smart click until the pointer is up
        self.touches = {}  # pointer id -> (x, y) of fingers on the viewport
        self.pan_from = None  # (x, y) while dragging the view
        self._proxies = []
        viewport = els["viewport"]
        self._on(viewport, "pointerdown", self._down)
        self._on(viewport, "pointermove", self._move)
        self._on(viewport, "pointerup", self._up)
        self._on(viewport, "pointercancel", self._up)
        self._on(viewport, "pointerleave", self._leave)
        self._on(viewport, "wheel", self._wheel, to_js({"passive": False}))
        self._on(viewport, "keydown", self.keys.viewport)
        self._on(viewport, "focus", lambda e: self.keys.show_cursor())
        self._on(viewport, "blur", lambda e: self._leave(e))
        self._on(js.document, "keydown", self.keys.down)
        self._on(js.document, "keyup", self.keys.up)
        self._on(els["tool-erase"], "click", lambda e: self.set_tool("erase"))
        self._on(els["tool-restore"], "click", lambda e: self.set_tool("restore"))
        self._on(els["tool-smart"], "click", lambda e: self.set_tool("smart"))
        self._on(els["undo"], "click", lambda e: self.undo())
        self._on(els["redo"], "click", lambda e: self.redo())
        self._on(els["fit"], "click", lambda e: self.fit())

    def _on(self, target, kind, handler, options=None):
        proxy = create_proxy(handler)
        self._proxies.append(proxy)
        if options is None:
            target.addEventListener(kind, proxy)
        else:
            target.addEventListener(kind, proxy, options)

    # ---- state --------------------------------------------------------------------------

    def show(self, cutout):
        """A new cut-out to look at and edit (or None: nothing on screen)."""
        self.cutout = cutout
        self.stroke = None
        self.press = None
        self.keys.cursor = None
        self.layers.reset(cutout)
        if cutout is not None:
            self.fit()

    def set_active(self, active):
        self.active = active
        self.els["outline"].hidden = True
        self.els["viewport"].tabIndex = 0 if active else -1  # the keyboard brush's stop

    def set_tool(self, tool):
        self.tool = tool
        for name in brush.TOOLS:
            self.els["tool-" + name].setAttribute("aria-pressed", str(name == tool).lower())

    def brush(self, pressure=None):
        """(radius, hardness) of the brush the toolbar sets."""
        size = int(self.els["brush-size"].value)
        return brush.radius(size, pressure), int(self.els["brush-hardness"].value) / 100

    # ---- view ---------------------------------------------------------------------------

    def fit(self):
        if self.cutout is None:
            return
        vp = self.els["viewport"]
        self.view.fit(self.cutout.width, self.cutout.height, vp.clientWidth, vp.clientHeight)
        self.fitted = (self.view.zoom, self.view.x, self.view.y)
        self.place()

    def place(self):
        """The canvas and before image where the view says."""
        css = self.view.css()
        self.els["canvas"].style.transform = css
        self.els["before"].style.transform = css
        self.screen.zoomed(self.view.zoom)
        js.document.body.dataset.zoom = "%.4f" % self.view.zoom

    def _local(self, event):
        rect = self.els["viewport"].getBoundingClientRect()
        return event.clientX - rect.left, event.clientY - rect.top

    def outline(self, sx, sy, pressure=None):
        """The brush's outline at viewport point (sx, sy)."""
        if not self.active or self.cutout is None:
            return
        r = self.brush(pressure)[0] * self.view.zoom
        style = self.els["outline"].style
        style.width = style.height = "%.1fpx" % (2 * r)
        style.transform = "translate(%.1fpx, %.1fpx)" % (sx - r, sy - r)
        self.els["outline"].hidden = False

    # ---- pointer ------------------------------------------------------------------------

    def _down(self, event):
        if self.cutout is None:
            return
        sx, sy = self._local(event)
        if event.pointerType == "touch":
            self.touches[event.pointerId] = (sx, sy)
            if len(self.touches) > 1:  # a second finger: pinch and pan, not paint
                self._discard_stroke()
                self.press = None
                self.pan_from = None
                return
        self.els["viewport"].setPointerCapture(event.pointerId)
        if not self.active or self.keys.space or event.button == 1:
            self.pan_from = (sx, sy)
            return
        if event.button != 0:
            return
        event.preventDefault()
        pressure = event.pressure if event.pointerType == "pen" else None
        r, hardness = self.brush(pressure)
        x, y = self.view.to_image(sx, sy)
        if self.tool == "smart":  # acts when the pointer is up: a second finger may follow
            self.press = (event.pointerId, x, y)
            return
        self.stroke = {
            "tool": self.tool,
            "r": r,
            "hardness": hardness,
            "points": [(x, y)],
            "id": event.pointerId,
            "ms": [],
        }
        self.layers.paint(self.tool, [(x, y)], r, hardness)

    def _move(self, event):
        sx, sy = self._local(event)
        pressure = event.pressure if event.pointerType == "pen" else None
        if event.pointerType == "touch" and event.pointerId in self.touches:
            if len(self.touches) > 1:
                self._pinch(event.pointerId, sx, sy)
                return
            self.touches[event.pointerId] = (sx, sy)
        self.outline(sx, sy, pressure)
        if self.pan_from is not None:
            self.view.pan(sx - self.pan_from[0], sy - self.pan_from[1])
            self.pan_from = (sx, sy)
            self.place()
            return
        stroke = self.stroke
        if stroke is None or event.pointerId != stroke["id"]:
            return
        x, y = self.view.to_image(sx, sy)
        last = stroke["points"][-1]
        r = stroke["r"] if pressure is None else self.brush(pressure)[0]
        points = brush.stamps(last[0], last[1], x, y, r)
        stroke["points"].extend(points)
        self.layers.paint(stroke["tool"], points, r, stroke["hardness"])
        # Pointer event -> painted, per segment: `make bench` reads it after each stroke.
        stroke["ms"].append(js.performance.now() - event.timeStamp)

    def _pinch(self, pointer_id, sx, sy):
        (ax, ay), (bx, by) = list(self.touches.values())[:2]
        before = ((ax - bx) ** 2 + (ay - by) ** 2) ** 0.5
        mid = ((ax + bx) / 2, (ay + by) / 2)
        self.touches[pointer_id] = (sx, sy)
        (ax, ay), (bx, by) = list(self.touches.values())[:2]
        after = ((ax - bx) ** 2 + (ay - by) ** 2) ** 0.5
        mid2 = ((ax + bx) / 2, (ay + by) / 2)
        if before > 0:
            self.view.zoom_at(after / before, mid2[0], mid2[1])
        self.view.pan(mid2[0] - mid[0], mid2[1] - mid[1])
        self.place()

    def _up(self, event):
        self.touches.pop(event.pointerId, None)
        self.pan_from = None
        press, self.press = self.press, None
        if press is not None and press[0] == event.pointerId and event.type == "pointerup":
            asyncio.create_task(self.clicks.click(press[1], press[2], self.brush()[0]))
            return
        stroke = self.stroke
        if stroke is None or event.pointerId != stroke["id"]:
            return
        self.stroke = None
        if event.type == "pointercancel":
            self.layers.replay()
            return
        js.document.body.dataset.strokeMs = json.dumps([round(ms, 2) for ms in stroke["ms"]])
        self.layers.commit({k: stroke[k] for k in ("tool", "r", "hardness", "points")})

    def _leave(self, event):
        if getattr(event, "pointerType", None) != "touch":
            self.els["outline"].hidden = True

    def _wheel(self, event):
        if self.cutout is None:
            return
        event.preventDefault()
        sx, sy = self._local(event)
        self.view.zoom_at(brush.wheel_factor(event.deltaY, event.deltaMode), sx, sy)
        self.place()
        self.outline(sx, sy)

    # ---- edits --------------------------------------------------------------------------

    def dab(self, x, y):
        """One stamp of the brush at image point (x, y), one step of the history."""
        if self.tool == "smart":
            asyncio.create_task(self.clicks.click(x, y, self.brush()[0]))
            return
        r, hardness = self.brush()
        self.layers.paint(self.tool, [(x, y)], r, hardness)
        self.layers.commit({"tool": self.tool, "r": r, "hardness": hardness, "points": [(x, y)]})

    def _discard_stroke(self):
        if self.stroke is not None:
            self.stroke = None
            self.layers.replay()

    def undo(self):
        self._discard_stroke()  # a stroke in progress is not in the history yet
        self.layers.undo()

    def redo(self):
        self._discard_stroke()
        self.layers.redo()

    def release(self):
        """Free the undo copy (the cut-out itself is the page's to close)."""
        self.layers.release()
