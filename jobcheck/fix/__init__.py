"""Fixing: targeted text edits validated by re-loading, and atomic writes. Knows nothing of the
command line.
"""
