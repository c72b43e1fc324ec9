"""Where identities, their versions and vectors are written (embedded SQLite by default)."""
