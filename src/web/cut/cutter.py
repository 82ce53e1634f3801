"""One cut-out, decode -> worker -> Cutout, for the page (app.py) and the embed frame
(embed.py) alike (export.to_file makes its file). Stages are reported through
`on_stage(stage, done=None, total=None)`."""

import asyncio
import json

import js

from cut import file_input
from cut.cutout import Cutout
from cut.worker_bridge import Cancelled, Worker, returned_photo, unpack
from shared import catalog, geometry, limits, messages, provider_choice, runtime_choice

# After a cut that grew the worker's memory a lot (limits.replaces_worker) it is replaced by
# a fresh one once the page has nothing more to cut (settle()): WebAssembly memory only
# grows. Not between the photos of a queue: each would pay for a new worker and its model.
# Seconds the fresh worker waits before loading the model: Chromium gave the closed
# worker's memory back 1.8-2 s after a 12 MP IS-Net cut (2 cores), and loading the model
# before that made the page's peak (+120 MB). A cut sent meanwhile loads the model itself.
RECYCLE_PAUSE = 3
# A task boundary between two full-size canvas steps (tens of ms each at 12 MP): the page
# paints and answers input between them instead of freezing for their sum.
_next_task = js.Function.new("return new Promise((resolve) => setTimeout(resolve, 0))")

# Provider choices measured on this device, by provider_choice.device_key: the next visit
# starts on the right one without measuring again.
_CHOICES = "bgzero:providers"


async def _fetch_catalog():
    response = await js.fetch("./models/catalog.json")
    if not response.ok:
        raise RuntimeError("model catalog missing (HTTP %d)" % response.status)
    return catalog.parse(json.loads(await response.text()))


def _progress(on_stage):
    def forward(msg):
        if on_stage is not None:
            on_stage(msg["stage"], msg.get("done"), msg.get("total"))

    return forward


