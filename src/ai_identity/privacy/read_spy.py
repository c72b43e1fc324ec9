"""A read spy: records every call the engine makes to a store's driver — SQL text as executed (SQLite, with its
parameters expanded; PyMySQL and psycopg, with their arguments), Redis commands and keys, Cypher with its
parameters, document projections — and checks each against the consent mapping of ``privacy/tiers.py``.

It patches the drivers themselves (``sqlite3.connect``, ``pymysql`` and ``psycopg`` cursors, ``redis`` clients
and pipelines, ``kuzu.Connection.execute``), so what it sees is what reached the store, whatever code path sent
it. Each call is tagged with the component it was made for (:func:`ai_identity.privacy.tiers.component`).

Used by the tests (``tests/unit/test_read_plan.py``, ``tests/integration/test_read_plan_live.py``); also a
tool to audit a build by hand::

    with ReadSpy() as spy:
        build(platform)
    print(spy.violations(lambda uid: FULL))
"""

from __future__ import annotations

import contextlib
import re
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from ai_identity.privacy import tiers as T

_TABLE_STORE = {table: store for (store, table) in T.COLUMNS}
_SEED_FILE = re.compile(r"(^adbc$|platform\.sqlite|users/\d+\.sqlite)")
_COLUMNS_OF = {table: set(cols) for (_store, table), cols in T.COLUMNS.items()}
_META = re.compile(
    r"^\s*(PRAGMA|CREATE|DROP|INSERT|BEGIN|COMMIT|ROLLBACK|SET|ATTACH|DETACH|COPY|CALL)\b", re.I
)
_META_SELECT = re.compile(r"\b(information_schema|sqlite_master|sqlite_schema|pg_catalog)\b", re.I)
_SELECT = re.compile(r"^\s*SELECT\s+", re.I)
_FROM = re.compile(r"\s+FROM\s+(?P<table>[`\"\w.]+)", re.I)
_IDENT = re.compile(r"^[`\"]?(\w+)[`\"]?(?:::[\w\[\]]+)?$")
_ALIAS = re.compile(r"^(?P<expr>.+)\s+AS\s+[`\"]?(?P<alias>\w+)[`\"]?$", re.I | re.S)
_SUBFIELD = re.compile(r"json_extract\(value,\s*'\$\.(\w+)'\)")
_IN_IDS = re.compile(r"\b(user_id|id)\s+IN\s*\(([\d,\s]+)\)", re.I)


@dataclass
class Call:
    """One call that reached a store's driver."""

    store: str  # sqlite | mysql | postgres | redis | graph | mongodb
    text: str  # SQL / Cypher / Redis command; document fields joined by commas
    component: str
    target: str = ""  # the SQLite file, the Redis key, ...
    params: Any = None


@dataclass
class Read:
    """What one call read: a table (or label, key kind, document) and its columns (with sub-fields)."""

    store: str
    table: str
    columns: list[tuple[str, tuple[str, ...] | None]]
    users: set[int] | None  # the users the call is about, when it names them; None: platform-wide
    component: str
    text: str


def _split_items(items: str) -> list[str]:
    out, depth, cur = [], 0, ""
    for ch in items:
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        if ch == "," and depth == 0:
            out.append(cur.strip())
            cur = ""
        else:
            cur += ch
    out.append(cur.strip())
    return out


def parse_select(sql: str) -> tuple[str, list[tuple[str, tuple[str, ...] | None]]] | None:
    """(table, [(column, sub-fields or None)]) of a SELECT the engine sends; None for a metadata statement.
    Raises ValueError for a statement it cannot parse: an unknown shape fails the check, never passes it."""
    if _META.match(sql) or _META_SELECT.search(sql):
        return None
    m = _SELECT.match(sql)
    f = _top_level_from(sql, m.end()) if m else None
    if m is None or f is None:
        raise ValueError(f"read spy: cannot parse statement: {sql[:120]}")
    table = f.group("table").strip('`"').split(".")[-1].strip('`"')
    cols: list[tuple[str, tuple[str, ...] | None]] = []
    for item in _split_items(sql[m.end() : f.start()]):
        alias = _ALIAS.match(item)
        expr, name = (alias.group("expr").strip(), alias.group("alias")) if alias else (item, None)
        ident = _IDENT.match(expr)
        if ident:
            cols.append((ident.group(1), None))
        elif "json_each(" in expr and name:
            cols.append((name, tuple(_SUBFIELD.findall(expr))))
        elif "*" in expr.replace("count(*)", ""):
            raise ValueError(f"read spy: cannot parse select item {item[:80]!r} in: {sql[:120]}")
        else:  # an expression reads every column it names
            known = _COLUMNS_OF.get(table, set())
            cols.extend((tok, None) for tok in re.findall(r"[A-Za-z_]\w*", expr) if tok in known)
    return table, cols


