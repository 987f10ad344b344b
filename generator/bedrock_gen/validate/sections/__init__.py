"""Validation pass 2, one module per part of the config; each function returns its value and
its diagnostics, and ``validate.passes`` puts them together."""
