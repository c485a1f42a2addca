from __future__ import annotations

import pytest

from jobcheck.lint.checks import images
from tests.checks._build import container, hits, job


@pytest.mark.parametrize(
    "image, tag",
    [
        ("busybox", None),
        ("busybox:1.36", "1.36"),
        ("registry:5000/app", None),
        ("registry:5000/app:2", "2"),
        ("ghcr.io/org/app:latest", "latest"),
    ],
)
def test_image_tag(image: str, tag: str | None) -> None:
    assert images.image_tag(image) == tag


@pytest.mark.parametrize(
    "image, reported",
    [
        ("busybox", True),
        ("busybox:latest", True),
        ("registry:5000/tools/app", True),
        ("busybox:1.36.1", False),
        ("busybox:latest@sha256:" + "a" * 64, False),
        ("app@sha256:" + "b" * 64, False),
        ("", False),
        ("{{ .Values.image }}", False),
        (42, False),
        ("busybox:Latest", False),
    ],
)
def test_latest_or_untagged_image(image, reported: bool) -> None:
    found = hits(images.latest_or_untagged_image, job([container(image=image)]))
    assert bool(found) is reported
    if found:
        assert found[0].path == ("spec", "template", "spec", "containers", 0, "image")
        assert f'"{image}"' in found[0].message


def test_init_container_images_are_checked() -> None:
    data = job(init=[container("wait", image="busybox")])
    [hit] = hits(images.latest_or_untagged_image, data)
    assert "init container" in hit.message
