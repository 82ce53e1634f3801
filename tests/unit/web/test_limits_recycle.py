"""When the page replaces its worker after a cut (limits.replaces_worker)."""

from shared import limits


def test_a_worker_is_replaced_when_the_photos_stages_grew_its_memory_a_lot():
    mb = 1024 * 1024
    # u2netp beside LiteRT.js: 1920x1080 grew onnxruntime-web's heap by ~181 MB, 12 MP ~385
    assert not limits.replaces_worker(1920 * 1080, 181 * mb)
    assert limits.replaces_worker(4000 * 3000, 385 * mb)
    # IS-Net: a 12 MP photo's stages fit in the heap its model already has
    assert not limits.replaces_worker(4000 * 3000, 0)
    assert not limits.replaces_worker(50_000_000, limits.RECYCLE_BYTES)


def test_where_the_worker_cannot_count_its_memory_the_photos_size_decides():
    assert limits.replaces_worker(limits.RECYCLE_PIXELS + 1, None)
    assert not limits.replaces_worker(limits.RECYCLE_PIXELS, None)
    assert not limits.replaces_worker(1920 * 1080, None)
