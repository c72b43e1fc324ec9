"""Store configuration: unknown keys and missing values name every place looked; secrets never leak; the
connector base retries with backoff; missing drivers name the pip line; Redis key patterns map both ways."""

from __future__ import annotations

from pathlib import Path

import pytest

from ai_identity.config import load_config
from ai_identity.errors import ConfigError, MissingDependencyError, SourceError

SECRET = "hunter2-do-not-print"


def write(tmp_path: Path, text: str) -> Path:
    p = tmp_path / "ai-identity.toml"
    p.write_text(text)
    return p


def test_when_file_and_env_are_valid_then_sources_are_typed_with_seed_defaults(tmp_path: Path) -> None:
    p = write(
        tmp_path,
        '[[sources]]\nkind = "mysql"\ndatabase = "app"\n[sources.tables]\nusers = "app_users"\n'
        '[[sources]]\nkind = "redis"\n',
    )
    cfg = load_config(
        p, {"AI_IDENTITY_SOURCES__REDIS__KEY_PREFIX": "t:", "AI_IDENTITY_SOURCES__MYSQL__PORT": "3307"}
    )
    my = cfg.source("mysql")
    assert (my.database, my.port, my.tables.users, my.tables.user_sessions) == (
        "app",
        3307,
        "app_users",
        "user_sessions",
    )
    assert cfg.source("redis").key_prefix == "t:"
    assert cfg.source("redis").keys.session == "session:{session_id}"
    assert cfg.events_source() is my


def test_when_a_file_key_is_unknown_then_the_error_names_key_file_and_env_var(tmp_path: Path) -> None:
    p = write(tmp_path, '[[sources]]\nkind = "mysql"\ndatabase = "app"\npasword = "x"\n')
    with pytest.raises(ConfigError) as e:
        load_config(p, {})
    msg = str(e.value)
    assert "sources.mysql.pasword: unknown key" in msg
    assert str(p) in msg and "AI_IDENTITY_SOURCES__MYSQL__PASWORD" in msg


def test_when_a_nested_table_name_is_unknown_then_it_is_rejected(tmp_path: Path) -> None:
    p = write(tmp_path, '[[sources]]\nkind = "postgres"\ndatabase = "d"\n[sources.tables]\nuser = "u"\n')
    with pytest.raises(ConfigError, match=r"sources\.postgres\.tables\.user: unknown key"):
        load_config(p, {})


def test_when_an_env_var_names_no_source_then_it_is_an_unknown_key(tmp_path: Path) -> None:
    p = write(tmp_path, '[[sources]]\nkind = "redis"\n')
    with pytest.raises(ConfigError, match="AI_IDENTITY_SOURCES__MYSQL__DATABASE: unknown key"):
        load_config(p, {"AI_IDENTITY_SOURCES__MYSQL__DATABASE": "x"})


def test_when_a_required_value_is_missing_then_every_place_looked_is_named(tmp_path: Path) -> None:
    p = write(tmp_path, '[[sources]]\nkind = "postgres"\nname = "analytics"\n')
    with pytest.raises(ConfigError) as e:
        load_config(p, {})
    msg = str(e.value)
    assert "sources.analytics.database: required value missing" in msg
    assert str(p) in msg and "AI_IDENTITY_SOURCES__ANALYTICS__DATABASE" in msg
    assert e.value.exit_code == 2
    # and the environment variable it names does supply it
    cfg = load_config(p, {"AI_IDENTITY_SOURCES__ANALYTICS__DATABASE": "test"})
    assert cfg.source("postgres").database == "test"


def test_when_kind_is_unknown_then_the_kinds_are_listed(tmp_path: Path) -> None:
    p = write(tmp_path, '[[sources]]\nkind = "oracle"\n')
    with pytest.raises(ConfigError, match="expected kind one of embedded, mysql, postgres, redis"):
        load_config(p, {})


