"""One cut-out, decode -> worker -> composite -> PNG, for the page (app.py) and the embed
frame (embed.py) alike. Stages are reported through `on_stage(stage, done=None, total=None)`."""

import json

import js

import compositor
import file_input
from shared import catalog, geometry, messages, provider_choice
from worker_bridge import Worker, unpack

# Provider choices measured on this device, by provider_choice.device_key: the next visit
# starts on the right one without measuring again.
_CHOICES = "bgzero:providers"


async def fetch_catalog():
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
    def __init__(self, models, base):
        self.catalog = models
        self.base = base
        # MicroPython measured faster (README); ?worker=py runs the same worker on Pyodide.
        params = js.URLSearchParams.new(js.location.search)
        self.worker = Worker("py" if params.get("worker") == "py" else "mpy", base)
        # ?provider=webgpu|wasm forces one; ?fault=webgpu-<step> makes that step fail.
        self.want = provider_choice.wanted(params.get("provider"))
        self.fault = provider_choice.fault(params.get("fault"))

    async def ready(self):
        await self.worker.ready()

    def _url(self, path):
        # URL() and not string joins: the page URL may carry ?worker=py or a #fragment.
        return js.URL.new(path, self.base).href

    def _ort(self):
        return self._url("./runtime/ort/")

    def _engine(self):
        return {"want": self.want, "fault": self.fault, "remembered": _stored_choices()}

    def _remember(self, reply):
        remember = reply.get("remember")
        if not remember:
            return
        choices = _stored_choices()
        choices[remember["key"]] = {"provider": remember["provider"],
                                    "reason": remember["reason"]}
        try:
            js.localStorage.setItem(_CHOICES, json.dumps(choices))
        except Exception:
            pass   # storage blocked (some embeds, private modes): measure again next time

    def model_spec(self, model):
        return catalog.spec(model, self._url(model["file"]))

    def refiner_spec(self, model):
        return catalog.refiner_spec(self.catalog, model,
                                    self._url(self.catalog["refiner"]["file"]))

    def decontaminator_spec(self, model, full_size):
        return catalog.decontaminator_spec(self.catalog, model,
                                           self._url(self.catalog["decontaminator"]["file"]),
                                           full_size)

    def prepare_spec(self):
        prepare = self.catalog["prepare"]
        return catalog.graph_spec(prepare, self._url(prepare["file"]))

    def sent_size(self, width, height):
        """Size of the copy that crosses to the worker (the original stays here for
        compositing): the photo's own, unless it is too large to refine in memory."""
        return geometry.working_size(width, height, self.catalog["refiner"]["max_pixels"])

    def graph_files(self, model):
        """The files this model's cut-outs load, for the offline cache."""
        graphs = [self.catalog[k] for k in catalog.GRAPHS if self.catalog[k]]
        return [model["file"]] + [g["file"] for g in graphs]

    async def load(self, model, on_stage=None):
        """Get the model's session ready; the worker's "ready" reply (provider, threads)."""
        reply, _ = unpack(await self.worker.request(
            messages.load, self.model_spec(model), self._ort(), self._engine(),
            on_progress=_progress(on_stage)))
        self._remember(reply)
        return reply

    async def cut(self, image, canvas, model, on_stage=None):
        """Cut `image` (a File or Blob) out into `canvas`. Returns {png, width, height,
        engine (the worker's result reply), timings (ms)}; raises file_input.BadInput for
        an unusable image and WorkerError when the worker fails."""
        stage = on_stage or (lambda *args: None)
        timings = {}
        t = js.performance.now()
        stage("decode")
        bitmap = await file_input.read_image(image)
        timings["decode"] = js.performance.now() - t
        try:
            width, height = self.sent_size(bitmap.width, bitmap.height)
            full_size = (width, height) == (bitmap.width, bitmap.height)
            t = js.performance.now()
            stage("resize")
            copy = await js.createImageBitmap(bitmap, js.JSON.parse(
                '{"resizeWidth":%d,"resizeHeight":%d,"resizeQuality":"high"}' % (width, height)))
            timings["resize"] = js.performance.now() - t
            try:
                request = self.worker.request(
                    messages.cut, self.model_spec(model), self._ort(), self._engine(),
                    width, height,
                    self.prepare_spec(), self.refiner_spec(model),
                    self.decontaminator_spec(model, full_size), payload=copy,
                    on_progress=_progress(on_stage))
            except Exception:
                copy.close()   # not transferred: it would hold its pixels until GC
                raise
            reply, alpha = unpack(await request)
            self._remember(reply)
            timings.update(reply["timings"])
            t = js.performance.now()
            stage("composite")
            if reply["channels"] == 4:
                out_width, out_height = compositor.paint(canvas, alpha, reply["width"],
                                                         reply["height"])
            else:
                mask = compositor.mask_canvas(alpha, reply["width"], reply["height"])
                out_width, out_height = compositor.cutout(canvas, bitmap, mask, reply["box"])
                mask.width = 0   # up to 64 MB of pixels; JS would keep them until GC
            timings["composite"] = js.performance.now() - t
        finally:
            bitmap.close()
        t = js.performance.now()
        stage("encode")
        png = await compositor.to_png(canvas)
        timings["encode"] = js.performance.now() - t
        return {"png": png, "width": out_width, "height": out_height, "engine": reply,
                "timings": timings}


def _stored_choices():
    try:
        text = js.localStorage.getItem(_CHOICES)
        choices = json.loads(text) if text else {}
    except Exception:
        return {}
    return choices if isinstance(choices, dict) else {}
