"""Fingerprints: what makes one identity distinguishable from every other, and a matcher over them.

Method. An identity's fingerprint is a set of *bags* (token counts), one per family, taken from the same inputs
the facets use:
- from behaviour events: ``interest`` (the job and company ids a user acts on, ``job:17``), ``hour`` (the UTC
  hour each session starts, notification opens apart; UTC because a held-out slice of events carries no time zone, and an identity's local
  rhythm plus its zone is its UTC rhythm), ``agent`` (the user-agent string of each session: browser, version
  and device together), ``action`` (``type:target``), ``outcome`` (``ok`` / ``fail``) and ``template`` (template
  ids viewed or edited), plus the number of sessions (``activity``);
- from text: ``content`` (the resume's tokens — Chinese character bigrams, Latin words and word bigrams, as the
  content embedder reads them — plus the companies worked at) and ``skills`` (canonical taxonomy ids mentioned
  in the text or held as structured skills).

Matching a *probe* (a bag set from some slice of a user's data) against every profile gives one score per
family, and the scores are fused by a fixed weighted sum (``WEIGHTS``):
- event families are scored by query likelihood with Dirichlet smoothing (Zhai & Lafferty 2001): the log
  probability of the probe's tokens under the profile's token distribution smoothed toward the whole
  population's (a profile's session hours are first spread over the neighbouring hours), so a rare job id or user agent that the profile holds counts far more than a common one;
- ``activity`` is the Poisson log likelihood of the probe's session count given the profile's (scaled by the
  ratio of the probe's time share to the profile's);
- ``content`` and ``skills`` are the cosine of sublinear TF-IDF vectors (scikit-learn), inverse document
  frequency fitted on the profiles: company, school and project names separate people, template wording does
  not.
A user id, an IP address or a session id is never part of a fingerprint.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import polars as pl
import scipy.sparse as sp
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer

EVENT_FAMILIES = ("interest", "hour", "agent", "action", "outcome", "template")
TEXT_FAMILIES = ("content", "skills")
# Dirichlet prior mass per event family (how strongly a profile's counts are smoothed toward the population)
MU = {"interest": 30.0, "hour": 10.0, "agent": 3.0, "action": 10.0, "outcome": 10.0, "template": 10.0}
# fusion weights: log-likelihood families are in nats, cosine families in 0..1 (tuned on seeds 101 and 102)
WEIGHTS = {
    "interest": 0.7,
    "hour": 0.5,
    "agent": 0.7,
    "action": 0.2,
    "outcome": 0.75,
    "template": 0.4,
    "activity": 0.6,
    "content": 9.0,
    "skills": 12.0,
}


@dataclass
class Fingerprints:
    """Bags of tokens per family for an ordered list of users (``bags[family][i]`` belongs to ``users[i]``)."""

    users: list[int]
    bags: dict[str, list[list[str]]] = field(default_factory=dict)
    sessions: np.ndarray = field(default_factory=lambda: np.zeros(0))


def _session_expr() -> dict[str, pl.Expr]:
    return {
        "hour": pl.when(pl.col("notify")).then(pl.lit("n")).otherwise(pl.lit(""))
        + ((pl.col("ts_us") // 3_600_000_000) % 24).cast(pl.String),
        "agent": pl.col("user_agent").cast(pl.String),
    }


def _event_expr() -> dict[str, pl.Expr]:
    target = pl.col("action_target")
    return {
        "interest": pl.when(target.is_in(["job", "company"]) & (pl.col("action_target_id") >= 0)).then(
            target + ":" + pl.col("action_target_id").cast(pl.String)
        ),
        "action": pl.col("action_type") + ":" + target,
        "outcome": pl.when(pl.col("success")).then(pl.lit("ok")).otherwise(pl.lit("fail")),
        "template": pl.when((target == "template") & (pl.col("action_target_id") >= 0)).then(
            pl.col("action_target_id").cast(pl.String)
        ),
    }


def _bags(frame: pl.DataFrame, exprs: dict[str, pl.Expr], users: list[int]) -> dict[str, list[list[str]]]:
    if frame.is_empty():
        return {f: [[] for _ in users] for f in exprs}
    g = frame.group_by("user_id").agg(e.drop_nulls().alias(f) for f, e in exprs.items())
    rows = {int(u): i for i, u in enumerate(g["user_id"].to_list())}
    cols = {f: g[f].to_list() for f in exprs}
    return {f: [cols[f][rows[u]] if u in rows else [] for u in users] for f in exprs}


def event_fingerprints(events: pl.DataFrame, users: list[int]) -> Fingerprints:
    """Event-family bags and session counts of ``users`` from a behaviour-event frame (columnar, one pass each)."""
    need = ["user_id", "session_id", "ts_us", "user_agent", "action_type", "action_target"]
    need += ["action_target_id", "success"]
    events = events.select(need).filter(pl.col("user_id").is_in(users))
    sessions = events.group_by(["user_id", "session_id"]).agg(
        pl.col("ts_us").min(),
        pl.col("user_agent").min(),  # one agent per session; min() keeps it deterministic
        (pl.col("action_target") == "notification").all().alias("notify"),
    )
    bags = _bags(sessions, _session_expr(), users) | _bags(events, _event_expr(), users)
    counts = dict(sessions.group_by("user_id").len().iter_rows())
    return Fingerprints(users, bags, np.array([counts.get(u, 0) for u in users], dtype=float))


def _identity(x: list[str]) -> list[str]:
    return x


def _hour_kernel(bag: list[str]) -> list[str]:
    """A profile's session hours smoothed over the neighbouring hours (weights 2:1:1): rhythms are smooth, and a
    profile of a few dozen sessions leaves gaps a held-out session may fall into."""
    out: list[str] = []
    for t in bag:
        kind, hour = ("n", int(t[1:])) if t.startswith("n") else ("", int(t))
        out += [t, t, f"{kind}{(hour + 1) % 24}", f"{kind}{(hour - 1) % 24}"]
    return out


class Matcher:
    """Scores probes against a fixed set of profiles, family by family, and fuses the scores."""

    def __init__(
        self,
        profiles: Fingerprints,
        probe_share: float = 0.2,
        weights: dict[str, float] | None = None,
    ) -> None:
        self.profiles, self.weights = profiles, weights or WEIGHTS
        self.ratio = probe_share / (1.0 - probe_share)
        self._ql: dict[str, tuple[CountVectorizer, sp.csr_matrix, np.ndarray]] = {}
        self._tfidf: dict[str, tuple[TfidfVectorizer, sp.csr_matrix]] = {}
        for f in EVENT_FAMILIES:
            if f in profiles.bags and self.weights.get(f):
                bags = [_hour_kernel(b) for b in profiles.bags[f]] if f == "hour" else profiles.bags[f]
                self._ql[f] = self._fit_ql(bags, MU[f])
        for f in TEXT_FAMILIES:
            if f in profiles.bags and self.weights.get(f):
                vec = TfidfVectorizer(analyzer=_identity, sublinear_tf=True)
                try:
                    self._tfidf[f] = (vec, vec.fit_transform(profiles.bags[f]).T.tocsr())
                except ValueError:  # no tokens in any profile: the family cannot tell anyone apart
                    continue

    @staticmethod
    def _fit_ql(bags: list[list[str]], mu: float) -> tuple[CountVectorizer, sp.csr_matrix, np.ndarray]:
        """log p(t | profile) = log(mu*bg_t/(N+mu)) + log1p(c_t/(mu*bg_t)): a sparse part and a per-profile part."""
        cv = CountVectorizer(analyzer=_identity)
        try:
            counts = cv.fit_transform(bags).astype(np.float64).tocsr()
        except ValueError:  # no tokens at all
            return cv, sp.csr_matrix((0, len(bags))), np.zeros(len(bags))
        bg = np.asarray(counts.sum(axis=0)).ravel() + 1.0
        bg /= bg.sum()
        size = np.asarray(counts.sum(axis=1)).ravel()
        boost = counts.multiply(1.0 / (mu * bg)[None, :]).tocsr()
        boost.data = np.log1p(boost.data)
        return cv, boost.T.tocsr(), np.log(mu / (size + mu))

    def scores(self, probes: Fingerprints) -> dict[str, np.ndarray]:
        """Per family, a (probes x profiles) score matrix (higher: more alike)."""
        out: dict[str, np.ndarray] = {}
        for f, (cv, boost, per_profile) in self._ql.items():
            if boost.shape[0] == 0:
                continue
            q = cv.transform(probes.bags.get(f) or [[] for _ in probes.users])
            length = np.asarray(q.sum(axis=1)).ravel()
            out[f] = np.asarray((q @ boost).todense()) + length[:, None] * per_profile[None, :]
        for f, (vec, prof) in self._tfidf.items():
            out[f] = np.asarray(
                (vec.transform(probes.bags.get(f) or [[] for _ in probes.users]) @ prof).todense()
            )
        if self.weights.get("activity"):
            lam = (self.profiles.sessions + 0.5) * self.ratio
            out["activity"] = probes.sessions[:, None] * np.log(lam)[None, :] - lam[None, :]
        return out

    def fused(self, probes: Fingerprints) -> np.ndarray:
        """The weighted sum of :meth:`scores` (probes x profiles)."""
        out = np.zeros((len(probes.users), len(self.profiles.users)))
        for f, s in self.scores(probes).items():
            out += self.weights.get(f, 0.0) * s
        return out


def subset(fp: Fingerprints, rows: slice) -> Fingerprints:
    return Fingerprints(fp.users[rows], {f: b[rows] for f, b in fp.bags.items()}, fp.sessions[rows])
