"""Sources: one sub-package per store kind, each reading the seed's layout into typed records."""
