"""Photos the installed app is opened with ("Open with BG Zero" on a desktop: the manifest's
file_handlers): the browser hands them to launchQueue's consumer, which queues them as if
they had been chosen (launch_handler focus-existing: an open window takes them too)."""

import asyncio

import js
from pyscript.ffi import create_proxy


def start(take):
    """`take(files)`: the page's way in for chosen files."""
    if not js.Reflect.has(js.window, "launchQueue"):
        return  # a browser without file handling, or the site not installed

    def consume(params):
        asyncio.create_task(opened(params, take))

    js.window.launchQueue.setConsumer(create_proxy(consume))


async def opened(params, take):
    handles = params.files
    files = []
    for i in range(handles.length):
        files.append(await handles[i].getFile())
    take(files)
