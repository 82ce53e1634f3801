"""The sample photos under the drop target: a click fetches one from this site (a file of the
build, kept offline with the rest) and cuts it as if it had been chosen."""

import asyncio

import js
from pyscript.ffi import create_proxy, to_js

from tool.state import fail, page


def start():
    buttons = js.document.querySelectorAll("button[data-sample]")
    for i in range(buttons.length):
        buttons.item(i).addEventListener("click", create_proxy(on_click))


def on_click(event):
    asyncio.create_task(take(str(event.currentTarget.dataset.sample)))


async def take(url):
    try:
        response = await js.fetch(url)
        if not response.ok:
            raise RuntimeError("%s: HTTP %d" % (url, response.status))
        blob = await response.blob()
    except Exception as e:
        fail(e)
        return
    name = url.split("/")[-1]
    file = js.File.new(to_js([blob]), name, to_js({"type": blob.type}))
    page.input.take([file])
