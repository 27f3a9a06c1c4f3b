from __future__ import annotations

from pathlib import Path

import pytest

from keyguard.config import find_config
from keyguard.config import load_settings
from keyguard.errors import ConfigError
from keyguard.scan.rules import BUILTIN_RULES
from keyguard.scan.rules.custom import select_rules


def test_pyproject_table_is_read(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "x"\n\n[tool.keyguard]\nexclude = ["fixtures/**"]\ndisable = ["jwt"]\n'
        '[[tool.keyguard.rules]]\nid = "acme-token"\npattern = "acme_[a-z0-9]{20}"\n'
        'keywords = ["acme_"]\nconfidence = "high"\n'
    )
    path = find_config(str(tmp_path))
    assert path == str(tmp_path / "pyproject.toml")
    settings = load_settings(path)
    assert settings.exclude == ("fixtures/**",)
    rules = select_rules(settings)
    ids = [r.id for r in rules]
    assert "jwt" not in ids and ids[-1] == "acme-token"


def test_keyguard_toml_wins_and_search_stops_at_the_repo(tmp_path: Path) -> None:
    (tmp_path / ".keyguard.toml").write_text('min_confidence = "high"\n')
    sub = tmp_path / "a" / "b"
    sub.mkdir(parents=True)
    assert find_config(str(sub)) == str(tmp_path / ".keyguard.toml")
    (tmp_path / "a" / ".git").mkdir()
    assert find_config(str(sub)) is None
    assert all(
        r.confidence == "high" for r in select_rules(load_settings(tmp_path / ".keyguard.toml"))
    )


def test_pyproject_without_table_is_ignored(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n')
    assert find_config(str(tmp_path)) is None
    assert select_rules(load_settings(None)) == BUILTIN_RULES


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            '[[rules]]\nid = "x"\npattern = "(unclosed"\nkeywords = ["x"]\n',
            r"\.keyguard\.toml: rules\[0\]\.pattern: not a valid regular expression",
        ),
        ('[[rules]]\nid = "x"\npattern = "x"\n', r"rules\[0\]\.keywords: missing"),
        (
            '[[rules]]\nid = "x"\npattern = "x"\nkeywords = []\n',
            r"rules\[0\]\.keywords: needs at least one",
        ),
        (
            '[[rules]]\nid = "Bad Id"\npattern = "x"\nkeywords = ["x"]\n',
            r"rules\[0\]\.id: 'Bad Id'",
        ),
        (
            '[[rules]]\nid = "x"\npattern = "x"\nkeywords = ["x"]\ncolour = 1\n',
            r"rules\[0\]\.colour: unknown",
        ),
        ('min_confidence = "extreme"\n', "min_confidence: must be one of"),
        ('exclud = ["x"]\n', "exclud: unknown setting"),
        ('disable = ["no-such-rule"]\n', "no rule named 'no-such-rule'"),
        ("exclude = [\n", "not valid TOML"),
    ],
)
def test_broken_config_names_file_and_key(tmp_path: Path, body: str, message: str) -> None:
    path = tmp_path / ".keyguard.toml"
    path.write_text(body)
    with pytest.raises(ConfigError, match=message):
        select_rules(load_settings(path))


def _environ(tmp_path: Path, **extra: str) -> dict[str, str]:
    return {"XDG_CONFIG_HOME": str(tmp_path / "config"),
            "KEYGUARD_DATA_DIR": str(tmp_path / "data"), **extra}  # fmt: skip


def test_the_vault_section_says_where_the_backend_choice_came_from(tmp_path: Path) -> None:
    from keyguard.config import read_vault

    assert (read_vault(_environ(tmp_path)).backend, read_vault(_environ(tmp_path)).source) == (
        "auto",
        "",
    )
    user = tmp_path / "config" / "keyguard" / "config.toml"
    user.parent.mkdir(parents=True)
    user.write_text('[vault]\nbackend = "openbao"\nmount = "kv"\nprefix = "team"\n')
    config = read_vault(_environ(tmp_path))
    assert (config.backend, config.source, config.mount, config.prefix) == (
        "openbao", str(user), "kv", "team")  # fmt: skip
    config = read_vault(_environ(tmp_path, KEYGUARD_BACKEND="file"))
    assert (config.backend, config.source, config.mount) == ("file", "KEYGUARD_BACKEND", "kv")
    config = read_vault(_environ(tmp_path, KEYGUARD_BACKEND="file"), "env")
    assert (config.backend, config.source) == ("env", "--backend")
    assert config.manifest == str(tmp_path / "data" / "manifest.json")
    assert config.vault_file == str(tmp_path / "data" / "vault.json")
    user.write_text("vault = 3\n")
    with pytest.raises(ConfigError, match=r"\[vault\] must be a table"):
        read_vault(_environ(tmp_path))


def test_the_vault_section_never_shows_the_environment(tmp_path: Path) -> None:
    from keyguard.config import read_vault

    value = "passphrase-" + "q" * 12
    config = read_vault(_environ(tmp_path, KEYGUARD_PASSPHRASE=value))
    assert value not in repr(config) and "backend='auto'" in repr(config)
    assert config.passphrase() == value  # asked for only when the file vault needs it
    with pytest.raises(AttributeError):
        config.backend = "file"


def test_read_config_gives_every_section(tmp_path: Path) -> None:
    from keyguard.config import read_config

    (tmp_path / "pyproject.toml").write_text(
        '[tool.keyguard]\ndisable = ["jwt"]\n[tool.keyguard.pytest]\nrequire = true\n'
        '[tool.keyguard.pytest.secrets]\n"anthropic/ci" = "ANTHROPIC_API_KEY"\n'
    )
    config = read_config(_environ(tmp_path), project=str(tmp_path / "pyproject.toml"))
    assert config.scan.disable == ("jwt",)
    assert config.pytest.secrets == (("anthropic/ci", "ANTHROPIC_API_KEY"),)
    assert config.pytest.require is True
    assert config.vault.backend == "auto"
    defaults = read_config(_environ(tmp_path))
    assert defaults.scan.rules == () and defaults.pytest.secrets == ()
