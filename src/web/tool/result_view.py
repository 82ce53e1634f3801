"""The page's result: the cut-out on screen, before/after toggle and handle, download link
(main thread)."""

import js
from pyscript.ffi import create_proxy

from output.screen import Screen
from shared.i18n import Message
from ui import page_text


class ResultView:
    """`compare`: a range input 0-100, the before/after handle: the cut-out is shown left of
    that share of the photo's width, the photo right of it. `screen`: the page's canvas and
    the full-size one it shows (output/screen.py)."""

    def __init__(self, canvas, before_img, toggle, download, compare):
        self.screen = Screen(canvas)
        self._before = before_img
        self._toggle = toggle
        self._download = download
        self._compare = compare
        self._urls = {"file": None, "before": None}
        self._showing_before = False
        self._click = create_proxy(self._toggled)
        toggle.addEventListener("click", self._click)
        self._input = create_proxy(lambda e: self._paint())
        compare.addEventListener("input", self._input)

    def _swap_url(self, key, url):
        if self._urls[key]:
            js.URL.revokeObjectURL(self._urls[key])  # old results would leak otherwise
        self._urls[key] = url

    def show_before(self, file):
        """The original for the toggle, straight from the file (the browser applies EXIF)."""
        url = js.URL.createObjectURL(file)
        self._swap_url("before", url)
        self._before.src = url

    def offer(self, blob, file_name, format_id):
        """The encoded result behind the download link, saved as `file_name`."""
        url = js.URL.createObjectURL(blob)
        self._swap_url("file", url)
        self._download.href = url
        self._download.download = file_name
        page_text.put(self._download, "download.label", format=Message("format." + format_id))
        self._download.removeAttribute("aria-disabled")

    def stale(self):
        """The download no longer matches what is shown: held back until offer() brings
        the new file, so a click never saves an older version."""
        self._download.setAttribute("aria-disabled", "true")
        page_text.put(self._download, "download.preparing")

    def clear(self):
        self.screen.clear()
        self._swap_url("file", None)
        self._download.removeAttribute("href")
        self._download.setAttribute("aria-disabled", "true")
        self._compare.value = 100
        self._set_before(False)

    def _set_before(self, before):
        self._showing_before = before
        page_text.put(self._toggle, "toggle.result" if before else "toggle.original")
        self._toggle.setAttribute("aria-pressed", "true" if before else "false")
        self._paint()

    def _paint(self):
        """The photo, the cut-out, or both split at the handle (the photo clipped over it)."""
        at = float(self._compare.value)
        self._before.hidden = not (self._showing_before or at < 100)
        self.screen.element.hidden = self._showing_before
        clip = "none" if self._showing_before else "inset(0 0 0 %s%%)" % at
        self._before.style.clipPath = clip
        js.document.body.dataset.compare = "%d" % at

    def _toggled(self, event):
        self._set_before(not self._showing_before)
