"""BLAKE2b without OpenSSL: ``hashlib`` loads libcrypto when imported, a few ms of start-up and
about 4 MB of resident memory, while CPython's own ``_blake2`` gives the same digests."""

try:
    from _blake2 import blake2b
except ImportError:  # an interpreter built without it
    from hashlib import blake2b

__all__ = ["blake2b"]
