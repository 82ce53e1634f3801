"""The editor's edits (main thread): the cut-out's editable layer, its undo copy and history.

Strokes are Canvas operations on the cut-out's own layer (its alpha canvas, or the
decontaminated colours, whose alpha is the mask): `destination-out` to erase, the photo's
pixels drawn back through the brush to restore. The history holds strokes, not pixels:
undo copies the layer back from the one copy taken when editing began and replays the
strokes still applied.
"""

import json

import js

from editor import smart_tool
from output import compose
from shared import brush

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


class Layers:
    """The edits of the cut-out on screen: `els` has the undo and redo buttons, `screen`
    (output/screen.py) the canvas they are composed on; `on_edit()` runs after each finished
    edit, undo and redo; `look()` gives compose.render's keywords for how the page shows the
    cut-out."""

    def __init__(self, els, screen, on_edit, look):
        self.els = els
        self.screen = screen
        self.on_edit = on_edit
        self.look = look
        self.cutout = None
        self.base = None  # the layer as it was when editing began (one copy)
        self.history = brush.History()

    def reset(self, cutout):
        """A new cut-out (or None), with an empty history."""
        self.cutout = cutout
        self.base = None
        self.history = brush.History()
        self._buttons()

    def layer(self):
        c = self.cutout
        return c.colours if c.colours is not None else c.alpha

    def _buttons(self):
        self.els["undo"].disabled = not self.history.can_undo()
        self.els["redo"].disabled = not self.history.can_redo()

    def _render(self, rect=None):
        source, drawn = compose.composed(
            self.cutout, self.screen.composed, rect=rect, **self.look()
        )
        self.screen.show(drawn, source)

    def _begin(self):
        """The one full-size copy: the layer before the first edit, for undo."""
        if self.base is None:
            self.base = _copy(self.layer())

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

    def paint(self, tool, points, r, hardness):
        """Stamps of a stroke still being drawn, on the layer and on screen (not history)."""
        self._begin()
        self._apply({"tool": tool, "r": r, "hardness": hardness, "points": points}, self.layer())
        rect = brush.dirty_rect(points, r, self.cutout.width, self.cutout.height)
        if rect is not None:
            self._render(rect)

    def draw(self, edit):
        """A whole edit (a smart click) on the layer and on screen; commit() records it."""
        self._begin()
        self._render(self._apply(edit, self.layer()))

    def commit(self, edit):
        """A finished edit (already on the layer) into the history."""
        dropped = self.history.push(edit)
        if dropped is not None:  # the oldest step leaves the history: bake it into the base
            self._apply(dropped, self.base)
        self._buttons()
        self.on_edit()

    def replay(self):
        """The layer as the base plus every edit still applied, then shown."""
        if self.base is None:
            return
        layer = self.layer()
        ctx = layer.getContext("2d")
        ctx.save()
        ctx.globalCompositeOperation = "copy"
        ctx.drawImage(self.base, 0, 0)
        ctx.restore()
        for edit in self.history.done:
            self._apply(edit, layer)
        self._render()

    def undo(self):
        if self.cutout is None or not self.history.undo():
            return
        self.replay()
        self._buttons()
        self.on_edit()

    def redo(self):
        if self.cutout is None:
            return
        edit = self.history.redo()
        if edit is None:
            return
        self._apply(edit, self.layer())
        self._render()
        self._buttons()
        self.on_edit()

    def release(self):
        """Free the undo copy (the cut-out itself is the page's to close)."""
        if self.base is not None:
            self.base.width = 0
            self.base = None
