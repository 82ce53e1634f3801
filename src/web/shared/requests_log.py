"""The tool page's "Network activity" panel as plain data: every request the page made,
from the browser's resource timing, with what the service worker saw of each (its method,
so whether it could carry a body). Requests only the service worker saw (those of the
page's workers) are listed too.

A request can only carry a body when a script sends it (fetch, XMLHttpRequest, a beacon)
or a form posts it; scripts, styles, images and the like are fetched with GET.
"""

# initiatorType values of requests the browser makes with GET, body-less, by construction
NO_BODY = ("script", "link", "css", "img", "image", "audio", "video", "track", "icon")


def row(url, size, initiator, body):
    """body: "no", "yes" or "unknown" (a script's request the service worker did not see)."""
    return {"url": url, "size": size, "initiator": initiator, "body": body}


def merge(origin, timings, seen):
    """Rows in the order the requests started.

    timings: [{"url", "size", "initiator", "start"}] of the page's resource timing;
    seen: [{"url", "method"}] of the service worker's log, oldest first."""
    methods = {}
    for entry in seen:
        method = str(entry.get("method", "GET")).upper()
        methods.setdefault(entry["url"], set()).add(method)
    rows, listed = [], set()
    for entry in sorted(timings, key=lambda e: e.get("start", 0)):
        url = entry["url"]
        listed.add(url)
        rows.append(
            row(
                _short(origin, url), entry.get("size", 0), entry["initiator"], _body(entry, methods)
            )
        )
    for entry in seen:
        url = entry["url"]
        if url in listed:
            continue
        listed.add(url)
        rows.append(row(_short(origin, url), None, "worker", _body({"url": url}, methods)))
    return rows


def _body(entry, methods):
    seen = methods.get(entry["url"])
    if seen is not None:
        return "yes" if seen - {"GET", "HEAD"} else "no"
    if entry.get("initiator") in NO_BODY:
        return "no"
    return "unknown"


def _short(origin, url):
    """A same-origin URL as its path; another origin's in full (that is the one to see)."""
    if url.startswith(origin + "/"):
        return url[len(origin) :]
    return url


def summary(rows):
    """(requests, bytes, with a body, unknown) over the rows."""
    total = sum(r["size"] or 0 for r in rows)
    bodies = sum(1 for r in rows if r["body"] == "yes")
    unknown = sum(1 for r in rows if r["body"] == "unknown")
    return len(rows), total, bodies, unknown
