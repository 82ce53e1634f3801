"""The main flow in WebKit (Safari's engine: Debian's WebKitGTK MiniBrowser, driven over
WebDriver by Selenium), run under xvfb-run by test_webkit.py: ready, pick a photo, the cut-out,
the first screen at a laptop's sizes, the download link, the language; then a portrait photo at
a phone's sizes, in a frame of that size (MiniBrowser's window is never narrower than ~450 px).
python webkit_flow.py ORIGIN PHOTO PORTRAIT OUT_PNG FIRST_SCREEN_JS -> one JSON line"""

import base64
import json
import sys
import time
from pathlib import Path

from selenium import webdriver
from selenium.webdriver.webkitgtk.options import Options
from selenium.webdriver.webkitgtk.service import Service

MINIBROWSER = "/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser"
DRIVER = "/usr/bin/WebKitWebDriver"
# The cut-out as the page shows it (the download is encoded from what it shows, and a photo
# this small is shown with all its pixels): MiniBrowser under WebDriver neither saves
# downloads nor lets a script load their blob: URL.
_SHOWN = "return document.getElementById('result').toDataURL('image/png').split(',')[1]"
# A phone's screen: the tool in a same-origin frame of that size (so still cross-origin
# isolated), on a page of the site, in a window large enough to hold it.
_PHONE = """
const frame = document.createElement("iframe");
frame.id = "phone"; frame.src = "/"; frame.allow = "cross-origin-isolated";
frame.style = "position: fixed; left: 0; top: 0; border: 0";
frame.width = arguments[0]; frame.height = arguments[1];
document.body.append(frame);
"""
_RESIZE = (
    "const f = parent.document.getElementById('phone');"
    " f.width = arguments[0]; f.height = arguments[1];"
)


def wait(driver, expression, seconds=300):
    deadline = time.monotonic() + seconds
    while not driver.execute_script("return " + expression):
        if time.monotonic() > deadline:
            raise TimeoutError(expression)
        time.sleep(0.2)


def main(origin, photo, portrait, out, first_screen):
    options = Options()
    options.binary_location = MINIBROWSER
    options.add_argument("--automation")
    driver = webdriver.WebKitGTK(options=options, service=Service(DRIVER))
    report = {"before": [], "after": {}}

    def settled():
        """The viewport once the window manager has applied the last resize (it is async)."""
        seen, deadline = None, time.monotonic() + 10
        while time.monotonic() < deadline:
            time.sleep(0.3)
            now = driver.execute_script("return [innerWidth, innerHeight]")
            if now == seen:
                break
            seen = now
        return seen

    def resize(width, height):
        """The page's viewport at exactly this size: the window grows by its frame, which is
        only known once a resize has settled, so correct until the viewport agrees."""
        frame = [0, 0]
        for _ in range(6):
            driver.set_window_size(width + frame[0], height + frame[1])
            inner = settled()
            if inner == [width, height]:
                return
            frame = [frame[0] + width - inner[0], frame[1] + height - inner[1]]
        raise RuntimeError(f"the viewport stays {inner}, not {width}x{height}")

    def boxes(width, height):
        """The first screen at this size of the page's viewport."""
        resize(width, height)
        return driver.execute_script(f"return ({first_screen})()")

    try:
        driver.set_script_timeout(120)
        driver.set_window_size(1366, 768)
        started = time.monotonic()
        driver.get(origin + "/")
        wait(driver, "document.body.dataset.tModel !== undefined")
        report["ready_s"] = time.monotonic() - started
        report["isolated"] = driver.execute_script("return crossOriginIsolated")
        report["before"].append(boxes(1366, 768))
        picked = time.monotonic()
        driver.find_element("id", "file").send_keys(photo)
        wait(driver, "Number(document.body.dataset.handled || 0) >= 1")
        report["cut_s"] = time.monotonic() - picked
        wait(driver, "!document.getElementById('download').hasAttribute('aria-disabled')")
        get = "return document.getElementById('%s').%s"
        report["state"] = driver.execute_script("return document.body.dataset.state")
        report["message"] = driver.execute_script(get % ("message", "textContent"))
        report["status"] = driver.execute_script(get % ("status", "textContent"))
        report["lacks"] = driver.execute_script(get % ("lacks", "textContent"))
        report["lacks_hidden"] = driver.execute_script(get % ("lacks", "hidden"))
        report["name"] = driver.execute_script(get % ("download", "download"))
        for width, height in ((1280, 720), (1366, 768)):
            report["after"][f"{width}x{height}"] = boxes(width, height)
        report["href"] = driver.execute_script(get % ("download", "href"))
        Path(out).write_bytes(base64.b64decode(driver.execute_script(_SHOWN)))
        driver.find_element("css selector", "button[data-lang=zh]").click()
        report["lang"] = driver.execute_script("return document.documentElement.lang")
        report["download_label"] = driver.execute_script(get % ("download", "textContent"))
        driver.execute_script("localStorage.clear()")  # the language chosen above
        driver.get(origin + "/how-it-works.html")
        resize(1366, 1000)
        driver.execute_script(_PHONE, 360, 640)
        driver.switch_to.frame(driver.find_element("id", "phone"))
        wait(driver, "document.body.dataset.tModel !== undefined")
        report["before"].append(driver.execute_script(f"return ({first_screen})()"))
        driver.execute_script(_RESIZE, 390, 844)
        driver.find_element("id", "file").send_keys(portrait)
        wait(driver, "Number(document.body.dataset.handled || 0) >= 1")
        for width, height in ((390, 844), (360, 640)):
            driver.execute_script(_RESIZE, width, height)
            time.sleep(0.5)
            seen = driver.execute_script(f"return ({first_screen})()")
            report["after"][f"{width}x{height}"] = seen
    finally:
        driver.quit()
    print(json.dumps(report))


if __name__ == "__main__":
    main(*sys.argv[1:5], Path(sys.argv[5]).read_text())