def _top_level_from(sql: str, start: int) -> re.Match[str] | None:
    """The statement's own FROM (outside any parenthesised subquery)."""
    depth = 0
    for i in range(start, len(sql)):
        ch = sql[i]
        depth += ch == "("
        depth -= ch == ")"
        if depth == 0 and ch.isspace():
            m = _FROM.match(sql, i)
            if m:
                return m
    return None


class ReadSpy:
    """Patch the store drivers and record every call while active (a context manager)."""

    def __init__(
        self, table_names: dict[str, str] | None = None, redis_seed: Callable[[str], str | None] | None = None
    ) -> None:
        """``table_names``: configured table name -> seed table name (a renamed table of a server source);
        ``redis_seed``: stored Redis key -> its seed key name (the connector's key map)."""
        self.calls: list[Call] = []
        self.table_names = table_names or {}
        self.redis_seed = redis_seed or (lambda k: k)
        self._stack = contextlib.ExitStack()

    def _add(self, store: str, text: str, target: str = "", params: Any = None) -> None:
        self.calls.append(Call(store, text, T.component(), target, params))

    # ---- patching -----------------------------------------------------------------------------------------
    def __enter__(self) -> ReadSpy:
        from unittest import mock

        real_connect = sqlite3.connect

        def connect(database: Any, *a: Any, **kw: Any) -> sqlite3.Connection:
            con = real_connect(database, *a, **kw)
            target = str(database)
            con.set_trace_callback(lambda sql: self._add("sqlite", sql, target))
            return con

        self._stack.enter_context(mock.patch.object(sqlite3, "connect", connect))
        with contextlib.suppress(ImportError):
            import adbc_driver_manager.dbapi as adbc

            real_adbc = adbc.Cursor.execute

            def aexec(cur: Any, operation: Any, parameters: Any = None, *a: Any, **kw: Any) -> Any:
                self._add("sqlite", str(operation), "adbc")
                return real_adbc(cur, operation, parameters, *a, **kw)

            self._stack.enter_context(mock.patch.object(adbc.Cursor, "execute", aexec))
        with contextlib.suppress(ImportError):
            import kuzu

            real_kuzu = kuzu.Connection.execute

            def kexec(con: Any, query: Any, parameters: Any = None, *a: Any, **kw: Any) -> Any:
                self._add("graph", str(query), params=parameters)
                return real_kuzu(con, query, parameters or {}, *a, **kw)

            self._stack.enter_context(mock.patch.object(kuzu.Connection, "execute", kexec))
        from ai_identity.sources.embedded import stitch

        real_project = stitch.project

        def project(obj: dict[str, Any], fields: Any) -> dict[str, Any]:
            self._add("mongodb", ",".join(fields))
            return real_project(obj, fields)

        self._stack.enter_context(mock.patch.object(stitch, "project", project))
        with contextlib.suppress(ImportError):
            import pymysql.cursors

            real_my = pymysql.cursors.Cursor.execute

            def myexec(cur: Any, query: str, args: Any = None) -> Any:
                self._add("mysql", cur.mogrify(query, args) if args is not None else query)
                return real_my(cur, query, args)

            self._stack.enter_context(mock.patch.object(pymysql.cursors.Cursor, "execute", myexec))
        with contextlib.suppress(ImportError):
            import asyncmy  # the MySQL read path when installed: its cursor type is compiled and cannot be
            # patched, so the connection it hands out is wrapped at the driver's entry point instead

            real_async_connect = asyncmy.connect

            def async_connect(*a: Any, **kw: Any) -> Any:
                async def wrapped() -> Any:
                    return _SpyConnection(await real_async_connect(*a, **kw), self._add)

                return wrapped()

            self._stack.enter_context(mock.patch.object(asyncmy, "connect", async_connect))
        with contextlib.suppress(ImportError):
            import psycopg

            real_pg = psycopg.Cursor.execute

            def pgexec(cur: Any, query: Any, params: Any = None, *a: Any, **kw: Any) -> Any:
                text = query if isinstance(query, str) else str(query)
                if params:
                    text = _inline(text, params)
                self._add("postgres", text, params=params)
                return real_pg(cur, query, params, *a, **kw)

            self._stack.enter_context(mock.patch.object(psycopg.Cursor, "execute", pgexec))
        with contextlib.suppress(ImportError):
            import redis.client

            real_cmd = redis.client.Redis.execute_command
            real_pipe = redis.client.Pipeline.execute

            def rcmd(client: Any, *args: Any, **kw: Any) -> Any:
                if str(args[0]).upper() in ("EVAL", "EVALSHA", "EVALSHA_RO", "EVAL_RO"):
                    # the connector's batched read: a script that GETs (and TTLs) each key it is handed
                    for key in args[3 : 3 + int(args[2])]:
                        self._add("redis", "GET", key.decode() if isinstance(key, bytes) else str(key))
                else:
                    self._add("redis", str(args[0]), _key(args))
                return real_cmd(client, *args, **kw)

            def rpipe(pipe: Any, *a: Any, **kw: Any) -> Any:
                for cmd in pipe.command_stack:
                    args = cmd[0] if isinstance(cmd, tuple) else cmd.args
                    self._add("redis", str(args[0]), _key(args))
                return real_pipe(pipe, *a, **kw)

            self._stack.enter_context(mock.patch.object(redis.client.Redis, "execute_command", rcmd))
            self._stack.enter_context(mock.patch.object(redis.client.Pipeline, "execute", rpipe))
        return self

    def __exit__(self, *exc: object) -> None:
        self._stack.close()

    # ---- analysis -----------------------------------------------------------------------------------------
    def reads(self) -> Iterator[Read]:
        """Every recorded call as what it read (metadata statements and writes left out)."""
        for c in self.calls:
            if c.store == "sqlite" and not _SEED_FILE.search(c.target):
                continue  # the engine's own stores (identities, consent records, ledgers), not a seed store
            if c.store in ("sqlite", "mysql", "postgres"):
                parsed = parse_select(c.text)
                if parsed is None:
                    continue
                table, cols = parsed
                table = self.table_names.get(table, table)
                users = _users_named(c.text)
                m = re.search(r"users/(\d+)\.sqlite", c.target)
                if m:
                    users = {int(m.group(1))}
                store = "sqlite" if m else _TABLE_STORE.get(table, c.store)
                yield Read(store, table, cols, users, c.component, c.text)
            elif c.store == "graph":
                if _META.match(c.text):
                    continue
                for label, prop in _cypher_reads(c.text):
                    ids = (c.params or {}).get("ids")
                    users = None if ids is None else set(ids)  # graph ids, mapped by the caller
                    yield Read("graph", label, [(prop, None)], users, c.component, c.text)
            elif c.store == "mongodb":
                yield Read(
                    "mongodb", "documents", [(f, None) for f in c.text.split(",")], None, c.component, ""
                )
            elif c.store == "redis" and c.text.upper() in ("GET", "HGETALL", "HGET", "MGET"):
                from ai_identity.model.records import RedisKey
                from ai_identity.sources.embedded.stitch import _redis_user

                seed = self.redis_seed(c.target) or c.target
                owner = _redis_user(RedisKey.model_construct(key=seed, value=None))
                yield Read(
                    "redis", seed, [("value", None)], None if owner is None else {owner}, c.component, c.text
                )

    def violations(
        self,
        plan_of: Callable[[int], T.ReadPlan],
        graph_uid: dict[str, int] | None = None,
        exempt: frozenset[str] = frozenset(),
    ) -> list[str]:
        """Every read that touched a column, key, label or field its users' consent does not allow.

        ``plan_of``: platform user id -> the plan their consent allows (the test's own expectation). A read
        naming its users is checked against each of them; a platform-wide read against the basic tier.
        ``graph_uid``: graph user id -> platform user id (for the Cypher ``$ids``). ``exempt``: components
        not checked (named, so that a test says which)."""
        out: list[str] = []
        for rd in self.reads():
            if rd.component in exempt:
                continue
            if rd.users is not None and rd.store == "graph":
                rd.users = {graph_uid[g] for g in rd.users if graph_uid and g in graph_uid}
            plans = [plan_of(u) for u in sorted(rd.users)] if rd.users is not None else [_PLATFORM]
            for col, sub in rd.columns:
                for plan in plans:
                    why = _why_not(rd, col, sub, plan)
                    if why:
                        out.append(f"{rd.component}: {rd.store}:{rd.table}.{col} {why} [{rd.text[:160]}]")
                        break
        return sorted(set(out))


