"""Builders of the helper graphs: prepare, refine, decontaminate, fuse, own-model wrappers."""
