"""``ai-identity quality``: gate exit codes, JSON output, thresholds files and usage errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from test_quality_metrics import make_platform

from ai_identity.cli import main
from ai_identity.errors import ConfigError
from ai_identity.quality.config import QualityConfig, config_from_mapping, load_config


@pytest.fixture(scope="module")
def platform(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_platform(tmp_path_factory.mktemp("qcli") / "p")


LENIENT = """
[gates]
source_coverage = 0.0
field_completeness = 0.0
timeseries_completeness = 0.0
consistency = 0.0
format_correctness = 0.0
logical_consistency = 0.0
freshness_hours = 1000.0
"""


def test_when_a_gate_fails_then_exit_1_and_json_says_which(
    platform: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["quality", "--platform", str(platform), "--json"]) == 1
    out = json.loads(capsys.readouterr().out)
    assert out["passed"] is False
    failed = {g["metric"] for g in out["gates"] if g["status"] == "fail"}
    assert "timeseries_completeness" in failed and "consistency" in failed
    assert {g["metric"]: g["status"] for g in out["gates"]}["latency_seconds"] == "not measured"


def test_when_every_gate_passes_then_exit_0(
    platform: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lenient = tmp_path / "t.toml"
    lenient.write_text(LENIENT)
    assert main(["quality", "--platform", str(platform), "--thresholds", str(lenient)]) == 0
    assert "all measured gates pass" in capsys.readouterr().out


def test_when_thresholds_have_an_unknown_key_then_exit_2_naming_it(
    platform: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "t.json"
    bad.write_text(json.dumps({"consistensy": 0.9}))
    assert main(["quality", "--platform", str(platform), "--thresholds", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "consistensy" in err and "Traceback" not in err


@pytest.mark.parametrize("args", [["quality"], ["quality", "--platform", "/nonexistent/dir"]])
def test_when_the_platform_is_missing_then_exit_2_naming_the_option(
    args: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(args) == 2
    assert "--platform" in capsys.readouterr().err


def test_config_file_names_the_platform(platform: Path, tmp_path: Path) -> None:
    cfg = tmp_path / "ai-identity.toml"
    cfg.write_text(f'platform = "{platform}"\n')
    assert main(["quality", "--config", str(cfg), "--json"]) == 1


def test_thresholds_defaults_are_the_seeds() -> None:
    c = QualityConfig()
    assert (c.source_coverage, c.field_completeness, c.timeseries_completeness) == (0.95, 0.90, 0.85)
    assert (c.consistency, c.format_correctness, c.logical_consistency) == (0.98, 0.95, 0.92)
    assert (c.freshness_hours, c.latency_seconds) == (24.0, 1.0)


def test_when_a_threshold_has_the_wrong_kind_then_config_error() -> None:
    with pytest.raises(ConfigError, match="consistency"):
        config_from_mapping({"consistency": "high"})
    assert config_from_mapping({"checks": {"phone_default_region": "US"}}).phone_default_region == "US"


def test_when_thresholds_file_is_not_toml_then_config_error(tmp_path: Path) -> None:
    bad = tmp_path / "t.toml"
    bad.write_text("consistency = = 1")
    with pytest.raises(ConfigError, match=r"t\.toml"):
        load_config(bad)
