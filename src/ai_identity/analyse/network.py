"""Network facet: collaborators, centrality, community, related skills and learning suggestions.

Method. The collaboration graph (``COLLABORATED_WITH``, undirected, weighted by shared projects) is built with
NetworkX over users who granted the relational tier — an edge is kept only when *both* ends did, since it is
data about the other person too. Communities are Louvain communities (fixed seed, so builds are
deterministic; resolution ``RESOLUTION``); centrality is degree centrality and PageRank. Related skills are the skills most often held
together with the user's own within their community; learning suggestions are skills held by at least
``SUGGEST_SHARE`` of the community that the user lacks, ranked by that share.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import networkx as nx

SUGGEST_SHARE = 0.3
# Louvain resolution above 1 favours smaller communities: the consented collaboration graph is sparse (an edge
# needs both people's consent), and at 1.0 Louvain merges neighbouring teams. Chosen on a tuning platform (seed 2).
RESOLUTION = 1.5


@dataclass
class NetworkStats:
    user_id: int
    collaborators: list[tuple[int, int, float]]  # (other user id, projects, satisfaction)
    degree: float
    pagerank: float
    community: int
    community_size: int
    related_skills: list[tuple[str, int]] = field(default_factory=list)
    suggestions: list[tuple[str, float]] = field(default_factory=list)


def network_stats(
    edges: list[tuple[int, int, int, float]], consenting: set[int], skills_by_user: dict[int, set[str]]
) -> dict[int, NetworkStats]:
    """``edges``: (user a, user b, projects, satisfaction) with platform ids after stitching."""
    g = nx.Graph()
    g.add_nodes_from(sorted({u for a, b, _, _ in edges for u in (a, b) if u in consenting}))
    for a, b, projects, sat in sorted(edges, key=lambda e: (min(e[0], e[1]), max(e[0], e[1]), e[2], e[3])):
        if a == b or a not in consenting or b not in consenting:
            continue
        if g.has_edge(a, b):
            g[a][b]["weight"] += projects or 1
        else:
            g.add_edge(a, b, weight=projects or 1, satisfaction=sat)
    if g.number_of_nodes() == 0:
        return {}
    communities = nx.community.louvain_communities(g, weight="weight", seed=0, resolution=RESOLUTION)
    communities = sorted(communities, key=lambda c: (-len(c), min(c)))
    comm_of = {u: i for i, c in enumerate(communities) for u in c}
    degree = nx.degree_centrality(g)
    pagerank = nx.pagerank(g, weight="weight")
    held_in: dict[int, Counter[str]] = {}
    for i, members in enumerate(communities):
        c: Counter[str] = Counter()
        for u in members:
            c.update(skills_by_user.get(u, set()))
        held_in[i] = c
    out: dict[int, NetworkStats] = {}
    for u in g.nodes:
        ci = comm_of[u]
        size = len(communities[ci])
        own = skills_by_user.get(u, set())
        counts = held_in[ci]
        ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))  # ties by id: deterministic
        related = [(s, n) for s, n in ranked if s not in own and n >= 2][:8]
        suggestions = [
            (s, round(n / size, 3))
            for s, n in ranked
            if s not in own and size >= 3 and n / size >= SUGGEST_SHARE
        ][:5]
        collab = sorted(
            ((v, int(g[u][v]["weight"]), float(g[u][v].get("satisfaction") or 0)) for v in g[u]),
            key=lambda t: (-t[1], t[0]),
        )
        out[u] = NetworkStats(
            u, collab, round(degree[u], 5), round(pagerank[u], 6), ci, size, related, suggestions
        )
    return out
