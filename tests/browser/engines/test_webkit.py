"""The main flow in WebKit, Safari's engine (Debian's webkit2gtk-driver: WebKitWebDriver and
its MiniBrowser, under Xvfb, driven by Selenium): ready, a cut (the cut-out shown, as
the native oracle cuts it), the first screen, the download link, the language switch. make test
installs them."""

import json
import subprocess
import sys
from pathlib import Path

from PIL import Image

from bgzero.eval.groundtruth import photos
from first_screen import check_lacks, check_sizes
from oracle import assert_matches_native

FLOW = Path(__file__).with_name("webkit_flow.py")
FIRST_SCREEN = Path(__file__).parents[1] / "first_screen.js"
PET = photos("pets")[0]
PORTRAIT = photos("people")[0]


def test_webkit_picks_cuts_downloads_and_switches_language(origin, tmp_path):
    saved = tmp_path / "webkit.png"
    command = [sys.executable, str(FLOW), origin, str(PET), str(PORTRAIT), str(saved)]
    command = ["xvfb-run", "-a", "-s", "-screen 0 1920x1080x24", *command]
    done = subprocess.run(
        [*command, str(FIRST_SCREEN)], capture_output=True, text=True, timeout=900
    )
    assert done.returncode == 0, done.stderr[-4000:]
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report["state"] == "done" and report["message"] == "", report
    assert report["isolated"] and "threads" in report["status"], report
    assert report["name"] == f"{PET.stem}-nobg.png" and report["href"].startswith("blob:")
    assert Image.open(saved).size == Image.open(PET).size
    assert_matches_native(saved, PET)
    check_sizes(report)  # as in Chromium and Firefox
    check_lacks(report)
    assert report["lang"] == "zh-CN" and report["download_label"] == "下载 PNG"
    timing = f"ready {report['ready_s']:.1f} s, cut {report['cut_s']:.1f} s"
    print(f"WebKit: {timing}; {report['status']}; {report['lacks']}")
