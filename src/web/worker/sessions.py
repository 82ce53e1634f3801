"""Worker: the ORT sessions of the models (on the engine's provider) and of the helper graphs
(WASM), downloaded, verified and kept between cuts."""

import js

from shared import messages
from shared import runtime_choice as runtimes
from shared.i18n import Problem
from worker import litert
from worker.providers import WebGpuFailed


def _now():
    return js.performance.now()


# A download's chunks copied into its buffer for up to `ms` at a time, in JavaScript: the
# same loop in MicroPython, an await per chunk, took twice as long (IS-Net quint8's 44 MB:
# 0.5-0.9 s against 0.25-0.35). Resolves to "more", "done" or "over" (more bytes than the
# buffer holds); got[0] counts the bytes copied.
_read_for = js.Function.new(
    "reader",
    "buf",
    "got",
    "ms",
    """
return (async () => {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    const chunk = await reader.read();
    if (chunk.done) return "done";
    if (got[0] + chunk.value.length > buf.length) return "over";
    buf.set(chunk.value, got[0]);
    got[0] += chunk.value.length;
  }
  return "more";
})();
""",
)


def parts(model):
    """The models a cut runs: both parts of "Best quality", else the model itself."""
    return model.get("parts") or [model]


def kept(model):
    """The ids of the models that stay loaded while this one runs."""
    return [part["id"] for part in parts(model)]


async def _release(session):
    try:
        await session.release()
    except Exception:
        pass


