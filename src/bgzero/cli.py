"""bgzero build | serve | remove | bench | eval: one sub-command per thing a user does."""

import argparse
import sys
from pathlib import Path

import uvicorn

from bgzero import __version__
from bgzero.dev.bench import run_bench
from bgzero.eval.evaluate import run_eval
from bgzero.models.assets import AssetError
from bgzero.models.cards import load_cards
from bgzero.native import batch, own, settings
from bgzero.server import create_app
from bgzero.site import build as site
from bgzero.web_shared import backgrounds, formats, onnx_info, own_model, shadows

DIST = Path("dist")


def _build(args) -> int:
    try:
        origins = [site.embed_origin(o) for o in args.embed_origin or []]
    except ValueError as error:
        print(f"bgzero build: --embed-origin {error}", file=sys.stderr)
        return 2
    try:
        manifest = site.build(args.dist, model_ids=args.model or None, embed_origins=origins)
    except AssetError as error:
        print(f"bgzero build: {error}", file=sys.stderr)
        return 1
    total = sum(f["size"] for f in manifest["files"].values())
    print(
        f"built {args.dist}: {len(manifest['files'])} files, {total / 1e6:.1f} MB, "
        f"version {manifest['version']}"
    )
    return 0


def _serve(args) -> int:
    try:
        app = create_app(args.dist)
    except FileNotFoundError as error:
        print(f"bgzero serve: {error}", file=sys.stderr)
        return 1
    print(f"BG Zero on http://{args.host}:{args.port}/")
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning")
    return 0


def _floats(text: str) -> list[float]:
    try:
        values = [float(v) for v in text.split(",")]
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not three numbers") from None
    if len(values) != 3:
        raise argparse.ArgumentTypeError(f"{text!r} is not three numbers (R,G,B)")
    return values


def _remove(args) -> int:
    if args.model_file and args.quality == "best":
        print(
            "bgzero remove: --quality best mixes the catalog's models, not --model-file",
            file=sys.stderr,
        )
        return 2
    if args.model_file:
        try:
            card = own.load(args.model_file, args.preset, args.size, args.mean, args.std)
        except (own_model.OwnModelError, onnx_info.OnnxError) as error:
            print(f"bgzero remove: --model-file {args.model_file}: {error}", file=sys.stderr)
            return 2
        args.model = card.id
    elif args.quality == "best" or args.model == settings.BEST:
        if args.model not in (None, settings.BEST):
            print(
                "bgzero remove: --quality best picks its own models; drop --model", file=sys.stderr
            )
            return 2
        args.model = settings.BEST
    elif args.model and args.model not in load_cards():
        print(
            f"bgzero remove: unknown model {args.model!r}; choose from {', '.join(load_cards())}",
            file=sys.stderr,
        )
        return 2
    try:
        background = backgrounds.parse(args.background)
    except backgrounds.BackgroundError as error:
        print(f"bgzero remove: --background: {error}", file=sys.stderr)
        return 2
    if background["kind"] == "image" and not Path(background["path"]).is_file():
        print(f"bgzero remove: --background: no such image {background['path']}", file=sys.stderr)
        return 2
    fields = {
        name: value
        for name in shadows.RANGES
        if (value := getattr(args, "shadow_" + name)) is not None
    }
    try:
        shadow = shadows.check(fields) if args.shadow or fields else None
    except shadows.ShadowError as error:
        print(f"bgzero remove: --shadow: {error}", file=sys.stderr)
        return 2
    if args.jobs is not None and args.jobs < 1:
        print("bgzero remove: --jobs must be at least 1", file=sys.stderr)
        return 2
    framing = {"crop": args.crop, "margin": args.margin, "max_side": args.max_side}
    options = batch.Options(args.model, args.format, background, framing, shadow)
    if args.engine == "ray":
        try:  # Ray is the optional extra: bgzero[ray]
            from bgzero.native import ray_engine
        except ImportError:
            print(
                "bgzero remove: --engine ray needs Ray: pip install 'bgzero[ray]'", file=sys.stderr
            )
            return 2
        run = ray_engine.run
    else:
        run = _run_here
    try:
        lines = run(
            args.photos, args.out, options, args.glob, args.jobs, args.skip_existing, args.report
        )
    except AssetError as error:  # the model itself could not be had: no photo can be cut
        print(f"bgzero remove: {error}", file=sys.stderr)
        return 1
    if not lines:
        print("bgzero remove: no photos found", file=sys.stderr)
        return 1
    counts = dict.fromkeys(("done", "skipped", "failed"), 0)
    for line in lines:
        counts[line["status"]] += 1
        if line["status"] == "failed":
            print(f"bgzero remove: {line['message']}", file=sys.stderr)
    skipped = f", {counts['skipped']} already there" if counts["skipped"] else ""
    print(f"{counts['done']} of {len(lines)} photos written to {args.out}{skipped}")
    return 1 if counts["failed"] else 0


def _run_here(photos, out, options, glob, jobs, skip_existing, report) -> list[dict]:
    """batch.run on this machine, with ray_engine.run's arguments."""
    found = batch.collect([Path(p) for p in photos], Path(out), options.format_id, glob)
    return batch.run(found, options, jobs, skip_existing, report)


def _bench(args) -> int:
    return run_bench(args)


def _eval(args) -> int:
    return run_eval(args)


