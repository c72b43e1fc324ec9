"""Load a generated platform into live MariaDB, PostgreSQL and Redis, read it back through the connectors, and
check every typed record equals the one read from the embedded folder (per table, in a canonical order)."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest

from ai_identity.cli import main
from ai_identity.config import load_config
from ai_identity.model import records as r
from ai_identity.privacy.read_spy import grant_everything
from ai_identity.sources.base import UserRecords, read_all
from ai_identity.sources.embedded.reader import EmbeddedPlatform
from ai_identity.synth.writer import generate

pytestmark = pytest.mark.integration

USERS = 50
ATTRS = (
    "profiles",
    "settings",
    "sessions",
    "resumes",
    "resume_skills",
    "resume_analyses",
    "resume_data",
    "ai_analyses",
    "ai_profiles",
    "embeddings",
)


def canonical(records: list[Any]) -> list[str]:
    return sorted(rec.model_dump_json() for rec in records)


@pytest.fixture(scope="module")
def loaded(tmp_path_factory, mariadb, postgres, redis_server):
    root = tmp_path_factory.mktemp("stores")
    platform = root / "platform"
    generate(platform, USERS, seed=11)
    config = root / "ai-identity.toml"
    # a renamed table and key pattern check the overrides; the MariaDB database comes from the environment
    config.write_text(
        f"""
events = "mysql"

[[sources]]
kind = "mysql"
port = {mariadb["port"]}
batch_size = 500
[sources.tables]
users = "app_users"

[[sources]]
kind = "postgres"
port = {postgres["port"]}
database = "{postgres["database"]}"
schema = "{postgres["schema"]}"

[[sources]]
kind = "embedded"
path = "{platform}"

