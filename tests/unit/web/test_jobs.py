"""The batch queue's rules (src/web/shared/jobs.py), natively."""

import pytest

from shared.jobs import JobError, Queue


def test_rows_move_through_their_states_in_order():
    queue = Queue()
    cat, dog, bad = queue.add(["cat.jpg", "dog.png", "notes.jpg"])
    assert queue.next_waiting() is cat and [r.id for r in queue.rows] == [1, 2, 3]
    queue.start(cat)
    assert queue.next_waiting() is dog
    queue.finish(cat, "cat-nobg.png")
    queue.start(dog)
    queue.cancelled(dog)
    queue.start(bad)
    queue.fail(bad, "notes.jpg is not an image")
    assert queue.counts() == {"waiting": 0, "cutting": 0, "done": 1, "failed": 1, "cancelled": 1}
    assert queue.next_waiting() is None
    queue.retry(dog)
    assert queue.next_waiting() is dog and dog.state == "waiting"
    with pytest.raises(JobError):
        queue.finish(bad, "x.png")  # only a cutting row finishes
    with pytest.raises(JobError):
        queue.retry(cat)  # done stays done


def test_a_cutting_row_cannot_be_removed_and_others_can():
    queue = Queue()
    first, second = queue.add(["a.jpg", "b.jpg"])
    queue.start(first)
    with pytest.raises(JobError):
        queue.remove(first)
    queue.remove(second)
    assert queue.rows == [first] and queue.get(2) is None and queue.get(1) is first


def test_zip_names_are_unique_and_only_of_finished_rows():
    queue = Queue()
    rows = queue.add(["cat.jpg", "cat.png", "dog.jpg", "Cat.webp"])
    for row, output in zip(rows, ["cat-nobg.png", "cat-nobg.png", None, "Cat-nobg.png"]):
        queue.start(row)
        if output:
            queue.finish(row, output)
        else:
            queue.fail(row, "broken")
    assert [(r.name, name) for r, name in queue.zip_names()] == [
        ("cat.jpg", "cat-nobg.png"),
        ("cat.png", "cat-nobg-2.png"),
        ("Cat.webp", "Cat-nobg-3.png"),
    ]


def test_zip_names_follow_the_format_chosen_now():
    queue = Queue()
    rows = queue.add(["cat.jpg", "cat.png", "dog.webp"])
    for row in rows:
        queue.start(row)
        queue.finish(row, "whatever-nobg.png")
    assert [name for _, name in queue.zip_names("jpeg")] == [
        "cat-nobg.jpg",
        "cat-nobg-2.jpg",
        "dog-nobg.jpg",
    ]
