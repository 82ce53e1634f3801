"""docs/screenshots/: the tool's first screen after a cut-out, on a laptop (a landscape photo)
and a phone (a portrait one), in both languages, light and dark, the before/after handle part
way (python -m bgzero.dev.screenshots; a Chinese font must be installed, e.g. Debian's
fonts-wqy-microhei, or the Chinese text shows as boxes)."""

import argparse
from pathlib import Path

from playwright.sync_api import sync_playwright

from bgzero.dev.driver import CHROMIUM, CHROMIUM_ARGS, AppPage, free_port, serve
from bgzero.eval.groundtruth import photos

SIZES = {"desktop": {"width": 1366, "height": 768}, "phone": {"width": 390, "height": 844}}
PHOTOS = {"desktop": photos("pets")[0], "phone": photos("people")[0]}


def take(dist: Path, out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    port = free_port()
    server = serve(dist, port)
    written = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for lang, locale in (("en", "en-US"), ("zh", "zh-CN")):
                for scheme in ("light", "dark"):
                    for device, viewport in SIZES.items():
                        phone = device == "phone"
                        context = browser.new_context(
                            locale=locale,
                            color_scheme=scheme,
                            viewport=viewport,
                            has_touch=phone,
                            is_mobile=phone,
                        )
                        app = AppPage(context.new_page(), f"http://127.0.0.1:{port}")
                        app.open()
                        app.cut(PHOTOS[device])
                        app.page.fill("#compare", "60")  # the photo shows right of the handle
                        app.page.evaluate("document.activeElement.blur()")
                        path = out / f"tool-{device}-{lang}-{scheme}.png"
                        app.page.screenshot(path=str(path))
                        written.append(path)
                        context.close()
            browser.close()
    finally:
        server.terminate()
        server.wait(10)
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--dist", type=Path, default=Path("dist"))
    parser.add_argument("--out", type=Path, default=Path("docs/screenshots"))
    args = parser.parse_args()
    for path in take(args.dist, args.out):
        print(path)


if __name__ == "__main__":
    main()
