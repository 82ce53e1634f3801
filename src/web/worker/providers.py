"""Worker: the onnxruntime-web runtimes and the execution provider of the model sessions.

The WASM bundle is always imported: the helper graphs run on it, and it is the fallback.
The WebGPU bundle is a second, separate module, imported only when an adapter is worth
trying; a failed initialisation poisons the module it happened in, so falling back never
reuses it. Every WebGPU step has a time limit, and any failure ends on WASM with a reason
(shared/provider_choice.py has the rules).
"""

import json

import js
from pyscript.ffi import create_proxy, is_none

from shared import provider_choice as choice

# A JS dynamic import: this worker is a blob: URL, so callers pass absolute URLs.
_import = js.Function.new("u", "return import(u)")
# A promise that rejects after `ms`; what the late promise yields (a session) is released.
_within = js.Function.new(
    "p",
    "ms",
    "what",
    """
return new Promise((resolve, reject) => {
  let late = false;
  const timer = setTimeout(() => {
    late = true;
    reject(new Error(what + " took longer than " + Math.round(ms / 1000) + " s"));
  }, ms);
  Promise.resolve(p).then((value) => {
    clearTimeout(timer);
    if (!late) resolve(value);
    else if (value && typeof value.release === "function") value.release().catch(() => {});
  }, (error) => { clearTimeout(timer); if (!late) reject(error); });
});
""",
)
# Severity 3: ORT's warnings (e.g. shape ops placed on the CPU) would land in the console as
# errors; real failures still reject the promise.
_SESSION_OPTIONS = (
    '{"executionProviders":["%s"],"graphOptimizationLevel":"all","logSeverityLevel":3}'
)
BUNDLES = {"wasm": "ort.wasm.min.mjs", "webgpu": "ort.webgpu.min.mjs"}


class WebGpuFailed(RuntimeError):
    """The WebGPU path failed; the engine has already switched to WASM for good."""


def _now():
    return js.performance.now()


def _obj(text):
    return js.JSON.parse(text)


def error_text(e):
    text = str(e) or e.__class__.__name__
    return text.split("\n")[0][:200]


async def _adapter():
    """(GPUAdapter or None, adapter info dict or None, reason when there is none)."""
    if not js.Reflect.has(js.navigator, "gpu"):
        return None, None, choice.reason("no-webgpu")
    try:
        adapter = await _within(
            js.navigator.gpu.requestAdapter(),
            choice.limit_ms("adapter", False),
            "asking for an adapter",
        )
    except Exception as e:
        return None, None, choice.reason("failed", error_text(e))
    if is_none(adapter):
        return None, None, choice.reason("no-adapter")
    info = adapter.info if js.Reflect.has(adapter, "info") else None
    fallback = (
        bool(adapter.isFallbackAdapter) if js.Reflect.has(adapter, "isFallbackAdapter") else False
    )
    if info is None:
        return adapter, choice.adapter_info("", "", "", "", fallback), None
    if js.Reflect.has(info, "isFallbackAdapter"):
        fallback = fallback or bool(info.isFallbackAdapter)
    return (
        adapter,
        choice.adapter_info(
            info.vendor, info.architecture, info.device, info.description, fallback
        ),
        None,
    )


async def _run(session, ort, rgba, hw, limit, what):
    """The session's output of an h×w RGBA input (`hw`), within `limit` ms unless None."""
    feeds = js.Object.new()
    js.Reflect.set(
        feeds,
        session.inputNames[0],
        ort.Tensor.new("uint8", rgba, _obj("[1,%d,%d,4]" % (hw[0], hw[1]))),
    )
    run = session.run(feeds)
    out = await (run if limit is None else _within(run, limit, what))
    return js.Reflect.get(out, session.outputNames[0]).data


