"""Reads an embedded platform folder into typed records, a batch of users at a time.

Relational tables are read with one query per table per batch (``WHERE user_id IN (...)``), never one per
record; per-user private databases are opened read-only one by one. A row that fails validation is rejected
with its reason and the run goes on; a per-user database that is corrupt or locked skips that user's private
records (the user is reported as partial); a table that is absent or lacks a seed column is skipped whole.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

from ai_identity.collect import group_by_plan, redact_derived
from ai_identity.errors import RecordError, SourceError, UsageError
from ai_identity.model import records as r
from ai_identity.privacy import tiers as T
from ai_identity.privacy.tiers import ReadPlan, json_projection, reading_for
from ai_identity.sources.base import ReadReport, UserRecords
from ai_identity.sources.embedded import layout as L
from ai_identity.sources.embedded.stitch import SideStores, stitch_digest

# table -> (model, UserRecords attribute, key column, time column used for --as-of)
TABLES: dict[str, tuple[type[r.SeedRecord], str, str, str | None]] = {
    "user_profiles": (r.UserProfile, "profiles", "user_id", None),
    "user_settings": (r.UserSetting, "settings", "user_id", None),
    "user_sessions": (r.UserSession, "sessions", "user_id", "login_time"),
    # a record last changed after the cut-off is not as it stood then: it is left out of an --as-of build
    "resumes": (r.Resume, "resumes", "user_id", "COALESCE(updated_at, created_at)"),
    "resume_data": (r.ResumeData, "resume_data", "user_id", None),
    "ai_analyses": (r.AIAnalysis, "ai_analyses", "user_id", "created_at"),
    "user_ai_profiles": (r.UserAIProfile, "ai_profiles", "user_id", "updated_at"),
    "user_embeddings": (r.UserEmbedding, "embeddings", "user_id", "created_at"),
}
BY_RESUME: dict[str, tuple[type[r.SeedRecord], str, str | None]] = {
    "resume_skills": (r.ResumeSkill, "resume_skills", None),
    "resume_analyses": (r.ResumeAnalysis, "resume_analyses", "created_at"),
}
STORE_OF = {
    "users": "mysql",
    "user_profiles": "mysql",
    "user_settings": "mysql",
    "user_sessions": "mysql",
    "resumes": "mysql",
    "resume_skills": "mysql",
    "resume_analyses": "mysql",
    "skills": "mysql",
    "resume_data": "postgres",
    "ai_analyses": "postgres",
    "user_ai_profiles": "postgres",
    "user_embeddings": "postgres",
}


def users_columns(plan: ReadPlan, have: list[str]) -> list[str]:
    """The ``users`` columns to read again for ``plan``: none when the consent read already took all it allows."""
    cols = plan.columns("mysql", "users", have)
    return cols if set(cols) - set(T.CONSENT_READ[("mysql", "users")]) else []


def _iso(value: datetime) -> str:
    return L.iso(value) or ""


class EmbeddedPlatform:
    """One platform folder in the embedded layout."""

    skip: frozenset[str] = frozenset()  # tables and side stores left unread (see __init__)

    def __init__(self, root: Path, skip: frozenset[str] = frozenset()) -> None:
        """``skip``: tables and side stores (``weaviate``, ``redis``) not to read at all — what no analyser
        uses stays unread (data minimisation), and the report says so."""
        self.root = Path(root)
        self.skip = skip
        db = self.root / L.PLATFORM_DB
        if not db.exists():  # a wrong path is the caller's mistake (exit 2), not a source failure
            raise UsageError(
                f"--platform: expected a folder holding {L.PLATFORM_DB}; none found in {self.root}"
            )
        self.meta: dict[str, Any] = {}
        meta_path = self.root / L.META_FILE
        if meta_path.exists():
            try:
                self.meta = json.loads(meta_path.read_text())
            except ValueError:
                self.meta = {}
        try:
            self.con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=2.0)
            self.columns = {
                t: [c[1] for c in self.con.execute(f"PRAGMA table_info({t})")]
                for t in (m.__record__ for m in L.PLATFORM_TABLES)
            }
        except sqlite3.DatabaseError as exc:
            raise SourceError(
                f"{L.PLATFORM_DB}: cannot be read as an SQLite database ({exc.__class__.__name__})"
            ) from None
        self.report = ReadReport()
        self._usable = self._check_tables()
        self.side = SideStores(self.root, self.report, skip=self.skip)
        if not (self.root / L.USERS_DIR).is_dir():
            self.report["sqlite"].present, self.report["sqlite"].note = False, f"{L.USERS_DIR}/ is absent"

    # ---- metadata and checks ---------------------------------------------------------------------------------
    def reference_time(self) -> datetime | None:
        """The platform's "now" (set by ``generate --as-of``), if the folder records one."""
        value = self.meta.get("as_of")
        return r._utc(value) if value else None

    def _check_tables(self) -> set[str]:
        usable = set()
        for model in L.PLATFORM_TABLES:
            table = model.__record__
            have = self.columns.get(table) or []
            need = [c for c in L.columns(model) if c != "event_id"]
            store = STORE_OF.get(table, "events")
            if not have:
                self.report[store].note = (self.report[store].note + f" table {table} is absent;").strip()
                continue
            missing = [c for c in need if c not in have]
            if missing:
                self.report[store].reject(f"table {table} lacks column(s) {', '.join(missing)}: skipped")
                continue
            usable.add(table)
        for store in ("mysql", "postgres"):
            tables = [t for t, s in STORE_OF.items() if s == store]
            if not any(t in usable for t in tables):
                self.report[store].present = False
                self.report[store].note = "none of its tables are present"
        if "users" not in usable:
            raise SourceError(
                f"{L.PLATFORM_DB}: table users is absent or lacks a seed column; no user can be built"
            )
        return usable

    def user_keys(self) -> list[tuple[int, str | None, str | None]]:
        """(id, username, e-mail digest) of every user: what stitching indexes the side stores against. The
        e-mail is read by the stitching component only and leaves it as a keyed digest (privacy/tiers.py)."""
        with reading_for("stitching"):
            rows = self.con.execute("SELECT id, username, email FROM users").fetchall()
        return [(uid, name, stitch_digest(email)) for uid, name, email in rows]

    def user_ids(self, as_of: datetime | None = None) -> list[int]:
        sql = "SELECT id FROM users WHERE typeof(id) = 'integer'"
        args: tuple[Any, ...] = ()
        if as_of is not None:
            sql += " AND (created_at IS NULL OR created_at <= ?)"
            args = (_iso(as_of),)
        return [row[0] for row in self.con.execute(sql + " ORDER BY id", args)]

    def timezone_inputs(self) -> dict[int, tuple[str | None, str | None]]:
        """(stated time zone, profile location) per user, read in two queries."""
        out: dict[int, tuple[str | None, str | None]] = {}
        if "user_settings" in self._usable:
            for uid, tz in self.con.execute("SELECT user_id, timezone FROM user_settings"):
                out[uid] = (tz if isinstance(tz, str) else None, None)
        if "user_profiles" in self._usable:
            # derive: the location only ever leaves the collector as a time zone (privacy/tiers.py)
            with reading_for("derive"):
                locations = self.con.execute("SELECT user_id, location FROM user_profiles").fetchall()
            for uid, loc in locations:
                tz = out.get(uid, (None, None))[0]
                out[uid] = (tz, loc if isinstance(loc, str) else None)
        return out

    def setting_values(self, column: str) -> dict[int, Any]:
        """One ``user_settings`` column for every user (a seed column name only)."""
        if "user_settings" not in self._usable or column not in self.columns["user_settings"]:
            return {}
        return dict(self.con.execute(f"SELECT user_id, {column} FROM user_settings"))

    def privacy_levels(self) -> dict[int, str]:
        """Each user's ``data_sharing_level`` (latest row of their private database), users without one omitted."""
        out: dict[int, str] = {}
        with reading_for("consent"):
            ids = self.user_ids()
        for uid in ids:
            path = L.user_db_path(self.root, uid)
            if not path.exists():
                continue
            try:
                con = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=0.2)
                try:
                    with reading_for("consent"):
                        row = con.execute(
                            "SELECT data_sharing_level, ai_analysis_consent FROM user_privacy_settings "
                            "ORDER BY rowid DESC LIMIT 1"
                        ).fetchone()
                finally:
                    con.close()
            except sqlite3.DatabaseError:
                continue  # reported when the user's records are read
            if row and isinstance(row[0], str) and row[1] not in (0, "0", "false"):
                out[uid] = row[0]
        return out

    def skill_dictionary(self) -> dict[int, r.Skill]:
        if "skills" not in self._usable:
            return {}
        out = {}
        for row in self._rows("skills", "SELECT {cols} FROM skills", ()):
            rec = self._validate(r.Skill, row, "mysql", row.get("id"))
            if rec:
                out[rec.id] = rec
        return out

    # ---- reading ---------------------------------------------------------------------------------------------
    def _rows(
        self, table: str, sql: str, args: tuple[Any, ...], cols: list[str] | None = None
    ) -> Iterator[dict[str, Any]]:
        cols = self.columns[table] if cols is None else cols
        cur = self.con.execute(sql.format(cols=", ".join(cols)), args)
        for row in cur:
            yield dict(zip(cols, row, strict=True))

    def _validate(self, model: type[r.SeedRecord], row: dict[str, Any], store: str, key: Any) -> Any:
        for vf in L.VECTOR_FIELDS & row.keys():
            try:
                row[vf] = L.decode_vector(row[vf])
            except (ValueError, TypeError):
                self.report[store].reject(f"{model.__record__}.{vf}: expected a float32 BLOB or a JSON array")
                return None
        try:
            rec = r.validate_record(model, row, key)
        except RecordError as exc:
            self.report[store].reject(f"{exc.record}.{exc.field}: expected {exc.expected}")
            return None
        self.report[store].read += 1
        return rec

    def iter_batches(
        self, user_ids: list[int] | None = None, as_of: datetime | None = None, batch_size: int = 500
    ) -> Iterator[list[UserRecords]]:
        """Yield the users' records in batches; nothing beyond one batch is held in memory."""
        ids = user_ids if user_ids is not None else self.user_ids(as_of)
        for i in range(0, len(ids), batch_size):
            yield self.read_batch(ids[i : i + batch_size], as_of)

    def consent_of(self, rec: UserRecords) -> Any:
        """The user's consent from the records read so far, overridden by the platform's consent records."""
        from ai_identity.collect import consent_of
        from ai_identity.privacy.consent import open_readonly

        if not hasattr(self, "_consents"):
            self._consents = open_readonly(self.root)
        return consent_of(rec, self._consents)

    def read_batch(self, ids: list[int], as_of: datetime | None = None) -> list[UserRecords]:
        """One batch of users' records, read by consent: first the consent itself (and the ``users`` row's basic
        columns), then, per consent class, only the columns, labels and fields that class allows
        (``privacy/tiers.py``); a user without AI-analysis consent gets nothing beyond their consent."""
        if not self.side._prepared:
            self.side.prepare(self.user_keys())
        bundles = {uid: UserRecords(uid) for uid in ids}
        with reading_for("consent"):
            self._read_consent(bundles, as_of)
        for plan, group in group_by_plan(bundles, self.consent_of):
            before = {uid: (b.user, len(b.settings)) for uid, b in group.items()}
            self._read_allowed(group, plan, as_of)
            # a users row or settings row read again in full counts once in the report
            again = sum(n for _, n in before.values()) + sum(
                1 for uid, b in group.items() if before[uid][0] is not None and b.user is not before[uid][0]
            )
            self.report["mysql"].read -= again
            for bundle in group.values():
                self._read_private(bundle, as_of, plan)
            self.side.attach(list(group.values()), as_of, plan)
            redact_derived(group.values(), plan)
        return list(bundles.values())

    def _select(
        self, table: str, cols: list[str], key: str, ids: list[Any], as_of: datetime | None, tcol: str | None
    ) -> Iterator[dict[str, Any]]:
        marks = ",".join("?" * len(ids))
        sql = f"SELECT {', '.join(cols)} FROM {table} WHERE {key} IN ({marks})"
        args: tuple[Any, ...] = tuple(ids)
        if as_of is not None and tcol:
            sql += f" AND ({tcol} IS NULL OR {tcol} <= ?)"
            args += (_iso(as_of),)
        for row in self.con.execute(sql, args):
            yield dict(zip(cols, row, strict=True))

    def _read_consent(self, bundles: dict[int, UserRecords], as_of: datetime | None) -> None:
        """The ``users`` row's basic columns, ``user_settings.privacy_settings`` and the private
        ``user_privacy_settings``: what the consent is computed from (read for every user)."""
        ids = list(bundles)
        cols = [c for c in T.CONSENT_READ[("mysql", "users")] if c in self.columns["users"]]
        for row in self._select("users", cols, "id", ids, None, None):
            rec = self._validate(r.User, row, "mysql", row.get("id"))
            if rec and (as_of is None or rec.created_at <= as_of):
                bundles[rec.id].user = rec
        if "user_settings" in self._usable and "user_settings" not in self.skip:
            cols = list(T.CONSENT_READ[("mysql", "user_settings")])
            for row in self._select("user_settings", cols, "user_id", ids, None, None):
                rec = self._validate(r.UserSetting, row, "mysql", row.get("user_id"))
                if rec and rec.user_id in bundles:
                    bundles[rec.user_id].settings.append(rec)
        for bundle in bundles.values():
            self._read_private(bundle, as_of, None)

    def _read_allowed(self, group: dict[int, UserRecords], plan: ReadPlan, as_of: datetime | None) -> None:
        ids = list(group)
        cols = users_columns(plan, self.columns["users"])
        if cols:  # the users row again, with its sensitive columns (sensitive tier only)
            for row in self._select("users", cols, "id", ids, None, None):
                rec = self._validate(r.User, row, "mysql", row.get("id"))
                if rec and rec.id in group and group[rec.id].user is not None:
                    group[rec.id].user = rec
        for table, (model, attr, key, tcol) in TABLES.items():
            if table not in self._usable or table in self.skip:
                continue
            cols = plan.columns(STORE_OF[table], table, self.columns[table])
            if attr == "settings":  # read again in full: the consent read held privacy_settings only
                for b in group.values():
                    b.settings.clear()
            for row in self._select(table, cols, key, ids, as_of, tcol):
                rec = self._validate(model, row, STORE_OF[table], row.get(key))
                if rec and getattr(rec, key) in group:
                    getattr(group[getattr(rec, key)], attr).append(rec)
        resume_owner = {res.id: uid for uid, b in group.items() for res in b.resumes}
        if resume_owner:
            for table, (model, attr, tcol) in BY_RESUME.items():
                if table not in self._usable:
                    continue
                cols = plan.columns("mysql", table, self.columns[table])
                for row in self._select(table, cols, "resume_id", list(resume_owner), as_of, tcol):
                    rec = self._validate(model, row, "mysql", row.get("resume_id"))
                    if rec:
                        getattr(group[resume_owner[rec.resume_id]], attr).append(rec)

    def _read_private(self, bundle: UserRecords, as_of: datetime | None, plan: ReadPlan | None) -> None:
        """The user's private database: its consent table (``plan`` None), or the tables ``plan`` allows."""
        path = L.user_db_path(self.root, bundle.user_id)
        stats = self.report["sqlite"]
        if not path.exists():
            bundle.missing["sqlite"] = "no private database"
            return
        if bundle.user_id in self.report.skipped_users:
            return
        tables = (
            ((r.UserPrivacySettings, "privacy"),)
            if plan is None
            else ((r.ResumeContent, "resume_content"), (r.ParsedResumeData, "parsed_resumes"))
        )
        try:
            con = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=0.2)
            try:
                for model, attr in tables:
                    table = model.__record__
                    cols = [c[1] for c in con.execute(f"PRAGMA table_info({table})")]
                    missing = [c for c in L.columns(model) if c not in cols]
                    if not cols or missing:
                        stats.reject(f"{table}: table absent or lacks seed column(s)")
                        bundle.missing.setdefault("sqlite", f"{table} unusable")
                        continue
                    cols = (
                        list(T.CONSENT_READ[("sqlite", table)])
                        if plan is None
                        else (plan.columns("sqlite", table, cols))
                    )
                    select = []
                    for c in cols:
                        fields = plan.subfields("sqlite", table, c) if plan is not None else None
                        select.append(c if fields is None else f"{json_projection(c, fields)} AS {c}")
                    for row in con.execute(f"SELECT {', '.join(select)} FROM {table}"):
                        d = dict(zip(cols, row, strict=True))
                        rec = self._validate(model, d, "sqlite", bundle.user_id)
                        if rec is None:
                            continue
                        changed = getattr(rec, "updated_at", None) or getattr(rec, "created_at", None)
                        if as_of is not None and changed is not None and changed > as_of:
                            continue
                        getattr(bundle, attr).append(rec)
            finally:
                con.close()
        except sqlite3.OperationalError as exc:
            reason = "locked" if "locked" in str(exc) else "unreadable"
            self._skip_private(bundle, reason)
        except sqlite3.DatabaseError:
            self._skip_private(bundle, "corrupt (not an SQLite database)")

    def _skip_private(self, bundle: UserRecords, reason: str) -> None:
        bundle.missing["sqlite"] = f"private database {reason}"
        bundle.resume_content.clear()
        bundle.parsed_resumes.clear()
        bundle.privacy.clear()
        self.report["sqlite"].reject(f"users/<id>.sqlite {reason}: user's private records skipped")
        self.report.skipped_users[bundle.user_id] = f"private database {reason}"

    def close(self) -> None:
        self.con.close()
        self.side.close()
