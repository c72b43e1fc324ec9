"""Declared vocabularies for privacy-preserving releases: categories and their generalisation hierarchies.

Differentially private histograms must be over categories fixed *before* looking at the data (a category that
appears only because one person holds it would reveal that person), and k-anonymous exports generalise along
hierarchies decided in advance. Both live here, written down from the platform's own vocabularies (its
industry list, the education and seniority scales the career analysis uses) and public geography, never
derived from a dataset.
"""

from __future__ import annotations

__all__ = [
    "CHINA_MACRO_REGIONS",
    "EDUCATION_GROUPS",
    "EDUCATION_LEVELS",
    "INDUSTRIES",
    "INDUSTRY_GROUPS",
    "OTHER",
    "SENIORITY_GROUPS",
    "SENIORITY_LEVELS",
    "UNKNOWN",
    "WORLD_REGIONS",
    "industry_category",
]

OTHER = "other"
UNKNOWN = "unknown"

# The platform's industry vocabulary (``user_profiles.industry`` / ``companies.industry``) and its groups.
INDUSTRY_GROUPS: dict[str, str] = {
    "internet": "technology",
    "software": "technology",
    "gaming": "technology",
    "telecom": "technology",
    "fintech": "finance-commerce",
    "e-commerce": "finance-commerce",
    "retail": "finance-commerce",
    "consulting": "finance-commerce",
    "manufacturing": "industry-logistics",
    "automotive": "industry-logistics",
    "logistics": "industry-logistics",
    "healthcare": "public-services-media",
    "education": "public-services-media",
    "media": "public-services-media",
}
INDUSTRIES: tuple[str, ...] = (*sorted(INDUSTRY_GROUPS), OTHER, UNKNOWN)

# The career analysis' scales (``analyse.career.EDU_RANK``, ``seniority_of``).
EDUCATION_LEVELS: tuple[str, ...] = ("high_school", "associate", "bachelor", "master", "phd")
EDUCATION_GROUPS: dict[str, str] = {
    "high_school": "below-bachelor",
    "associate": "below-bachelor",
    "bachelor": "bachelor",
    "master": "postgraduate",
    "phd": "postgraduate",
}
SENIORITY_LEVELS: tuple[str, ...] = ("junior", "mid", "senior", "lead")
SENIORITY_GROUPS: dict[str, str] = {
    "junior": "junior-mid",
    "mid": "junior-mid",
    "senior": "senior-lead",
    "lead": "senior-lead",
}

# China's seven conventional macro-regions (华北, 东北, 华东, 华中, 华南, 西南, 西北) by province-level
# division, with Hong Kong, Macau and Taiwan on their own; names as ``features.locations`` writes them.
CHINA_MACRO_REGIONS: dict[str, str] = {
    **dict.fromkeys(("Beijing", "Tianjin", "Hebei", "Shanxi", "Inner Mongolia"), "North China"),
    **dict.fromkeys(("Liaoning", "Jilin", "Heilongjiang"), "Northeast China"),
    **dict.fromkeys(
        ("Shanghai", "Jiangsu", "Zhejiang", "Anhui", "Fujian", "Jiangxi", "Shandong"), "East China"
    ),
    **dict.fromkeys(("Henan", "Hubei", "Hunan"), "Central China"),
    **dict.fromkeys(("Guangdong", "Guangxi", "Hainan"), "South China"),
    **dict.fromkeys(("Chongqing", "Sichuan", "Guizhou", "Yunnan", "Tibet"), "Southwest China"),
    **dict.fromkeys(("Shaanxi", "Gansu", "Qinghai", "Ningxia", "Xinjiang"), "Northwest China"),
    **dict.fromkeys(("Hong Kong", "Macau", "Taiwan"), "Hong Kong, Macau and Taiwan"),
}

# World regions by country (English names as in ``data/locations.json``).
WORLD_REGIONS: dict[str, str] = {
    **dict.fromkeys(("United States", "Canada"), "North America"),
    **dict.fromkeys(("Mexico", "Brazil", "Argentina", "Chile", "Peru", "Colombia"), "Latin America"),
    **dict.fromkeys(("Australia", "New Zealand"), "Oceania"),
    **dict.fromkeys(
        (
            "United Kingdom",
            "Ireland",
            "France",
            "Germany",
            "Netherlands",
            "Belgium",
            "Switzerland",
            "Austria",
            "Spain",
            "Portugal",
            "Italy",
            "Sweden",
            "Denmark",
            "Norway",
            "Finland",
            "Poland",
            "Czechia",
            "Hungary",
            "Greece",
            "Romania",
            "Estonia",
            "Luxembourg",
            "Ukraine",
            "Russia",
        ),
        "Europe",
    ),
    **dict.fromkeys(("Japan", "South Korea", "Mongolia"), "East Asia"),
    **dict.fromkeys(
        ("Singapore", "Malaysia", "Thailand", "Vietnam", "Indonesia", "Philippines"), "Southeast Asia"
    ),
    **dict.fromkeys(("India", "Pakistan", "Bangladesh", "Sri Lanka"), "South Asia"),
    **dict.fromkeys(("Kazakhstan", "Uzbekistan"), "Central Asia"),
    **dict.fromkeys(("United Arab Emirates", "Qatar", "Saudi Arabia", "Israel", "Türkiye"), "Middle East"),
    **dict.fromkeys(("Egypt", "Nigeria", "Kenya", "South Africa", "Morocco", "Ghana", "Ethiopia"), "Africa"),
}


def industry_category(value: object) -> str:
    """The declared industry category of a value: itself when declared, else ``other`` / ``unknown``."""
    if value is None or value == "":
        return UNKNOWN
    text = str(value).strip().lower()
    return text if text in INDUSTRY_GROUPS else OTHER
