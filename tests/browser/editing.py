"""Driving the editor with real input: the brush settings, where an image pixel is on
screen, and waiting for an edit's download."""

import numpy as np
from PIL import Image


def set_brush(app, size, hardness):
    app.page.evaluate(
        """([size, hardness]) => {
          document.getElementById('brush-size').value = size;
          document.getElementById('brush-hardness').value = hardness;
        }""",
        [size, hardness],
    )


def to_screen(app, x, y):
    """Window coordinates of image pixel (x, y) as the canvas is shown now (zoom, pan), with
    the viewport scrolled into the window, where a finger or the mouse can reach it."""
    box = app.page.evaluate(
        """() => { document.getElementById('viewport').scrollIntoView({block: 'nearest'});
                   const c = document.getElementById('result'), r = c.getBoundingClientRect();
                   return [r.left, r.top, r.width / c.offsetWidth, r.height / c.offsetHeight]; }"""
    )
    return box[0] + (x + 0.5) * box[2], box[1] + (y + 0.5) * box[3]


def edits(app):
    return int(app.page.evaluate("document.body.dataset.edits || '0'"))


def wait_offered(app, count):
    app.page.wait_for_function(
        f"document.body.dataset.edits === '{count}' && document.body.dataset.offered === '{count}'"
    )


def pixels(app, tmp_path):
    """The download's RGBA pixels, as ints."""
    return np.asarray(Image.open(app.download(tmp_path)).convert("RGBA")).astype(int)


def tap(app, x, y):
    """One finger down and up on image pixel (x, y)."""
    cdp = app.page.context.new_cdp_session(app.page)
    sx, sy = to_screen(app, x, y)
    cdp.send(
        "Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": sx, "y": sy}]}
    )
    cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
