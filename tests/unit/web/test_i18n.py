"""The text tables and their rules (src/web/shared/i18n.py), natively."""

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import latin_words

from bgzero.models.cards import load_cards
from shared import (
    formats,
    i18n,
    jobs,
    limits,
    messages,
    own_model,
    provider_choice,
    status,
    text_en,
    text_zh,
)
from shared.i18n import Message

ROOT = Path(__file__).resolve().parents[3]
PARAM = re.compile(r"\{(\w+)\}")


def test_both_languages_have_the_same_keys_and_parameters():
    assert set(text_en.TEXTS) == set(text_zh.TEXTS)
    for key, english in text_en.TEXTS.items():
        assert set(PARAM.findall(english)) == set(PARAM.findall(text_zh.TEXTS[key])), key


def test_chinese_texts_keep_no_english_words():
    for key, text in text_zh.TEXTS.items():
        assert not latin_words.leftover(text), (key, latin_words.leftover(text))


def test_every_key_the_code_and_pages_use_exists():
    used = set()
    for path in (ROOT / "static").glob("*.html"):
        used |= set(re.findall(r'data-i18n(?:-[a-z-]+)?="([\w.-]+)"', path.read_text()))
    for path in (ROOT / "src" / "web").rglob("*.py"):
        text = path.read_text()
        used |= set(
            re.findall(r'(?:Message|put|put_attr|Problem|OwnModelError)\([^"]*"([\w.-]+)"', text)
        )
    used = {key for key in used if "." in key and not key.endswith(".")}
    assert len(used) > 50, "too few keys found: the pattern is wrong"
    assert used <= set(text_en.TEXTS), used - set(text_en.TEXTS)
    # keys made of a prefix and a name: every name has its text
    families = {
        "stage.": status.STAGES,
        "timing.": status.TIMINGS,
        "reason.": provider_choice.REASONS,
        "format.": tuple(formats.FORMATS),
        "queue.": jobs.STATES,
        "queue.n.": jobs.STATES,
        "queue.action.": tuple({a for actions in jobs.ACTIONS.values() for a in actions}),
    }
    for prefix, names in families.items():
        for name in names:
            assert prefix + name in text_en.TEXTS, prefix + name


def test_every_model_has_a_name_in_both_languages():
    for card_id in load_cards():
        assert "model.name." + card_id in text_en.TEXTS, card_id


def test_the_language_follows_the_saved_choice_then_the_browser():
    assert i18n.pick(["zh-CN", "en-US"]) == "zh"
    assert i18n.pick(["zh-TW"]) == "zh"
    assert i18n.pick(["fr-FR", "en-GB"]) == "en"
    assert i18n.pick(["fr-FR"]) == "en"
    assert i18n.pick([]) == "en"
    assert i18n.pick(["zh-CN"], saved="en") == "en"
    assert i18n.pick(["en"], saved="zh") == "zh"
    assert i18n.pick(["en"], saved="klingon") == "en"
    assert i18n.other("en") == "zh" and i18n.other("zh") == "en"


def test_messages_render_with_units_and_nested_messages_in_each_language():
    message = status.stage_text("download", 1_200_000, 4_400_000)
    assert i18n.render("en", message) == "Loading model · 1.2 MB / 4.4 MB"
    assert i18n.render("zh", message) == "正在下载模型 · 1.2 MB / 4.4 MB"
    timings = status.timings_text({"run": 830.2, "decode": 12.4, "unknown": 5})
    assert i18n.render("en", timings) == "decode 12 ms · run 830 ms"
    assert i18n.render("zh", timings) == "解码 12 毫秒 · 推理 830 毫秒"
    assert i18n.render("en", status.stage_text("refine")) == "Refining edges…"
    assert i18n.render("zh", status.status_line("u2netp", "wasm", 1)) == "u2netp · wasm · 1 个线程"
    assert i18n.render("en", "no.such.key") == "no.such.key"  # shown, never an error


def test_a_message_crosses_threads_as_json_and_comes_back_equal():
    problem = limits.check_file(limits.MAX_BYTES + 1, b"\xff\xd8\xff")
    wire = messages.decode(messages.encode(messages.error(7, problem)))
    back = i18n.from_data(json.loads(json.dumps(wire["message"])))
    assert back == problem
    assert str(back).startswith("This file is too large (200.0 MB)")
    assert i18n.render("zh", back).startswith("这个文件太大（200.0 MB）")
    assert i18n.from_data("plain words") == Message("text", text="plain words")


def test_problems_read_in_english_natively_and_carry_their_message():
    try:
        own_model.check_bytes(0)
    except own_model.OwnModelError as error:
        assert str(error) == "The model file is empty."
        assert i18n.render("zh", i18n.of_error(error)) == "模型文件是空的。"
    assert i18n.render("zh", i18n.of_error(ValueError("boom\nmore"))) == "出错了：boom"


VOID = ("meta", "link", "input", "br", "img", "hr", "source", "col", "wbr")  # no end tag


class _Marked(HTMLParser):
    """(key or JSON, the element's text) of every data-i18n element of a page."""

    def __init__(self):
        super().__init__()
        self.found, self.open = [], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for name, code in attrs.items():
            if name.startswith("data-i18n-"):
                self.found.append((code, attrs.get(name[len("data-i18n-") :], "")))
        if tag not in VOID:
            self.open.append([attrs.get("data-i18n"), ""])

    def handle_endtag(self, tag):
        while self.open:
            code, text = self.open.pop()
            if code is not None:
                self.found.append((code, text.strip()))
            if self.open:
                self.open[-1][1] += text
            break

    def handle_data(self, data):
        if self.open:
            self.open[-1][1] += data


def test_the_pages_html_is_the_english_table_word_for_word():
    # The page shows its HTML until Python runs, and English is not re-rendered after.
    for path in sorted((ROOT / "static").glob("*.html")):
        parser = _Marked()
        parser.feed(path.read_text())
        assert parser.found or path.name.startswith("_"), path.name
        for code, text in parser.found:
            message = i18n.from_data(json.loads(code)) if code.startswith("{") else code
            assert " ".join(text.split()) == i18n.render("en", message), (path.name, code)
