"""What counts as leftover English in a Chinese text: Latin words, less names that stay
as they are in every language (products, formats, units, technical ids)."""

import re

KEPT = {
    "BG", "Zero", "WebGPU", "WASM", "ZIP", "PNG", "JPEG", "WebP", "GIF", "BMP", "AVIF", "KB",
    "MB", "GB", "MP", "HTTP", "float32", "provider", "wasm", "webgpu", "Ctrl", "Shift", "Tab", "Z",
    "Y", "embed", "origin", "EN", "U", "Net", "IS", "int8", "fp16", "DIS", "RMBG", "BiRefNet",
    "AGPL", "GNU", "npm", "SHA", "Cookie", "XHR", "Web", "Worker", "onnxruntime", "web",
    "Chromium", "CPU", "GPU", "WebAssembly", "LiteRT", "js", "litert",
    # the embed API's own words (field names and values a developer sends)
    "id", "crop", "true", "false", "Blob", "ArrayBuffer", "none", "blur", "rrggbb", "ffffff",
    "offset", "opacity",
}  # fmt: skip

_WORD = re.compile(r"[A-Za-z][A-Za-z0-9]*")
_SKIP = re.compile(r"#[0-9a-fA-F]{3,8}\b|\{\w+\}|[\w.-]+\.(?:png|jpe?g|webp|zip|onnx)\b")


def leftover(text, also=()):
    """The Latin words of `text` that are not kept names (nor in `also`)."""
    return set(_WORD.findall(_SKIP.sub(" ", text))) - KEPT - set(also)