def _choice(group, flag: str, choices, default: str, text: str) -> None:
    group.add_argument(flag, choices=list(choices), default=default, help=text)


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(prog="bgzero", description=__doc__)
    root.add_argument("--version", action="version", version=__version__)
    commands = root.add_subparsers(dest="command", required=True)

    build = commands.add_parser("build", help="assemble the static site into DIST")
    build.add_argument("--dist", type=Path, default=DIST)
    build.add_argument(
        "--model", action="append", help="only these models (the default model is always built)"
    )
    build.add_argument(
        "--embed-origin",
        action="append",
        metavar="ORIGIN",
        help="a parent origin allowed to embed embed.html and use its "
        "postMessage API, e.g. https://example.com (repeatable)",
    )
    build.set_defaults(run=_build)

    serve = commands.add_parser("serve", help="serve DIST with the isolation headers")
    serve.add_argument("--dist", type=Path, default=DIST)
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.set_defaults(run=_serve)

    remove = commands.add_parser("remove", help="cut out photos natively, same graphs")
    remove.add_argument(
        "photos", nargs="+", help="photos, and folders searched recursively (ray: or URIs)"
    )
    remove.add_argument("-o", "--out", required=True, help="output folder (ray: or URI)")
    remove.add_argument(
        "--glob", help="what to take from folders, e.g. '*.jpg' (default: every photo type)"
    )
    remove.add_argument(
        "--skip-existing", action="store_true", help="leave outputs already written (resume)"
    )
    remove.add_argument("--report", type=Path, help="write one JSON line per photo here")
    remove.add_argument(
        "-j",
        "--jobs",
        type=int,
        help="photos cut at once, in as many processes (default: one per core from 8 photos"
        " a core on; ray: actors, default CPUs / 2)",
    )
    remove.add_argument(
        "--engine",
        choices=["local", "ray"],
        default="local",
        help="ray: on Ray Data, this machine or the cluster at RAY_ADDRESS",
    )
    remove.add_argument(
        "--quality",
        choices=["fast", "best"],
        default="fast",
        help="fast: one model (--model, default: the card marked default); best: two models'"
        " masks mixed, slower (docs/quality.md)",
    )
    remove.add_argument("--model", help="model card id (default: the card marked default), or best")
    own = remove.add_argument_group("your own model (instead of --model)")
    own.add_argument("--model-file", type=Path, help="a segmentation model (.onnx) you bring")
    _choice(
        own,
        "--preset",
        own_model.ORDER,
        own_model.DEFAULT_PRESET,
        "its input size and normalisation (default: %(default)s)",
    )
    own.add_argument("--size", type=int, help="input edge, where the model leaves it free")
    own.add_argument("--mean", type=_floats, help="R,G,B means of x = bytes / 255")
    own.add_argument("--std", type=_floats, help="R,G,B standard deviations")
    _choice(
        remove,
        "--format",
        formats.FORMATS,
        formats.DEFAULT,
        "png, webp (with alpha), jpeg (on white) or mask (the alpha as greyscale PNG)",
    )
    remove.add_argument(
        "--background",
        default="none",
        help="none, a colour (#ffffff), blur or blur:STRENGTH (1-50), or an image file",
    )
    remove.add_argument("--shadow", action="store_true", help="a soft shadow under the subject")
    for name, meaning in (
        ("blur", "its softness, thousandths of the long side"),
        ("offset", "its drop, thousandths of the long side"),
        ("opacity", "in percent"),
    ):
        low, high = shadows.RANGES[name]
        default = shadows.DEFAULT[name]
        remove.add_argument(
            "--shadow-" + name,
            type=float,
            metavar="N",
            help=f"the shadow's {name} ({low}-{high}, {meaning}; default {default})",
        )
    remove.add_argument("--crop", action="store_true", help="crop to the subject")
    remove.add_argument("--margin", type=int, default=20, help="pixels around a --crop")
    remove.add_argument("--max-side", type=int, help="scale down to this longest side")
    remove.set_defaults(run=_remove)

    bench = commands.add_parser("bench", help="stage timings in headless Chromium vs native")
    bench.add_argument("--dist", type=Path, default=DIST)
    bench.add_argument("--model", action="append", help="model ids (default: all)")
    bench.add_argument("--images", type=int, default=3, help="photos per model")
    bench.add_argument(
        "--worker",
        action="append",
        choices=["mpy", "py"],
        help="worker interpreters to compare (default: both)",
    )
    bench.add_argument(
        "--section",
        action="append",
        choices=["start", "browser", "memory", "queue", "cli"],
        help="the first cut-out from navigation on a first and a return visit, the page in"
        " Chromium beside native, the renderer's memory at each step of a 12 MP cut, the"
        " queue's memory over many 12 MP photos, or batch photos/s beside rembg (default: all)",
    )
    bench.add_argument("--queue", type=int, default=100, help="photos in the queue section")
    bench.add_argument("--json", help="also write the timings to this file")
    bench.set_defaults(run=_bench)
    evaluate = commands.add_parser("eval", help="cutout quality vs the ground-truth sets")
    evaluate.add_argument("--model", action="append", help="model ids (default: all)")
    evaluate.add_argument(
        "--set", action="append", help="sets to score (default: every one found, and composites)"
    )
    evaluate.add_argument("--limit", type=int, help="photos per set (default: all)")
    evaluate.add_argument(
        "--clicks",
        type=int,
        default=0,
        help="simulate a user correcting the default cut-out with N clicks instead",
    )
    evaluate.add_argument("--json", help="also write the tables to this file")
    evaluate.add_argument("--markdown", help="also write the tables and choices as Markdown")
    evaluate.set_defaults(run=_eval)
    return root


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    return args.run(args)
