"""Server headers, MIME types, caching, precompressed files and refused paths."""

import gzip

import pytest
from starlette.testclient import TestClient

from bgzero.server import ISOLATION, create_app


@pytest.fixture()
def client(tmp_path):
    dist = tmp_path / "dist"
    (dist / "runtime" / "ort").mkdir(parents=True)
    (dist / "models").mkdir()
    (dist / "index.html").write_text("<!doctype html><title>BG Zero</title>")
    (dist / "runtime" / "ort" / "ort.wasm.min.mjs").write_text("export const x = 1;\n" * 50)
    wasm = b"\0asm\1\0\0\0" + bytes(4000)
    (dist / "runtime" / "ort" / "a.wasm").write_bytes(wasm)
    (dist / "runtime" / "ort" / "a.wasm.gz").write_bytes(gzip.compress(wasm))
    (dist / "models" / "u2netp-0123456789ab.onnx").write_bytes(b"model")
    (dist / "models" / "u2netp-0123456789ab.tflite").write_bytes(b"graph")
    (tmp_path / "secret.txt").write_text("outside dist")
    return TestClient(create_app(dist))


def test_isolation_headers_on_pages_and_errors(client):
    for path in ("/", "/no-such-file"):
        response = client.get(path)
        for name, value in ISOLATION.items():
            assert response.headers[name] == value


@pytest.mark.parametrize(
    "path, media_type",
    [
        ("/", "text/html"),
        ("/runtime/ort/ort.wasm.min.mjs", "text/javascript"),
        ("/runtime/ort/a.wasm", "application/wasm"),
        ("/models/u2netp-0123456789ab.onnx", "application/octet-stream"),
    ],
)
def test_mime_types(client, path, media_type):
    response = client.get(path)
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == media_type


def test_precompressed_variant_has_length_and_type(client):
    response = client.get("/runtime/ort/a.wasm", headers={"Accept-Encoding": "gzip"})
    assert response.headers["content-encoding"] == "gzip"
    assert response.headers["content-type"] == "application/wasm"
    assert int(response.headers["content-length"]) < 4008
    assert response.content.startswith(b"\0asm")  # the client decoded it
    plain = client.get("/runtime/ort/a.wasm", headers={"Accept-Encoding": "identity"})
    assert "content-encoding" not in plain.headers
    assert plain.headers["content-length"] == "4008"


def test_cache_policy(client):
    assert "immutable" in client.get("/models/u2netp-0123456789ab.onnx").headers["cache-control"]
    # LiteRT.js's graph too: without it a first visit downloaded it twice (the worker, then
    # the service worker keeping it for offline use could not take the browser's copy)
    assert "immutable" in client.get("/models/u2netp-0123456789ab.tflite").headers["cache-control"]
    assert client.get("/").headers["cache-control"] == "no-cache"
    etag = client.get("/runtime/ort/ort.wasm.min.mjs").headers["etag"]
    again = client.get("/runtime/ort/ort.wasm.min.mjs", headers={"If-None-Match": etag})
    assert again.status_code == 304


@pytest.mark.parametrize(
    "path",
    [
        "/../secret.txt",
        "/%2e%2e/secret.txt",
        "/runtime/../../secret.txt",
        "/runtime/%2e%2e/%2e%2e/secret.txt",
        "/..%2fsecret.txt",
    ],
)
def test_nothing_outside_dist(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert "outside dist" not in response.text


def test_no_directory_listing(client):
    response = client.get("/runtime/ort/")
    assert response.status_code == 404
    assert "ort.wasm.min.mjs" not in response.text


def test_csp_is_strict_and_names_embed_origins(tmp_path):
    dist = tmp_path / "dist"
    dist.mkdir()
    (dist / "index.html").write_text("<!doctype html>")
    (dist / "embed.json").write_text('{"origins": ["https://parent.example"]}')
    policy = TestClient(create_app(dist)).get("/").headers["content-security-policy"]
    rules = dict(rule.split(" ", 1) for rule in policy.split("; "))
    assert rules["object-src"] == "'none'"
    assert rules["connect-src"] == "'self'"
    assert "'unsafe-inline'" not in rules["script-src"]
    assert rules["frame-ancestors"] == "'self' https://parent.example"


def test_only_the_embed_page_allows_cross_origin_use(client):
    assert client.get("/embed.html").headers["cross-origin-resource-policy"] == "cross-origin"
    assert client.get("/").headers["cross-origin-resource-policy"] == "same-origin"
