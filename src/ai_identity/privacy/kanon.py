"""k-anonymous training export: generalise quasi-identifiers until every row hides among k, suppress last.

Quasi-identifiers (QIs) and their hierarchies, fixed in advance (``privacy.categories``), level 0 = as held:

* ``location``: province (China) / country → China's macro-region, countries kept → "Greater China" / world
  region → ``*``;
* ``industry``: declared industry → industry group → ``*``;
* ``experience_years``: 1-year band → [0,2) [2,5) [5,10) [10,15) [15,20) [20,30) [30,∞) → [0,5) [5,15)
  [15,∞) → ``*``;
* ``education_level``: level → below-bachelor / bachelor / postgraduate → ``*``;
* ``seniority``: junior / mid / senior / lead → junior-mid / senior-lead → ``*``.

Method. Information loss is Iyengar's normalised loss per value — for a category (leaves under the
generalised value − 1) / (leaves in the domain − 1), for a band its width over [0, 50] years, 1 for ``*`` —
averaged over rows and QIs, a suppressed row counting 1.
(1) *Global recoding*: every node of the generalisation lattice (one level per QI, 432 nodes) is scored
with rows in classes smaller than k counted as lost; the ``CANDIDATES`` best nodes go on to (2)–(3).
(2) *Local recoding of the rest*: rows left in classes smaller than k climb further together, one QI at a
time (the climb that lets the most of them join a class of ≥ k per unit of loss), each stopping as soon as
its tuple is shared by ≥ k rows; only rows still alone when every QI is ``*`` are suppressed (the last
resort). (3) *Specialisation* (Mondrian-style, top-down): each class is split one level down along the QI
that saves the most loss, keeping only pieces of ≥ k rows (the rest, if any, stays generalised and is
itself ≥ k), until nothing splits. The candidate with the least final loss is exported; a final check
suppresses any class below k (none is expected).

Skills are not QIs (a skill set is nearly unique, so it would force suppressing almost everything); instead
each row keeps its ``TOP_SKILLS`` strongest skills minus any skill held by fewer than k exported rows. Row ids
are random per export unless asked otherwise, so two exports cannot be joined row by row to undo each
other's generalisation. "Information kept" per QI is 1 − the mean normalised level over exported rows.
"""

from __future__ import annotations

import itertools
import secrets
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import polars as pl

from ai_identity.errors import UsageError
from ai_identity.model.identity import Identity
from ai_identity.privacy.categories import (
    CHINA_MACRO_REGIONS,
    EDUCATION_GROUPS,
    INDUSTRY_GROUPS,
    OTHER,
    SENIORITY_GROUPS,
    UNKNOWN,
    WORLD_REGIONS,
    industry_category,
)

__all__ = ["QUASI_IDENTIFIERS", "TOP_SKILLS", "AnonymisedExport", "anonymise", "training_records"]

TOP = "*"
TOP_SKILLS = 5
# Lattice nodes (best by their own score) finished with local recoding before the final choice.
CANDIDATES = 4
_YEAR_BANDS = ((0, 2, 5, 10, 15, 20, 30), (0, 5, 15))


def _band(years: float, cuts: Sequence[int]) -> str:
    lo = max(c for c in cuts if c <= years)
    later = [c for c in cuts if c > lo]
    return f"[{lo},{later[0]})" if later else f"[{lo},inf)"


def _location(value: Any, level: int) -> str:
    if value is None:
        return UNKNOWN
    text = str(value)
    china = text in CHINA_MACRO_REGIONS
    if level == 0:
        return text
    if level == 1:
        return CHINA_MACRO_REGIONS[text] if china else text
    return "Greater China" if china else WORLD_REGIONS.get(text, OTHER)


def _industry(value: Any, level: int) -> str:
    category = industry_category(value)
    return category if level == 0 or category in (OTHER, UNKNOWN) else INDUSTRY_GROUPS[category]


def _years(value: Any, level: int) -> str:
    if value is None:
        return UNKNOWN
    years = max(0.0, float(value))
    if level == 0:
        n = int(years)
        return f"[{n},{n + 1})"
    return _band(years, _YEAR_BANDS[level - 1])


def _years_loss(label: str) -> float:
    """Width of a band over the working-life range [0, 50] (open bands end at 50)."""
    if not label.startswith("["):
        return 0.0
    lo, hi = label[1:-1].split(",")
    top = MAX_YEARS if hi == "inf" else min(MAX_YEARS, float(hi))
    return max(0.0, min(1.0, (top - float(lo)) / MAX_YEARS))


