"""The embed frame's postMessage API (src/web/shared/embed_protocol.py) and the build option
that allows parent origins."""

import pathlib
import sys

import pytest

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[3] / "src" / "web"))

from bgzero import cli
from bgzero.site import build as site
from shared import embed_protocol as protocol
from shared import shadows

MODELS = ["u2netp", "isnet-quint8"]


def view(fields=None, image="Blob", kind="Object", problem=None):
    return {"kind": kind, "image": image, "fields": fields, "problem": problem}


def remove(**extra):
    return {"type": protocol.REMOVE, "id": 1, **extra}


@pytest.mark.parametrize(
    "fields, image, expected",
    [
        (remove(), "Blob", {"id": 1, "model": None, "format": "png"}),
        (
            remove(id="a-b", options={"model": "isnet-quint8", "format": "jpeg"}),
            "ArrayBuffer",
            {"id": "a-b", "model": "isnet-quint8", "format": "jpeg"},
        ),
        (remove(id=2.5, options=None), "File", {"id": 2.5, "model": None, "format": "png"}),
        (
            remove(id=2**60, options={"model": None, "extra": 1}),
            "Blob",
            {"id": 2**60, "model": None, "format": "png"},
        ),
        (
            remove(id="x" * protocol.MAX_ID_CHARS),
            "Blob",
            {"id": "x" * protocol.MAX_ID_CHARS, "model": None, "format": "png"},
        ),
    ],
)
def test_valid_requests(fields, image, expected):
    plain = {
        "background": {"kind": "none"},
        "shadow": None,
        "framing": {"crop": False, "margin": 20, "max_side": None},
    }
    expected = {"type": protocol.REMOVE, **expected, **plain}
    assert protocol.read_request(view(fields, image), MODELS) == expected


def test_a_cancel_names_the_request_by_its_id():
    for req_id in (7, "a-b"):
        cancel = {"type": protocol.CANCEL, "id": req_id}
        assert protocol.read_request(view(cancel, None), MODELS) == cancel
    with pytest.raises(protocol.ProtocolError) as refused:
        protocol.read_request(view({"type": protocol.CANCEL, "id": [1]}, None), MODELS)
    assert refused.value.code == "bad-message" and not refused.value.has_id


def test_background_and_framing_options():
    options = {"background": "blur:8", "crop": True, "margin": 0, "maxSide": 1024}
    request = protocol.read_request(view(remove(options=options), "Blob"), MODELS)
    assert request["background"] == {"kind": "blur", "strength": 8.0}
    assert request["framing"] == {"crop": True, "margin": 0, "max_side": 1024}
    colour = protocol.read_request(view(remove(options={"background": "#FFF"}), "Blob"), MODELS)
    assert colour["background"] == {"kind": "colour", "colour": "#ffffff"}


def test_shadow_option():
    def shadow_of(value):
        request = protocol.read_request(view(remove(options={"shadow": value}), "Blob"), MODELS)
        return request["shadow"]

    assert protocol.read_request(view(remove(), "Blob"), MODELS)["shadow"] is None
    assert shadow_of(False) is None
    assert shadow_of(True) == shadows.DEFAULT
    assert shadow_of({"opacity": 70}) == {**shadows.DEFAULT, "opacity": 70}
    for bad, said in (("yes", "use true, false"), ({"blur": 0}, "between 1 and 100")):
        with pytest.raises(protocol.ProtocolError) as refused:
            shadow_of(bad)
        assert refused.value.code == "bad-message" and said in str(refused.value.message)


