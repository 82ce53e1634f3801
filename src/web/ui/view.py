"""The status line, progress bar and message shared by the page and the embed frame."""

import js

from shared import status
from shared.i18n import Message
from ui import page_text


class StatusView:
    """`single_threaded_why` (a text key) is what the status line adds when the page is not
    isolated. Texts are Messages (shared/i18n.py), shown in the page's language."""

    def __init__(
        self, status_el, progress_el, stage_el, message_el, single_threaded_why, lacks_el=None
    ):
        self._status = status_el
        self._lacks = lacks_el  # where the page says what the browser lacks, if it does
        self._progress = progress_el
        self._stage = stage_el
        self._message = message_el
        self._why = single_threaded_why

    def state(self, state):
        """The page's state as <body data-state>, which tests and bench wait on."""
        js.document.body.dataset.state = state

    def stage(self, stage, done=None, total=None):
        page_text.put(self._stage, status.stage_text(stage, done, total))
        self._stage.dataset.stage = stage  # the step, whatever the language: `make bench`
        value = status.fraction(done, total)
        if value is None:
            self._progress.removeAttribute("value")  # indeterminate
        else:
            self._progress.value = value

    def message(self, message):
        """A Message for the user, or None to clear it."""
        page_text.put(self._message, message or None)
        self._message.hidden = not message

    def engine(self, reply):
        """'model · provider · N threads', with the reason when isolation is missing."""
        line = status.status_line(
            reply["model"], reply["provider"], reply["threads"], reply.get("reason")
        )
        if not js.crossOriginIsolated:
            line = Message("status.single", line=line, why=Message(self._why))
        page_text.put(self._status, line)
        if self._lacks is not None:
            lacking = status.lacks(reply["threads"], reply.get("reason"))
            page_text.put(self._lacks, lacking)
            self._lacks.hidden = lacking is None

    def line(self, message):
        """The status line before the engine reports (None: empty)."""
        page_text.put(self._status, message)
