"""Analysers, one module per facet; ``assemble`` puts them together into an identity."""
