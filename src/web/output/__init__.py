"""A Cutout to a file: compose, export, the queue's rows and ZIP."""