def _grouped(groups: dict[str, str]) -> Callable[[Any, int], str]:
    def generalise(value: Any, level: int) -> str:
        if value is None:
            return UNKNOWN
        text = str(value).lower()
        if text not in groups:
            return OTHER
        return text if level == 0 else groups[text]

    return generalise


def _leaves(mapping: dict[str, str]) -> Counter[str]:
    return Counter(mapping.values())


@dataclass(frozen=True)
class _Hierarchy:
    """One QI's generalisation ladder; ``loss`` is Iyengar's normalised loss of a generalised value.

    For a category: (leaves under the value - 1) / (leaves in the domain - 1); for a band: its width over
    the range. ``*`` loses 1, an original value 0.
    """

    name: str
    top: int  # the level at which every value is "*"
    generalise: Callable[[Any, int], str]
    group_sizes: Counter[str] = field(default_factory=Counter)
    domain: int = 1
    numeric: bool = False

    def value(self, raw: Any, level: int) -> str:
        return TOP if level >= self.top else self.generalise(raw, level)

    def loss(self, label: str) -> float:
        if label == TOP:
            return 1.0
        if self.numeric:
            return _years_loss(label)
        leaves = self.group_sizes.get(label, 1)
        return (leaves - 1) / max(1, self.domain - 1)


MAX_YEARS = 50.0
_PLACES = {**CHINA_MACRO_REGIONS, **WORLD_REGIONS}
_LOCATION_GROUPS = _leaves(CHINA_MACRO_REGIONS) + _leaves(WORLD_REGIONS)
_LOCATION_GROUPS["Greater China"] = len(CHINA_MACRO_REGIONS)
HIERARCHIES: tuple[_Hierarchy, ...] = (
    _Hierarchy("location", 3, _location, _LOCATION_GROUPS, len(_PLACES) + 2),
    _Hierarchy("industry", 2, _industry, _leaves(INDUSTRY_GROUPS), len(INDUSTRY_GROUPS) + 2),
    _Hierarchy("experience_years", 3, _years, numeric=True),
    _Hierarchy("education_level", 2, _grouped(EDUCATION_GROUPS), _leaves(EDUCATION_GROUPS), 7),
    _Hierarchy("seniority", 2, _grouped(SENIORITY_GROUPS), _leaves(SENIORITY_GROUPS), 6),
)
QUASI_IDENTIFIERS: tuple[str, ...] = tuple(h.name for h in HIERARCHIES)


@dataclass
class AnonymisedExport:
    """The exported rows and what it cost to make them k-anonymous."""

    k: int
    rows: list[dict[str, Any]]
    input_rows: int
    suppressed: int
    global_levels: dict[str, int]
    information_kept: dict[str, float]
    mean_level: dict[str, float]
    classes: int
    smallest_class: int
    skills_dropped: int
    locally_recoded: int = 0
    notes: list[str] = field(default_factory=list)

    @property
    def kept_share(self) -> float:
        return 1.0 if self.input_rows == 0 else 1 - self.suppressed / self.input_rows

    def report(self) -> dict[str, Any]:
        out = {k: v for k, v in vars(self).items() if k != "rows"}
        out["exported_rows"] = len(self.rows)
        out["kept_share"] = round(self.kept_share, 4)
        out["suppressed_share"] = round(1 - self.kept_share, 4)
        return out


def _claim(ident: Identity, facet: str, name: str) -> Any:
    claim = ident.career.get(name) if facet == "career" else ident.profile.get(name)
    return None if claim is None else claim.value


def training_records(
    identities: Iterable[Identity], allow: Callable[[Identity], bool] | None = None
) -> list[dict[str, Any]]:
    """The raw QIs and top skills of each identity that may be used (default: not a stub, basic tier)."""

    def default_allow(ident: Identity) -> bool:
        tiers = ident.consent.get("tiers") or {}
        purposes = ident.consent.get("purposes") or {}  # set when consent records override the platform
        return (
            not ident.stub
            and ident.consent.get("ai_analysis_consent", True) is not False
            and (tiers.get("basic", True) is not False)
            and purposes.get("model_training", True) is not False
        )

    ok = allow or default_allow
    out = []
    for ident in identities:
        if not ok(ident):
            continue
        skills = sorted(ident.skills, key=lambda s: -s.score)[:TOP_SKILLS]
        out.append(
            {
                "pseudonym": ident.user.get("pseudonym"),
                "location": _claim(ident, "profile", "location"),
                "industry": _claim(ident, "profile", "industry"),
                "experience_years": _claim(ident, "profile", "experience_years"),
                "education_level": _claim(ident, "profile", "education_level"),
                "seniority": _claim(ident, "career", "seniority"),
                "top_skills": [s.skill_id for s in skills],
            }
        )
    return out


