"""`bgzero remove` on many photos: folders, names, resume, report, exit status, processes."""

import json
import os
import shutil
import signal
import subprocess
import sys
import time

from PIL import Image

from bgzero.cli import main
from bgzero.eval.groundtruth import GT
from bgzero.native.batch import collect

PETS = sorted((GT / "pets" / "images").glob("*.jpg"))


def _folder(tmp_path, count=3):
    """photos/a/<pet>.jpg..., photos/b/<pet>.png (same stem as a's first), a note."""
    root = tmp_path / "photos"
    (root / "a").mkdir(parents=True)
    (root / "b").mkdir()
    for pet in PETS[:count]:
        shutil.copy(pet, root / "a" / pet.name)
    with Image.open(PETS[0]) as image:
        image.save(root / "b" / f"{PETS[0].stem}.png")
        image.save(root / "a" / f"{PETS[0].stem}.png")  # same stem as a .jpg beside it
    (root / "a" / "notes.txt").write_text("not a photo")
    return root


def test_folders_are_searched_recursively_and_mirrored(tmp_path):
    root = _folder(tmp_path)
    out = tmp_path / "out"
    assert main(["remove", str(root), "-o", str(out)]) == 0
    written = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    first = PETS[0].stem
    expected = [f"a/{p.stem}-nobg.png" for p in PETS[:3]] + [
        f"a/{first}-nobg-2.png",  # the .png twin of a/<first>.jpg gets a name of its own
        f"b/{first}-nobg.png",
    ]
    assert written == sorted(expected)
    for path in out.rglob("*.png"):
        with Image.open(path) as image:
            assert image.mode == "RGBA"


def test_glob_chooses_what_folders_give(tmp_path):
    root = _folder(tmp_path)
    jobs = collect([root], tmp_path / "out", "png", "*.png")
    assert sorted(j.photo.relative_to(root).as_posix() for j in jobs) == [
        f"a/{PETS[0].stem}.png",
        f"b/{PETS[0].stem}.png",
    ]
    # Stable: the same folder gives the same names on every run.
    assert collect([root], tmp_path / "out", "png") == collect([root], tmp_path / "out", "png")


def test_report_lines_and_exit_status(tmp_path, capsys):
    root = _folder(tmp_path, count=1)
    (root / "a" / "broken.jpg").write_bytes(PETS[1].read_bytes()[:2000])
    report = tmp_path / "report.jsonl"
    assert main(["remove", str(root), "-o", str(tmp_path / "out"), "--report", str(report)]) == 1
    lines = [json.loads(line) for line in report.read_text().splitlines()]
    by_photo = {os.path.relpath(line["photo"], root): line for line in lines}
    assert sorted(by_photo) == sorted(
        [f"a/{PETS[0].name}", f"a/{PETS[0].stem}.png", f"b/{PETS[0].stem}.png", "a/broken.jpg"]
    )
    broken = by_photo["a/broken.jpg"]
    assert broken["status"] == "failed" and "damaged or incomplete" in broken["message"]
    assert not os.path.exists(broken["output"])
    for line in lines:
        assert set(line) == {"photo", "output", "status", "seconds", "message"}
        assert line["seconds"] >= 0
        if line is not broken:
            assert line["status"] == "done" and os.path.isfile(line["output"])
    assert "broken.jpg: the image is damaged or incomplete" in capsys.readouterr().err


def test_an_interrupted_run_resumes_with_skip_existing(tmp_path):
    photos = tmp_path / "photos"
    photos.mkdir()
    for pet in PETS[:8]:
        shutil.copy(pet, photos / pet.name)
    out = tmp_path / "out"
    command = [sys.executable, "-m", "bgzero", "remove", str(photos), "-o", str(out)]
    run = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 300
    while not list(out.rglob("*-nobg.png")) and time.monotonic() < deadline:
        time.sleep(0.05)
    run.send_signal(signal.SIGKILL)  # as hard as a stop gets: mid-photo, no clean-up
    run.wait()
    finished = {p.name: p.stat().st_mtime_ns for p in out.glob("*-nobg.png")}
    assert 1 <= len(finished) < 8, finished
    report = tmp_path / "report.jsonl"
    assert (
        main(["remove", str(photos), "-o", str(out), "--skip-existing", "--report", str(report)])
        == 0
    )
    lines = [json.loads(line) for line in report.read_text().splitlines()]
    skipped = {os.path.basename(x["output"]) for x in lines if x["status"] == "skipped"}
    done = {os.path.basename(x["output"]) for x in lines if x["status"] == "done"}
    assert skipped == set(finished) and len(done) == 8 - len(finished)
    assert {
        p.name: p.stat().st_mtime_ns for p in out.glob("*-nobg.png") if p.name in finished
    } == finished
    assert sorted(p.name for p in out.iterdir()) == sorted(f"{p.stem}-nobg.png" for p in PETS[:8])


def test_two_jobs_write_the_same_bytes_as_one(tmp_path):
    photos = tmp_path / "photos"
    photos.mkdir()
    for pet in PETS[:4]:
        shutil.copy(pet, photos / pet.name)
    one, two = tmp_path / "one", tmp_path / "two"
    assert main(["remove", str(photos), "-o", str(one)]) == 0
    assert main(["remove", str(photos), "-o", str(two), "--jobs", "2"]) == 0
    names = sorted(p.name for p in one.iterdir())
    assert names == sorted(p.name for p in two.iterdir()) and len(names) == 4
    for name in names:
        assert (one / name).read_bytes() == (two / name).read_bytes(), name


def test_the_ray_engine_on_a_local_ray_writes_the_same_bytes(tmp_path, monkeypatch, capsys):
    monkeypatch.delenv("RAY_ADDRESS", raising=False)  # a local Ray, started by the command
    root = _folder(tmp_path, count=2)
    (root / "b" / "broken.jpg").write_bytes(PETS[1].read_bytes()[:2000])
    local, on_ray, report = tmp_path / "local", tmp_path / "ray", tmp_path / "ray.jsonl"
    assert main(["remove", str(root), "-o", str(local)]) == 1
    command = ["remove", str(root), "-o", str(on_ray), "--report", str(report)]
    assert main([*command, "--engine", "ray", "--jobs", "2"]) == 1
    files = sorted(p.relative_to(local) for p in local.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(on_ray) for p in on_ray.rglob("*") if p.is_file())
    assert len(files) == 4
    for name in files:
        assert (local / name).read_bytes() == (on_ray / name).read_bytes(), name
    lines = [json.loads(line) for line in report.read_text().splitlines()]
    statuses = {os.path.relpath(line["photo"], root): line["status"] for line in lines}
    assert statuses.pop("b/broken.jpg") == "failed" and set(statuses.values()) == {"done"}
    assert "broken.jpg: the image is damaged or incomplete" in capsys.readouterr().err
