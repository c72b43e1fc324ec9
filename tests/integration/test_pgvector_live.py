"""pgvector columns on a private PostgreSQL 16 that the fixture starts itself from the ``pgserver`` package
(bundled binaries with pgvector; nothing is downloaded at run time), on a temporary data directory and a
Unix socket only (no TCP port), stopped and removed by the finalizer. The shared system PostgreSQL (no
pgvector) is never touched.

A generated platform is loaded with ``vector_type = "vector"``; the vector columns must be ``vector(N)``, the
records read back through the connector must equal the embedded reader's, and a ``<=>`` nearest-neighbour
query must run through an HNSW index and agree with a brute-force cosine ranking.
"""

from __future__ import annotations

import contextlib
import io
import json
import sqlite3
from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest
from private_servers import private_postgres  # tests/integration/private_servers.py

from ai_identity.cli import main
from ai_identity.config import load_config
from ai_identity.privacy.read_spy import grant_everything
from ai_identity.sources.base import UserRecords
from ai_identity.sources.embedded.reader import EmbeddedPlatform

pytestmark = [
    pytest.mark.integration,
    pytest.mark.filterwarnings("ignore:XDG_RUNTIME_DIR is not set"),  # pgserver's lock-file directory
]

USERS = 30
SCHEMA = "ai_identity"
SHORT_USER = 2  # its behaviour vector is made 3 floats short
ATTRS = ("resume_data", "ai_analyses", "ai_profiles", "embeddings")
VECTOR_COLUMNS = {
    "resume_data": ("content_vector", "skills_vector", "experience_vector"),
    "user_embeddings": ("content_vector", "skills_vector", "behavior_vector"),
}


def canonical(records: list[Any]) -> list[str]:
    return sorted(rec.model_dump_json() for rec in records)


@pytest.fixture(scope="module")
def pgvector_server() -> Iterator[dict[str, Any]]:
    with private_postgres("ai_identity_pgvector_") as server:
        yield {"host": server.host, "port": server.port, "database": "postgres"}


@pytest.fixture(scope="module")
def loaded(tmp_path_factory, pgvector_server) -> dict[str, Any]:
    root = tmp_path_factory.mktemp("pgvector")
    platform = root / "platform"
    assert main(["generate", "--users", str(USERS), "--seed", "6", "--out", str(platform)]) == 0
    # the generator's "vector_wrong_dimension" defect (1 % of users; none among these 30): one behaviour vector
    # 3 floats short, which the embedded reader accepts, so the server must keep it too
    con = sqlite3.connect(platform / "platform.sqlite")
    with con:
        (blob,) = con.execute(
            f"SELECT behavior_vector FROM user_embeddings WHERE user_id = {SHORT_USER}"
        ).fetchone()
        con.execute(
            f"UPDATE user_embeddings SET behavior_vector = ? WHERE user_id = {SHORT_USER}", (blob[:-12],)
        )
    con.close()
    config = root / "ai-identity.toml"
    config.write_text(
        f"""
[[sources]]
kind = "postgres"
host = "{pgvector_server["host"]}"
port = {pgvector_server["port"]}
database = "{pgvector_server["database"]}"
schema = "{SCHEMA}"
vector_type = "vector"
batch_size = 7

[[sources]]
kind = "embedded"
path = "{platform}"
"""
    )
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(["load", "--platform", str(platform), "--config", str(config), "--json"]) == 0
    summary = {row["target"]: row for row in json.loads(out.getvalue())["stores"]}
    return {"platform": platform, "cfg": load_config(config, environ={}), "summary": summary}


def connect(server: dict[str, Any]) -> Any:
    import psycopg

    return psycopg.connect(
        host=server["host"], port=server["port"], user="postgres", dbname=server["database"], autocommit=True
    )


def test_when_loaded_with_vector_type_vector_then_columns_are_pgvector(loaded, pgvector_server) -> None:
    grant_everything(loaded["platform"])  # the collector reads by consent: here, everything
    emb = EmbeddedPlatform(loaded["platform"])
    bundles = emb.read_batch(emb.user_ids())
    emb.close()
    records = {"resume_data": "resume_data", "user_embeddings": "embeddings"}
    dim = {  # the data's dimension per vector column, from the folder
        (table, col): {
            len(v) for b in bundles for rec in getattr(b, records[table]) if (v := getattr(rec, col))
        }
        for table, cols in VECTOR_COLUMNS.items()
        for col in cols
    }
    with connect(pgvector_server) as con:
        got = {
            (t, c): typ
            for t, c, typ in con.execute(
                "SELECT c.relname, a.attname, format_type(a.atttypid, a.atttypmod) FROM pg_attribute a "
                "JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE n.nspname = %s AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped",
                (SCHEMA,),
            ).fetchall()
        }
        udt = dict(
            con.execute(
                "SELECT table_name || '.' || column_name, udt_name FROM information_schema.columns "
                "WHERE table_schema = %s",
                (SCHEMA,),
            ).fetchall()
        )
    for (table, col), dims in dim.items():
        assert udt[f"{table}.{col}"] == "vector", (table, col)
        # one dimension: vector(N); several (the injected short vector): an unconstrained vector, reported
        want = f"vector({next(iter(dims))})" if len(dims) == 1 else "vector"
        assert got[(table, col)] == want, (table, col, dims)
    assert dim[("user_embeddings", "behavior_vector")] == {13, 16}
    assert loaded["summary"]["user_embeddings"]["note"] == (
        "behavior_vector holds vectors of 13/16 dimensions: left as vector"
    )
    assert loaded["summary"]["resume_data"]["note"] == ""
    assert got[("user_embeddings", "user_id")] == "bigint"  # the other columns keep their types


