"""The npm runtime files the pages load, copied from the pinned packages into dist/: which
files each bundle needs, which the service worker leaves for later."""

import json
import re
import shutil
from pathlib import Path

from bgzero.models import assets

# dist folder -> (npm package folder, files). Only what the page can load is shipped.
RUNTIME = {
    "runtime/pyscript": ("@pyscript/core/dist", ["*.js", "*.css"]),
    "runtime/micropython": (
        "@micropython/micropython-webassembly-pyscript",
        ["micropython.mjs", "micropython.wasm"],
    ),
    # Download all as ZIP (src/web/output/zip_export.py): a streaming ZIP writer, not ours by hand.
    "runtime/client-zip": ("client-zip", ["index.js", "LICENSE.txt"]),
    # iPhone photos (src/web/cut/heic.py): libheif in WebAssembly, the build without eval.
    "runtime/heic-to": ("heic-to/dist/csp", ["heic-to.js"]),
    # LiteRT.js, the second CPU runtime (src/web/worker/litert.py): its loader, the helper
    # it imports by a bare name (rewritten to this path: workers have no import maps), and
    # its WebAssembly builds but the JSPI one (it picks by the browser's features).
    "runtime/litert": ("@litertjs/core/dist", ["index.js"]),
    "runtime/litert/wasm": (
        "@litertjs/core/wasm",
        [
            "litert_wasm_internal.*",
            "litert_wasm_threaded_internal.*",
            "litert_wasm_compat_internal.*",
        ],
    ),
    "runtime/litert-utils": ("@litertjs/wasm-utils/dist", ["index.js"]),
    "runtime/pyodide": (
        "pyodide",
        [
            "pyodide.mjs",
            "pyodide.asm.mjs",
            "pyodide.asm.wasm",
            "python_stdlib.zip",
            "pyodide-lock.json",
        ],
    ),
}
# onnxruntime-web: the bundles the worker imports, each shipped with every file it loads
# (read from the bundles themselves: a new ORT version that renames its WebAssembly files
# still ships what it needs). The WASM bundle runs every visit; the WebGPU bundle only where
# a WebGPU adapter is chosen (see src/web/worker/providers.py).
ORT_DIR, ORT_PACKAGE = "runtime/ort", "onnxruntime-web/dist"
ORT_ENTRIES = {"wasm": "ort.wasm.min.mjs", "webgpu": "ort.webgpu.min.mjs"}
_ORT_REFERENCE = re.compile(rb'"(ort-wasm[\w.-]*\.(?:mjs|wasm))"')
# Left out of the service worker's install-time precache: models are cached on first use
# (after their hash checks out), Pyodide only loads for ?worker=py, the HEIC decoder (3 MB)
# when the first iPhone photo arrives, and the WebGPU runtime's own files (added by
# ort_on_demand) only on devices that use it.
ON_DEMAND = ("runtime/pyodide/", "runtime/heic-to/", "runtime/litert/", "runtime/litert-utils/")
# The one bare import in LiteRT.js's loader, and where build puts what it names.
_LITERT_IMPORT = (b'from "@litertjs/wasm-utils"', b'from "../litert-utils/index.js"')


def ort_references(script: bytes) -> list[str]:
    """The ORT files a bundle or Emscripten loader names (by string literal, as it loads
    them relative to `env.wasm.wasmPaths`)."""
    return sorted({m.decode() for m in _ORT_REFERENCE.findall(script)})


def ort_files(source: Path, entry: str) -> list[str]:
    """`entry` and every file it loads, transitively (bundle -> .mjs loader -> .wasm)."""
    found, todo = [], [entry]
    while todo:
        name = todo.pop()
        if name in found:
            continue
        if not (source / name).is_file():
            raise assets.AssetError(
                f"{ORT_PACKAGE}/{name} is missing from npm modules (loaded by {entry})"
            )
        found.append(name)
        if name.endswith(".mjs"):
            todo += ort_references((source / name).read_bytes())
    return sorted(found)


def ort_on_demand(source: Path) -> list[str]:
    """Files only the WebGPU runtime loads, as dist paths."""
    always = set(ort_files(source, ORT_ENTRIES["wasm"]))
    return [
        f"{ORT_DIR}/{name}"
        for name in ort_files(source, ORT_ENTRIES["webgpu"])
        if name not in always
    ]


def runtime_files(modules: Path) -> dict[str, tuple[str, list[str]]]:
    """dist folder -> (npm package folder, file patterns) of everything the page can load."""
    ort = sorted(
        {name for entry in ORT_ENTRIES.values() for name in ort_files(modules / ORT_PACKAGE, entry)}
    )
    return {**RUNTIME, ORT_DIR: (ORT_PACKAGE, ort)}


def copy_runtime(modules: Path, dist: Path) -> list[dict]:
    used = []
    for folder, (package_dir, patterns) in runtime_files(modules).items():
        source = modules / package_dir
        for pattern in patterns:
            matches = sorted(source.glob(pattern))
            if not matches:
                raise assets.AssetError(f"{package_dir}/{pattern} is missing from npm modules")
            for path in matches:
                (dist / folder).mkdir(parents=True, exist_ok=True)
                shutil.copyfile(path, dist / folder / path.name)
        package = _package_json(source)
        used.append(
            {
                "name": package["name"],
                "version": package["version"],
                "licence": package.get("license", "see package"),
            }
        )
    loader = dist / "runtime/litert/index.js"
    code = loader.read_bytes()
    if _LITERT_IMPORT[0] not in code:
        raise assets.AssetError("LiteRT.js's loader no longer imports @litertjs/wasm-utils")
    loader.write_bytes(code.replace(*_LITERT_IMPORT))
    return used


def _package_json(folder: Path) -> dict:
    """The package.json of the npm package that holds `folder`."""
    while not (folder / "package.json").is_file():
        folder = folder.parent
    return json.loads((folder / "package.json").read_text())
