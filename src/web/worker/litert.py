"""Worker: LiteRT.js, the second CPU runtime (shared/runtime_choice.py says when). Its
session is wrapped to look like an onnxruntime-web one to the engine: {inputNames,
outputNames, run(feeds), release()}, uint8 RGBA square in, uint8 alpha out.
"""

import js

from shared import runtime_choice as choice
from worker.providers import error_text

_import = js.Function.new("u", "return import(u)")
# LiteRT.js's loader runs Emscripten's script with importScripts, which a module worker (as
# polyscript's is) refuses: for that one call it gets a synchronous stand-in (the page's CSP
# allows eval for MicroPython's own use). The loader then hands the global `Module` to the
# factory and clears it, but that global is MicroPython's: while LiteRT.js loads, writes to it
# are ignored, and the factory gets its own settings: the real script for its threads (in a
# worker Emscripten would take the worker's) and its .wasm folder, its log in the console's
# debug level (XNNPACK's INFO lines would read as errors). Its loader also makes its default
# environment with a high-performance WebGPU device wherever the browser has an adapter; we
# run it on the CPU only (and only once WebGPU is out of this worker's race), so while it
# loads the worker's navigator shows no WebGPU: no device held for nothing, no discrete GPU
# woken on a laptop that has two.
_load = js.Function.new(
    "lr",
    "dir",
    "threads",
    """
const file = threads > 1 ? "litert_wasm_threaded_internal.js" : "litert_wasm_internal.js";
const log = (text) => console.debug("LiteRT.js: " + text);
const settings = {locateFile: (name) => dir + name, mainScriptUrlOrBlob: dir + file,
                  print: log, printErr: log};
const own = self.importScripts, warn = console.warn;
console.warn = (...args) => console.debug("LiteRT.js:", ...args);
const kept = Object.getOwnPropertyDescriptor(self, "Module");
Object.defineProperty(self, "Module", {
  configurable: true, get: () => (kept ? kept.value : undefined), set: () => {}});
const navigatorType = Object.getPrototypeOf(self.navigator);
const gpu = Object.getOwnPropertyDescriptor(navigatorType, "gpu");
const hide = gpu && self.navigator.gpu;  // (an adapter may be there)
if (hide) Object.defineProperty(navigatorType, "gpu", {configurable: true, get: () => undefined});
self.importScripts = (url) => {
  const request = new XMLHttpRequest();
  request.open("GET", url, false);
  request.send();
  if (request.status !== 200) throw new Error(url + ": HTTP " + request.status);
  (0, eval)(request.responseText);
  const factory = self.ModuleFactory;
  self.ModuleFactory = () => factory(settings);
};
const restore = () => {
  self.importScripts = own;
  console.warn = warn;
  delete self.Module;
  if (kept) Object.defineProperty(self, "Module", kept);
  if (hide) Object.defineProperty(navigatorType, "gpu", gpu);
};
let loading;
try {
  loading = lr.loadLiteRt(dir, {threads: threads > 1});
} catch (error) {  // (it throws at once when called twice)
  restore();
  throw error;
}
return loading.finally(restore);
""",
)
_session = js.Function.new(
    "lr",
    "bytes",
    "threads",
    """
return lr.loadAndCompile(bytes, {accelerator: "wasm", cpuOptions: {numThreads: threads}})
  .then((model) => ({
    inputNames: ["rgba"],
    outputNames: ["alpha"],
    litert: true,
    async run(feeds) {
      const input = new lr.Tensor(feeds.rgba.data, feeds.rgba.dims);
      let outputs;
      try { outputs = await model.run(input); } finally { input.delete(); }
      const data = outputs[0].toTypedArray().slice();
      for (const output of outputs) output.delete();
      return {alpha: {data}};
    },
    async release() { if (model.delete) model.delete(); },
  }));
""",
)


class LiteRt:
    """One per worker: the runtime, loaded on first use; `failed` once any step failed (the
    worker then stays on onnxruntime-web)."""

    def __init__(self):
        self.lr = None
        self.failed = None  # a runtime_choice reason dict

    async def usable(self, base, threads):
        """Whether LiteRT.js can run here: its module loads and the browser has relaxed
        SIMD (without it LiteRT.js runs one thread only, unmeasured against ORT's pool)."""
        if self.lr is None:
            lr = await _import(base + "litert/index.js")
            if not await lr.supportsFeature("relaxedSimd"):
                return False
            await _load(lr, base + "litert/wasm/", threads)
            self.lr = lr
        return True

    async def session(self, tflite, threads, fault):
        if fault == "session":
            raise RuntimeError("fault injected at session (?fault=litert-session)")
        return await _session(self.lr, tflite, threads)


def is_litert(session):
    return js.Reflect.has(session, "litert")


def fail(step, error):
    text = error_text(error)
    js.console.warn("BG Zero: LiteRT.js failed at %s, using onnxruntime-web: %s" % (step, text))
    return choice.failed_reason(step, text)
