"""The page's batch queue as plain data: photos in the order they came, each on its way
through the cutter. The page (app.py) runs it and draws it (queue_view.py); the browser's
objects a row needs (its File, result Blob, thumbnail URL) hang on the row, unread here.

waiting -> cutting -> done | failed | cancelled;  failed | cancelled -> waiting (retry);
waiting -> cancelled (cancel before its turn); a cutting row is cancelled by the cutter.
"""

from shared import formats, naming

STATES = ("waiting", "cutting", "done", "failed", "cancelled")


# state -> the actions a row offers, in order
ACTIONS = {
    "waiting": ("cancel", "remove"),
    "cutting": ("cancel",),
    "done": ("open", "download", "remove"),
    "failed": ("retry", "remove"),
    "cancelled": ("retry", "remove"),
}


class JobError(ValueError):
    pass


class Row:
    def __init__(self, row_id, name):
        self.id = row_id
        self.name = name
        self.state = "waiting"
        self.message = ""  # why it failed
        self.stage = None  # the cutter's stage while cutting
        self.output = None  # the result's file name once done
        self.file = self.blob = self.thumb = None  # the page's
        # The page's transparent full-size PNG of the result; None while its cut-out is on
        # screen and no download was that PNG (made when it leaves: app.settle_row).
        self.master = None
        self.made = None  # (format, look) its blob was made in

    def __repr__(self):
        return "Row(%r, %r, %r)" % (self.id, self.name, self.state)


class Queue:
    def __init__(self):
        self.rows = []
        self._next = 1

    def add(self, names):
        """New waiting rows, one per name, at the end."""
        added = []
        for name in names:
            row = Row(self._next, name)
            self._next += 1
            self.rows.append(row)
            added.append(row)
        return added

    def get(self, row_id):
        for row in self.rows:
            if row.id == row_id:
                return row
        return None

    def next_waiting(self):
        for row in self.rows:
            if row.state == "waiting":
                return row
        return None

    def _move(self, row, allowed, state):
        if row.state not in allowed:
            raise JobError("row %d is %s, not %s" % (row.id, row.state, " or ".join(allowed)))
        row.state = state

    def start(self, row):
        self._move(row, ("waiting",), "cutting")
        row.message = ""

    def finish(self, row, output):
        self._move(row, ("cutting",), "done")
        row.stage = None
        row.output = output

    def fail(self, row, message):
        self._move(row, ("cutting",), "failed")
        row.stage = None
        row.message = message

    def cancelled(self, row):
        """A waiting row now, or a cutting one once the cutter has stopped."""
        self._move(row, ("waiting", "cutting"), "cancelled")
        row.stage = None

    def retry(self, row):
        self._move(row, ("failed", "cancelled"), "waiting")
        row.message = ""

    def remove(self, row):
        if row.state == "cutting":
            raise JobError("row %d is being cut: cancel it first" % row.id)
        self.rows.remove(row)

    def counts(self):
        counts = dict.fromkeys(STATES, 0)
        for row in self.rows:
            counts[row.state] += 1
        return counts

    def zip_names(self, format_id=None):
        """(row, name in the ZIP) of every finished row, in order, named for `format_id`
        (else as its file was made); names made unique the way naming.unique does
        (cat-nobg.png, cat-nobg-2.png)."""
        taken = set()
        return [
            (
                row,
                naming.unique(
                    formats.file_name(row.name, format_id) if format_id else row.output, taken
                ),
            )
            for row in self.rows
            if row.state == "done"
        ]
