"""ai-identity: a talent platform's own records about a person, turned into that person's AI identity."""

__version__ = "0.1.0"
__all__ = ["__version__"]
