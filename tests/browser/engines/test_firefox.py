"""The main flow in Firefox ESR (Debian's), driven over WebDriver BiDi by puppeteer-core
(npm): pick, cut, download, language switch. make test installs both."""

import json
import subprocess
from pathlib import Path

from bgzero.eval.groundtruth import photos
from bgzero.models import assets
from bgzero.repo import ROOT
from first_screen import check_lacks, check_sizes
from oracle import assert_matches_native

FIREFOX = "/usr/bin/firefox-esr"
FLOW = Path(__file__).with_name("firefox_flow.mjs")
PETS = photos("pets")
PORTRAIT = photos("people")[0]


def test_firefox_picks_cuts_downloads_and_switches_language(origin, tmp_path):
    modules = assets.npm_modules(assets.cache_dir(), ROOT)
    done = subprocess.run(
        [
            "node",
            str(FLOW),
            str(modules),
            origin,
            str(PETS[0]),
            str(PORTRAIT),
            str(tmp_path),
            FIREFOX,
        ],
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert done.returncode == 0, done.stderr[-4000:]
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report["state"] == "done", report
    assert report["isolated"] and "2 threads" in report["status"], report
    assert report["name"] == f"{PETS[0].stem}-nobg.png"
    assert report["lang"] == "zh-CN" and report["download_label"] == "下载 PNG"
    assert report["errors"] == []
    assert report["saved"] == str(tmp_path / report["name"]), report
    assert_matches_native(report["saved"], PETS[0])
    check_sizes(report)  # the first screen as in Chromium (pages/test_layout.py)
    check_lacks(report)
    timing = f"ready {report['ready_s']:.1f} s, cut {report['cut_s']:.1f} s"
    print(f"Firefox: {timing}; {report['status']}; {report['lacks']}")
