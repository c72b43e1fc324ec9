"""What every source shares: the per-source read report and the bundle of one user's records."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from ai_identity.model import records as r

SOURCES = ("mysql", "sqlite", "postgres", "events", "redis", "graph", "mongodb", "weaviate")


@dataclass
class SourceStats:
    read: int = 0
    rejected: int = 0
    reasons: Counter[str] = field(default_factory=Counter)
    present: bool = True
    skipped_users: int = 0
    note: str = ""

    def reject(self, reason: str, n: int = 1) -> None:
        self.rejected += n
        self.reasons[reason] += n


@dataclass
class ReadReport:
    """Per source: records read, records rejected with reasons, whether the source was present at all."""

    sources: dict[str, SourceStats] = field(default_factory=lambda: {s: SourceStats() for s in SOURCES})
    skipped_users: dict[int, str] = field(default_factory=dict)

    def __getitem__(self, source: str) -> SourceStats:
        return self.sources[source]

    def merge(self, other: ReadReport) -> None:
        """Add another report's counts (a build worker's batch) into this one."""
        for name, st in other.sources.items():
            mine = self.sources[name]
            mine.read += st.read
            mine.rejected += st.rejected
            mine.reasons.update(st.reasons)
        self.skipped_users.update(other.skipped_users)

    def absent(self) -> list[str]:
        return [s for s, st in self.sources.items() if not st.present]

    def as_dict(self) -> dict[str, Any]:
        return {
            "sources": {
                s: {
                    "present": st.present,
                    "read": st.read,
                    "rejected": st.rejected,
                    "reasons": dict(st.reasons.most_common(10)),
                    **({"note": st.note} if st.note else {}),
                }
                for s, st in self.sources.items()
            },
            "skipped_users": {str(k): v for k, v in sorted(self.skipped_users.items())},
        }


@dataclass
class UserRecords:
    """Everything the sources hold about one platform user (after stitching), typed."""

    user_id: int
    user: r.User | None = None
    profiles: list[r.UserProfile] = field(default_factory=list)
    settings: list[r.UserSetting] = field(default_factory=list)
    sessions: list[r.UserSession] = field(default_factory=list)
    resumes: list[r.Resume] = field(default_factory=list)
    resume_skills: list[r.ResumeSkill] = field(default_factory=list)
    resume_analyses: list[r.ResumeAnalysis] = field(default_factory=list)
    resume_data: list[r.ResumeData] = field(default_factory=list)
    ai_analyses: list[r.AIAnalysis] = field(default_factory=list)
    ai_profiles: list[r.UserAIProfile] = field(default_factory=list)
    embeddings: list[r.UserEmbedding] = field(default_factory=list)
    resume_content: list[r.ResumeContent] = field(default_factory=list)
    parsed_resumes: list[r.ParsedResumeData] = field(default_factory=list)
    privacy: list[r.UserPrivacySettings] = field(default_factory=list)
    graph_id: str | None = None
    graph_node: r.UserNode | None = None
    has_skill: list[tuple[r.HasSkill, r.SkillNode | None]] = field(default_factory=list)
    worked_at: list[tuple[r.WorkedAt, r.CompanyNode | None]] = field(default_factory=list)
    documents: r.UserDocuments | None = None
    vector: r.UserVector | None = None
    redis: dict[str, Any] = field(default_factory=dict)  # key -> validated value
    missing: dict[str, str] = field(default_factory=dict)  # source -> why nothing came from it
    conflicts: list[str] = field(default_factory=list)  # stitching conflicts touching this user