def test_when_events_names_no_sql_source_then_it_is_an_error(tmp_path: Path) -> None:
    p = write(tmp_path, 'events = "redis"\n[[sources]]\nkind = "redis"\n')
    with pytest.raises(ConfigError, match="events: expected the name of a mysql or postgres source"):
        load_config(p, {})


def test_when_a_secret_is_configured_then_it_never_appears_in_repr_str_or_errors(tmp_path: Path) -> None:
    p = write(
        tmp_path,
        f'[[sources]]\nkind = "mysql"\ndatabase = "d"\npassword = "{SECRET}"\n'
        f'[[sources]]\nkind = "redis"\npassword = "{SECRET}"\n',
    )
    cfg = load_config(p, {})
    assert cfg.source("mysql").password.get_secret_value() == SECRET
    for text in (repr(cfg), str(cfg), repr(cfg.source("redis")), cfg.model_dump_json()):
        assert SECRET not in text
    # an error in the same file (a wrong type beside the secret) does not echo any value
    bad = write(
        tmp_path, f'[[sources]]\nkind = "mysql"\ndatabase = "d"\npassword = "{SECRET}"\nport = "{SECRET}"\n'
    )
    with pytest.raises(ConfigError) as e:
        load_config(bad, {"AI_IDENTITY_SOURCES__MYSQL__PASSWORD": SECRET})
    assert "sources.mysql.port" in str(e.value) and SECRET not in str(e.value)


def test_when_the_file_is_absent_or_not_toml_then_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="does not exist"):
        load_config(tmp_path / "nope.toml", {})
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_config(write(tmp_path, "[[sources]\n"), {})


def test_when_a_driver_is_missing_then_the_exact_pip_line_is_given() -> None:
    from ai_identity.sources.base import require

    with pytest.raises(MissingDependencyError) as e:
        require("ai_identity_no_such_driver", "psycopg[binary]")
    assert str(e.value) == 'psycopg[binary] is not installed: pip install "ai-identity[stores]"'


class Flaky(Exception):
    pass


def test_when_a_store_fails_transiently_then_it_is_retried_with_backoff_then_source_error(
    tmp_path: Path,
) -> None:
    from ai_identity.sources.base import Connector

    p = write(tmp_path, f'[[sources]]\nkind = "mysql"\ndatabase = "d"\npassword = "{SECRET}"\nretries = 3\n')
    src = load_config(p, {}).source("mysql")
    sleeps: list[float] = []

    class Fake(Connector):
        kind = "mysql"
        transient = (Flaky,)
        connects = 0

        def connect(self) -> object:
            Fake.connects += 1
            return object()

    conn = Fake(src, sleep=sleeps.append)
    outcomes: list[Exception | str] = [Flaky(), Flaky(), "ok"]

    def op() -> str:
        o = outcomes.pop(0)
        if isinstance(o, Exception):
            raise o
        return o

    assert conn.retry("query", op) == "ok"
    assert sleeps == [0.2, 0.4] and Fake.connects == 3  # reconnects after each failure

    def down() -> None:
        raise Flaky(f"password={SECRET}")

    with pytest.raises(SourceError) as e:
        conn.retry("query", down)
    assert "failed after 4 attempt(s)" in str(e.value) and SECRET not in str(e.value)


@pytest.mark.parametrize(
    ("seed", "stored"),
    [
        ("user:behavior:7", "p:ub:7"),
        ("session:s001", "p:session:s001"),
        ("ai_cache:7", "p:ai_cache:7"),
        ("behavior:7:1793452167568059", "p:behavior:7:1793452167568059"),
    ],
)
def test_when_key_patterns_are_renamed_then_keys_map_both_ways(seed: str, stored: str) -> None:
    from ai_identity.sources.redis import SEED_PATTERNS, KeyMap

    km = KeyMap("p:", {**SEED_PATTERNS, "user_behavior": "ub:{user_id}"})
    assert km.to_store(seed) == stored
    assert km.to_seed(stored) == seed
    assert "p:ub:*" in km.globs()
