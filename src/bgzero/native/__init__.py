"""The native pipeline: settings, sessions, stages, output files, batch and Ray engines."""
