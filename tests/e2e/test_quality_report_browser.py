"""The HTML quality report opened in a real headless browser (Debian's ``chromium``).

Needs ``/usr/bin/chromium`` (``apt-get install chromium``): skipped with that reason when it is absent, and
failed instead when ``CI=true``, where the browser is part of the machine. The page must show the gate table
and every chart (Plotly's rendered ``svg.main-svg``) and write nothing to the browser console; a page that does
log an error is used as a control, so the console check is known to work.
"""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest

from ai_identity.quality.config import QualityConfig
from ai_identity.quality.gates import GATES, evaluate
from ai_identity.quality.report import write_html
from ai_identity.synth.writer import generate

CHROMIUM = Path("/usr/bin/chromium")
CHARTS = ("coverage", "fields", "checks", "freshness", "timeline")


@pytest.fixture(scope="module", autouse=True)
def need_chromium() -> None:
    if CHROMIUM.exists():
        return
    if os.environ.get("CI") == "true":
        pytest.fail("CI=true but /usr/bin/chromium is absent: apt-get install -y chromium")
    pytest.skip("needs /usr/bin/chromium (apt-get install -y chromium) to render the HTML report")


def browse(page: Path, profile: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Open ``page`` headless with a throwaway profile, no network services, console logged to stderr."""
    cmd = [
        str(CHROMIUM),
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={profile}",
        "--enable-logging=stderr",
        "--v=0",
        "--virtual-time-budget=8000",
        *args,
        page.as_uri(),
    ]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120, check=False)


def console_lines(stderr: str) -> list[str]:
    return [ln for ln in stderr.splitlines() if ":CONSOLE" in ln]


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("qreport") / "platform"
    generate(root, 200, 3)
    cfg = QualityConfig()
    return write_html(evaluate(root, cfg), root.parent / "quality.html", cfg)


def test_report_is_self_contained(report: Path) -> None:
    text = report.read_text()
    assert not re.search(r"<script[^>]+src=|<link[^>]+href=", text), "the page must not load anything"


def test_when_opened_in_chromium_then_gate_table_and_charts_render_without_console_output(
    report: Path, tmp_path: Path
) -> None:
    done = browse(report, tmp_path / "profile", "--dump-dom")
    assert done.returncode == 0, done.stderr[-2000:]
    dom = done.stdout
    table = dom[dom.index('id="gate-table"') :]
    table = table[: table.index("</table>")]
    for metric in GATES:
        assert f"<td>{metric}</td>" in table
    starts = [dom.index(f'id="chart-{name}"') for name in CHARTS]
    ends = [*starts[1:], dom.index("Worst offending records")]
    for name, a, b in zip(CHARTS, starts, ends, strict=True):
        assert 'class="main-svg"' in dom[a:b], f"chart {name} did not render"
    assert 'id="worst-records"' in dom
    assert console_lines(done.stderr) == []


def test_screenshot_is_taken(report: Path, tmp_path: Path) -> None:
    shot = tmp_path / "quality.png"
    done = browse(report, tmp_path / "profile", "--window-size=1200,2400", f"--screenshot={shot}")
    assert done.returncode == 0 and shot.stat().st_size > 50_000  # a blank page is a few kB


def test_control_page_with_a_console_error_is_caught(tmp_path: Path) -> None:
    page = tmp_path / "bad.html"
    page.write_text("<html><body><script>console.error('boom'); missingFunction();</script></body></html>")
    lines = console_lines(browse(page, tmp_path / "profile", "--dump-dom").stderr)
    assert any("boom" in ln for ln in lines) and any("missingFunction" in ln for ln in lines)
