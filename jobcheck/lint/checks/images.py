"""Image reference checks."""

from __future__ import annotations

from collections.abc import Iterator

from jobcheck.finding import Hit
from jobcheck.kube.objects import Workload
from jobcheck.lint.checks import as_str, container_label


def image_tag(image: str) -> str | None:
    """Return the tag of an image reference, or None when it has none.

    The tag is what follows the last ``:`` of the last path component, so a registry port
    (``registry:5000/app``) is not mistaken for a tag.
    """
    last = image.rsplit("/", 1)[-1]
    return last.split(":", 1)[1] if ":" in last else None


def latest_or_untagged_image(w: Workload, params: dict) -> Iterator[Hit]:
    """JC701: an image without a digest whose tag is ``latest`` or absent."""
    for c in w.containers():
        image = as_str(c.data.get("image"))
        if not image or not image.strip() or "@" in image or "{{" in image:
            continue  # empty images are schema errors; templated ones are not ours to judge
        tag = image_tag(image.strip())
        who = container_label(c.name, c.init)
        if tag is None:
            message = f'image "{image}" of {who} has no tag, so it pulls whatever "latest" is at run time'
        elif tag == "latest":
            message = f'image "{image}" of {who} uses the "latest" tag'
        else:
            continue
        yield Hit(c.path + ("image",), message)
