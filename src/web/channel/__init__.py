"""What both threads share that touches js: the page <-> worker wire."""
