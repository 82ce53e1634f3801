"""The Starlette app that serves dist/: isolation headers, MIME types, caching, precompressed."""

import json
import mimetypes
import os
from pathlib import Path

from starlette.applications import Starlette
from starlette.datastructures import Headers
from starlette.responses import FileResponse, Response
from starlette.routing import Mount
from starlette.staticfiles import StaticFiles
from starlette.types import Receive, Scope, Send

from bgzero.web_shared import catalog

# Python 3.11's table lacks some of these; the browser refuses modules and streaming
# compilation without the right type.
for _suffix, _type in {
    ".wasm": "application/wasm",
    ".mjs": "text/javascript",
    ".js": "text/javascript",
    ".toml": "text/plain",
    ".onnx": "application/octet-stream",
    ".py": "text/plain",
    ".webmanifest": "application/manifest+json",
}.items():
    mimetypes.add_type(_type, _suffix)

# Cross-origin isolation: SharedArrayBuffer for ORT's threads and PyScript's workers.
ISOLATION = {
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Embedder-Policy": "require-corp",
    "Cross-Origin-Resource-Policy": "same-origin",
    "X-Content-Type-Options": "nosniff",
}
# Strict by default; each relaxation is one the runtime cannot work without.
CSP = [
    "default-src 'self'",
    # 'wasm-unsafe-eval': MicroPython, Pyodide and onnxruntime-web compile WebAssembly.
    # 'unsafe-eval': PyScript evaluates its worker bootstrap and hooks with Function(), and
    # our worker builds its dynamic import() with js.Function (a blob: worker has no
    # static imports of its own).
    "script-src 'self' 'wasm-unsafe-eval' 'unsafe-eval'",
    # PyScript runs each worker from a blob: URL it makes from our own worker file.
    "worker-src 'self' blob:",
    "connect-src 'self'",
    # blob: for the cutout preview and download, data: for the empty favicon.
    "img-src 'self' blob: data:",
    # PyScript's core.css plus the style attributes it sets on its own elements.
    "style-src 'self' 'unsafe-inline'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "manifest-src 'self'",
]
# The embed page may be framed by an isolated parent on another origin (frame-ancestors
# still decides which): such a parent can only load a frame that allows cross-origin use.
EMBED_PAGE = "/embed.html"
IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"


class DistFiles(StaticFiles):
    """StaticFiles (no listing, no traversal) plus precompressed variants and cache policy."""

    def file_response(self, full_path, stat_result, scope: Scope, status_code: int = 200):
        path = Path(full_path)
        headers = Headers(scope=scope)
        gz = path.with_name(path.name + ".gz")
        media_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        if "gzip" in headers.get("accept-encoding", "") and gz.is_file():
            response = FileResponse(
                gz,
                stat_result=os.stat(gz),
                media_type=media_type,
                headers={"Content-Encoding": "gzip"},
            )
        else:
            response = FileResponse(path, stat_result=stat_result, media_type=media_type)
        response.headers["Vary"] = "Accept-Encoding"
        relative = path.relative_to(Path(self.directory).resolve()).as_posix()
        # Model files carry their content hash in the name (site/build.py's model_file).
        hashed = catalog.is_model_file(relative)
        response.headers["Cache-Control"] = IMMUTABLE if hashed else REVALIDATE
        if self.is_not_modified(response.headers, headers):
            return Response(
                status_code=304,
                headers={
                    k: v
                    for k, v in response.headers.items()
                    if k.lower() in {"etag", "cache-control", "vary"}
                },
            )
        return response


def content_security_policy(dist: Path) -> str:
    """The CSP, with frame-ancestors from the build's embed configuration."""
    embed = dist / "embed.json"
    origins = json.loads(embed.read_text()).get("origins", []) if embed.is_file() else []
    return "; ".join(CSP + ["frame-ancestors " + " ".join(["'self'", *origins])])


class IsolationHeaders:
    """Adds the isolation headers and the CSP to every response, errors included."""

    def __init__(self, app, csp: str):
        self.app = app
        headers = {**ISOLATION, "Content-Security-Policy": csp}
        self.headers = self._encode(headers)
        self.embed_headers = self._encode(
            {**headers, "Cross-Origin-Resource-Policy": "cross-origin"}
        )

    @staticmethod
    def _encode(headers: dict) -> list:
        return [(k.lower().encode(), v.encode()) for k, v in headers.items()]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        extra = self.embed_headers if scope["path"] == EMBED_PAGE else self.headers

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                message = {**message, "headers": list(message.get("headers", [])) + extra}
            await send(message)

        await self.app(scope, receive, send_with_headers)


def create_app(dist: Path) -> Starlette:
    dist = Path(dist).resolve()
    if not (dist / "index.html").is_file():
        raise FileNotFoundError(f"{dist} has no index.html: run `bgzero build` first")
    app = Starlette(routes=[Mount("/", app=DistFiles(directory=dist, html=True))])
    app.add_middleware(IsolationHeaders, csp=content_security_policy(dist))
    return app
