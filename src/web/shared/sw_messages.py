"""Messages between the page and its service worker (static/sw.js), as the worker's messages
are in messages.py: each a {type, ...} object, every type named here once. sw.js is
JavaScript, so a unit test reads it for each name: a message one side sends and the other
does not answer fails there, not in a user's browser."""

from shared import catalog

KEEP = "bgzero:keep"  # page -> sw: cache these model files (loaded before it controlled)
ACTIVATE = "bgzero:activate"  # page -> sw: the waiting build takes over
TAKE_SHARE = "bgzero:take-share"  # page -> sw: hand over the photos shared to the app
REQUESTS = "bgzero:requests"  # page -> sw: which requests did you see? and the answer
SHARE = "bgzero:share"  # sw -> page: {files}, the photos shared to the app (maybe none)
MODEL_CACHED = "bgzero:model-cached"  # sw -> page: {file} is now kept offline
STORAGE_REFUSED = "bgzero:storage-refused"  # sw -> page: the browser refused to store it

TO_SW = (KEEP, ACTIVATE, TAKE_SHARE, REQUESTS)
TO_PAGE = (SHARE, REQUESTS, MODEL_CACHED, STORAGE_REFUSED)


class SwMessageError(ValueError):
    pass


def keep(files):
    """Model files the service worker should cache (catalog.is_model_file)."""
    files = [str(f) for f in files]
    for f in files:
        if not catalog.is_model_file(f):
            raise SwMessageError("not a model file: %r" % f)
    return {"type": KEEP, "files": files}


def ask(kind):
    """A message without a body: ACTIVATE, TAKE_SHARE or REQUESTS."""
    if kind not in (ACTIVATE, TAKE_SHARE, REQUESTS):
        raise SwMessageError("not a request to the service worker: %r" % kind)
    return {"type": kind}


def kind_of(message_type):
    """The type of a message from the service worker, or None for anything else (another
    script's message, or none of ours)."""
    return message_type if message_type in TO_PAGE else None
