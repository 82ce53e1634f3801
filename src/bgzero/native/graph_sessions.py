"""onnxruntime CPU sessions of the helper graphs the browser runs around a model (built by
bgzero.graphs: one session per setting, made on first use), and the threads every session of
this process takes."""

from functools import lru_cache, partial

import onnxruntime as ort

from bgzero.graphs.decontaminate import (
    build_decontaminate,
    build_decontaminate_apply,
    build_decontaminate_grids,
    build_decontaminate_low,
)
from bgzero.graphs.mix import build_mirror, build_mix
from bgzero.graphs.own_graphs import build_finisher, build_normaliser
from bgzero.graphs.prepare import build_prepare, build_prepare_finish, build_prepare_narrow
from bgzero.graphs.refine import (
    build_refine,
    build_refine_apply,
    build_refine_fit,
    build_refine_low,
)

# Threads of every session this process makes (0: onnxruntime's choice, all cores); a batch
# worker process takes its share.
_THREADS = 0


def set_threads(threads: int) -> None:
    global _THREADS
    _THREADS = threads


def options(threads: int = 0) -> ort.SessionOptions:
    options = ort.SessionOptions()
    options.intra_op_num_threads = threads or _THREADS
    return options


def graph_session(graph, threads: int = 0) -> ort.InferenceSession:
    """An onnxruntime CPU session of a graph (a ModelProto or its bytes)."""
    data = graph if isinstance(graph, bytes) else graph.SerializeToString()
    return ort.InferenceSession(data, options(threads), providers=["CPUExecutionProvider"])


def _built(build) -> ort.InferenceSession:
    return graph_session(build())


# The helper graphs without parameters: one session each, made on first use.
(
    normaliser_session,
    finisher_session,
    prepare_session,
    prepare_narrow_session,
    prepare_finish_session,
    mirror_session,
    refine_low_session,
    decontaminate_low_session,
    decontaminate_apply_session,
) = (
    lru_cache(maxsize=1)(partial(_built, build))
    for build in (
        build_normaliser,
        build_finisher,
        build_prepare,
        build_prepare_narrow,
        build_prepare_finish,
        build_mirror,
        build_refine_low,
        build_decontaminate_low,
        build_decontaminate_apply,
    )
)


@lru_cache(maxsize=4)
def refine_session(
    radius: int, eps: float, sharpen: float, threads: int = 0
) -> ort.InferenceSession:
    return graph_session(build_refine(radius, eps, sharpen), threads)


@lru_cache(maxsize=4)
def refine_fit_session(radius: int, eps: float) -> ort.InferenceSession:
    return graph_session(build_refine_fit(radius, eps))


@lru_cache(maxsize=4)
def refine_apply_session(sharpen: float) -> ort.InferenceSession:
    return graph_session(build_refine_apply(sharpen))


@lru_cache(maxsize=2)
def decontaminate_grids_session(wide: int, narrow: int, soften: int) -> ort.InferenceSession:
    return graph_session(build_decontaminate_grids(wide, narrow, soften))


@lru_cache(maxsize=4)
def mix_session(mix: str, weight: float, flip: bool) -> ort.InferenceSession:
    return graph_session(build_mix(mix, weight, flip))


@lru_cache(maxsize=2)
def decontaminate_session(
    wide: int, narrow: int, soften: int, threads: int = 0
) -> ort.InferenceSession:
    return graph_session(build_decontaminate(wide, narrow, soften), threads)
