"""Many photos from the command line (`bgzero remove PATH...`): find them, cut them in one or
more processes, skip what is already done, report each one.

Outputs mirror the folders they came from under the output folder; a name two photos would
share gets -2, -3 (shared/naming.unique). Each file is written beside its final name and
renamed when complete, so a run that stops leaves no half-written file for --skip-existing
to mistake for a finished one.
"""

import json
import os
import posixpath
import sys
import time
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from fnmatch import fnmatchcase
from multiprocessing import get_context
from pathlib import Path

from tqdm import tqdm

from bgzero.native import graph_sessions, output, pipeline, settings
from bgzero.web_shared import backgrounds, formats, naming

PHOTOS_PER_WORKER = 8  # below this many photos per process, one process is faster
# What a folder is searched for when no --glob is given (the page's formats, and those
# Pillow reads that cameras and scanners write).
PHOTO_SUFFIXES = {
    ".jpg",
    ".jpeg",
    ".png",
    ".webp",
    ".gif",
    ".bmp",
    ".tif",
    ".tiff",
    ".avif",
    ".heic",
    ".heif",
}


@dataclass(frozen=True)
class Job:
    photo: Path
    output: Path


@dataclass(frozen=True)
class Options:
    """How every photo of a run is cut and written."""

    model: str | None
    format_id: str = formats.DEFAULT
    background: dict | None = None
    framing: dict | None = None
    shadow: dict | None = None


def wanted(name: str, glob: str | None) -> bool:
    """Whether a file found in a folder is taken: by --glob, else by its suffix."""
    if glob:
        return fnmatchcase(name, glob)
    return posixpath.splitext(name)[1].lower() in PHOTO_SUFFIXES


def outputs(found: Iterable[tuple], format_id: str) -> list[tuple]:
    """(photo, output relative to the output folder, as a POSIX path) for (photo, folder)
    pairs in order; a name taken in its folder gets -2, -3 (shared/naming.unique)."""
    taken: dict[str, set] = {}
    pairs = []
    for photo, folder in found:
        name = formats.file_name(posixpath.basename(str(photo)), format_id)
        name = naming.unique(name, taken.setdefault(folder, set()))
        pairs.append((photo, posixpath.normpath(posixpath.join(folder, name))))
    return pairs


def collect(paths: list[Path], out_dir: Path, format_id: str, glob: str | None = None) -> list[Job]:
    """A Job per photo: files as given, folders searched recursively (sorted, so a rerun
    names every output the same)."""
    found = []
    for path in paths:
        if path.is_dir():
            files = sorted(p for p in path.rglob("*") if p.is_file() and wanted(p.name, glob))
            found += [(p, p.relative_to(path).parent.as_posix()) for p in files]
        else:
            found.append((path, "."))  # a missing file fails as the photo it is, with the rest
    return [Job(photo, out_dir / output) for photo, output in outputs(found, format_id)]


def make(photo, options: Options, target) -> None:
    """The cut-out of an opened photo, written to `target` (a path or a binary file)."""
    result = pipeline.cutout(photo, pipeline.default_setting(options.model))
    behind = output.backdrop(options.background or backgrounds.NONE, photo)
    output.save(result, target, options.format_id, behind, options.framing, options.shadow)


def cut_one(job: Job, options: Options) -> dict:
    """One photo, written; its report line (status, seconds, message)."""
    started = time.perf_counter()
    line = {"photo": str(job.photo), "output": str(job.output)}
    try:
        photo = pipeline.open_photo(job.photo)
        job.output.parent.mkdir(parents=True, exist_ok=True)
        partial = job.output.with_name(job.output.name + ".part")
        make(photo, options, partial)
        os.replace(partial, job.output)
    except pipeline.PhotoError as error:
        return failed(line, started, error)
    return done(line, started)


def done(line: dict, started: float) -> dict:
    return {**line, "status": "done", "seconds": _since(started), "message": ""}


def failed(line: dict, started: float, error: Exception) -> dict:
    return {**line, "status": "failed", "seconds": _since(started), "message": str(error)}


def skipped(photo, output) -> dict:
    return {
        "photo": str(photo),
        "output": str(output),
        "status": "skipped",
        "seconds": 0.0,
        "message": "already there",
    }


def write_report(lines: list[dict], report: Path | None) -> None:
    if report is not None:
        report.parent.mkdir(parents=True, exist_ok=True)
        report.write_text("".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines))


def _since(started: float) -> float:
    return round(time.perf_counter() - started, 3)


def start_worker(threads: int, own: tuple | None) -> None:
    """Set up a process that cuts: its share of threads, and a brought model if any."""
    graph_sessions.set_threads(threads)
    if own is not None:  # a brought model lives in the parent's registry: register it here
        settings.register(*own)


def default_workers(photos: int) -> int:
    """Processes when --jobs is not given: one per core for a folder's worth of photos (each
    process pays ~1 s to start), one for a handful."""
    return max(1, min(os.cpu_count() or 1, photos // PHOTOS_PER_WORKER))


def run(
    jobs: list[Job],
    options: Options,
    workers: int | None = None,
    skip_existing: bool = False,
    report: Path | None = None,
) -> list[dict]:
    """Cut every job, `workers` processes at once (None: default_workers), each with its
    share of the cores; one report line per job, in the jobs' order (also written to
    `report` as JSON lines)."""
    lines: list[dict | None] = [None] * len(jobs)
    todo = []
    for i, job in enumerate(jobs):
        if skip_existing and job.output.is_file():
            lines[i] = {
                "photo": str(job.photo),
                "output": str(job.output),
                "status": "skipped",
                "seconds": 0.0,
                "message": "already there",
            }
        else:
            todo.append(i)
    workers = workers or default_workers(len(todo))
    bar = tqdm(total=len(todo), unit="photo", file=sys.stderr, disable=None, dynamic_ncols=True)
    with bar:
        if workers <= 1:
            for i in todo:
                lines[i] = cut_one(jobs[i], options)
                bar.update()
        else:
            threads = max(1, (os.cpu_count() or 1) // workers)
            own = settings.registered(options.model)
            with ProcessPoolExecutor(
                workers, get_context("spawn"), start_worker, (threads, own)
            ) as pool:
                futures = {i: pool.submit(cut_one, jobs[i], options) for i in todo}
                for i, future in futures.items():
                    lines[i] = future.result()
                    bar.update()
    finished = [line for line in lines if line is not None]
    write_report(finished, report)
    return finished
