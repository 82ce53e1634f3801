"""The tool page's "Network activity" panel (main thread): every request the page made
since it opened, from the browser's resource timing and the service worker's log, so
anyone can see that no photo left the device (shared/requests_log.py has the rules)."""

import asyncio

import js
from pyscript import document
from pyscript.ffi import create_proxy

from shared import i18n, requests_log
from shared.i18n import Message
from ui import offline, page_text

KINDS = ("navigation", "script", "link", "css", "img", "fetch", "xmlhttprequest", "beacon")


def _timings():
    entries = []
    for kind in ("navigation", "resource"):
        found = js.performance.getEntriesByType(kind)
        for i in range(found.length):
            e = found[i]
            size = int(e.transferSize) or int(e.encodedBodySize)
            initiator = "navigation" if kind == "navigation" else str(e.initiatorType)
            entries.append(
                {"url": str(e.name), "size": size, "initiator": initiator, "start": e.startTime}
            )
    return entries


class NetworkPanel:
    def __init__(self, details, summary, rows):
        self.details, self.summary, self.rows = details, summary, rows
        self.drawn = 0
        self._toggle = create_proxy(lambda e: self.update())
        details.addEventListener("toggle", self._toggle)

    def update(self):
        """Redrawn when opened, and after each photo while it is open."""
        if self.details.open:
            asyncio.create_task(self.refresh())

    async def refresh(self):
        seen = await offline.seen_requests()
        rows = requests_log.merge(str(js.location.origin), _timings(), seen)
        count, total, bodies, unknown = requests_log.summary(rows)
        parts = [Message("network.count", n=count, size=i18n.size(total))]
        parts.append(Message("network.bodies", n=bodies) if bodies else Message("network.none"))
        if unknown:
            parts.append(Message("network.unknown", n=unknown))
        page_text.put(self.summary, Message("network.summary", parts=parts))
        self.rows.replaceChildren()
        for r in rows:
            tr = document.createElement("tr")
            tr.dataset.body = r["body"]
            url = document.createElement("td")
            url.textContent = r["url"]
            size, kind, body = (document.createElement("td") for _ in range(3))
            if r["size"] is not None:
                page_text.put(size, "text", text=i18n.size(r["size"]))
            initiator = r["initiator"] if r["initiator"] in KINDS + ("worker",) else "other"
            page_text.put(kind, "network.kind." + initiator)
            page_text.put(body, "network.body." + r["body"])
            tr.append(url, size, kind, body)
            self.rows.append(tr)
        self.drawn += 1
        document.body.dataset.network = str(self.drawn)  # tests wait on it
