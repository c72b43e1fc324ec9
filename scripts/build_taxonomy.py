"""Build the packaged skill taxonomy (src/ai_identity/data/taxonomy/skills.json).

Inputs: the hand-curated core ``curated.toml`` (which also holds our Chinese names for the selected O*NET
and ESCO concepts) and two public sources read from ``--shared`` (default ``../shared/data/taxonomy``):

- O*NET 29.2 "Technology Skills.txt": technologies flagged Hot or In Demand, or listed for at least
  ``ONET_MIN_OCCUPATIONS`` occupations; product names keep their English name in Chinese too, generic
  classes ("Accounting software") are kept only when curated.toml gives them a Chinese name;
- ESCO v1.1.1 ``skills_en.csv``: exactly the concepts curated.toml names under ``[esco.<category>]``, with
  their alternative labels as English aliases.

A source concept whose name normalises to a curated skill is merged into it (the curated entry wins, the
source is credited in ``sources``). Only derived facts (names, alternative labels, categories) are written;
the source files are never copied.

    .venv/bin/python scripts/build_taxonomy.py [--shared ../shared/data/taxonomy] [--check]
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
import tomllib
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from ai_identity.features._skill_words import AMBIGUOUS, COMMON_WORDS  # noqa: E402
from ai_identity.features.taxonomy import CATEGORIES, key_variants, normalize_key  # noqa: E402

CURATED = REPO / "src/ai_identity/data/taxonomy/curated.toml"
OUTPUT = REPO / "src/ai_identity/data/taxonomy/skills.json"
DEFAULT_SHARED = REPO.parent / "shared/data/taxonomy"
ONET_FILE = "onet-29.2/Technology Skills.txt"
ESCO_FILE = "esco-1.1.1/skills_en.csv"
ONET_MIN_OCCUPATIONS = 6
MAX_DERIVED_ALIASES = 8
SPECIAL_TABLES = ("esco", "onet_zh")

# Consumer web sites O*NET lists as "technology": on a resume they are links, not skills.
ONET_EXCLUDE = frozenset(
    {
        *("Google", "Facebook", "Twitter", "Instagram", "LinkedIn", "YouTube", "TikTok", "FaceTime"),
        *(
            "GroupMe",
            "Skype",
            "Blink",
            "Loom",
            "Seesaw",
            "Google Gmail",
            "Yahoo Mail",
            "Microsoft Outlook Express",
        ),
    }
)
VENDORS = (
    "Adobe",
    "Amazon",
    "Apache",
    "Apple",
    "Atlassian",
    "Autodesk",
    "Bentley",
    "Corel",
    "Dassault Systemes",
    "ESRI",
    "Google",
    "IBM",
    "Intuit",
    "Microsoft",
    "National Instruments",
    "Oracle",
    "PTC",
    "Red Hat",
    "SAP",
    "StataCorp",
    "The MathWorks",
    "Trimble",
    "Unity Technologies",
    "McNeel",
)
# UNSPSC commodity title (O*NET) -> our category; anything else is a software-tool.
COMMODITY_CATEGORY = {
    "Data base management system software": "database",
    "Data base user interface and query software": "database",
    "Object oriented data base management software": "database",
    "Analytical or scientific software": "data-ai",
    "Business intelligence and data analysis software": "data-ai",
    "Operating system software": "cloud-devops",
    "Network monitoring software": "cloud-devops",
    "Configuration management software": "cloud-devops",
    "Cloud-based management software": "cloud-devops",
    "Cloud-based data access and sharing software": "cloud-devops",
    "Transaction security and virus protection software": "cloud-devops",
    "Application server software": "cloud-devops",
    "Web server software": "cloud-devops",
    "Storage networking software": "cloud-devops",
    "Switch or router software": "cloud-devops",
    "Authentication server software": "cloud-devops",
    "Internet directory services software": "cloud-devops",
    "Network security or virtual private network VPN management software": "cloud-devops",
    "Web platform development software": "framework-library",
    "Object or component oriented development software": "framework-library",
    "Graphical user interface development software": "framework-library",
    "Computer aided design CAD software": "design",
    "Graphics or photo imaging software": "design",
    "Video creation and editing software": "design",
    "Web page creation and editing software": "design",
    "Music or sound editing software": "design",
    "Enterprise resource planning ERP software": "business",
    "Accounting software": "business",
    "Customer relationship management CRM software": "business",
    "Sales and marketing software": "business",
    "Human resources software": "business",
    "Financial analysis software": "business",
    "Tax preparation software": "business",
    "Procurement software": "business",
    "Inventory management software": "business",
    "Project management software": "management",
    "Time accounting software": "management",
}


@dataclass
class Skill:
    id: str
    name_en: str
    name_zh: str
    category: str
    aliases_en: list[str] = field(default_factory=list)
    aliases_zh: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, object]:
        return {
            "id": self.id,
            "name_en": self.name_en,
            "name_zh": self.name_zh,
            "category": self.category,
            "aliases_en": self.aliases_en,
            "aliases_zh": self.aliases_zh,
            "sources": sorted(self.sources, key=["curated", "onet", "esco"].index),
        }


class Builder:
    """Accumulates skills and the key index that makes curated entries win over derived ones."""

    def __init__(self) -> None:
        self.skills: dict[str, Skill] = {}
        self.index: dict[str, str] = {}

    def add(self, skill: Skill) -> None:
        if skill.id in self.skills:
            raise ValueError(f"duplicate id {skill.id!r}")
        self.skills[skill.id] = skill
        for form in (skill.name_en, skill.name_zh, *skill.aliases_en, *skill.aliases_zh):
            for key in key_variants(form):
                self.index.setdefault(key, skill.id)

    def find(self, forms: list[str]) -> str | None:
        for form in forms:
            for key in key_variants(form):
                if key in self.index:
                    return self.index[key]
        return None

    def add_alias(self, skill: Skill, alias: str, lang: str, derived: bool = True) -> bool:
        alias = alias.strip()
        keys = key_variants(alias)
        if not keys or any(self.index.get(k, skill.id) != skill.id for k in keys):
            return False  # another skill owns this form
        key = normalize_key(alias)
        if derived and (len(key) < 3 or key in COMMON_WORDS or key in AMBIGUOUS or key.isdigit()):
            return False
        if all(self.index.get(k) == skill.id for k in keys):
            return False  # already a form of this skill
        (skill.aliases_en if lang == "en" else skill.aliases_zh).append(alias)
        for k in keys:
            self.index.setdefault(k, skill.id)
        return True

    def unique_id(self, name: str) -> str:
        base = slug(name)
        candidate, n = base, 2
        while candidate in self.skills:
            candidate, n = f"{base}-{n}", n + 1
        return candidate


def slug(text: str) -> str:
    """Lowercase ASCII slug with hyphens ("C++" -> "cpp", "Node.js" -> "node-js")."""
    text = normalize_key(text).replace("++", "pp").replace("#", "sharp").replace("&", "and")
    return re.sub(r"[^0-9a-z]+", "-", text).strip("-")


def load_curated(builder: Builder, curated: dict[str, Any]) -> None:
    for category, table in curated.items():
        if category in SPECIAL_TABLES:
            continue
        if category not in CATEGORIES:
            raise ValueError(f"curated.toml: unknown category [{category}]; expected one of {CATEGORIES}")
        for skill_id, row in table.items():
            if slug(skill_id) != skill_id and not re.fullmatch(r"[0-9a-z]+(-[0-9a-z]+)*", skill_id):
                raise ValueError(f"curated.toml: id {skill_id!r} is not a lowercase slug")
            skill = Skill(skill_id, str(row["name_en"]), str(row["name_zh"]), category, sources=["curated"])
            builder.add(skill)
            for alias in row.get("aliases_en", []):
                builder.add_alias(skill, str(alias), "en", derived=False)
            for alias in row.get("aliases_zh", []):
                builder.add_alias(skill, str(alias), "zh", derived=False)


# -- O*NET --------------------------------------------------------------------------------------------------
def _onet_display(name: str) -> str:
    return re.sub(r" (software|programming language)$", "", name)


def _onet_forms(name: str, generic: bool) -> list[str]:
    """The forms of an O*NET technology name strong enough to merge on and to use as aliases."""
    display = name if generic else _onet_display(name)  # "Tax software" must not become "Tax"
    strong = [name, display] if display != name else [name]
    words = display.split()
    acronym = words[-1] if len(words) >= 2 else ""
    # A trailing acronym that abbreviates the words before it ("Structured query language SQL").
    if re.fullmatch(r"[A-Z][A-Z0-9]{2,5}", acronym) and acronym[0] in {w[0].upper() for w in words[:-1]}:
        strong += [" ".join(words[:-1]), acronym]
    for vendor in VENDORS:
        if display.startswith(vendor + " "):
            rest = display[len(vendor) + 1 :]
            if normalize_key(rest) not in COMMON_WORDS and len(rest) >= 4:
                strong.append(rest)
            break
    return strong


def _is_generic(name: str) -> bool:
    """A class of software ("Tax software") rather than a product: it needs a curated Chinese name."""
    words = [w for w in _onet_display(name).split() if not re.fullmatch(r"[A-Z0-9]{2,}", w)]
    return len(words) >= 2 and all(w.islower() for w in words[1:])


def read_onet(path: Path) -> list[tuple[str, str]]:
    """Selected (technology name, commodity title) pairs, most widely used first."""
    occupations: dict[str, set[str]] = defaultdict(set)
    flagged: set[str] = set()
    commodity: dict[str, Counter[str]] = defaultdict(Counter)
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            name = row["Example"].strip()
            occupations[name].add(row["O*NET-SOC Code"])
            commodity[name][row["Commodity Title"]] += 1
            if row["Hot Technology"] == "Y" or row["In Demand"] == "Y":
                flagged.add(name)
    chosen = [
        n
        for n in occupations
        if (n in flagged or len(occupations[n]) >= ONET_MIN_OCCUPATIONS) and n not in ONET_EXCLUDE
    ]
    chosen.sort(key=lambda n: (-len(occupations[n]), n))
    return [(n, commodity[n].most_common(1)[0][0]) for n in chosen]


def add_onet(builder: Builder, rows: list[tuple[str, str]], zh_names: dict[str, str]) -> Counter[str]:
    stats: Counter[str] = Counter()
    for name, commodity in rows:
        generic = name in zh_names or _is_generic(name)
        strong = _onet_forms(name, generic)
        existing = builder.find(strong)
        if existing is not None:
            skill = builder.skills[existing]
            if "onet" not in skill.sources:
                skill.sources.append("onet")
            builder.add_alias(skill, name, "en")
            stats["merged"] += 1
            continue
        zh = zh_names.get(name)
        if zh is None and generic:
            stats["skipped_untranslated"] += 1
            continue
        display = name if generic else _onet_display(name)
        category = COMMODITY_CATEGORY.get(commodity, "software-tool")
        skill = Skill(builder.unique_id(display), display, zh or display, category, sources=["onet"])
        builder.add(skill)
        for form in strong[1:]:
            builder.add_alias(skill, form, "en")
        if name != display:
            builder.add_alias(skill, name, "en")
        stats["added"] += 1
    return stats


# -- ESCO ---------------------------------------------------------------------------------------------------
def read_esco(path: Path) -> dict[str, list[str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return {
            row["preferredLabel"].strip(): [a.strip() for a in row["altLabels"].splitlines() if a.strip()]
            for row in csv.DictReader(fh)
        }


def add_esco(builder: Builder, esco: dict[str, list[str]], chosen: dict[str, dict[str, str]]) -> Counter[str]:
    stats: Counter[str] = Counter()
    for category, table in chosen.items():
        if category not in CATEGORIES:
            raise ValueError(f"curated.toml: unknown category [esco.{category}]")
        for label, zh in table.items():
            if label not in esco:
                raise ValueError(f"curated.toml: ESCO concept {label!r} is not in the ESCO file")
            short = re.sub(r"\s*\([^)]*\)$", "", label)
            existing = builder.find([label, short])
            if existing is not None:
                skill = builder.skills[existing]
                if "esco" not in skill.sources:
                    skill.sources.append("esco")
                builder.add_alias(skill, zh, "zh")
                stats["merged"] += 1
                continue  # a curated skill keeps its hand-picked aliases
            else:
                skill = Skill(builder.unique_id(short), short, zh, category, sources=["esco"])
                builder.add(skill)
                if short != label:
                    builder.add_alias(skill, label, "en")
                stats["added"] += 1
            added = 0
            for alt in esco[label]:
                if added >= MAX_DERIVED_ALIASES:
                    break
                if _usable_alt_label(alt) and builder.add_alias(skill, alt, "en"):
                    added += 1
    return stats


def _usable_alt_label(alt: str) -> bool:
    """A phrase of 2-6 words, or a single word that looks like a product or acronym ("GIMP")."""
    words = alt.split()
    if len(words) == 1:
        return len(alt) >= 4 and any(ch.isupper() or ch.isdigit() for ch in alt[1:])
    return len(words) <= 6


def build(shared: Path) -> tuple[str, dict[str, object]]:
    """The skills.json text and a summary of counts."""
    with CURATED.open("rb") as fh:
        curated = tomllib.load(fh)
    builder = Builder()
    load_curated(builder, curated)
    onet_stats = add_onet(builder, read_onet(shared / ONET_FILE), curated.get("onet_zh", {}))
    esco_stats = add_esco(builder, read_esco(shared / ESCO_FILE), curated.get("esco", {}))
    skills = list(builder.skills.values())
    summary: dict[str, object] = {
        "total": len(skills),
        "by_category": dict(sorted(Counter(s.category for s in skills).items())),
        "by_source": dict(sorted(Counter(src for s in skills for src in s.sources).items())),
        "onet": dict(onet_stats),
        "esco": dict(esco_stats),
    }
    lines = [json.dumps(s.as_json(), ensure_ascii=False, separators=(",", ":")) for s in skills]
    header = {
        "version": 1,
        "generated_by": "scripts/build_taxonomy.py",
        "attribution": [
            "This includes information from the O*NET 29.2 Database by the U.S. Department of Labor, "
            "Employment and Training Administration (USDOL/ETA). Used under the CC BY 4.0 license.",
            "ESCO classification v1.1.1, (c) European Union, https://esco.ec.europa.eu/, used under "
            "CC BY 4.0 (obtained via the Tabiya Open Dataset); labels selected, Chinese names added.",
        ],
    }
    head = json.dumps(header, ensure_ascii=False, separators=(",", ":"))[:-1]
    text = head + ',"skills":[\n' + ",\n".join(lines) + "\n]}\n"
    return text, summary


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--shared", type=Path, default=DEFAULT_SHARED, help="folder holding onet-29.2/ and esco-1.1.1/"
    )
    parser.add_argument("--check", action="store_true", help="fail if the committed skills.json differs")
    args = parser.parse_args(argv)
    text, summary = build(args.shared)
    if args.check:
        same = OUTPUT.read_text(encoding="utf-8") == text
        print(
            "skills.json is up to date" if same else "skills.json is stale: rerun scripts/build_taxonomy.py"
        )
        return 0 if same else 1
    OUTPUT.write_text(text, encoding="utf-8")
    print(json.dumps(summary, indent=2, ensure_ascii=False))
    print(f"wrote {OUTPUT.relative_to(REPO)} ({len(text.encode('utf-8')):,} bytes)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
