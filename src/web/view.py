"""The status line, progress bar and message shared by the page and the embed frame."""

import js

from shared import status


class StatusView:
    """`single_threaded_why` is what the status line adds when the page is not isolated."""

    def __init__(self, status_el, progress_el, stage_el, message_el, single_threaded_why):
        self._status = status_el
        self._progress = progress_el
        self._stage = stage_el
        self._message = message_el
        self._why = single_threaded_why

    def state(self, state):
        """The page's state as <body data-state>, which tests and bench wait on."""
        js.document.body.dataset.state = state

    def stage(self, stage, done=None, total=None):
        self._stage.textContent = status.stage_text(stage, done, total)
        value = status.fraction(done, total)
        if value is None:
            self._progress.removeAttribute("value")  # indeterminate
        else:
            self._progress.value = value

    def message(self, text):
        self._message.textContent = text or ""
        self._message.hidden = not text

    def engine(self, reply):
        """'model · provider · N threads', with the reason when isolation is missing."""
        line = status.status_line(
            reply["model"], reply["provider"], reply["threads"], reply.get("reason")
        )
        if not js.crossOriginIsolated:
            line += " · single-threaded: " + self._why
        self._status.textContent = line
