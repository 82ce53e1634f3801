"""The batch queue on the page (shared/jobs.py rows): one <li> each, redrawn when its row
changes. Buttons carry data-action and data-row; one listener hands them to the page."""

import js
from pyscript import document
from pyscript.ffi import create_proxy

from shared import jobs, status
from shared.i18n import Message
from ui import page_text


class QueueView:
    def __init__(self, section, list_el, summary, on_action):
        self.section = section
        self.list = list_el
        self.summary = summary
        self.items = {}  # row id -> <li>
        self.on_action = on_action
        self._click = create_proxy(self._clicked)
        list_el.addEventListener("click", self._click)

    def _clicked(self, event):
        target = event.target
        if not js.Reflect.has(target.dataset, "action"):
            return
        self.on_action(str(target.dataset.action), int(target.dataset.row))

    def draw(self, queue):
        """Every row in order; rows gone are taken off; the list shows from two photos on."""
        ids = [row.id for row in queue.rows]
        for row_id in list(self.items):
            if row_id not in ids:
                self.items.pop(row_id).remove()
        for row in queue.rows:
            item = self.items.get(row.id)
            if item is None:
                item = self.items[row.id] = document.createElement("li")
                self._fill(item, row)
            self.list.append(item)  # moves it into order
        self.section.hidden = len(queue.rows) < 2
        self.count(queue)

    def update(self, row, queue):
        item = self.items.get(row.id)
        if item is not None:
            self._fill(item, row)
        self.count(queue)

    def count(self, queue):
        counts = queue.counts()  # MicroPython's dicts keep no order: STATES gives it
        parts = [Message("queue.n." + s, n=counts[s]) for s in jobs.STATES if counts[s]]
        page_text.put(self.summary, Message("text", text=parts) if parts else None)

    def _fill(self, item, row):
        item.replaceChildren()
        item.className = "row " + row.state
        item.dataset.state = row.state
        item.dataset.row = str(row.id)
        thumb = document.createElement("img")
        thumb.className = "thumb"
        thumb.alt = ""
        if row.thumb:
            thumb.src = row.thumb
        name = document.createElement("span")
        name.className = "name"
        name.textContent = row.name
        state = document.createElement("span")
        state.className = "state"
        text = Message("queue." + row.state)
        if row.state == "cutting" and row.stage:
            text = status.stage_text(row.stage, None, None)
        elif row.state == "failed" and row.message:
            text = Message("queue.with", state=text, detail=row.message)
        elif row.state == "done" and row.output:
            text = Message("queue.with", state=text, detail=row.output)
        page_text.put(state, text)
        item.append(thumb, name, state)
        for action in jobs.ACTIONS[row.state]:
            button = document.createElement("button")
            button.type = "button"
            label = Message("queue.action." + action)
            page_text.put(button, label)
            button.dataset.action = action
            button.dataset.row = str(row.id)
            page_text.put_attr(button, "aria-label", "queue.action_on", action=label, name=row.name)
            item.append(button)