def test_pgvector_text_and_dimensions() -> None:
    from ai_identity.errors import SourceError
    from ai_identity.model import records as r
    from ai_identity.sources import ddl

    cols = list(ddl.column_kinds(r.UserEmbedding))
    i = cols.index("content_vector")
    row = [None] * len(cols)
    rows = [tuple([*row[:i], v, *row[i + 1 :]]) for v in ("[1, 2, 0.1]", "[1, 2]")]
    assert "content_vector vector," in ddl.create_table_sql(r.UserEmbedding, "postgres", "t", "vector")
    assert "content_vector REAL[]" in ddl.create_table_sql(r.UserEmbedding, "postgres", "t")
    seen: dict[str, set[int]] = {}
    out = ddl.to_server(r.UserEmbedding, "postgres", cols, rows[:1], "vector", seen)
    assert out[0][i] == "[1.0,2.0,0.10000000149011612]"  # float32(0.1), exactly
    assert ddl.vector_dimension_sql("t", seen) == (
        ["ALTER TABLE t ALTER COLUMN content_vector TYPE vector(3)"],
        [],
    )
    ddl.to_server(r.UserEmbedding, "postgres", cols, rows, "vector", seen)
    assert ddl.vector_dimension_sql("t", seen) == (
        [],
        ["content_vector holds vectors of 2/3 dimensions: left as vector"],
    )
    empty = [tuple([*row[:i], "[]", *row[i + 1 :]])]
    with pytest.raises(SourceError, match=r"user_embeddings.content_vector: an empty vector"):
        ddl.to_server(r.UserEmbedding, "postgres", cols, empty, "vector", {})


def test_when_read_back_then_records_equal_the_embedded_reader(loaded) -> None:
    from ai_identity.sources.postgres import PostgresConnector

    grant_everything(loaded["platform"])  # the collector reads by consent: here, everything
    emb = EmbeddedPlatform(loaded["platform"])
    ids = emb.user_ids()
    want = {b.user_id: b for b in emb.read_batch(ids)}
    with PostgresConnector(loaded["cfg"].source("postgres")) as pg:
        got: dict[int, UserRecords] = {}
        for i in range(0, len(ids), 12):  # three batches
            batch = {u: UserRecords(u) for u in ids[i : i + 12]}
            pg.fill(batch)
            got.update(batch)
        assert pg.report["postgres"].read == emb.report["postgres"].read > 0
        assert pg.report["postgres"].rejected == emb.report["postgres"].rejected
    emb.close()
    for uid in ids:
        for attr in ATTRS:
            assert canonical(getattr(got[uid], attr)) == canonical(getattr(want[uid], attr)), (uid, attr)
    vectors = [e.content_vector for b in got.values() for e in b.embeddings if e.content_vector]
    assert len(vectors) == USERS
    assert sum(len(b.resume_data) for b in got.values()) > 0


def test_when_querying_nearest_neighbours_then_the_hnsw_index_answers_like_brute_force(
    loaded, pgvector_server
) -> None:
    from ai_identity.sources.ddl import pgvector_text

    grant_everything(loaded["platform"])  # the collector reads by consent: here, everything
    emb = EmbeddedPlatform(loaded["platform"])
    rows = [(e.user_id, e.content_vector) for b in emb.read_batch(emb.user_ids()) for e in b.embeddings]
    emb.close()
    rows = [(u, v) for u, v in rows if v]
    ids = np.array([u for u, _ in rows])
    mat = np.array([v for _, v in rows], dtype=float)
    probe_user, probe = rows[3]
    cos = 1 - (mat @ np.array(probe)) / (np.linalg.norm(mat, axis=1) * np.linalg.norm(probe))
    order = np.argsort(cos, kind="stable")[:5]
    table = f'"{SCHEMA}"."user_embeddings"'
    query = (
        f"SELECT user_id, content_vector <=> %s::vector AS d FROM {table} "
        "ORDER BY content_vector <=> %s::vector LIMIT 5"
    )
    text = pgvector_text(probe)
    with connect(pgvector_server) as con:
        con.execute(
            f"CREATE INDEX IF NOT EXISTS emb_hnsw ON {table} USING hnsw (content_vector vector_cosine_ops)"
        )
        con.execute("SET enable_seqscan = off")
        plan = "\n".join(row[0] for row in con.execute("EXPLAIN " + query, (text, text)).fetchall())
        got = con.execute(query, (text, text)).fetchall()
    assert "emb_hnsw" in plan, plan
    assert got[0][0] == probe_user and abs(got[0][1]) < 1e-6
    assert [u for u, _ in got] == ids[order].tolist()
    assert np.allclose([d for _, d in got], cos[order], atol=1e-5)
