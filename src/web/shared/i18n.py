"""Texts in the user's language. Until it is shown, a text is a Message: a key of the
tables (text_en.py, text_zh.py) and its parameters, plain JSON when it crosses threads, so
the worker and the pure modules never choose a language: the page renders it.

Parameters are strings (shown as they are: names, details), numbers, nested Messages
(rendered in the same language), lists of those (joined), or the units size(bytes) and
ms(milliseconds), formatted for the language.
"""

LANGS = ("en", "zh")
DEFAULT = "en"
_TABLES = {}
# What the switch shows for each language, in that language.
NAMES = {"en": "EN", "zh": "中文"}
# <html lang> of each language.
HTML_LANG = {"en": "en", "zh": "zh-CN"}


class Message:
    def __init__(self, key, **params):
        self.key = key
        self.params = params

    def data(self):
        """As JSON-able dicts, nested Messages included."""
        return {"key": self.key, "params": {k: _data(v) for k, v in self.params.items()}}

    def __str__(self):
        return render(DEFAULT, self)

    def __eq__(self, other):
        return isinstance(other, Message) and self.data() == other.data()

    def __repr__(self):
        return "Message(%r, %r)" % (self.key, self.params)


class Problem(RuntimeError):
    """Something the user did or has to know about (not a bug of ours), as a Message.
    str() is the English text, for logs and the command line."""

    def __init__(self, key, **params):
        self.message = Message(key, **params)
        super().__init__(str(self.message))


def table(lang):
    """The texts of `lang`, imported when first needed: the worker only makes Messages and
    never pays for the tables (measured: they slowed its start)."""
    lang = lang if lang in LANGS else DEFAULT
    if lang not in _TABLES:
        if lang == "zh":
            from shared import text_zh as module
        else:
            from shared import text_en as module
        _TABLES[lang] = module.TEXTS
    return _TABLES[lang]


def _data(value):
    if isinstance(value, (list, tuple)):
        return [_data(v) for v in value]
    return value.data() if isinstance(value, Message) else value


def from_data(value):
    """A Message from its data() (or a plain string, kept as the 'text' message)."""
    if isinstance(value, Message):
        return value
    if isinstance(value, dict) and isinstance(value.get("key"), str):
        params = value.get("params") or {}
        if not isinstance(params, dict):
            params = {}
        return Message(value["key"], **{str(k): _param(v) for k, v in params.items()})
    return Message("text", text=str(value))


def _param(value):
    if isinstance(value, list):
        return [_param(v) for v in value]
    if isinstance(value, dict) and "key" in value:
        return from_data(value)
    return value


def detail(error):
    """An exception's own text, first line only: technical, shown as it is."""
    text = str(error) or error.__class__.__name__
    return text.split("\n")[0][:300]


def of_error(error):
    """The Message of an exception: its own for a Problem, else its text as a detail."""
    message = getattr(error, "message", None)
    if isinstance(message, Message):
        return message
    return Message("error.detail", detail=detail(error))


def size(nbytes):
    return {"bytes": nbytes}


def ms(value):
    return {"ms": value}


def pick(languages, saved=None):
    """The language to show: the one saved by the switch, else the first of the browser's
    languages we have (navigator.languages, in order), else English."""
    if saved in LANGS:
        return saved
    for tag in languages or ():
        base = str(tag).lower().split("-")[0]
        if base in LANGS:
            return base
    return DEFAULT


def other(lang):
    """The language the switch offers from `lang`."""
    return LANGS[(LANGS.index(lang) + 1) % len(LANGS)] if lang in LANGS else DEFAULT


def _number(value):
    if isinstance(value, float):
        return "%.1f" % value
    return str(value)


def size_text(nbytes, lang):
    texts = table(lang)
    if nbytes >= 1e9:
        return texts["unit.gb"].replace("{n}", "%.1f" % (nbytes / 1e9))
    if nbytes >= 1e6:
        return texts["unit.mb"].replace("{n}", "%.1f" % (nbytes / 1e6))
    if nbytes >= 1e3:
        return texts["unit.kb"].replace("{n}", "%d" % int(nbytes / 1e3 + 0.5))
    return texts["unit.b"].replace("{n}", "%d" % nbytes)


def ms_text(value, lang):
    texts = table(lang)
    if value >= 10_000:
        return texts["unit.s"].replace("{n}", "%.1f" % (value / 1000))
    return texts["unit.ms"].replace("{n}", "%d" % int(value + 0.5))


def _value(value, lang):
    if isinstance(value, Message):
        return render(lang, value)
    if isinstance(value, (list, tuple)):
        return table(lang)["list.sep"].join(_value(v, lang) for v in value)
    if isinstance(value, dict):
        if "bytes" in value:
            return size_text(value["bytes"], lang)
        if "ms" in value:
            return ms_text(value["ms"], lang)
        if "key" in value:
            return render(lang, from_data(value))
    return _number(value)


def render(lang, message, **params):
    """The text of a Message (or of a key with params) in `lang`; an unknown key shows as
    itself, never as an error."""
    if not isinstance(message, Message):
        message = Message(message, **params) if isinstance(message, str) else from_data(message)
    template = table(lang).get(message.key)
    if template is None:
        template = table(DEFAULT).get(message.key, message.key)
    for name, value in message.params.items():
        template = template.replace("{" + name + "}", _value(value, lang))
    return template
