"""Manual Remove (main thread): erase and restore brushes on the cut-out's alpha at full
resolution, undo and redo, zoom and pan with mouse, pen, touch and the keyboard.

Strokes are Canvas operations on the cut-out's own layer (its alpha canvas, or the
decontaminated colours, whose alpha is the mask): `destination-out` to erase, the photo's
pixels drawn back through the brush to restore. The history holds strokes, not pixels:
undo copies the layer back from the one copy taken when editing began and replays the
strokes still applied. shared/brush.py does the arithmetic; smart_tool.py the smart click.
"""

import asyncio
import json

import js
from pyscript.ffi import create_proxy, to_js

import compose
import smart_tool
from shared import brush, smart

# Stamps a list of brush positions onto `layer`, in JS: hundreds of stamps a stroke would
# each cost several FFI calls from Python. A soft brush is a radial gradient from
# `hardness` of the radius out. Restoring a colour layer draws the photo's own pixels through
# the brush (a small stamp canvas, `source-in`); restoring an alpha-only layer raises its
# alpha (the photo is drawn under it when composed).
_stamp = js.Function.new(
    "layer",
    "photo",
    "points",
    "r",
    "hardness",
    "tool",
    "colour",
    """
const ctx = layer.getContext("2d");
const pts = JSON.parse(points);
const inner = r * Math.min(Math.max(hardness, 0), 0.99);
const size = Math.ceil(2 * r) + 3;
const stamp = tool === "restore" && colour ? new OffscreenCanvas(size, size) : null;
const sctx = stamp ? stamp.getContext("2d") : null;
const brush = (c, x, y) => {
  const g = c.createRadialGradient(x, y, inner, x, y, r);
  g.addColorStop(0, "rgba(0,0,0,1)");
  g.addColorStop(1, "rgba(0,0,0,0)");
  c.fillStyle = g;
  c.beginPath();
  c.arc(x, y, r, 0, 2 * Math.PI);
  c.fill();
};
ctx.save();
ctx.globalCompositeOperation = tool === "erase" ? "destination-out" : "source-over";
for (let i = 0; i < pts.length; i += 2) {
  const x = pts[i], y = pts[i + 1];
  if (!stamp) { brush(ctx, x, y); continue; }
  const ox = Math.floor(x - r) - 1, oy = Math.floor(y - r) - 1;
  sctx.globalCompositeOperation = "source-over";
  sctx.clearRect(0, 0, size, size);
  brush(sctx, x - ox, y - oy);
  sctx.globalCompositeOperation = "source-in";
  sctx.drawImage(photo, -ox, -oy);
  ctx.drawImage(stamp, ox, oy);
}
ctx.restore();
""",
)


def _copy(canvas):
    copy = js.OffscreenCanvas.new(canvas.width, canvas.height)
    copy.getContext("2d").drawImage(canvas, 0, 0)
    return copy


def _flat(points):
    out = []
    for x, y in points:
        out.append(round(x, 2))
        out.append(round(y, 2))
    return json.dumps(out)


