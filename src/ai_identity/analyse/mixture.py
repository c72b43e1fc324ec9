"""Empirical-Bayes smoothing of sparse per-user count histograms with a multinomial mixture.

A user with four sessions says little about their daily rhythm on their own; the platform's other users say a
lot about which rhythms exist. We fit a mixture of K multinomials to all users' histograms by EM (deterministic
initialisation from the best-observed users), and give each user the posterior predictive histogram

    q_i = (x_i + c * sum_k r_ik p_k) / (n_i + c)

— their own counts plus ``c`` pseudo-counts spread like the rhythms their data makes likely. With many
observations their own counts dominate; with few, the population's shapes do.

Past ``FIT_SAMPLE`` users both mixtures (the histograms' and the assistance rate x acceptance one) are fit on a
fixed, evenly spread sample of users and every user then gets one E-step: the same result below that size,
bounded time above it.
"""

from __future__ import annotations

import numpy as np

FIT_SAMPLE = 20_000  # users the mixture shapes are fit on, at most


def fit_mixture(
    x: np.ndarray, k: int, iters: int = 60, alpha: float = 0.5
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """EM for a mixture of multinomials. Returns (weights[k], components[k, d], responsibilities[n, k])."""
    n = x.shape[0]
    k = max(1, min(k, n))
    totals = x.sum(axis=1)
    # deterministic start: the k best-observed users, spread apart greedily (farthest-point on L1 distance)
    rows = x / np.maximum(totals, 1)[:, None]
    order = np.argsort(-totals, kind="stable")[: max(k * 20, k)]
    chosen = [order[0]]
    for _ in range(1, k):
        dist = np.min(np.abs(rows[order][:, None, :] - rows[chosen][None, :, :]).sum(axis=2), axis=1)
        chosen.append(order[int(np.argmax(dist))])
    comp = (x[chosen] + alpha) / (x[chosen] + alpha).sum(axis=1, keepdims=True)
    weights = np.full(k, 1.0 / k)
    resp = np.full((n, k), 1.0 / k)
    for _ in range(iters):
        log_lik = x @ np.log(comp).T + np.log(weights)[None, :]
        log_lik -= log_lik.max(axis=1, keepdims=True)
        resp = np.exp(log_lik)
        resp /= resp.sum(axis=1, keepdims=True)
        weights = np.maximum(resp.mean(axis=0), 1e-9)
        comp = resp.T @ x + alpha
        comp /= comp.sum(axis=1, keepdims=True)
    return weights, comp, resp


def posterior_predictive(x: np.ndarray, comp: np.ndarray, resp: np.ndarray, strength: float) -> np.ndarray:
    """Each row's own counts plus ``strength`` pseudo-counts from its likely components, normalised."""
    prior = resp @ comp
    q = x + strength * prior
    return q / q.sum(axis=1, keepdims=True)


def smooth_counts(x: np.ndarray, k: int, strength: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Fit and smooth in one call: (smoothed rows, components, responsibilities)."""
    if x.shape[0] == 0:
        return x.astype(float), np.zeros((0, x.shape[1])), np.zeros((0, 0))
    x = x.astype(float)
    if x.shape[0] > FIT_SAMPLE:
        # the shapes are learnt from a fixed, evenly spread sample of users (deterministic); every user then
        # gets their responsibilities in one E-step
        sample = x[np.linspace(0, x.shape[0] - 1, FIT_SAMPLE).astype(int)]
        weights, comp, _ = fit_mixture(sample, k)
        resp = responsibilities(x, weights, comp)
    else:
        _, comp, resp = fit_mixture(x, k)
    return posterior_predictive(x, comp, resp, strength), comp, resp


def responsibilities(x: np.ndarray, weights: np.ndarray, comp: np.ndarray) -> np.ndarray:
    """One E-step: each row's posterior over the components."""
    log_lik = x @ np.log(comp).T + np.log(weights)[None, :]
    log_lik -= log_lik.max(axis=1, keepdims=True)
    resp = np.exp(log_lik)
    return resp / resp.sum(axis=1, keepdims=True)


def fit_rate_mixture(
    events: np.ndarray, exposure: np.ndarray, accepted: np.ndarray, k: int = 3, iters: int = 80
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """EM for a mixture of (Poisson rate per unit of exposure) x (binomial acceptance) users.

    Each user i did ``events[i]`` interactions over ``exposure[i]`` sessions and accepted ``accepted[i]`` of them.
    Returns (weights[k], rates[k], accept_probs[k], responsibilities[n, k]) with components sorted by rate.
    Initialised at rate quantiles, so the result is deterministic.
    """
    n = len(events)
    if n > FIT_SAMPLE:
        # like smooth_counts: the components are learnt from a fixed, evenly spread sample of users
        # (deterministic); every user then gets their responsibilities in one E-step
        sample = np.linspace(0, n - 1, FIT_SAMPLE).astype(int)
        weights, rates, acc, _ = fit_rate_mixture(
            events[sample], exposure[sample], accepted[sample], k, iters
        )
        return weights, rates, acc, _rate_responsibilities(events, exposure, accepted, weights, rates, acc)
    k = max(1, min(k, n))
    per = events / np.maximum(exposure, 1e-9)
    rates = np.quantile(per, np.linspace(0.15, 0.85, k)) + 1e-3
    acc = np.full(k, 0.5)
    weights = np.full(k, 1.0 / k)
    resp = np.full((n, k), 1.0 / k)
    rejected = np.maximum(events - accepted, 0)
    for _ in range(iters):
        resp = _rate_responsibilities(events, exposure, accepted, weights, rates, acc, rejected)
        weights = np.maximum(resp.mean(axis=0), 1e-9)
        rates = (resp * events[:, None]).sum(axis=0) / np.maximum(
            (resp * exposure[:, None]).sum(axis=0), 1e-9
        ) + 1e-6
        acc = ((resp * accepted[:, None]).sum(axis=0) + 1) / ((resp * events[:, None]).sum(axis=0) + 2)
    order = np.argsort(rates)
    return weights[order], rates[order], acc[order], resp[:, order]


def _rate_responsibilities(
    events: np.ndarray,
    exposure: np.ndarray,
    accepted: np.ndarray,
    weights: np.ndarray,
    rates: np.ndarray,
    acc: np.ndarray,
    rejected: np.ndarray | None = None,
) -> np.ndarray:
    """The E-step of :func:`fit_rate_mixture`: each user's posterior over the components."""
    if rejected is None:
        rejected = np.maximum(events - accepted, 0)
    lam = np.outer(exposure, rates)
    log_lik = (
        events[:, None] * np.log(lam + 1e-12)
        - lam
        + accepted[:, None] * np.log(acc + 1e-9)
        + rejected[:, None] * np.log(1 - acc + 1e-9)
        + np.log(weights)[None, :]
    )
    log_lik -= log_lik.max(axis=1, keepdims=True)
    resp = np.exp(log_lik)
    return resp / resp.sum(axis=1, keepdims=True)
