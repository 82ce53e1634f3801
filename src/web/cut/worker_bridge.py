"""The main thread's side of the cut worker (cut_worker.py): send a message, await its
final reply."""

import js
from pyscript import PyWorker
from pyscript.ffi import create_proxy

from channel import wire
from shared import i18n, messages


class WorkerError(Exception):
    """The worker's "error": `message` is an i18n.Message for the user; `bug`: ours."""

    def __init__(self, message, bug):
        self.message = i18n.from_data(message)
        super().__init__(str(self.message))
        self.bug = bug


class Cancelled(Exception):
    """The request was stopped on the page's word (Worker.cancel)."""


def unpack(js_reply):
    """(message dict, payload or None) of a final reply; raises WorkerError for "error" and
    Cancelled for "cancelled"."""
    msg = messages.decode(js_reply.json)
    if msg["type"] == "cancelled":
        raise Cancelled()
    if msg["type"] == "error":
        raise WorkerError(msg["message"], msg.get("bug", False))
    payload = js_reply.payload if js.Reflect.has(js_reply, "payload") else None
    return msg, payload


def returned_photo(js_reply):
    """The photo a cut's result hands back (messages.cut's returns_photo), or None."""
    return js_reply.photo if js.Reflect.has(js_reply, "photo") else None


class Worker:
    """A thin bridge: send a message dict (+ transferred payload), get the final reply."""

    def __init__(self, kind, base):
        if kind == "py":
            interpreter, module, config = "pyodide", "pyodide/pyodide.mjs", "./worker-py.toml"
        else:
            interpreter, module, config = (
                "micropython",
                "micropython/micropython.mjs",
                "./worker-mpy.toml",
            )
        # PyWorker returns the real Worker (create_named_worker resolves to its `sync` proxy).
        # Its `type` is polyscript's interpreter name, not "mpy"/"py", and it ignores the
        # config's `interpreter`: `version` must be the module URL, absolute (blob: worker),
        # or polyscript falls back to its CDN.
        self.worker = PyWorker(
            "./py/worker/cut_worker.py",
            type=interpreter,
            config=config,
            version=js.URL.new("./runtime/" + module, base).href,
        )
        self._pending = {}  # id -> (resolve of the reply promise, progress callback)
        self._next_id = 1
        self.last_id = None  # of the latest request, for cancel()
        self._proxy = create_proxy(self._message)
        self._failed = create_proxy(self._crashed)
        self.worker.addEventListener("message", self._proxy)
        self.worker.addEventListener("error", self._failed)
        self.worker.addEventListener("messageerror", self._failed)

    async def ready(self):
        await self.worker.ready

    def request(self, msg_builder, *args, payload=None, on_progress=None):
        """Promise of the worker's final reply (ready/result/error) to a message;
        `on_progress(msg)` gets this request's progress messages."""
        req_id = self._next_id
        self._next_id += 1
        self.last_id = req_id
        msg = msg_builder(req_id, *args)

        def executor(resolve, reject):
            self._pending[req_id] = (resolve, on_progress)

        promise = js.Promise.new(create_proxy(executor))
        self.worker.postMessage(*wire.pack(msg, payload))
        return promise

    def cancel(self, req_id):
        """Ask the worker to stop request `req_id` (its reply then is "cancelled")."""
        if req_id in self._pending:
            cancel_id = self._next_id
            self._next_id += 1
            self.worker.postMessage(*wire.pack(messages.cancel(cancel_id, req_id)))

    def close(self):
        """Stop the worker now; all its memory goes with it."""
        self._crashed(None)
        self.worker.terminate()

    def _crashed(self, event):
        """The worker died or sent something unreadable: fail what waits, don't hang."""
        pending, self._pending = self._pending, {}
        for req_id, (resolve, _) in pending.items():
            error = messages.error(req_id, i18n.Message("worker.stopped"), bug=True)
            resolve(wire.pack(error)[0])

    def _message(self, event):
        data = event.data
        if not js.Reflect.has(data, "json"):
            return  # polyscript's own traffic
        try:
            msg = messages.decode(data.json)
        except messages.MessageError as e:
            js.console.error("bad worker message: " + str(e))
            return
        if msg["type"] == "progress":
            on_progress = self._pending.get(msg["id"], (None, None))[1]
            if on_progress is not None:
                on_progress(msg)
            return
        resolve = self._pending.pop(msg["id"], (None, None))[0]
        if resolve is None:
            if msg["type"] == "error":
                js.console.error("BG Zero worker: %s" % i18n.from_data(msg["message"]))
            return
        # Errors resolve too: a Python exception would not survive a JS rejection intact.
        resolve(data)
