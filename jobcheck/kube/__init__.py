"""Kubernetes knowledge: object views, bundled schemas per version, field versions and gates,
server defaults and the API server's own validation.
"""