class Sessions:
    """The worker's sessions, on `engine` (providers.Engine); `post(msg)` tells the page how
    a download goes."""

    def __init__(self, engine, post):
        self.engine = engine
        self.post = post
        self.models = {}  # model id -> InferenceSession (only the current one is kept)
        self.created_ms = {}  # model id -> session creation time, reported with "ready"
        self.graphs = {}  # sha256 -> InferenceSession of the helper graphs
        self.own = {}  # sha256 -> Uint8Array of a model the user brought (never fetched)
        self.litert = litert.LiteRt()
        self.runtime_reason = None  # why that model is not on LiteRT.js, when it could be
        self.fetch_ms = 0  # of the model session under way: its downloads
        self.litert_runs = 0  # of the LiteRT.js session

    async def fetch(self, req_id, model):
        """Download with a streaming reader so the page can show bytes/total; verify sha256."""
        if model.get("own"):
            held = self.own.get(model["sha256"])
            if held is None:
                raise Problem("own.not_loaded")
            return held
        started = _now()
        try:
            return await self._fetch(req_id, model)
        finally:
            self.fetch_ms += _now() - started

    async def _fetch(self, req_id, model):
        try:
            response = await js.fetch(model["url"])
        except Exception:
            # The service worker answers a network error only for a file it never cached.
            raise Problem("download.offline") from None
        if not response.ok:
            raise Problem("download.http", status=str(response.status))
        total = model["bytes"]
        buf = js.Uint8Array.new(total)
        got = js.Float64Array.new(1)  # bytes read so far, kept by _read_for
        reader = response.body.getReader()
        self.post(messages.progress(req_id, "download", 0, total))
        while True:
            status = await _read_for(reader, buf, got, 100)
            if status == "over":
                raise Problem("download.too_long")
            done = int(got[0])
            self.post(messages.progress(req_id, "download", done, total))
            if status == "done":
                break
        if done != total:
            raise Problem("download.incomplete", done=done, total=total)
        digest = js.Uint8Array.new(await js.crypto.subtle.digest("SHA-256", buf))
        hexdigest = "".join("%02x" % digest[i] for i in range(32))
        if hexdigest != model["sha256"]:
            raise Problem("download.corrupt")
        return buf

    async def model(self, req_id, model, msg, keep=()):
        """The model's session; `keep`: the ids of other models to keep loaded beside it (the
        two parts of "Best quality")."""
        model_id = model["id"]
        session = self.models.get(model_id)
        if session is not None:
            return session
        await self.engine.start(msg["ort"])
        # One model in memory at a time (but a pair): IS-Net sessions cost hundreds of MB
        # each, so the old one goes before the new one loads (if that load fails, the old one
        # reloads from cache).
        for other in list(self.models):
            if other not in keep:
                await _release(self.models.pop(other))
        t0 = _now()
        self.fetch_ms = 0
        self.runtime_reason = None
        session = None
        if await self.engine.on_wasm(msg["engine"]):
            session = await self._litert(req_id, model, msg)
        if session is None:
            model_bytes = await self.fetch(req_id, model)
            own = model.get("own")
            if own:  # the graphs around it, for the engine to wrap its session in
                model["helpers"] = (
                    await self.graph(req_id, own["normaliser"]),
                    await self.graph(req_id, own["finisher"]),
                )
            self.post(messages.progress(req_id, "session"))
            session = await self.engine.session(model_bytes, model, msg["engine"])
        self.models[model_id] = session
        fetched = self.fetch_ms
        self.created_ms[model_id] = {"download": fetched, "session": _now() - t0 - fetched}
        return session

    async def _litert(self, req_id, model, msg):
        """The model's session on LiteRT.js where it may run there; None where it may not or
        a step failed (then LiteRT.js is not tried again in this worker, and the status line
        says why). Its runs are checked as they come (_run_litert): a run on grey first would
        cost every first photo ~0.8 s."""
        options = msg["engine"]
        want, fault = runtimes.wanted(options.get("runtime")), options.get("runtime_fault")
        if not runtimes.candidate(model, want):
            return None
        if self.litert.failed is not None:
            self.runtime_reason = self.litert.failed
            return None
        step = "load"
        try:
            if fault == "load":
                raise RuntimeError("fault injected at load (?fault=litert-load)")
            base = js.URL.new("../", msg["ort"]).href
            if not await self.litert.usable(base, self.engine.threads):
                return None
            step = "session"
            tflite = await self.fetch(req_id, model["litert"])
            self.post(messages.progress(req_id, "session"))
            session = await self.litert.session(tflite, self.engine.threads, fault)
        except Exception as e:
            self.litert.failed = self.runtime_reason = litert.fail(step, e)
            return None
        self.litert_runs = 0
        return session

    async def _run_litert(self, msg, session, rgba, hw):
        """A LiteRT.js run, its output's size checked; ?fault=litert-first fails the
        session's first run, ?fault=litert-run a photo's run after it."""
        self.litert_runs += 1
        fault = msg["engine"].get("runtime_fault")
        if (fault == "first" and self.litert_runs == 1) or (
            fault == "run" and self.litert_runs > 1 and msg["type"] == "cut"
        ):
            raise RuntimeError("fault injected (?fault=litert-%s)" % fault)
        alpha = await self.engine.run(session, rgba, hw)
        if alpha.length != hw[0] * hw[1]:
            raise RuntimeError("gave %d values, expected %d" % (alpha.length, hw[0] * hw[1]))
        return alpha

    async def graph(self, req_id, spec):
        """A helper graph's session (prepare, refine, ...), kept beside the segmentation
        model. WASM for these: they are a few element-wise passes, not worth a GPU round
        trip."""
        session = self.graphs.get(spec["sha256"])
        if session is None:
            graph = await self.fetch(req_id, spec)
            session = await self.engine.wasm.InferenceSession.create(
                graph, js.JSON.parse('{"executionProviders":["wasm"]}')
            )
            self.graphs[spec["sha256"]] = session
        return session

    async def segment(self, msg, model, rgba, hw):
        """The model's alpha of the prepared h×w input (`hw`); if WebGPU fails on it, the
        same input runs again on WASM (the engine has switched for good)."""
        keep = kept(msg["model"])
        session = await self.model(msg["id"], model, msg, keep)
        try:
            if litert.is_litert(session):
                return await self._run_litert(msg, session, rgba, hw)
            return await self.engine.run(session, rgba, hw)
        except WebGpuFailed:
            self.models.clear()  # WebGPU's sessions go: the next one is made on WASM
        except Exception as e:
            if not litert.is_litert(session):
                raise
            # LiteRT.js failed on this square: it runs again on onnxruntime-web.
            step = "first run" if self.litert_runs == 1 else "run"
            self.litert.failed = litert.fail(step, e)
            await _release(self.models.pop(model["id"]))
        session = await self.model(msg["id"], model, msg, keep)
        return await self.engine.run(session, rgba, hw)

    def on_litert(self, model):
        """Whether every model of this one (both of "Best quality") runs on LiteRT.js."""
        held = [self.models.get(i) for i in kept(model)]
        return all(s is not None and litert.is_litert(s) for s in held)

    async def forget_own(self, model):
        """A brought model that proved unusable: its bytes (up to 1 GB) and session go now."""
        self.own = {}
        session = self.models.pop(model["id"], None)
        if session is not None:
            await _release(session)
