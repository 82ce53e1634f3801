"""The status line, progress bar and message shared by the page and the embed frame."""

import js

from shared import status


class StatusView:
    def __init__(self, status_el, progress_el, stage_el, message_el):
        self._status = status_el
        self._progress = progress_el
        self._stage = stage_el
        self._message = message_el

    def stage(self, stage, done=None, total=None):
        self._stage.textContent = status.stage_text(stage, done, total)
        value = status.fraction(done, total)
        if value is None:
            self._progress.removeAttribute("value")   # indeterminate
        else:
            self._progress.value = value

    def message(self, text):
        self._message.textContent = text or ""
        self._message.hidden = not text

    def engine(self, reply, single_threaded_why=""):
        """'model · provider · N threads', with the reason when isolation is missing."""
        line = status.status_line(reply["model"], reply["provider"], reply["threads"])
        if not js.crossOriginIsolated and single_threaded_why:
            line += " · single-threaded: " + single_threaded_why
        self._status.textContent = line