class Engine:
    """One per worker. `provider` is decided by the first model session and kept."""

    def __init__(self):
        self.base = None
        self.wasm = None  # the WASM bundle (helper graphs, fallback)
        self.gpu = None  # the WebGPU bundle, once imported
        self.provider = None  # "wasm" | "webgpu"; None until the first session
        self.reason = None  # why (a provider_choice reason dict)
        self.remember = None  # {key, provider, reason} for the page to store, or None
        self.threads = 1
        self.key = None  # provider_choice.device_key of the adapter
        self.smoke_ms = 0
        self.lost = None  # the device-lost reason, once the GPU is gone
        self.forced = False
        self.fault = None
        self._watched = None  # the GPUDevice whose loss is watched
        self._asked = None  # _candidate()'s answer when on_wasm() asked it first

    async def start(self, base):
        """Import the WASM runtime once (every cut needs it for the helper graphs)."""
        if self.wasm is not None:
            return
        self.base = base
        threads = 1
        if js.crossOriginIsolated:
            threads = min(4, int(js.navigator.hardwareConcurrency or 1))
        self.threads = threads
        self.wasm = self._configure(await _import(base + BUNDLES["wasm"]))

    def _configure(self, ort):
        ort.env.wasm.wasmPaths = self.base
        ort.env.wasm.numThreads = self.threads
        return ort

    def ort_of(self, provider):
        return self.gpu if provider == "webgpu" else self.wasm

    def _inject(self, step):
        if self.fault == step:
            raise RuntimeError("fault injected at %s (?fault=webgpu-%s)" % (step, step))

    def _fall_back(self, step, error):
        self.provider = "wasm"
        self.reason = choice.reason("failed", "%s: %s" % (step, error_text(error)))
        js.console.warn("BG Zero: %s" % choice.reason_text(self.reason))
        # Remembered so the next visit starts on WASM at once, unless this was a test.
        if self.key and not self.forced and self.fault is None:
            self.remember = {"key": self.key, "provider": "wasm", "reason": self.reason}

    async def session(self, model_bytes, model, options):
        """A session for this model on the engine's provider, deciding it on first use."""
        if self.provider is None:
            return await self._decide(model_bytes, model, options)
        if self.provider == "webgpu" and self.lost is None:
            session = None
            try:
                session = await self._gpu_session(model_bytes, model)
                await self._smoke(session, model, "webgpu")
                return session
            except Exception as e:
                if session is not None:
                    await _release(session)
                self._fall_back("session", e)
        elif self.provider == "webgpu":
            self._fall_back("session", RuntimeError("device lost (%s)" % self.lost))
        return await self._wasm_session(model_bytes, model)

    async def on_wasm(self, options):
        """Whether the model runs on WASM, decided before any session where WebGPU is not
        worth trying (then a LiteRT.js model needs no ORT session at all)."""
        if self.provider is None:
            self._asked = await self._candidate(options)
            if self._asked[0] is None:
                self._asked = None
                return True
            self.provider = None  # WebGPU is worth trying: session() decides
        return self.provider == "wasm"

    async def _decide(self, model_bytes, model, options):
        """The first session, on the provider it decides: WebGPU when an adapter is worth
        trying, works, and (unless forced or remembered) runs faster than WASM."""
        asked, self._asked = self._asked, None
        adapter, remembered = asked or await self._candidate(options)
        tried = None
        if adapter is not None:  # (a JS object's truth differs between the interpreters)
            tried = await self._try_gpu(adapter, model_bytes, model, remembered)
        if tried is None:
            return await self._wasm_session(model_bytes, model)
        session, gpu_ms = tried
        self.provider = "webgpu"
        if self.forced:
            self.reason = choice.reason("forced-webgpu")
            return session
        if remembered is not None:
            self.reason = remembered["reason"]
            return session
        return await self._race(session, gpu_ms, model_bytes, model)

    async def _candidate(self, options):
        """(adapter, remembered choice or None) when WebGPU is worth trying, else (None,
        None) with `reason` saying why not. Takes the page's options for the engine."""
        want = choice.wanted(options.get("want"))
        self.forced = want == "webgpu"
        fault = options.get("fault")
        self.fault = fault if fault in choice.FAULTS else None
        self.provider = "wasm"
        if want == "wasm":
            self.reason = choice.reason("forced")
            return None, None
        adapter, info, why = await _adapter()
        if adapter is None:
            self.reason = why
            return None, None
        self.key = choice.device_key(info, str(self.wasm.env.versions.web))
        soft = choice.software(info)
        if soft and not self.forced:
            self.reason = choice.reason("software", soft)
            return None, None
        remembered = None if self.forced else choice.recall(options.get("remembered"), self.key)
        if remembered is not None and remembered["provider"] == "wasm":
            self.reason = remembered["reason"]
            return None, None
        return adapter, remembered

    async def _try_gpu(self, adapter, model_bytes, model, remembered):
        """(WebGPU session, ms of a run) once it made its smoke run; None when a step failed
        (the engine has fallen back to WASM)."""
        step = "import"
        try:
            await self._import_gpu(adapter)
            step = "session"
            session = await self._gpu_session(model_bytes, model)
        except Exception as e:
            self._fall_back(step, e)
            return None
        try:
            gpu_ms = await self._smoke(session, model, "webgpu")
            if not self.forced and remembered is None:
                # Measured again: the first run compiles the shaders, the second is what
                # a cut costs.
                gpu_ms = await self._smoke(session, model, "webgpu")
        except Exception as e:
            await _release(session)
            self._fall_back("smoke run", e)
            return None
        return session, gpu_ms

    async def _race(self, session, gpu_ms, model_bytes, model):
        """The faster of the WebGPU session (run in `gpu_ms`) and a WASM one, remembered for
        the next visit; the other is released."""
        wasm_session = None
        try:
            wasm_session = await self._wasm_session(model_bytes, model)
            await self._smoke(wasm_session, model, "wasm")
            wasm_ms = await self._smoke(wasm_session, model, "wasm")
        except Exception as e:  # e.g. no memory for two sessions: keep the one that ran
            if wasm_session is not None:
                await _release(wasm_session)
            self.reason = choice.reason("faster", "WASM not measured: %s" % error_text(e))
            return session
        self.provider, self.reason = choice.faster(gpu_ms, wasm_ms)
        self.remember = {"key": self.key, "provider": self.provider, "reason": self.reason}
        if self.provider == "webgpu":
            await _release(wasm_session)
            return session
        await _release(session)
        return wasm_session

    async def _import_gpu(self, adapter):
        if self.gpu is None:
            limit = choice.limit_ms("import", self.forced)
            url = self.base + BUNDLES["webgpu"]
            if self.fault == "import":
                url = self.base + "ort.webgpu.fault-injected.mjs"  # a real failed import
            gpu = self._configure(await _within(_import(url), limit, "loading WebGPU"))
            gpu.env.webgpu.adapter = adapter
            self.gpu = gpu
        return self.gpu

    async def _gpu_session(self, model_bytes, model):
        limit = choice.limit_ms("session", self.forced)
        self._inject("session")
        session = await _within(
            self.gpu.InferenceSession.create(model_bytes, _obj(_SESSION_OPTIONS % "webgpu")),
            limit,
            "creating the WebGPU session",
        )
        session = _wrap(session, self.gpu, self.wasm, model)
        try:
            self._watch_device()
        except Exception:
            await _release(session)
            raise
        if self.fault == "lost":
            self.gpu.env.webgpu.device.destroy()  # a real device loss
        return session

    def _watch_device(self):
        device = self.gpu.env.webgpu.device
        if is_none(device) or (
            self._watched is not None and getattr(js.Object, "is")(self._watched, device)
        ):
            return
        self._watched = device

        def on_lost(info):
            self.lost = str(info.message or info.reason or "device lost")
            js.console.warn("BG Zero: WebGPU device lost: " + self.lost)

        device.lost.then(create_proxy(on_lost))

    async def _wasm_session(self, model_bytes, model):
        session = await self.wasm.InferenceSession.create(
            model_bytes, _obj(_SESSION_OPTIONS % "wasm")
        )
        return _wrap(session, self.wasm, self.wasm, model)

    async def _smoke(self, session, model, provider):
        """ms of one run on zeros, checked for the output's size."""
        size = model["size"]
        limit = choice.limit_ms("smoke", self.forced) if provider == "webgpu" else None
        if provider == "webgpu":
            self._inject("smoke")
        t0 = _now()
        alpha = await _run(
            session,
            self.ort_of(provider),
            js.Uint8Array.new(size * size * 4),
            (size, size),
            limit,
            "the WebGPU smoke run",
        )
        ms = _now() - t0
        if alpha.length != size * size:
            raise RuntimeError(
                "smoke run gave %d values, expected %d" % (alpha.length, size * size)
            )
        if provider == "webgpu":
            self.smoke_ms = ms
        return ms

    async def run(self, session, rgba, hw):
        """The model's alpha (h·w bytes) of a prepared h×w input (`hw`). A WebGPU failure
        (or a lost device) switches to WASM and raises WebGpuFailed: the caller re-runs on
        WASM."""
        if self.provider != "webgpu":
            return await _run(session, self.wasm, rgba, hw, None, "")
        try:
            if self.lost is not None:
                raise RuntimeError("device lost (%s)" % self.lost)
            self._inject("run")
            return await _run(
                session, self.gpu, rgba, hw, choice.run_limit_ms(self.smoke_ms), "a WebGPU run"
            )
        except Exception as e:
            await _release(session)
            self._fall_back("run", e)
            raise WebGpuFailed(str(e)) from e