class _Lattice:
    """Every QI at every level for every record, as labels and losses, to score lattice nodes fast."""

    def __init__(self, records: list[dict[str, Any]]) -> None:
        self.n = len(records)
        cols: dict[str, list[str]] = {}
        self.losses: dict[tuple[int, int], np.ndarray] = {}
        for a, h in enumerate(HIERARCHIES):
            for level in range(h.top):
                labels = [h.value(r[h.name], level) for r in records]
                cols[f"{h.name}@{level}"] = labels
                self.losses[a, level] = np.array([h.loss(x) for x in labels])
            self.losses[a, h.top] = np.ones(self.n)
        self.frame = pl.DataFrame(cols)

    def small(self, node: Sequence[int], k: int) -> np.ndarray:
        """Rows whose class under ``node`` holds fewer than ``k`` rows."""
        cols = [f"{h.name}@{lvl}" for h, lvl in zip(HIERARCHIES, node, strict=True) if lvl < h.top]
        if not cols:
            return np.full(self.n, self.n < k)
        return (self.frame.select(pl.len().over(cols)).to_series() < k).to_numpy()

    def loss(self, node: Sequence[int], k: int) -> float:
        """Mean loss per row and QI, a row in a class < k counted as fully lost."""
        small = self.small(node, k)
        per_row = sum(self.losses[a, lvl] for a, lvl in enumerate(node)) / len(HIERARCHIES)
        return float(np.where(small, 1.0, per_row).mean())

    def ranked_nodes(self, k: int) -> list[tuple[int, ...]]:
        """Lattice nodes, least loss first (ties: the lower node)."""
        nodes = itertools.product(*(range(h.top + 1) for h in HIERARCHIES))
        return sorted(nodes, key=lambda node: (self.loss(node, k), sum(node)))


def _tuple(record: dict[str, Any], node: Sequence[int]) -> tuple[str, ...]:
    return tuple(h.value(record[h.name], lvl) for h, lvl in zip(HIERARCHIES, node, strict=True))


def _row_loss(record: dict[str, Any], node: Sequence[int]) -> float:
    return sum(h.loss(x) for h, x in zip(HIERARCHIES, _tuple(record, node), strict=True))


def _local_recode(
    records: list[dict[str, Any]], levels: list[tuple[int, ...]], k: int
) -> tuple[list[tuple[int, ...]], set[int]]:
    """Raise the rows in classes < k together, one QI at a time; returns levels and the rows still alone."""
    sizes = Counter(_tuple(r, lv) for r, lv in zip(records, levels, strict=True))
    pending = {i for i, (r, lv) in enumerate(zip(records, levels, strict=True)) if sizes[_tuple(r, lv)] < k}
    while pending:
        node = levels[next(iter(pending))]
        fixed = Counter(_tuple(records[i], levels[i]) for i in range(len(records)) if i not in pending)
        before = sum(_row_loss(records[i], node) for i in pending)
        best: tuple[float, tuple[int, ...]] | None = None
        for a, h in enumerate(HIERARCHIES):
            if node[a] >= h.top:
                continue
            up = (*node[:a], node[a] + 1, *node[a + 1 :])
            moved = Counter(_tuple(records[i], up) for i in pending)
            joined = sum(n for t, n in moved.items() if n + fixed[t] >= k)
            cost = sum(_row_loss(records[i], up) for i in pending) - before
            gain = (joined + 1e-9) / max(cost, 1e-9)
            if best is None or gain > best[0]:
                best = (gain, up)
        if best is None:  # every QI is "*" and still fewer than k rows share it
            return levels, pending
        up = best[1]
        for i in pending:
            levels[i] = up
        moved = Counter(_tuple(records[i], up) for i in pending)
        pending = {i for i in pending if moved[_tuple(records[i], up)] + fixed[_tuple(records[i], up)] < k}
    return levels, set()


def _split(
    records: list[dict[str, Any]], levels: list[tuple[int, ...]], members: list[int], a: int, k: int
) -> tuple[list[int], float]:
    """Rows of one class that can go one level down on QI ``a`` in sub-classes of >= k, leaving the rest
    (none, or >= k) as they are; and the loss that saves."""
    h = HIERARCHIES[a]
    parts: dict[str, list[int]] = {}
    for i in members:
        if levels[i][a] > 0:
            parts.setdefault(h.value(records[i][h.name], levels[i][a] - 1), []).append(i)
    big = sorted((p for p in parts.values() if len(p) >= k), key=len)
    rest = len(members) - sum(len(p) for p in big)
    while big and 0 < rest < k:  # the smallest splittable parts stay behind to keep the rest at >= k
        rest += len(big.pop(0))
    moved = [i for p in big for i in p]
    saved = sum(
        h.loss(h.value(records[i][h.name], levels[i][a]))
        - h.loss(h.value(records[i][h.name], levels[i][a] - 1))
        for i in moved
    )
    return moved, saved


