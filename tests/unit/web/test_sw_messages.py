"""The page <-> service worker messages (src/web/shared/sw_messages.py), and sw.js answering
every one of them by the same names."""

import re

import pytest

from bgzero.repo import ROOT
from shared import sw_messages

SW = (ROOT / "static" / "sw.js").read_text()


def test_keep_names_only_model_files():
    message = sw_messages.keep(["models/u2netp-0123.onnx", "models/prepare-4567.onnx"])
    assert message == {
        "type": sw_messages.KEEP,
        "files": ["models/u2netp-0123.onnx", "models/prepare-4567.onnx"],
    }
    assert sw_messages.keep(["models/u2netp-89ab.tflite"])["files"] == ["models/u2netp-89ab.tflite"]
    for bad in ("index.html", "models/../sw.js", "runtime/ort/x.wasm", "own-model/model.onnx"):
        with pytest.raises(sw_messages.SwMessageError):
            sw_messages.keep([bad])


def test_a_request_without_a_body_is_one_of_ours():
    assert sw_messages.ask(sw_messages.ACTIVATE) == {"type": "bgzero:activate"}
    with pytest.raises(sw_messages.SwMessageError):
        sw_messages.ask(sw_messages.SHARE)  # the worker's message, not the page's
    with pytest.raises(sw_messages.SwMessageError):
        sw_messages.ask("bgzero:keep")  # has a body: keep()


def test_only_the_service_workers_messages_are_taken():
    for kind in sw_messages.TO_PAGE:
        assert sw_messages.kind_of(kind) == kind
    for other in (None, "bgzero:keep", "bgzero:result", "something"):
        assert sw_messages.kind_of(other) is None


def test_sw_js_answers_every_message_the_page_sends():
    answered = set(re.findall(r'data\.type === "(bgzero:[a-z-]+)"', SW))
    assert answered == set(sw_messages.TO_SW)


def test_sw_js_sends_only_messages_the_page_takes():
    sent = set(re.findall(r'\{type: "(bgzero:[a-z-]+)"', SW))
    assert sent == set(sw_messages.TO_PAGE)
