"""Quality thresholds and check parameters: the seed's numbers as defaults, overridable from a TOML/JSON file.

Method: one frozen dataclass holds every knob. A file may set any subset of them, flat or under ``[gates]`` /
``[checks]`` tables; an unknown key, or a value of the wrong kind, raises ``ConfigError`` naming the key, so a
typo never silently falls back to a default.
"""

from __future__ import annotations

import json
import tomllib
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

from ai_identity.errors import ConfigError


@dataclass(frozen=True)
class QualityConfig:
    """Gate thresholds (shares are 0..1, ``>`` passes; hours ``<`` passes) and the checks' parameters."""

    # gates (DESIGN.md §6)
    source_coverage: float = 0.95
    field_completeness: float = 0.90
    timeseries_completeness: float = 0.85
    consistency: float = 0.98
    format_correctness: float = 0.95
    logical_consistency: float = 0.92
    freshness_hours: float = 24.0
    latency_seconds: float = 1.0
    relevance: float | None = None  # the seed sets no number: reported, not gated unless set
    # check parameters
    phone_default_region: str = "CN"
    phone_min_digits: int = 7
    clock_skew_seconds: int = 300
    experience_tolerance_years: float = 3.0
    experience_parse_max: int = 500  # candidates whose resume text is parsed to confirm (largest gap first)
    embedding_max_age_days: int = 180
    ai_analysis_max_age_days: int = 365
    timeseries_window_days: int = 90
    timeseries_bucket_days: int = 7
    worst_records: int = 20


def _kind_ok(name: str, value: Any) -> bool:
    default = getattr(QualityConfig(), name)
    if isinstance(value, bool):
        return False
    if name == "phone_default_region":
        return isinstance(value, str) and len(value) == 2
    if isinstance(default, int) and not isinstance(default, bool) and name != "latency_seconds":
        return isinstance(value, int)
    return isinstance(value, int | float)


def config_from_mapping(data: dict[str, Any], origin: str = "thresholds") -> QualityConfig:
    """Build a config from a mapping (flat, or with ``gates``/``checks`` sub-tables); unknown keys rejected."""
    known = {f.name for f in fields(QualityConfig)}
    flat: dict[str, Any] = {}
    for key, value in data.items():
        if key in ("gates", "checks") and isinstance(value, dict):
            flat.update({f"{k}": v for k, v in value.items()})
        else:
            flat[key] = value
    for key, value in flat.items():
        if key not in known:
            raise ConfigError(f"{origin}: unknown key {key!r}; expected one of {', '.join(sorted(known))}")
        if not _kind_ok(key, value):
            raise ConfigError(f"{origin}: key {key!r} has a value of the wrong kind ({type(value).__name__})")
    return replace(QualityConfig(), **flat)


def load_config(path: Path | None) -> QualityConfig:
    """The defaults, or the defaults overridden by a ``.toml`` or ``.json`` file."""
    if path is None:
        return QualityConfig()
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"--thresholds: cannot read {path.name}: {exc.strerror}") from exc
    try:
        data = json.loads(text) if path.suffix.lower() == ".json" else tomllib.loads(text)
    except (ValueError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(
            f"--thresholds: {path.name} is not valid {path.suffix.lstrip('.') or 'TOML'}: {exc}"
        ) from exc
    if not isinstance(data, dict):
        raise ConfigError(f"--thresholds: {path.name} must hold an object of keys")
    return config_from_mapping(data, origin=path.name)