# A model the user brought, between the graphs around it (own_graphs.py), looks like a fused
# catalog model to the engine: uint8 "rgba" square in, uint8 "alpha" out. `ort` is the runtime
# of its session, `helper` the WASM one of the graphs (tensors are made by their own runtime).
_own_session = js.Function.new(
    "raw",
    "ort",
    "helper",
    "norm",
    "fin",
    "mean",
    "std",
    "size",
    """
const m = new helper.Tensor("float32", Float32Array.from(JSON.parse(mean)), [3]);
const s = new helper.Tensor("float32", Float32Array.from(JSON.parse(std)), [3]);
const n = new helper.Tensor("int64", BigInt64Array.from([BigInt(size)]), [1]);
return {
  inputNames: ["rgba"],
  outputNames: ["alpha"],
  async run(feeds) {
    const rgba = feeds.rgba;
    const px = (await norm.run({
      rgba: new helper.Tensor("uint8", rgba.data, rgba.dims), mean: m, std: s})).pixels;
    const out = await raw.run({[raw.inputNames[0]]: new ort.Tensor("float32", px.data, px.dims)});
    const map = out[raw.outputNames[0]];
    if (map.type !== "float32") {
      throw new Error("its output is " + map.type + ", not float32");
    }
    if (map.data.length !== size * size) {
      throw new Error("its output has " + map.data.length + " values; a " + size + "×" + size +
                      " mask needs " + size * size);
    }
    const fed = {map: new helper.Tensor("float32", map.data, [map.data.length]), size: n};
    return {alpha: (await fin.run(fed)).alpha};
  },
  release() { return raw.release(); },
};
""",
)


def _wrap(session, ort, helper, model):
    """The session as the engine runs it: a brought model wrapped, a catalog one as it is."""
    own = model.get("own")
    if not own:
        return session
    norm, fin = model["helpers"]
    return _own_session(
        session,
        ort,
        helper,
        norm,
        fin,
        json.dumps(own["mean"]),
        json.dumps(own["std"]),
        model["size"],
    )


async def _release(session):
    try:
        await session.release()
    except Exception:
        pass
