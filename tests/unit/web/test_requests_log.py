"""The network activity panel's rules (src/web/shared/requests_log.py)."""

from shared import requests_log

ORIGIN = "http://127.0.0.1:8000"


def timing(path, initiator, start, size=100):
    return {"url": ORIGIN + path, "size": size, "initiator": initiator, "start": start}


def test_rows_follow_the_start_order_and_say_which_request_could_carry_a_body():
    timings = [
        timing("/models/catalog.json", "fetch", 20),
        timing("/", "navigation", 0, 5000),
        timing("/style.css", "link", 5),
        timing("/upload", "fetch", 30),
        timing("/beacon", "beacon", 40),
    ]
    seen = [
        {"url": ORIGIN + "/models/catalog.json", "method": "GET"},
        {"url": ORIGIN + "/upload", "method": "POST"},
        {"url": ORIGIN + "/models/u2netp.onnx", "method": "GET"},  # the worker's
        {"url": "https://elsewhere.example/x", "method": "put"},
    ]
    rows = requests_log.merge(ORIGIN, timings, seen)
    assert [(r["url"], r["body"]) for r in rows] == [
        ("/", "unknown"),  # a navigation the service worker did not see: could be a form post
        ("/style.css", "no"),
        ("/models/catalog.json", "no"),
        ("/upload", "yes"),
        ("/beacon", "unknown"),
        ("/models/u2netp.onnx", "no"),
        ("https://elsewhere.example/x", "yes"),
    ]
    assert rows[-2]["initiator"] == "worker" and rows[-2]["size"] is None
    assert requests_log.summary(rows) == (7, 5400, 2, 2)


def test_a_url_seen_twice_is_one_row_and_any_post_of_it_counts():
    seen = [{"url": ORIGIN + "/a", "method": "GET"}, {"url": ORIGIN + "/a", "method": "POST"}]
    rows = requests_log.merge(ORIGIN, [], seen)
    assert [(r["url"], r["body"]) for r in rows] == [("/a", "yes")]