_PLATFORM = T.ReadPlan(frozenset({T.BASIC}))  # a platform-wide read may only touch basic data


def _why_not(rd: Read, col: str, sub: tuple[str, ...] | None, plan: T.ReadPlan) -> str:
    if rd.store == "redis":
        from ai_identity.sources.embedded.stitch import _redis_kind

        return "" if plan.redis_kind(_redis_kind(rd.table)) or not plan.tiers else "(key kind not allowed)"
    if rd.store == "graph":
        ok = T.GRAPH.get((rd.table, col))
        if ok is None:
            return "(unknown label or property)"
        return "" if ok in plan.tiers else f"(tier {ok} not granted)"
    if rd.store == "mongodb":
        if col == "user_id" and rd.component == "stitching":
            return ""
        tier = T.DOCUMENTS.get(col)
        return "" if tier in plan.tiers else f"(field of tier {tier} not granted)"
    key = (rd.store, rd.table)
    if key not in T.COLUMNS:
        return "(table not in the consent mapping)"
    tier = T.COLUMNS[key].get(col)
    if tier is None:
        return "(column not in the consent mapping)"
    if rd.component == "consent":
        return "" if col in T.CONSENT_READ.get(key, ()) or col == "id" else "(not a consent column)"
    if rd.component == "stitching" and (rd.store, rd.table, col) in T.STITCHING:
        return ""
    if (rd.store, rd.table, col) in T.DERIVE and T.BASIC in plan.tiers:
        return ""  # read to derive basic claims only (free text masked inside the collector)
    if plan.stub:
        return "(the user has no AI-analysis consent: only the consent may be read)"
    if sub is not None:
        spec = T.SUBFIELDS.get((rd.store, rd.table, col), {})
        bad = [f for f in sub if spec.get(f, spec.get("*")) not in plan.tiers]
        return f"(fields {bad} not granted)" if bad else ""
    if tier in plan.tiers:
        allowed_whole = plan.subfields(rd.store, rd.table, col) is None
        return "" if allowed_whole else "(read whole; only some of its fields are granted)"
    return f"(tier {tier} not granted)"


