"""The page's texts in the user's language (main thread). Every element shown in a
language carries its Message (data-i18n for its text, data-i18n-<attribute> for an
attribute): a switch of language re-renders them all at once, the dynamic ones included,
without a reload. The tables and the rules are shared/i18n.py's."""

import json

import js
from pyscript import document
from pyscript.ffi import create_proxy, is_none

from shared import i18n

ATTRIBUTES = ("aria-label", "title", "alt", "placeholder", "label")
STORE = "bgzero:lang"  # localStorage: the language the switch chose


class _State:
    lang = i18n.DEFAULT
    proxy = None


state = _State()


def text(message, **params):
    """A Message (or key and params) as text in the page's language."""
    return i18n.render(state.lang, message, **params)


def _message(message, params):
    if isinstance(message, i18n.Message):
        return message
    if isinstance(message, str):
        return i18n.Message(message, **params)
    return i18n.from_data(message)


def _code(message):
    """What the data attribute holds: the key alone, or the Message as JSON."""
    return json.dumps(message.data()) if message.params else message.key


def _decode(code):
    if code.startswith("{"):
        return i18n.from_data(json.loads(code))
    return i18n.Message(code)


def put(el, message, **params):
    """Show `message` as the element's text, now and after every switch (None: no text)."""
    if message is None:
        el.removeAttribute("data-i18n")
        el.textContent = ""
        return
    message = _message(message, params)
    el.setAttribute("data-i18n", _code(message))
    el.textContent = text(message)


def put_attr(el, attribute, message, **params):
    message = _message(message, params)
    el.setAttribute("data-i18n-" + attribute, _code(message))
    el.setAttribute(attribute, text(message))


def apply(root=None):
    """Render every marked text under `root` (the document) in the page's language."""
    root = root or document
    nodes = root.querySelectorAll("[data-i18n]")
    for i in range(nodes.length):
        el = nodes.item(i)
        el.textContent = text(_decode(str(el.getAttribute("data-i18n"))))
    for attribute in ATTRIBUTES:
        name = "data-i18n-" + attribute
        nodes = root.querySelectorAll("[" + name + "]")
        for i in range(nodes.length):
            el = nodes.item(i)
            el.setAttribute(attribute, text(_decode(str(el.getAttribute(name)))))


def _storage(call, *args):
    try:
        return call(*args)
    except Exception:
        return None  # storage refused (private modes, some embeds): the choice is not kept


def use(lang, remember=True, first=False):
    """Show the page in `lang`: texts, <html lang>, the manifest, the switch's state.
    `first`: the page as loaded, whose HTML is written in English (a test checks it is the
    English table's), so English needs no pass over it."""
    state.lang = lang if lang in i18n.LANGS else i18n.DEFAULT
    document.documentElement.lang = i18n.HTML_LANG[state.lang]
    if remember:
        _storage(js.localStorage.setItem, STORE, state.lang)
    manifest = document.querySelector('link[rel="manifest"]')
    if manifest is not None:
        suffix = "" if state.lang == i18n.DEFAULT else "-" + state.lang
        manifest.setAttribute("href", "./manifest%s.webmanifest" % suffix)
    if not (first and state.lang == i18n.DEFAULT):
        apply()
    buttons = document.querySelectorAll("button[data-lang]")
    for i in range(buttons.length):
        button = buttons.item(i)
        pressed = str(button.dataset.lang) == state.lang
        button.setAttribute("aria-pressed", "true" if pressed else "false")
    document.body.dataset.lang = state.lang  # tests wait on it


def _switched(event):
    use(str(event.currentTarget.dataset.lang))


def start(wanted=None):
    """The language of this visit: `wanted` (a page parameter), else the switch's last
    choice, else the browser's languages; the switch's buttons ([data-lang]) wired."""
    saved = wanted if wanted in i18n.LANGS else _storage(js.localStorage.getItem, STORE)
    tags = js.navigator.languages
    languages = [] if is_none(tags) else [str(tags[i]) for i in range(tags.length)]
    use(i18n.pick(languages, saved), remember=False, first=True)
    state.proxy = create_proxy(_switched)
    buttons = document.querySelectorAll("button[data-lang]")
    for i in range(buttons.length):
        buttons.item(i).addEventListener("click", state.proxy)