class Editor:
    """`els`: the viewport, result canvas, before image, brush outline and the toolbar's
    controls; `on_edit()` runs after each finished edit (the page re-encodes the download);
    `look()` gives compose.render's keywords for how the page shows the cut-out (what is
    behind it, or the mask); `second_look(cutout, box)` gives the model's alpha of a crop for
    the smart tool (smart_tool.second_look), or None when it could not."""

    def __init__(self, els, on_edit, look, second_look):
        self.els = els
        self.on_edit = on_edit
        self.look = look
        self.second_look = second_look
        self.cutout = None
        self.base = None  # the layer as it was when editing began (one copy)
        self.history = brush.History()
        self.view = brush.View()
        self.active = False  # Manual Remove: the brush is on
        self.tool = "erase"
        self.stroke = None  # {"tool", "r", "hardness", "points", "id"} while drawing
        self.press = None  # (pointer id, x, y) of a smart click until the pointer is up
        self.looking = False  # a smart click's second look is running
        self.touches = {}  # pointer id -> (x, y) of fingers on the viewport
        self.pan_from = None  # (x, y) while dragging the view
        self.space = False
        self.cursor = None  # image point of the keyboard brush
        self._proxies = []
        viewport = els["viewport"]
        self._on(viewport, "pointerdown", self._down)
        self._on(viewport, "pointermove", self._move)
        self._on(viewport, "pointerup", self._up)
        self._on(viewport, "pointercancel", self._up)
        self._on(viewport, "pointerleave", self._leave)
        self._on(viewport, "wheel", self._wheel, to_js({"passive": False}))
        self._on(viewport, "keydown", self._viewport_key)
        self._on(viewport, "focus", lambda e: self._show_cursor())
        self._on(viewport, "blur", lambda e: self._leave(e))
        self._on(js.document, "keydown", self._key_down)
        self._on(js.document, "keyup", self._key_up)
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
        self.base = None
        self.stroke = None
        self.press = None
        self.cursor = None
        self.history = brush.History()
        self._buttons()
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

    def _layer(self):
        c = self.cutout
        return c.colours if c.colours is not None else c.alpha

    def _brush(self, pressure=None):
        size = int(self.els["brush-size"].value)
        return brush.radius(size, pressure), int(self.els["brush-hardness"].value) / 100

    def _buttons(self):
        self.els["undo"].disabled = not self.history.can_undo()
        self.els["redo"].disabled = not self.history.can_redo()

    # ---- view ---------------------------------------------------------------------------

    def fit(self):
        if self.cutout is None:
            return
        vp = self.els["viewport"]
        self.view.fit(self.cutout.width, self.cutout.height, vp.clientWidth, vp.clientHeight)
        self._place()

    def _place(self):
        css = self.view.css()
        self.els["canvas"].style.transform = css
        self.els["before"].style.transform = css
        js.document.body.dataset.zoom = "%.4f" % self.view.zoom

    def _local(self, event):
        rect = self.els["viewport"].getBoundingClientRect()
        return event.clientX - rect.left, event.clientY - rect.top

    def _outline(self, sx, sy, pressure=None):
        if not self.active or self.cutout is None:
            return
        r = self._brush(pressure)[0] * self.view.zoom
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
        if not self.active or self.space or event.button == 1:
            self.pan_from = (sx, sy)
            return
        if event.button != 0:
            return
        event.preventDefault()
        pressure = event.pressure if event.pointerType == "pen" else None
        r, hardness = self._brush(pressure)
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
        self._paint([(x, y)], r, hardness)

    def _move(self, event):
        sx, sy = self._local(event)
        pressure = event.pressure if event.pointerType == "pen" else None
        if event.pointerType == "touch" and event.pointerId in self.touches:
            if len(self.touches) > 1:
                self._pinch(event.pointerId, sx, sy)
                return
            self.touches[event.pointerId] = (sx, sy)
        self._outline(sx, sy, pressure)
        if self.pan_from is not None:
            self.view.pan(sx - self.pan_from[0], sy - self.pan_from[1])
            self.pan_from = (sx, sy)
            self._place()
            return
        stroke = self.stroke
        if stroke is None or event.pointerId != stroke["id"]:
            return
        x, y = self.view.to_image(sx, sy)
        last = stroke["points"][-1]
        r = stroke["r"] if pressure is None else self._brush(pressure)[0]
        points = brush.stamps(last[0], last[1], x, y, r)
        stroke["points"].extend(points)
        self._paint(points, r, stroke["hardness"])
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
        self._place()

    def _up(self, event):
        self.touches.pop(event.pointerId, None)
        self.pan_from = None
        press, self.press = self.press, None
        if press is not None and press[0] == event.pointerId and event.type == "pointerup":
            asyncio.create_task(self._smart(press[1], press[2]))
            return
        stroke = self.stroke
        if stroke is None or event.pointerId != stroke["id"]:
            return
        self.stroke = None
        if event.type == "pointercancel":
            self._replay()
            return
        js.document.body.dataset.strokeMs = json.dumps([round(ms, 2) for ms in stroke["ms"]])
        self._commit({k: stroke[k] for k in ("tool", "r", "hardness", "points")})

    def _leave(self, event):
        if getattr(event, "pointerType", None) != "touch":
            self.els["outline"].hidden = True

    def _wheel(self, event):
        if self.cutout is None:
            return
        event.preventDefault()
        sx, sy = self._local(event)
        self.view.zoom_at(brush.wheel_factor(event.deltaY, event.deltaMode), sx, sy)
        self._place()
        self._outline(sx, sy)

    # ---- keys ---------------------------------------------------------------------------

    def _key_down(self, event):
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
                self.redo()
            else:
                self.undo()
        elif ctrl and key == "y":
            event.preventDefault()
            self.redo()
        elif key == " " and self.active and self.cutout is not None:
            event.preventDefault()
            self.space = True
            js.document.body.dataset.panning = ""

    def _key_up(self, event):
        if event.key == " ":
            self.space = False
            js.document.body.removeAttribute("data-panning")

    # ---- keyboard brush: arrows move it, Enter or Space paints (or smart-clicks), + and - zoom

    def _show_cursor(self):
        if not self.active or self.cutout is None:
            return
        if self.cursor is None:
            self.cursor = (self.cutout.width / 2, self.cutout.height / 2)
        vp = self.els["viewport"]
        sx, sy = self.view.to_screen(*self.cursor)
        self.view.reveal(sx, sy, vp.clientWidth, vp.clientHeight, self._brush()[0] * self.view.zoom)
        self._place()
        self._outline(*self.view.to_screen(*self.cursor))
        js.document.body.dataset.brushAt = "%d,%d" % self.cursor

    def _viewport_key(self, event):
        if not self.active or self.cutout is None or event.ctrlKey or event.metaKey or event.altKey:
            return
        key = str(event.key)
        if self.cursor is None:
            self._show_cursor()
        x, y = self.cursor
        moved = brush.key_move(
            key, event.shiftKey, self.view.zoom, x, y, self.cutout.width, self.cutout.height
        )
        if moved is not None:
            self.cursor = moved
        elif key in brush.KEY_ZOOM:
            self.view.zoom_at(brush.KEY_ZOOM[key], *self.view.to_screen(x, y))
        elif key in ("Enter", " ") and not event.repeat:
            self._dab(x, y)
        else:
            return
        event.preventDefault()
        self._show_cursor()

    def _dab(self, x, y):
        """One stamp of the brush at image point (x, y), one step of the history."""
        if self.tool == "smart":
            asyncio.create_task(self._smart(x, y))
            return
        r, hardness = self._brush()
        self.stroke = {"tool": self.tool, "r": r, "hardness": hardness, "points": [(x, y)]}
        self._paint([(x, y)], r, hardness)
        edit, self.stroke = self.stroke, None
        self._commit(edit)

    # ---- edits --------------------------------------------------------------------------

    def _begin(self):
        """The one full-size copy: the layer before the first edit, for undo."""
        if self.base is None:
            self.base = _copy(self._layer())

    def _apply(self, edit, layer):
        if edit["tool"] == "smart":
            return smart_tool.apply(edit, layer, self.cutout.photo, self.cutout.colours is not None)
        _stamp(
            layer,
            self.cutout.photo,
            _flat(edit["points"]),
            edit["r"],
            edit["hardness"],
            edit["tool"],
            self.cutout.colours is not None,
        )

    def _paint(self, points, r, hardness):
        self._begin()
        edit = {"tool": self.stroke["tool"], "r": r, "hardness": hardness, "points": points}
        self._apply(edit, self._layer())
        rect = brush.dirty_rect(points, r, self.cutout.width, self.cutout.height)
        if rect is not None:
            compose.render(self.cutout, self.els["canvas"], rect=rect, **self.look())

    def _commit(self, edit):
        dropped = self.history.push(edit)
        if dropped is not None:  # the oldest step leaves the history: bake it into the base
            self._apply(dropped, self.base)
        self._buttons()
        self.on_edit()

    async def _smart(self, x, y):
        """A smart click at image point (x, y): the region there, as the model sees it in a
        second look, removed if it was kept, added if it was not."""
        cutout = self.cutout
        if self.looking or cutout is None:
            return  # one at a time: the next click acts on this one's result
        x = max(0, min(cutout.width - 1, int(x)))
        y = max(0, min(cutout.height - 1, int(y)))
        r = self._brush()[0]
        add = smart.adds(self._layer().getContext("2d").getImageData(x, y, 1, 1).data[3])
        box = smart_tool.window(x, y, r, cutout.width, cutout.height)
        body = js.document.body
        self.looking = True
        body.dataset.smart = "looking"
        try:
            seen = await self.second_look(cutout, box)
        finally:
            self.looking = False
        if seen is None or cutout is not self.cutout:
            body.dataset.smart = "none"
            return
        edit = smart_tool.edit(x, y, r, add, box, seen)
        self._begin()
        rect = self._apply(edit, self._layer())
        compose.render(cutout, self.els["canvas"], rect=rect, **self.look())
        body.dataset.smart = json.dumps({"x": x, "y": y, "r": r, "add": add, "box": list(box)})
        self._commit(edit)

    def _discard_stroke(self):
        if self.stroke is not None:
            self.stroke = None
            self._replay()

    def _replay(self):
        """The layer as the base plus every edit still applied, then shown."""
        if self.base is None:
            return
        layer = self._layer()
        ctx = layer.getContext("2d")
        ctx.save()
        ctx.globalCompositeOperation = "copy"
        ctx.drawImage(self.base, 0, 0)
        ctx.restore()
        for edit in self.history.done:
            self._apply(edit, layer)
        compose.render(self.cutout, self.els["canvas"], **self.look())

    def undo(self):
        self._discard_stroke()  # a stroke in progress is not in the history yet
        if self.cutout is None or not self.history.undo():
            return
        self._replay()
        self._buttons()
        self.on_edit()

    def redo(self):
        self._discard_stroke()
        if self.cutout is None:
            return
        edit = self.history.redo()
        if edit is None:
            return
        self._apply(edit, self._layer())
        compose.render(self.cutout, self.els["canvas"], **self.look())
        self._buttons()
        self.on_edit()

    def release(self):
        """Free the undo copy (the cut-out itself is the page's to close)."""
        if self.base is not None:
            self.base.width = 0
            self.base = None
