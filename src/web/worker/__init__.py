"""The worker alone: its entry, the stages, sessions, the engine choice."""