[[sources]]
kind = "redis"
port = {redis_server["port"]}
db = {redis_server["db"]}
key_prefix = "{redis_server["key_prefix"]}"
[sources.keys]
ai_cache = "aic:{{user_id}}"
"""
    )
    env = {"AI_IDENTITY_SOURCES__MYSQL__DATABASE": mariadb["database"]}
    with pytest.MonkeyPatch.context() as mp:
        for k, v in env.items():
            mp.setenv(k, v)
        t0 = time.monotonic()
        assert main(["load", "--platform", str(platform), "--config", str(config), "--json"]) == 0
        loaded_at = time.monotonic()
        cfg = load_config(config)
    return {"platform": platform, "config": config, "cfg": cfg, "env": env, "t0": t0, "loaded_at": loaded_at}


def test_when_loaded_then_relational_records_equal_the_embedded_folder(loaded) -> None:
    from ai_identity.sources.mysql import MySQLConnector
    from ai_identity.sources.postgres import PostgresConnector

    grant_everything(loaded["platform"])  # the collector reads by consent: here, everything
    emb = EmbeddedPlatform(loaded["platform"])
    ids = emb.user_ids()
    want = {b.user_id: b for b in emb.read_batch(ids)}
    cfg = loaded["cfg"]
    with MySQLConnector(cfg.source("mysql")) as my, PostgresConnector(cfg.source("postgres")) as pg:
        assert my.user_ids() == ids
        got: dict[int, UserRecords] = {}
        for i in range(0, len(ids), 20):  # three batches
            batch = {u: UserRecords(u) for u in ids[i : i + 20]}
            my.fill(batch)
            pg.fill(batch)
            got.update(batch)
        assert my.report["mysql"].read == emb.report["mysql"].read
        assert my.report["mysql"].rejected == emb.report["mysql"].rejected
        assert pg.report["postgres"].read == emb.report["postgres"].read
        assert pg.report["postgres"].rejected == emb.report["postgres"].rejected
        skills = my.skill_dictionary()
    assert skills == emb.skill_dictionary()
    for uid in ids:
        assert got[uid].user == want[uid].user, uid
        for attr in ATTRS:
            assert canonical(getattr(got[uid], attr)) == canonical(getattr(want[uid], attr)), (uid, attr)
    assert sum(len(b.embeddings) for b in got.values()) == USERS  # vectors (real[]) came back, float32-exact
    emb.close()


def test_when_loaded_then_events_equal_the_embedded_table(loaded) -> None:
    import sqlite3

    from ai_identity.sources.base import ReadReport, validate_row
    from ai_identity.sources.mysql import MySQLConnector

    con = sqlite3.connect(loaded["platform"] / "platform.sqlite")
    cols = [c[1] for c in con.execute("PRAGMA table_info(user_behavior_analysis)")]
    report = ReadReport()
    want = [
        validate_row(r.UserBehaviorAnalysis, dict(zip(cols, row, strict=True)), report["events"], None)
        for row in con.execute("SELECT * FROM user_behavior_analysis")
    ]
    con.close()
    with MySQLConnector(loaded["cfg"].source("mysql")) as my:
        got = read_all(my, r.UserBehaviorAnalysis)
        assert my.report["events"].rejected == report["events"].rejected > 0  # the injected malformed events
    assert canonical(got) == canonical([w for w in want if w is not None])


def test_when_loaded_then_redis_keys_values_and_ttls_survive(loaded) -> None:
    import redis

    from ai_identity.sources.redis import RedisConnector

    src = loaded["cfg"].source("redis")
    raw = [
        r.RedisKey.model_validate(json.loads(line))
        for line in (loaded["platform"] / "redis" / "keys.jsonl").read_text().splitlines()
    ]
    with RedisConnector(src) as conn:
        got = {k.key: k for k in conn.iter_keys()}
    elapsed = time.monotonic() - loaded["t0"]
    assert sorted(got) == sorted(k.key for k in raw)
    assert any(k.key.startswith("ai_cache:") for k in raw)
    for k in raw:
        assert got[k.key].value == k.value
        if k.ttl is None:
            assert got[k.key].ttl is None
        else:
            ttl = got[k.key].ttl
            assert ttl is not None and 0 <= k.ttl - ttl <= elapsed + 1, k.key
    # the renamed pattern is what the server holds
    client = redis.Redis(host=src.host, port=src.port, db=src.db)
    stored = {k.decode() for k in client.scan_iter(match=src.key_prefix + "*")}
    client.close()
    assert any(s.startswith(src.key_prefix + "aic:") for s in stored)
    assert not any(s.startswith(src.key_prefix + "ai_cache:") for s in stored)


def test_when_reading_a_batch_then_one_query_per_table(loaded) -> None:
    from ai_identity.sources.mysql import TABLES, MySQLConnector

    with MySQLConnector(loaded["cfg"].source("mysql")) as my:
        my.usable()
        calls: list[str] = []
        real = my.query

        def counting(sql: str, args: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
            calls.append(sql)
            return real(sql, args)

        my.query = counting  # type: ignore[method-assign]
        my.fill({u: UserRecords(u) for u in range(1, USERS + 1)})
    assert len(calls) == len(TABLES)


def test_when_load_runs_again_then_data_is_replaced_not_duplicated(loaded, capsys) -> None:
    with pytest.MonkeyPatch.context() as mp:
        for k, v in loaded["env"].items():
            mp.setenv(k, v)
        capsys.readouterr()
        assert (
            main(["load", "--platform", str(loaded["platform"]), "--config", str(loaded["config"]), "--json"])
            == 0
        )
    out = json.loads(capsys.readouterr().out)
    by_target = {(s["kind"], s["target"]): s for s in out["stores"]}
    assert by_target[("mysql", "app_users")]["written"] == USERS
    redis_row = next(s for s in out["stores"] if s["kind"] == "redis")
    assert "old key(s) replaced" in redis_row["note"]
    from ai_identity.sources.mysql import MySQLConnector

    with MySQLConnector(loaded["cfg"].source("mysql")) as my:
        assert my.query("SELECT count(*) FROM `app_users`")[0][0] == USERS
        sessions = my.query("SELECT count(*) FROM `user_sessions`")[0][0]
    grant_everything(loaded["platform"])  # the collector reads by consent: here, everything
    emb = EmbeddedPlatform(Path(loaded["platform"]))
    assert sessions == emb.con.execute("SELECT count(*) FROM user_sessions").fetchone()[0]
    emb.close()


def test_when_read_from_servers_then_every_bundle_equals_the_embedded_folder(loaded) -> None:
    """Relational records and Redis keys from the servers, private files/graph/documents/vectors from the
    folder: the bundles ``build`` assembles identities from are equal, and so are the auxiliary reads."""
    from datetime import UTC, datetime

    from ai_identity.sources.servers import ServerPlatform

    grant_everything(loaded["platform"])  # the collector reads by consent: here, everything
    emb = EmbeddedPlatform(loaded["platform"])
    srv = ServerPlatform(loaded["cfg"])
    try:
        ids = emb.user_ids()
        assert srv.user_ids() == ids
        cut = datetime(2026, 6, 1, tzinfo=UTC)
        assert srv.user_ids(cut) == emb.user_ids(cut)
        assert srv.timezone_inputs() == emb.timezone_inputs()
        assert srv.setting_values("ai_assistance_level") == emb.setting_values("ai_assistance_level")
        assert srv.privacy_levels() == emb.privacy_levels()
        assert srv.skill_dictionary() == emb.skill_dictionary()
        for as_of in (None, cut):
            want = {b.user_id: b for b in emb.read_batch(ids, as_of)}
            got = {b.user_id: b for b in srv.read_batch(ids, as_of)}
            for uid in ids:
                w, g = want[uid], got[uid]
                for attr in (
                    "user",
                    "graph_id",
                    "graph_node",
                    "has_skill",
                    "worked_at",
                    "documents",
                    "vector",
                ):
                    assert getattr(g, attr) == getattr(w, attr), (uid, attr)
                for attr in (*ATTRS, "resume_content", "parsed_resumes", "privacy"):
                    assert canonical(getattr(g, attr)) == canonical(getattr(w, attr)), (uid, attr, as_of)
                assert g.redis == w.redis, uid
                assert (g.missing, g.conflicts) == (w.missing, w.conflicts), uid
        assert any(b.redis for b in got.values()) and any(b.has_skill for b in got.values())
    finally:
        srv.close()
        emb.close()


def test_when_built_from_servers_then_identities_equal_those_built_from_the_folder(loaded, tmp_path) -> None:
    """``build`` run once on the folder and once with ``stores=`` (what ``build --config`` does): relational
    records and Redis keys from the servers; events, private files, graph, documents and vectors from the folder
    the config names."""
    from pydantic import SecretStr

    from ai_identity import pipeline
    from ai_identity.model.identity import VOLATILE
    from ai_identity.settings import Settings
    from ai_identity.store.identities import IdentityStore

    settings = Settings(
        workers=1, batch_size=20, pseudonym_secret=SecretStr("raw:test-only-pseudonym-key-0123")
    )
    platform = loaded["platform"]
    pipeline.build(platform, settings=settings, store_path=tmp_path / "folder.sqlite")
    summary = pipeline.build(
        Path("/nonexistent"), settings=settings, store_path=tmp_path / "servers.sqlite", stores=loaded["cfg"]
    )
    assert summary.built == USERS
    assert summary.sources["mysql"]["read"] > 0
    # as from the folder, build leaves Redis unread (no analyser uses it: data minimisation, docs/consent.md)
    assert summary.sources["redis"]["read"] == 0 and "data minimisation" in summary.sources["redis"]["note"]

    def documents(path: Path) -> list[dict[str, Any]]:
        store = IdentityStore(path)
        try:
            return [i.model_dump(mode="json", exclude=VOLATILE) for i in store.all()]
        finally:
            store.close()

    want, got = documents(tmp_path / "folder.sqlite"), documents(tmp_path / "servers.sqlite")
    assert len(got) == len(want) == USERS
    for w, g in zip(want, got, strict=True):
        assert g == w
