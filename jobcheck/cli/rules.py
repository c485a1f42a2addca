"""``jobcheck rules`` and ``jobcheck rule CODE``: the catalog and one rule's documentation."""

from __future__ import annotations

import click


@click.command("rules")
@click.option("-f", "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--rules-dir", multiple=True, type=click.Path(file_okay=False), help="Include custom rules from this directory.")
def list_rules(fmt: str, rules_dir: tuple[str, ...]) -> None:
    """List every rule: id, name, severity, whether it is on by default, summary."""
    from jobcheck.lint.registry import RuleError, load_rules
    from jobcheck.lint.ruledocs import rules_json, rules_table

    try:
        rules = load_rules(rules_dir)
    except RuleError as exc:
        raise click.UsageError(str(exc)) from None
    click.echo(rules_json(rules) if fmt == "json" else rules_table(rules), nl=False)


@click.command("rule")
@click.argument("code")
@click.option("--rules-dir", multiple=True, type=click.Path(file_okay=False))
def show_rule(code: str, rules_dir: tuple[str, ...]) -> None:
    """Print the full documentation of one rule (by id or name)."""
    from jobcheck.lint.registry import RuleError, load_rules
    from jobcheck.lint.ruledocs import rule_text

    try:
        rules = load_rules(rules_dir)
    except RuleError as exc:
        raise click.UsageError(str(exc)) from None
    found = [r for r in rules.values() if code in (r.id, r.name) or code.upper() == r.id]
    if not found:
        raise click.UsageError(f"no rule {code!r}; `jobcheck rules` lists them")
    click.echo(rule_text(found[0]), nl=False)
