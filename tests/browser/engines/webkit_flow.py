"""The main flow in WebKit (Safari's engine: Debian's WebKitGTK MiniBrowser, driven over
WebDriver by Selenium), run under xvfb-run by test_webkit.py: ready, pick a photo, the cut-out,
the first screen on a laptop and at a phone's width, the download link, the language.
python webkit_flow.py ORIGIN PHOTO OUT_PNG FIRST_SCREEN_JS -> one JSON line"""

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
# The cut-out as the page shows it (the download is encoded from this canvas): MiniBrowser
# under WebDriver neither saves downloads nor lets a script load their blob: URL.
_SHOWN = "return document.getElementById('result').toDataURL('image/png').split(',')[1]"


def wait(driver, expression, seconds=300):
    deadline = time.monotonic() + seconds
    while not driver.execute_script("return " + expression):
        if time.monotonic() > deadline:
            raise TimeoutError(expression)
        time.sleep(0.2)


def main(origin, photo, out, first_screen):
    options = Options()
    options.binary_location = MINIBROWSER
    options.add_argument("--automation")
    driver = webdriver.WebKitGTK(options=options, service=Service(DRIVER))
    report = {}
    try:
        driver.set_script_timeout(120)
        driver.set_window_size(1366, 768)
        started = time.monotonic()
        driver.get(origin + "/")
        wait(driver, "document.body.dataset.tModel !== undefined")
        report["ready_s"] = time.monotonic() - started
        report["isolated"] = driver.execute_script("return crossOriginIsolated")
        picked = time.monotonic()
        driver.find_element("id", "file").send_keys(photo)
        wait(driver, "Number(document.body.dataset.handled || 0) >= 1")
        report["cut_s"] = time.monotonic() - picked
        wait(driver, "!document.getElementById('download').hasAttribute('aria-disabled')")
        get = "return document.getElementById('%s').%s"
        report["state"] = driver.execute_script("return document.body.dataset.state")
        report["message"] = driver.execute_script(get % ("message", "textContent"))
        report["status"] = driver.execute_script(get % ("status", "textContent"))
        report["name"] = driver.execute_script(get % ("download", "download"))
        report["desktop"] = driver.execute_script(f"return ({first_screen})()")
        driver.set_window_size(390, 844)
        time.sleep(0.5)
        report["phone"] = driver.execute_script(f"return ({first_screen})()")
        report["href"] = driver.execute_script(get % ("download", "href"))
        Path(out).write_bytes(base64.b64decode(driver.execute_script(_SHOWN)))
        driver.find_element("css selector", "button[data-lang=zh]").click()
        report["lang"] = driver.execute_script("return document.documentElement.lang")
        report["download_label"] = driver.execute_script(get % ("download", "textContent"))
    finally:
        driver.quit()
    print(json.dumps(report))


if __name__ == "__main__":
    main(*sys.argv[1:3], sys.argv[3], Path(sys.argv[4]).read_text())
