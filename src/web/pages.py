"""The pages around the tool (privacy, licences, accessibility): their language, and the
privacy page's button that clears everything this site keeps on the device."""

import asyncio

import js
from pyscript import document
from pyscript.ffi import create_proxy

from ui import page_text


async def clear_all():
    """Service worker, Cache Storage (app, models, a kept model) and local storage."""
    if js.Reflect.has(js.navigator, "serviceWorker"):
        registrations = await js.navigator.serviceWorker.getRegistrations()
        for i in range(registrations.length):
            await registrations[i].unregister()
    names = await js.caches.keys()
    for i in range(names.length):
        await js.caches.delete(names[i])
    js.localStorage.clear()
    page_text.put(document.getElementById("cleared"), "privacy.cleared", caches=names.length)
    document.body.dataset.cleared = "yes"


page_text.start()
button = document.getElementById("clear-all")
if button is not None:
    button.addEventListener("click", create_proxy(lambda e: asyncio.create_task(clear_all())))
document.body.dataset.state = "ready"
