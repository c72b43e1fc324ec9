"""CLI commands: platform (being written)."""

from __future__ import annotations

from ai_identity.cli import app  # noqa: F401