class Cutter:
    """Starts its worker at once: the interpreter boots there while the page fetches the
    catalog (fetch_catalog) and builds its controls."""

    def __init__(self, base):
        self.catalog = None  # fetch_catalog()
        self.base = base
        # MicroPython measured faster (docs/speed.md); ?worker=py runs the same worker on Pyodide.
        params = js.URLSearchParams.new(js.location.search)
        self.kind = "py" if params.get("worker") == "py" else "mpy"
        self.worker = Worker(self.kind, base)
        self.busy = False  # a cut is under way (cut() or cut_bitmap())
        self.grown = None  # the model of a cut that grew the worker (limits.replaces_worker)
        self.cutting = None  # its worker request, once sent
        self.stop = False  # cancel() before that request was sent
        # ?provider=webgpu|wasm forces one; ?fault=webgpu-<step> makes that step fail.
        self.want = provider_choice.wanted(params.get("provider"))
        self.fault = provider_choice.fault(params.get("fault"))
        # ?runtime=ort|litert forces the CPU runtime; ?fault=litert-<step> fails that step.
        self.runtime = runtime_choice.wanted(params.get("runtime"))
        self.runtime_fault = runtime_choice.fault(params.get("fault"))
        # ?fit=aspect|stretch|letterbox: how the model meets the photo, instead of the card's.
        self.fit = catalog.wanted_fit(params.get("fit"))

    def cancel(self):
        """Stop the cut under way: it raises worker_bridge.Cancelled soon (at the worker's
        next stage; a model run itself finishes first)."""
        if self.cutting is not None:
            self.worker.cancel(self.cutting)
        elif self.busy:
            self.stop = True

    async def fetch_catalog(self):
        self.catalog = await _fetch_catalog()
        return self.catalog

    async def ready(self):
        await self.worker.ready()

    def _url(self, path):
        # URL() and not string joins: the page URL may carry ?worker=py or a #fragment.
        return js.URL.new(path, self.base).href

    def _ort(self):
        return self._url("./runtime/ort/")

    def _engine(self):
        return {
            "want": self.want,
            "fault": self.fault,
            "remembered": _stored_choices(),
            "runtime": self.runtime,
            "runtime_fault": self.runtime_fault,
        }

    def _remember(self, reply):
        remember = reply.get("remember")
        if not remember:
            return
        choices = _stored_choices()
        choices[remember["key"]] = {"provider": remember["provider"], "reason": remember["reason"]}
        try:
            js.localStorage.setItem(_CHOICES, json.dumps(choices))
        except Exception:
            pass  # storage blocked (some embeds, private modes): measure again next time

    def settle(self):
        """Nothing more to cut for now: if a big photo grew the worker's memory, a fresh
        worker takes its place, with the model loading in it shortly (usually ready before
        the next photo; a cut sent before then loads it itself)."""
        model = self.grown
        if model is None or self.busy:
            return
        self.grown = None
        self.worker.close()
        self.worker = Worker(self.kind, self.base)

        async def reload():
            try:
                await asyncio.sleep(RECYCLE_PAUSE)
                await self.ready()
                await self.load(model)
            except Exception as e:  # the next cut loads the model itself, and says why not
                js.console.warn("BG Zero: reloading the model failed: " + str(e))

        asyncio.create_task(reload())

    def model_spec(self, model):
        if model.get("own"):  # a file on this device: its bytes go with its first load
            spec = catalog.spec(model, None)
            spec["own"] = catalog.own_spec(self.catalog, model, self._url)
            return spec
        if model.get("parts"):  # "Best quality": two models
            spec = catalog.pair_spec(self.catalog, model, self._url)
        else:
            spec = catalog.spec(model, self._url(model["file"]), self._url)
        return catalog.with_fit(spec, self.fit)

    def sent_size(self, width, height):
        """Size of the copy that crosses to the worker (the original stays here for
        compositing): the photo's own, unless it is too large to refine in memory."""
        return geometry.fit_size(width, height, self.catalog["graphs"]["refine"]["max_pixels"])

    def graphs(self, model, full_size=True):
        """{name: spec or None}: the helper graphs a cut of a photo with this model runs."""
        return catalog.graph_specs(self.catalog, model, self._url, full_size)

    def graph_files(self, model):
        """The files this model's cut-outs load, for the offline cache."""
        return catalog.graph_files(self.catalog, model)

    async def load(self, model, on_stage=None, payload=None):
        """Get the model's session ready; the worker's "ready" reply (provider, threads).
        `payload`: the ArrayBuffer of a model the user brought (transferred: the worker
        keeps it)."""
        reply, _ = unpack(
            await self.worker.request(
                messages.load,
                self.model_spec(model),
                self._ort(),
                self._engine(),
                self.graphs(model),
                payload=payload,
                on_progress=_progress(on_stage),
            )
        )
        self._remember(reply)
        return reply

    async def cut(self, image, model, on_stage=None, name=""):
        """Cut `image` (a File or Blob, called `name`) out: a Cutout. Raises
        file_input.BadInput for an unusable image and WorkerError when the worker fails."""
        t = js.performance.now()
        (on_stage or (lambda *args: None))("decode")
        self.busy = True
        try:
            bitmap, opaque = await file_input.read_photo(image)
        except BaseException:
            self.busy = self.stop = False
            raise
        timings = {"decode": js.performance.now() - t}
        return await self.cut_bitmap(bitmap, model, on_stage, name, timings=timings, opaque=opaque)

    async def cut_bitmap(
        self, bitmap, model, on_stage=None, name="", colours=True, timings=None, opaque=False
    ):
        """Cut a decoded photo out: a Cutout that owns `bitmap` (closed here on failure). A
        photo cut at its own size crosses to the worker and back: `bitmap` is detached then,
        and the Cutout holds the ImageBitmap that came back (the same pixels).
        `colours=False` skips decontamination (the smart tool wants the alpha alone);
        `opaque`: the photo has no transparency of its own (Cutout.opaque)."""
        stage = on_stage or (lambda *args: None)
        timings = timings if timings is not None else {}
        self.busy = True
        try:
            if self.stop:
                raise Cancelled()
            width, height = self.sent_size(bitmap.width, bitmap.height)
            full_size = (width, height) == (bitmap.width, bitmap.height)
            t = js.performance.now()
            stage("resize")
            if full_size:
                # The photo itself crosses, and comes back with the result: a copy kept here
                # would be made at the postMessage, on this thread (30-75 ms at 12 MP).
                copy = bitmap
            else:
                copy = await js.createImageBitmap(
                    bitmap,
                    js.JSON.parse(
                        '{"resizeWidth":%d,"resizeHeight":%d,"resizeQuality":"high"}'
                        % (width, height)
                    ),
                )
            timings["resize"] = js.performance.now() - t
            graphs = self.graphs(model, full_size)
            if not colours:
                graphs["decontaminate"] = None
            try:
                request = self.worker.request(
                    messages.cut,
                    self.model_spec(model),
                    self._ort(),
                    self._engine(),
                    width,
                    height,
                    graphs,
                    full_size,
                    payload=copy,
                    on_progress=_progress(on_stage),
                )
            except Exception:
                copy.close()  # not transferred: it would hold its pixels until GC
                raise
            self.cutting = self.worker.last_id
            try:
                answer = await request
                reply, alpha = unpack(answer)
            finally:
                self.cutting = None
            if full_size:
                back = returned_photo(answer)
                if back is None:
                    alpha.close()
                    raise RuntimeError("the worker kept the photo")
                bitmap = back
            grown = reply.get("grown")
            if limits.replaces_worker(width * height, grown) and not model.get("own"):
                self.grown = model  # a brought model's bytes live in the worker alone
            self._remember(reply)
            timings.update(reply["timings"])
            t = js.performance.now()
            stage("composite")
            cutout = Cutout.from_worker(name, bitmap, reply, alpha, timings, opaque)
            timings["composite"] = js.performance.now() - t
            await _next_task()
        except BaseException:
            bitmap.close()
            raise
        finally:
            self.busy = self.stop = False
        return cutout


def _stored_choices():
    try:
        text = js.localStorage.getItem(_CHOICES)
        choices = json.loads(text) if text else {}
    except Exception:
        return {}
    return choices if isinstance(choices, dict) else {}
