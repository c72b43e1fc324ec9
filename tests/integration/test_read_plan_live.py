"""Consent enforced at collection on the real-server connectors: a generated platform is loaded into live
MariaDB, PostgreSQL and Redis (fresh database, schema and key prefix), and a spy on PyMySQL, psycopg and redis-py
records every statement and command during ``build --config`` and direct connector reads; none may touch a
table, column or key the named users' consent does not allow."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from ai_identity import pipeline
from ai_identity.cli import main
from ai_identity.config import load_config
from ai_identity.privacy import tiers as T
from ai_identity.privacy.consent import TIERS, ConsentStore, default_consent_path
from ai_identity.privacy.read_spy import ReadSpy, graph_user_ids, stated_plans
from ai_identity.settings import Settings
from ai_identity.synth.writer import generate

pytestmark = pytest.mark.integration

USERS = 30
EXEMPT = frozenset({"quality", "events"})  # docs/consent.md, "What is not enforced"


@pytest.fixture(scope="module")
def live(tmp_path_factory, mariadb, postgres, redis_server):
    """Its own database, schema and key prefix (other modules load theirs under the run's names)."""
    import psycopg
    import pymysql

    database, schema = mariadb["database"] + "_rp", postgres["schema"] + "_rp"
    root = tmp_path_factory.mktemp("readplan-live")
    platform = root / "platform"
    generate(platform, USERS, seed=12)
    config = root / "ai-identity.toml"
    config.write_text(
        f"""
[[sources]]
kind = "mysql"
port = {mariadb["port"]}
database = "{database}"
[sources.tables]
users = "app_users"

[[sources]]
kind = "postgres"
port = {postgres["port"]}
database = "{postgres["database"]}"
schema = "{schema}"

[[sources]]
kind = "embedded"
path = "{platform}"

[[sources]]
kind = "redis"
port = {redis_server["port"]}
db = {redis_server["db"]}
key_prefix = "{redis_server["key_prefix"]}rp:"
"""
    )
    assert main(["load", "--platform", str(platform), "--config", str(config), "--json"]) == 0
    yield {"platform": platform, "cfg": load_config(config)}
    con = pymysql.connect(host="127.0.0.1", port=mariadb["port"], user="root", password="", autocommit=True)
    with con.cursor() as cur:
        cur.execute(f"DROP DATABASE IF EXISTS `{database}`")
    con.close()
    with psycopg.connect(
        host="127.0.0.1", port=postgres["port"], user="postgres", dbname=postgres["database"], autocommit=True
    ) as pg:
        pg.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


def server_build(live: dict, store: Path) -> ReadSpy:
    with ReadSpy(table_names={"app_users": "users"}) as spy:
        summary = pipeline.build(
            Path("/nonexistent"), settings=Settings(workers=1), store_path=store, stores=live["cfg"]
        )
    assert summary.built == USERS
    return spy


def test_when_built_from_servers_then_every_statement_obeys_the_named_users_consent(live, tmp_path) -> None:
    expected = stated_plans(live["platform"])
    assert len({p.tiers for p in expected.values()}) >= 3  # a real mix of consent classes
    spy = server_build(live, tmp_path / "ids.sqlite")
    bad = spy.violations(expected.__getitem__, graph_user_ids(live["platform"]), EXEMPT)
    assert not bad, "\n".join(bad)
    reads = list(spy.reads())
    assert any(rd.table == "users" and rd.users for rd in reads)  # app_users, seen through the rename
    assert any(rd.users for rd in reads if rd.table == "user_ai_profiles")
    # a SELECT naming users of different consent classes never mixes them: one query per table per class
    emails = [rd for rd in reads if rd.table == "users" and ("email", None) in rd.columns]
    for rd in emails:
        if rd.component == "collector":
            assert rd.users and all(expected[u].allows("sensitive") for u in rd.users)
    # build does not read Redis at all (no analyser uses it: data minimisation)
    assert not [c for c in spy.calls if c.store == "redis" and c.text.upper() == "GET"]


@pytest.mark.parametrize("level", ["basic", "full", "stub"])
def test_when_every_user_has_one_level_then_server_reads_follow_it(live, tmp_path, level) -> None:
    tiers = {"basic": {"basic"}, "full": set(TIERS), "stub": set()}[level]
    consent = default_consent_path(live["platform"])
    backup = tmp_path / "consent.bak"
    if consent.exists():
        shutil.copy2(consent, backup)
    try:
        with ConsentStore(consent) as store:
            for uid in range(1, USERS + 1):
                for tier in TIERS:
                    (store.grant if tier in tiers or level == "stub" else store.revoke)(uid, tier, "test")
                (store.revoke if level == "stub" else store.grant)(uid, "identity_building", "test")
        spy = server_build(live, tmp_path / "ids.sqlite")
    finally:
        consent.unlink(missing_ok=True)
        if backup.exists():
            shutil.copy2(backup, consent)
    plan = T.ReadPlan(frozenset(tiers))
    bad = spy.violations(lambda uid: plan, graph_user_ids(live["platform"]), EXEMPT)
    assert not bad, "\n".join(bad)
    cols = {(rd.table, c) for rd in spy.reads() if rd.component == "collector" for c, _ in rd.columns}
    assert (("users", "phone") in cols) == (level == "full")
    assert (("user_ai_profiles", "personality_traits") in cols) == (level == "full")
    assert (("user_profiles", "industry") in cols) == (level != "stub")


def test_when_redis_is_read_then_values_are_fetched_only_for_allowed_key_kinds(live) -> None:
    """Reading the side stores with Redis (not a build): ``behavior:{user}:{ts}`` values carry an IP address, so
    they are fetched only for users with the sensitive tier; other kinds for anyone with AI-analysis consent."""
    from ai_identity.sources.servers import ServerPlatform

    expected = stated_plans(live["platform"])
    with ReadSpy(table_names={"app_users": "users"}) as spy:
        plat = ServerPlatform(live["cfg"])
        try:
            plat.side.prepare(plat.user_keys())
            keymap = plat.redis.keymap
        finally:
            plat.close()
    spy.redis_seed = keymap.to_seed
    gets = [rd for rd in spy.reads() if rd.store == "redis"]
    assert gets, "no Redis value was fetched at all"
    bad = spy.violations(expected.__getitem__, None, EXEMPT)
    assert not bad, "\n".join(bad)
    kinds = {rd.table.split(":")[0] for rd in gets}
    assert "behavior" in kinds  # fetched for the sensitive users ...
    fetched = {rd.table for rd in gets}
    for uid, plan in expected.items():
        owned = [k for k in fetched if k.startswith(f"behavior:{uid}:")]
        assert not owned or plan.allows("sensitive"), uid  # ... and only for them