def _users_named(sql: str) -> set[int] | None:
    m = _IN_IDS.search(sql)
    if m is None:
        return None
    return {int(x) for x in m.group(2).replace(" ", "").split(",") if x}


_RETURN = re.compile(r"\bRETURN\s+(.+?)(?:\s+ORDER BY|\s*$)", re.I | re.S)
_BIND = re.compile(r"\((\w+):(\w+)\)|\[(\w+):(\w+)\]")


def _cypher_reads(query: str) -> list[tuple[str, str]]:
    """(label, property) pairs a Cypher query reads: its RETURN items resolved through the MATCH bindings."""
    binds = {}
    for m in _BIND.finditer(query):
        var, label = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
        binds[var] = label
    ret = _RETURN.search(query)
    if ret is None:
        raise ValueError(f"read spy: cannot parse Cypher: {query[:120]}")
    out = []
    for item in _split_items(ret.group(1)):
        var, _, prop = item.partition(".")
        if var not in binds or not prop:
            raise ValueError(f"read spy: cannot parse Cypher item {item!r}")
        out.append((binds[var], prop))
    # a relationship matched also reads its existence: its first property stands for it
    return out


def _key(args: tuple[Any, ...]) -> str:
    if len(args) > 1 and isinstance(args[1], (str, bytes)):
        k = args[1]
        return k.decode() if isinstance(k, bytes) else k
    return ""


