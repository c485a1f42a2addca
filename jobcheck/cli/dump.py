"""``jobcheck dump``: each document as Kubernetes' YAML converter reads it, one JSON line each."""

from __future__ import annotations

import click

from jobcheck.cli.common import EXIT_CLEAN, EXIT_FINDINGS, EXIT_USAGE, error


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(allow_dash=True))
def dump(paths: tuple[str, ...]) -> None:
    """Print each document of PATHS (files, directories, - for stdin) as Kubernetes reads it.

    One JSON line per document: {"file", "document" (0-based), "json" (the value sigs.k8s.io/yaml
    makes of it, written as Go writes it) or null, "error" (why Kubernetes refuses it) or null}.
    Exit 0, 1 if a document is refused, 2 if an input cannot be read.

    \b
    jobcheck dump cronjob.yaml
    kubectl kustomize overlays/prod | jobcheck dump -
    """
    from jobcheck.discover import STDIN, expand, read_bytes
    from jobcheck.yaml.tojson import convert_stream, dump_line

    code = EXIT_CLEAN
    for target in expand(paths):
        name = "<stdin>" if target.path == STDIN else target.path
        try:
            if target.error:
                raise OSError(target.error)
            raw = read_bytes(target.path)
        except OSError as exc:
            error(f"{name}: {exc.strerror or exc}")
            code = EXIT_USAGE
            continue
        try:
            documents = convert_stream(raw)
        except Exception as exc:  # a bug, contained to its file: every other input is still dumped
            error(f"{name}: internal error (please report): {type(exc).__name__}: {exc}")
            code = EXIT_USAGE
            continue
        for index, json_text, refusal in documents:
            click.echo(dump_line(name, index, json_text, refusal))
            if refusal is not None and code == EXIT_CLEAN:
                code = EXIT_FINDINGS
    raise SystemExit(code)