@pytest.mark.parametrize(
    "message, code, has_id",
    [
        (view(kind="String", image=None), "bad-message", False),
        (view(kind="Array", image=None), "bad-message", False),
        (view(kind="Blob", fields={}), "bad-message", False),
        (view(problem="too large"), "bad-message", False),
        (view(problem="unserialisable"), "bad-message", False),
        (view(None), "bad-message", False),
        (view({}), "bad-message", False),
        (view(remove(type="bgzero:result")), "bad-message", True),
        (view(remove(type="x" * 100000)), "bad-message", True),
        (view({"type": protocol.REMOVE}), "bad-message", False),
        (view(remove(id=None)), "bad-message", False),
        (view(remove(id=True)), "bad-message", False),
        (view(remove(id=[1])), "bad-message", False),
        (view(remove(id={"a": 1})), "bad-message", False),
        (view(remove(id="x" * (protocol.MAX_ID_CHARS + 1))), "bad-message", False),
        (view(remove(), image="Undefined"), "bad-message", True),
        (view(remove(), image="Uint8Array"), "bad-message", True),
        (view(remove(), image="String"), "bad-message", True),
        (view(remove(), image=None), "bad-message", True),
        (view(remove(options=[])), "bad-message", True),
        (view(remove(options="png")), "bad-message", True),
        (view(remove(options={"model": 3})), "bad-message", True),
        (view(remove(options={"model": "rmbg"})), "unknown-model", True),
        (view(remove(options={"model": "U2NETP"})), "unknown-model", True),
        (view(remove(options={"format": "gif"})), "bad-message", True),
        (view(remove(options={"format": {"png": 1}})), "bad-message", True),
        (view(remove(options={"background": "/etc/passwd"})), "bad-message", True),
        (view(remove(options={"background": "#12"})), "bad-message", True),
        (view(remove(options={"background": 7})), "bad-message", True),
        (view(remove(options={"crop": "yes"})), "bad-message", True),
        (view(remove(options={"margin": -1})), "bad-message", True),
        (view(remove(options={"margin": 2.5})), "bad-message", True),
        (view(remove(options={"maxSide": 8})), "bad-message", True),
        (view(remove(options={"maxSide": 10**9})), "bad-message", True),
        ("not a view", "bad-message", False),
        (None, "bad-message", False),
    ],
)
def test_refusals_carry_a_code_and_say_whether_the_id_can_be_echoed(message, code, has_id):
    with pytest.raises(protocol.ProtocolError) as refused:
        protocol.read_request(message, MODELS)
    assert refused.value.code == code and refused.value.has_id == has_id
    assert 0 < len(str(refused.value)) < 300  # never echoes a huge value back


def test_replies():
    assert protocol.ready("wasm", 1, False, MODELS) == {
        "type": "bgzero:ready",
        "provider": "wasm",
        "threads": 1,
        "isolated": False,
        "models": MODELS,
    }
    assert protocol.progress("a", "download", 10, 20) == {
        "type": "bgzero:progress",
        "id": "a",
        "stage": "download",
        "done": 10,
        "total": 20,
    }
    assert protocol.progress(3, "inference") == {
        "type": "bgzero:progress",
        "id": 3,
        "stage": "inference",
    }
    assert protocol.result(3, "webp", "cat-nobg.webp", 640, 480) == {
        "type": "bgzero:result",
        "id": 3,
        "format": "webp",
        "name": "cat-nobg.webp",
        "width": 640,
        "height": 480,
    }
    assert protocol.error(None, "busy", "later") == {
        "type": "bgzero:error",
        "id": None,
        "code": "busy",
        "message": "later",
    }
    assert len(protocol.error(1, "internal", "x" * 1000)["message"]) == 300
    with pytest.raises(ValueError):
        protocol.error(1, "oops", "no such code")


@pytest.mark.parametrize(
    "data, origins",
    [
        (
            {"origins": ["https://a.example", "http://127.0.0.1:8080"]},
            ("https://a.example", "http://127.0.0.1:8080"),
        ),
        ({"origins": ["https://a.example", 3, None, "*"]}, ("https://a.example",)),
        ({"origins": "https://a.example"}, ()),
        ({}, ()),
        ([], ()),
    ],
)
def test_config_lists_allowed_origins(data, origins):
    assert protocol.read_config(data) == origins


@pytest.mark.parametrize(
    "text, origin",
    [
        ("https://Example.COM", "https://example.com"),
        ("https://example.com/", "https://example.com"),
        ("https://example.com:443", "https://example.com"),
        ("http://example.com:80/", "http://example.com"),
        ("http://127.0.0.1:8080", "http://127.0.0.1:8080"),
        (" HTTP://localhost:3000 ", "http://localhost:3000"),
        ("http://[::1]:8080", "http://[::1]:8080"),
    ],
)
def test_embed_origins_take_the_form_of_message_event_origin(text, origin):
    assert site.embed_origin(text) == origin


@pytest.mark.parametrize(
    "text",
    [
        "*",
        "example.com",
        "https://*.example.com",
        "https://example.com/app",
        "https://example.com?x=1",
        "https://example.com#top",
        "ftp://example.com",
        "https://user@example.com",
        "https://example.com:99999",
        "null",
        "",
    ],
)
def test_bad_embed_origins_are_refused(text):
    with pytest.raises(ValueError):
        site.embed_origin(text)


def test_build_option_is_repeatable_and_checked_before_building(capsys, tmp_path):
    args = cli.parser().parse_args(
        ["build", "--embed-origin", "https://a.example", "--embed-origin", "http://127.0.0.1:9000"]
    )
    assert args.embed_origin == ["https://a.example", "http://127.0.0.1:9000"]
    dist = tmp_path / "dist"
    assert cli.main(["build", "--dist", str(dist), "--embed-origin", "https://a.example/app"]) == 2
    assert "--embed-origin" in capsys.readouterr().err and not dist.exists()
