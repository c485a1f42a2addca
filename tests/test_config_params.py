"""Rule parameters in config are checked against the rule files, by name and by type, with positions."""

from __future__ import annotations

from pathlib import Path

import pytest

from jobcheck.config import Config, ConfigError, check_params, load_config
from jobcheck.lint.options import resolve_selector
from jobcheck.lint.registry import load_rules
from jobcheck.rulemeta import Rule

RULES = load_rules()


def check(config: Config, rules=RULES) -> None:
    check_params(config, rules, lambda token: resolve_selector(token, rules))


def error_of(config: Config, rules=RULES) -> str:
    with pytest.raises(ConfigError) as error:
        check(config, rules)
    return str(error.value)


def yaml_config(tmp_path: Path, text: str) -> Config:
    path = tmp_path / ".jobcheck.yaml"
    path.write_text(text)
    return load_config(path)


def pyproject_config(tmp_path: Path, text: str) -> Config:
    path = tmp_path / "pyproject.toml"
    path.write_text('[project]\nname = "x"\n\n' + text)
    return load_config(path)


# --- the checks, on a Config built in code -------------------------------------------------------

def test_declared_parameters_of_the_declared_type_pass() -> None:
    check(Config(params={"JC201": {"default_ttl": 60}, "missing-starting-deadline": {"default_starting_deadline": 9},
                         "JC607": {"allowed": []}, "JC402": {"require_cpu_limit": True}}))


@pytest.mark.parametrize(("rule", "name", "value", "expected", "got"), [
    ("JC201", "default_ttl", "1d", "an integer", "a string"),  # int vs string
    ("JC607", "allowed", "NET_ADMIN", "a list", "a string"),  # list vs scalar
    ("JC501", "name_patterns", {"a": 1}, "a list", "a mapping"),
    ("JC203", "max", True, "an integer", "a boolean"),  # bool vs int
    ("JC402", "require_cpu_limit", 1, "a boolean", "an integer"),
    ("JC308", "min", 2.5, "an integer", "a number"),
    ("JC308", "min", None, "an integer", "null"),
])
def test_a_value_of_another_type_is_an_error(rule, name, value, expected, got) -> None:
    message = error_of(Config(params={rule: {name: value}}, path="cfg.yaml"))
    assert message == f"cfg.yaml: parameter {name} of rule {rule} ({RULES[rule].name}) must be {expected}, not {got}"


def test_an_int_will_do_for_a_float_but_not_a_bool() -> None:
    rules = {"ACME001": Rule("ACME001", "ratio", RULES["JC201"].severity, "custom", True, "s",
                             params={"ratio": 0.5, "anything": None})}
    check(Config(params={"ACME001": {"ratio": 1, "anything": [1]}}), rules)
    check(Config(params={"ACME001": {"ratio": 0.25}}), rules)
    assert error_of(Config(params={"ACME001": {"ratio": False}}), rules).endswith("must be a number, not a boolean")


def test_a_category_token_checks_every_rule_it_selects() -> None:
    message = error_of(Config(params={"schedule": {"min": 5}}))
    assert "has no parameter min" in message  # JC301 and others of the category declare no min


def test_an_unknown_parameter_or_rule_is_an_error() -> None:
    assert error_of(Config(params={"JC203": {"maximum": 3}})) == \
        "<config>: rule JC203 has no parameter maximum (its parameters: max)"
    assert error_of(Config(params={"JC999": {"max": 3}})).startswith("<config>: no rule matches 'JC999'")


# --- through load_config: .jobcheck.yaml ---------------------------------------------------------

def test_yaml_wrong_type_points_at_the_value(tmp_path: Path) -> None:
    config = yaml_config(tmp_path, 'select: [ALL]\nparams:\n  JC201: {default_ttl: "1d"}\n')
    assert error_of(config) == (f"{tmp_path / '.jobcheck.yaml'}:3:24: parameter default_ttl of rule JC201 "
                                "(missing-ttl) must be an integer, not a string")


def test_yaml_block_style_and_rule_names(tmp_path: Path) -> None:
    config = yaml_config(tmp_path, "params:\n  missing-starting-deadline:\n    default_starting_deadline: [30]\n")
    assert error_of(config).startswith(f"{tmp_path / '.jobcheck.yaml'}:3:32: parameter default_starting_deadline "
                                       "of rule JC307 (missing-starting-deadline) must be an integer, not a list")


def test_yaml_unknown_parameter_points_at_its_key(tmp_path: Path) -> None:
    config = yaml_config(tmp_path, "params:\n  JC307:\n    default_deadline: 30\n")
    assert error_of(config) == (f"{tmp_path / '.jobcheck.yaml'}:3:5: rule JC307 has no parameter default_deadline "
                                "(its parameters: default_starting_deadline)")


def test_yaml_unknown_rule_points_at_its_key(tmp_path: Path) -> None:
    config = yaml_config(tmp_path, "params:\n  JC203: {max: 3}\n  JC999: {max: 3}\n")
    assert error_of(config).startswith(f"{tmp_path / '.jobcheck.yaml'}:3:3: no rule matches 'JC999'")


def test_yaml_good_params_pass(tmp_path: Path) -> None:
    check(yaml_config(tmp_path, "params:\n  JC203: {max: 3}\n  JC607:\n    allowed: [NET_ADMIN]\n"))


# --- through load_config: pyproject.toml -----------------------------------------------------------

def test_pyproject_inline_tables(tmp_path: Path) -> None:
    config = pyproject_config(tmp_path, '[tool.jobcheck]\nselect = ["ALL"]  # params = none here\n'
                                        'params = {JC203 = {max = 3}, JC607 = {allowed = "NET_ADMIN"}}\n')
    assert error_of(config) == (f"{tmp_path / 'pyproject.toml'}:6:49: parameter allowed of rule JC607 "
                                "(added-capabilities) must be a list, not a string")


def test_pyproject_table_headers_and_quoted_keys(tmp_path: Path) -> None:
    config = pyproject_config(tmp_path, '[tool.jobcheck]\nselect = ["ALL"]\n\n'
                                        '[tool.jobcheck.params.JC203]\nmax = 3\n\n'
                                        '[tool.jobcheck.params.JC201]\n"default_ttl" = "1d"\n')
    assert error_of(config).startswith(f"{tmp_path / 'pyproject.toml'}:11:17: parameter default_ttl of rule JC201")


def test_pyproject_dotted_keys(tmp_path: Path) -> None:
    config = pyproject_config(tmp_path, "[tool.jobcheck]\nparams.JC203.max = true\n")
    assert error_of(config).startswith(f"{tmp_path / 'pyproject.toml'}:5:20: parameter max of rule JC203")


def test_pyproject_unknown_names(tmp_path: Path) -> None:
    config = pyproject_config(tmp_path, "[tool.jobcheck]\nparams = {JC203 = {maximum = 3}}\n")
    assert error_of(config).startswith(f"{tmp_path / 'pyproject.toml'}:5:20: rule JC203 has no parameter maximum")
    config = pyproject_config(tmp_path, "[tool.jobcheck.params.JC999]\nmax = 3\n")
    assert error_of(config).startswith(f"{tmp_path / 'pyproject.toml'}:4:23: no rule matches 'JC999'")


def test_pyproject_good_params_pass(tmp_path: Path) -> None:
    check(pyproject_config(tmp_path, "[tool.jobcheck]\nparams = {JC203 = {max = 3}}\n"))
