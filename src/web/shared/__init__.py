"""Pure Python shared by the page, the worker and native tests (MicroPython and CPython)."""
