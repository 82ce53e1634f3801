"""Worker: how much WebAssembly memory its runtimes hold. Those memories only grow, so what a
cut added beyond the model's own needs stays until the worker goes: the page replaces the
worker when a cut grew them a lot (limits.replaces_worker), and only then."""

import js

# onnxruntime-web and LiteRT.js's threaded build make their memories with `new
# WebAssembly.Memory` (shared ones, for their threads): counted from here on, so install()
# runs before they load. (LiteRT.js without threads exports a memory of its own: not counted,
# and only ever the model's.)
_install = js.Function.new(
    """
if (self.__bgzeroMemories) return;
const Memory = WebAssembly.Memory, memories = [];
const Counted = function (descriptor) {
  const memory = new Memory(descriptor);
  // whose it is, from the script that makes it (onnxruntime-web's glue is runtime/ort/)
  memory.__bgzeroOrt = String(new Error().stack || "").includes("/runtime/ort/");
  memories.push(memory);
  return memory;
};
Counted.prototype = Memory.prototype;
WebAssembly.Memory = Counted;
self.__bgzeroMemories = memories;
"""
)
# In 64 KiB pages: MicroPython takes a JS number into a 32-bit int, and bytes pass 2 GiB.
_PAGE = 65536
_pages = js.Function.new(
    "page",
    "ort",
    "const m = self.__bgzeroMemories;"
    "return m ? m.filter((memory) => !ort || memory.__bgzeroOrt)"
    ".reduce((sum, memory) => sum + memory.buffer.byteLength / page, 0) : -1;",
)


def install():
    """Count the WebAssembly memories made from now on (once; harmless if it fails)."""
    try:
        _install()
    except Exception:
        pass


def total(ort=False):
    """Bytes of the counted memories (with `ort`, onnxruntime-web's alone: the helper
    graphs' heap), or None when they can't be counted."""
    try:
        pages = _pages(_PAGE, ort)
    except Exception:
        return None
    return None if pages < 0 else int(pages) * _PAGE
