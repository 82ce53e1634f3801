"""`bgzero remove --engine ray`: the same cut-outs on Ray Data, so a folder of 100,000 photos
on shared storage runs on a Ray cluster with no new code.

The driver lists the photos (a local or shared path, or any URI pyarrow's filesystems read:
s3://, gs://, hdfs://...) and names the outputs exactly as `bgzero remove` does; Ray Data
spreads (photo, output) rows over actors, each holding one onnxruntime session per model
(batch.start_worker) and writing its files itself, so no image crosses back to the driver.
Without RAY_ADDRESS Ray starts on this machine; with it, the run joins that cluster.
"""

import io
import os
import posixpath
import time
from pathlib import Path

import ray
from pyarrow import fs

from bgzero.native import batch, pipeline, settings

ROWS_PER_BATCH = 4  # photos an actor takes at once: enough to keep it busy, few to rebalance


def _filesystem(location: str):
    """(pyarrow filesystem, its path) of a URI, or of a local path made absolute."""
    if "://" in location:
        return fs.FileSystem.from_uri(location)
    return fs.LocalFileSystem(), str(Path(location).resolve())


def _join(base: str, relative: str) -> str:
    return base.rstrip("/") + "/" + relative if "://" in base else str(Path(base) / relative)


def plan(locations: list[str], out: str, format_id: str, glob: str | None = None) -> list[tuple]:
    """(photo, output) locations for every photo, with bgzero remove's names."""
    found = []
    for location in locations:
        filesystem, root = _filesystem(location)
        if filesystem.get_file_info(root).type != fs.FileType.Directory:
            found.append((location, "."))
            continue
        infos = filesystem.get_file_info(fs.FileSelector(root, recursive=True))
        files = sorted(
            i.path for i in infos if i.type == fs.FileType.File and batch.wanted(i.base_name, glob)
        )
        for path in files:
            relative = posixpath.relpath(path, root)
            found.append((_join(location, relative), posixpath.dirname(relative) or "."))
    return [(photo, _join(out, output)) for photo, output in batch.outputs(found, format_id)]


def _exists(location: str) -> bool:
    filesystem, path = _filesystem(location)
    return filesystem.get_file_info(path).type == fs.FileType.File


def cut_one(photo: str, output: str, options: batch.Options) -> dict:
    """batch.cut_one over pyarrow filesystems: read, cut, write (local: renamed into place)."""
    started = time.perf_counter()
    line = {"photo": photo, "output": output}
    try:
        filesystem, path = _filesystem(photo)
        try:
            with filesystem.open_input_stream(path) as stream:
                data = stream.readall()
        except (FileNotFoundError, OSError):
            raise pipeline.PhotoError(f"{photo}: no such file") from None
        image = pipeline.open_photo(io.BytesIO(data), photo)
        encoded = io.BytesIO()
        batch.make(image, options, encoded)
        filesystem, path = _filesystem(output)
        filesystem.create_dir(posixpath.dirname(path), recursive=True)
        local = "://" not in output
        with filesystem.open_output_stream(path + ".part" if local else path) as stream:
            stream.write(encoded.getvalue())
        if local:  # object stores publish a file whole; a file system needs the rename
            os.replace(path + ".part", path)
    except pipeline.PhotoError as error:
        return batch.failed(line, started, error)
    return batch.done(line, started)


class _Cutter:
    """A Ray actor: one process, its sessions made once, rows of (index, photo, output)."""

    def __init__(self, options: batch.Options, threads: int, own: tuple | None):
        batch.start_worker(min(threads, os.cpu_count() or 1), own)
        self.options = options

    def __call__(self, rows: dict) -> dict:
        lines = [
            {"index": int(i), **cut_one(str(p), str(o), self.options)}
            for i, p, o in zip(rows["index"], rows["photo"], rows["output"], strict=True)
        ]
        return {key: [line[key] for line in lines] for key in lines[0]} if lines else rows


def run(
    locations: list[str],
    out: str,
    options: batch.Options,
    glob: str | None = None,
    actors: int | None = None,
    skip_existing: bool = False,
    report: Path | None = None,
) -> list[dict]:
    """batch.run on Ray: one report line per photo, in the listing's order."""
    pairs = plan(locations, out, options.format_id, glob)
    lines: list[dict | None] = [None] * len(pairs)
    rows = []
    for i, (photo, output) in enumerate(pairs):
        if skip_existing and _exists(output):
            lines[i] = batch.skipped(photo, output)
        else:
            rows.append({"index": i, "photo": photo, "output": output})
    started_here = not ray.is_initialized()
    if started_here:
        ray.init(
            address=os.environ.get("RAY_ADDRESS"), include_dashboard=False, log_to_driver=False
        )
    try:
        if rows:
            cpus = int(ray.cluster_resources().get("CPU", 1))
            actors = actors or max(1, cpus // 2)
            threads = max(1, cpus // actors)
            dataset = ray.data.from_items(rows).map_batches(
                _Cutter,
                fn_constructor_args=(options, threads, settings.registered(options.model)),
                batch_size=ROWS_PER_BATCH,
                concurrency=actors,
                num_cpus=threads,
            )
            for line in dataset.iter_rows():
                index = line.pop("index")
                lines[index] = dict(line)
    finally:
        if started_here:
            ray.shutdown()
    finished = [line for line in lines if line is not None]
    batch.write_report(finished, report)
    return finished
