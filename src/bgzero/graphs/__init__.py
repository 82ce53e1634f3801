"""Builders of the helper graphs: prepare, mix, refine, decontaminate, own-model wrappers."""
