"""The installed, offline side of the page (main thread): service worker, storage, network."""

import asyncio

import js
from pyscript.ffi import create_proxy, is_none, to_js

from shared import sw_messages
from ui import page_text

_proxies = []  # JS keeps calling these; they must outlive this module's functions
_state = {
    "persisted": False,
    "controlled": False,
    "answer": None,
    "reloading": False,
    "register": None,  # a first visit's registration, until the page has settled
}
# A first visit registers the service worker only once the page's first work is done (the
# model ready with no photo waiting, or the first photos cut): its install downloads the
# whole shell (~24 MB) and raced the worker's own downloads and cores, putting the first
# cut-out ~1 s later (docs/speed.md). At the latest after this long (a model that never
# loads still leaves an app that opens offline).
FIRST_VISIT_WAIT_MS = 15000


def _keep(fn):
    proxy = create_proxy(fn)
    _proxies.append(proxy)
    return proxy


def _show_network(element):
    if js.navigator.onLine:
        element.hidden = True
        page_text.put(element, None)
    else:
        page_text.put(element, "offline")
        element.hidden = False


def _persist():
    # Ask once, after a model is really cached: the browser then won't evict it under
    # storage pressure, so the app keeps working offline.
    if _state["persisted"] or not js.Reflect.has(js.navigator, "storage"):
        return
    _state["persisted"] = True
    js.navigator.storage.persist()


def keep(files):
    """Have the service worker cache these model files (verified). Needed only when it did
    not control this page from the start (a first visit): otherwise every file already
    passed through it and was cached as it loaded."""
    if _state["controlled"] or not js.Reflect.has(js.navigator, "serviceWorker"):
        return

    async def send():
        registration = await js.navigator.serviceWorker.ready
        registration.active.postMessage(to_js(sw_messages.keep(files)))

    asyncio.create_task(send())


def _watch_updates(registration, update, reload_button):
    """A new build installed and waiting is offered (shown once it is there); on the
    user's word it takes over and the page reloads (controllerchange), so no page runs
    two builds' files."""

    def offer():
        if is_none(js.navigator.serviceWorker.controller):
            return  # the first install: nothing older runs here
        update.hidden = False
        js.document.body.dataset.update = "ready"

    def activate(event):
        waiting = registration.waiting
        if is_none(waiting):
            js.location.reload()
            return
        _state["reloading"] = True
        waiting.postMessage(to_js(sw_messages.ask(sw_messages.ACTIVATE)))

    reload_button.addEventListener("click", _keep(activate))
    if not is_none(registration.waiting):
        offer()

    def found(event):
        worker = registration.installing
        if is_none(worker):
            return

        def changed(event):
            if str(worker.state) == "installed" and not is_none(registration.waiting):
                offer()

        worker.addEventListener("statechange", _keep(changed))

    registration.addEventListener("updatefound", _keep(found))

    def visible(event):
        if str(js.document.visibilityState) == "visible":
            registration.update()

    js.document.addEventListener("visibilitychange", _keep(visible))


def start(network_element, on_files, update=None, reload_button=None, storage=None):
    """Register the service worker and keep the offline notice up to date.
    `on_files([file])` receives a photo shared to the installed app (Web Share Target);
    `update` (with its `reload_button`) is shown when a new build waits; `storage` when
    the browser refuses to store the app (quota), which then works online only.
    """
    _show_network(network_element)
    on_line = _keep(lambda event: _show_network(network_element))
    js.window.addEventListener("online", on_line)
    js.window.addEventListener("offline", on_line)
    if not js.Reflect.has(js.navigator, "serviceWorker"):
        return
    container = js.navigator.serviceWorker
    _state["controlled"] = not is_none(container.controller)

    def on_message(event):
        data = event.data
        sent = js.Reflect.get(data, "type") if js.Reflect.has(data, "type") else None
        kind = sw_messages.kind_of(sent)
        if kind == sw_messages.MODEL_CACHED:
            _persist()
        elif kind == sw_messages.SHARE:
            on_files([data.files[i] for i in range(data.files.length)])
        elif kind == sw_messages.REQUESTS and _state["answer"] is not None:
            answer, _state["answer"] = _state["answer"], None
            answer(data.requests)
        elif kind == sw_messages.STORAGE_REFUSED and storage is not None:
            page_text.put(storage, "storage.refused")
            storage.hidden = False
            js.document.body.dataset.storage = "refused"

    def on_controller(event):
        if _state["reloading"]:
            js.location.reload()

    container.addEventListener("message", _keep(on_message))
    container.addEventListener("controllerchange", _keep(on_controller))

    async def register():
        try:
            registration = await container.register("./sw.js", to_js({"scope": "./"}))
        except Exception:
            return  # e.g. storage disabled: the page works without it
        if update is not None:
            _watch_updates(registration, update, reload_button)

    _state["register"] = register
    shared = "share=1" in str(js.location.search)
    if _state["controlled"] or shared:
        settled()  # installed already: registering again only looks for a new build
    else:
        js.setTimeout(_keep(settled), FIRST_VISIT_WAIT_MS)
        asyncio.create_task(_if_installed(container))
    if shared:

        async def take_share():
            registration = await container.ready
            registration.active.postMessage(to_js(sw_messages.ask(sw_messages.TAKE_SHARE)))

        asyncio.create_task(take_share())


async def _if_installed(container):
    # A hard reload leaves an installed app's page without a controller: not a first visit.
    if not is_none(await container.getRegistration()):
        settled()


def settled(*_):
    """The page's first work is done (the model is ready and no photo waits, or the queue
    has run dry): a first visit now registers the service worker. Once; then a no-op."""
    register, _state["register"] = _state["register"], None
    if register is not None:
        asyncio.create_task(register())


async def seen_requests():
    """[{url, method}] of every request the service worker saw (the page's and its
    workers'), or [] when none controls the page or it does not answer within 2 s."""
    if not js.Reflect.has(js.navigator, "serviceWorker"):
        return []
    controller = js.navigator.serviceWorker.controller
    if is_none(controller):
        return []

    def ask(resolve, reject):
        _state["answer"] = resolve
        js.setTimeout(_keep(lambda: resolve(js.Array.new())), 2000)

    promise = js.Promise.new(_keep(ask))
    controller.postMessage(to_js(sw_messages.ask(sw_messages.REQUESTS)))
    seen = await promise
    return [{"url": str(seen[i].url), "method": str(seen[i].method)} for i in range(seen.length)]
