"""Linting: the rule registry, the engine that runs every registered check over each object,
suppressions, and the checks themselves.
"""