def _inline(text: str, params: Any) -> str:
    """psycopg's ``%s`` placeholders with their values (for reading the ids a query names)."""
    values = list(params) if isinstance(params, (list, tuple)) else []
    parts = text.split("%s")
    if len(parts) - 1 != len(values):
        return text
    out = parts[0]
    for v, p in zip(values, parts[1:], strict=True):
        out += (str(v) if isinstance(v, int) else "?") + p
    return out


__all__ = ["Call", "Read", "ReadSpy", "parse_select"]


def stated_plans(root: Any) -> dict[int, T.ReadPlan]:
    """Each user's plan as their private ``user_privacy_settings`` states it, read straight from the embedded
    folder's files (no consent records, none of the collector's code): a test's independent expectation."""
    from pathlib import Path

    from ai_identity.sources.embedded import layout as L

    levels = {"basic": {"basic"}, "sensitive": {"basic", "sensitive"}, "relational": {"basic", "relational"}}
    con = sqlite3.connect(Path(root) / L.PLATFORM_DB)
    ids = [row[0] for row in con.execute("SELECT id FROM users")]
    con.close()
    out = {}
    for uid in ids:
        con = sqlite3.connect(L.user_db_path(Path(root), uid))
        row = con.execute(
            "SELECT data_sharing_level, ai_analysis_consent FROM user_privacy_settings ORDER BY rowid DESC LIMIT 1"
        ).fetchone()
        con.close()
        level, ai = row if row else ("basic", 1)
        out[uid] = T.ReadPlan(frozenset(levels.get(level, set(T.TIERS)))) if ai else T.STUB
    return out


def graph_user_ids(root: Any) -> dict[str, int]:
    """Graph user id -> platform user id, by the stitching rule (username), for the Cypher ``$ids``."""
    from ai_identity.sources.embedded.reader import EmbeddedPlatform

    plat = EmbeddedPlatform(root)
    try:
        plat.side.prepare(plat.user_keys())
        names = plat.side.username_to_uid
        return {g: names[n.username] for g, n in plat.side.graph_users.items() if n.username in names}
    finally:
        plat.close()


def grant_everything(root: Any, source: str = "test") -> None:
    """Consent records granting every tier and purpose to every user of an embedded folder: for tests that
    compare what the collector reads with the raw records (the collector reads by consent)."""
    from pathlib import Path

    from ai_identity.privacy.consent import SUBJECTS, ConsentStore, default_consent_path
    from ai_identity.sources.embedded import layout as L

    con = sqlite3.connect(Path(root) / L.PLATFORM_DB)
    ids = [uid for (uid,) in con.execute("SELECT id FROM users WHERE typeof(id) = 'integer' AND id >= 1")]
    con.close()
    with ConsentStore(default_consent_path(Path(root))) as store:
        for uid in ids:
            for subject in SUBJECTS:
                store.grant(uid, subject, source)


class _SpyCursor:
    """An asyncmy cursor that records each statement (with its arguments bound) before running it."""

    def __init__(self, cur: Any, add: Any) -> None:
        self._cur, self._record = cur, add

    async def execute(self, query: str, args: Any = None) -> Any:
        self._record("mysql", self._cur.mogrify(query, args) if args is not None else query)
        return await self._cur.execute(query, args)

    async def __aenter__(self) -> _SpyCursor:
        await self._cur.__aenter__()
        return self

    async def __aexit__(self, *exc: Any) -> Any:
        return await self._cur.__aexit__(*exc)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._cur, name)


class _SpyConnection:
    """An asyncmy connection whose cursors are :class:`_SpyCursor`."""

    def __init__(self, conn: Any, add: Any) -> None:
        self._conn, self._record = conn, add

    def cursor(self, *a: Any, **kw: Any) -> _SpyCursor:
        return _SpyCursor(self._conn.cursor(*a, **kw), self._record)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._conn, name)
