"""`python -m defport_kg` runs the CLI (used by tests that need the real exit statuses)."""

from defport_kg.cli import main

main()