def _specialise(
    records: list[dict[str, Any]], levels: list[tuple[int, ...]], k: int, skip: set[int]
) -> list[tuple[int, ...]]:
    """Top-down refinement: split each class along the QI that saves the most loss while every piece keeps
    >= k rows, until no class can be split (Mondrian-style local recoding on the hierarchies)."""
    levels = list(levels)
    while True:
        classes: dict[tuple[str, ...], list[int]] = {}
        for i, (r, lv) in enumerate(zip(records, levels, strict=True)):
            if i not in skip:
                classes.setdefault(_tuple(r, lv), []).append(i)
        changed = False
        for members in classes.values():
            options = [(*_split(records, levels, members, a, k), a) for a in range(len(HIERARCHIES))]
            moved, saved, a = max(options, key=lambda o: o[1])
            if not moved or saved <= 0:
                continue
            for i in moved:
                lv = levels[i]
                levels[i] = (*lv[:a], lv[a] - 1, *lv[a + 1 :])
            changed = True
        if not changed:
            return levels


def _recode(records: list[dict[str, Any]], k: int) -> tuple[tuple[int, ...], list[tuple[int, ...]], set[int]]:
    """Global node + local recoding, trying the ``CANDIDATES`` best nodes and keeping the least final loss."""
    best: tuple[float, tuple[int, ...], list[tuple[int, ...]], set[int]] | None = None
    for node in _Lattice(records).ranked_nodes(k)[:CANDIDATES]:
        levels, alone = _local_recode(records, [node] * len(records), k)
        levels = _specialise(records, levels, k, alone)
        loss = sum(
            len(HIERARCHIES) if i in alone else _row_loss(r, lv)
            for i, (r, lv) in enumerate(zip(records, levels, strict=True))
        )
        if best is None or loss < best[0] - 1e-9:
            best = (loss, node, levels, alone)
    assert best is not None
    return best[1], best[2], best[3]


def anonymise(records: list[dict[str, Any]], k: int, *, stable_ids: bool = False) -> AnonymisedExport:
    """Generalise ``records`` (from :func:`training_records`) to k-anonymity; suppress only what must go."""
    if isinstance(k, bool) or not isinstance(k, int) or k < 2:
        raise UsageError("--k: expected an integer >= 2")
    n = len(records)
    if n == 0:
        return AnonymisedExport(k, [], 0, 0, {}, {}, {}, 0, 0, 0)
    node, levels, alone = _recode(records, k)
    # defence in depth: a class below k here would be a bug upstream; its rows are suppressed, not exported
    sizes = Counter(_tuple(records[i], levels[i]) for i in range(n) if i not in alone)
    alone |= {i for i in range(n) if i not in alone and sizes[_tuple(records[i], levels[i])] < k}
    kept = [i for i in range(n) if i not in alone]
    holders = Counter(s for i in kept for s in set(records[i]["top_skills"]))
    rare = {s for s, c in holders.items() if c < k}
    rows = []
    for i in kept:
        row: dict[str, Any] = {"pseudonym": records[i]["pseudonym"] if stable_ids else secrets.token_hex(8)}
        row.update(zip(QUASI_IDENTIFIERS, _tuple(records[i], levels[i]), strict=True))
        row["top_skills"] = [s for s in records[i]["top_skills"] if s not in rare]
        rows.append(row)
    sizes = Counter(tuple(r[q] for q in QUASI_IDENTIFIERS) for r in rows)
    mean_level, kept_info = {}, {}
    for a, h in enumerate(HIERARCHIES):
        mean_level[h.name] = round(sum(levels[i][a] / h.top for i in kept) / len(kept), 4) if kept else 1.0
        lost = sum(h.loss(row[h.name]) for row in rows) / len(rows) if rows else 1.0
        kept_info[h.name] = round(1 - lost, 4)
    return AnonymisedExport(
        k=k,
        rows=rows,
        input_rows=n,
        suppressed=len(alone),
        global_levels=dict(zip(QUASI_IDENTIFIERS, node, strict=True)),
        information_kept=kept_info,
        mean_level=mean_level,
        classes=len(sizes),
        smallest_class=min(sizes.values()) if sizes else 0,
        skills_dropped=len(rare),
        locally_recoded=sum(1 for lv in levels if lv != node),
    )
