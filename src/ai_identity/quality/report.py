"""The HTML quality report: one self-contained page (no network), charts drawn with Plotly.

Method: the gate table and the worst offending records (keys only, never values) are plain HTML tables; the
charts (coverage per source, completeness per field, pass rate per check, freshness per source, events per
day) are Plotly figures rendered to ``<div>``s, with plotly.js inlined once at the top of the page so the file
opens offline. Every piece of text taken from the data is HTML-escaped.
"""

from __future__ import annotations

import html
from datetime import timedelta
from pathlib import Path

import plotly.graph_objects as go
import polars as pl

from ai_identity.quality.config import QualityConfig
from ai_identity.quality.gates import QualityRun

STYLE = """
body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;margin:2rem auto;max-width:1100px;color:#222}
h1{font-size:1.5rem} h2{font-size:1.15rem;margin-top:2rem}
table{border-collapse:collapse;width:100%;font-size:.9rem} th,td{border-bottom:1px solid #ddd;padding:.35rem .5rem;
text-align:left;vertical-align:top} th{background:#f5f5f5}
.pass{color:#1a7f37;font-weight:600} .fail{color:#cf222e;font-weight:600} .other{color:#9a6700}
.verdict{padding:.5rem 1rem;border-radius:6px;display:inline-block}
.ok{background:#dafbe1} .bad{background:#ffebe9} code{font-size:.85rem}
"""


def _fmt(value: float | None, unit: str) -> str:
    if value is None:
        return "not measured"
    return f"{value:.2%}" if unit == "share" else f"{value:g} {'h' if unit == 'hours' else 's'}"


def _gate_table(run: QualityRun) -> str:
    rows = []
    for g in run.gates:
        unit = run.metrics[g.metric].unit
        thr = "—" if g.threshold is None else f"{g.op} {_fmt(g.threshold, unit)}"
        cls = g.status if g.status in ("pass", "fail") else "other"
        worst = "; ".join(g.worst) or g.note
        rows.append(
            f"<tr><td>{html.escape(g.group)}</td><td>{html.escape(g.metric)}</td>"
            f"<td>{_fmt(g.value, unit)}</td><td>{html.escape(thr)}</td>"
            f"<td class='{cls}'>{html.escape(g.status)}</td><td>{html.escape(worst)}</td></tr>"
        )
    return (
        "<table id='gate-table'><thead><tr><th>group</th><th>metric</th><th>value</th><th>threshold</th>"
        "<th>result</th><th>worst sources / fields / checks</th></tr></thead><tbody>"
        + "".join(rows)
        + "</tbody></table>"
    )


def _bars(parts: dict[str, float], title: str, unit: str = "share") -> go.Figure:
    items = sorted(parts.items(), key=lambda kv: kv[1], reverse=(unit != "share"))
    names, values = [k for k, _ in items], [v for _, v in items]
    text = [f"{v:.2%}" if unit == "share" else f"{v:g} h" for v in values]
    fig = go.Figure(
        go.Bar(
            x=values,
            y=names,
            orientation="h",
            text=text,
            textposition="auto",
            marker_color=["#cf222e" if (unit == "share" and v < 0.95) else "#0969da" for v in values],
        )
    )
    fig.update_layout(
        title=title,
        height=max(260, 22 * len(names) + 110),
        margin={"l": 320, "r": 20, "t": 50, "b": 40},
        xaxis={
            "tickformat": ".0%" if unit == "share" else "",
            "range": [0, 1] if unit == "share" else None,
            "title": "share" if unit == "share" else "hours before the reference time",
        },
    )
    return fig


def _timeline(run: QualityRun, window_days: int) -> go.Figure:
    # the time-series window and a month either side: stray events years off would flatten the chart
    lo, hi = (run.as_of - timedelta(days=window_days + 30)).date(), (run.as_of + timedelta(days=30)).date()
    df = run.events_per_day.filter(pl.col("day").is_between(lo, hi))
    fig = go.Figure(
        go.Scatter(x=df["day"].to_list(), y=df["events"].to_list(), mode="lines", line={"color": "#0969da"})
    )
    fig.add_vline(x=run.as_of.timestamp() * 1000, line_dash="dash", line_color="#cf222e")
    fig.update_layout(
        title="Events per day around the time-series window (dashed line: the reference time)",
        height=320,
        margin={"l": 60, "r": 20, "t": 50, "b": 40},
        yaxis={"title": "events"},
    )
    return fig


def _worst_records(run: QualityRun, n: int) -> str:
    f = run.findings()
    if f.is_empty():
        return "<p>No failing records.</p>"
    top = (
        f.group_by("check", "dimension")
        .agg(pl.len().alias("n"), pl.col("record").head(n))
        .sort("n", descending=True)
    )
    rows = "".join(
        f"<tr><td>{html.escape(c)}</td><td>{html.escape(d)}</td><td>{k:,}</td>"
        f"<td><code>{html.escape(', '.join(recs))}</code></td></tr>"
        for c, d, k, recs in top.iter_rows()
    )
    return (
        "<table id='worst-records'><thead><tr><th>check</th><th>dimension</th><th>failing</th>"
        f"<th>first {n} record keys</th></tr></thead><tbody>{rows}</tbody></table>"
    )


def render_html(run: QualityRun, cfg: QualityConfig) -> str:
    """The whole report as one HTML string."""
    m = run.metrics
    checks = {
        c.name: c.pass_rate for c in run.checks if c.dimension != "completeness" and c.pass_rate is not None
    }
    figs = [
        (
            "coverage",
            _bars(m["source_coverage"].parts, "Source coverage: share of users present in each store"),
        ),
        (
            "fields",
            _bars(m["field_completeness"].parts, "Field completeness: share of filled values per field"),
        ),
        ("checks", _bars(checks, "Accuracy and timeliness: pass rate per check")),
        (
            "freshness",
            _bars(
                m["freshness_hours"].parts, "Freshness: hours since each store's newest record", unit="hours"
            ),
        ),
        ("timeline", _timeline(run, cfg.timeseries_window_days)),
    ]
    charts = "".join(
        f"<div class='chart' id='chart-{name}'>"
        + fig.to_html(full_html=False, include_plotlyjs=(i == 0), config={"displayModeBar": False})
        + "</div>"
        for i, (name, fig) in enumerate(figs)
    )
    verdict = (
        "<p class='verdict ok'>All measured gates pass.</p>"
        if run.passed
        else "<p class='verdict bad'>At least one gate fails.</p>"
    )
    title = f"Data quality — {Path(run.platform).name}"
    return (
        f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>{html.escape(title)}</title>"
        f"<style>{STYLE}</style></head><body><h1>{html.escape(title)}</h1>"
        f"<p>Reference time {run.as_of:%Y-%m-%d %H:%M} UTC ({html.escape(run.as_of_source)}); "
        f"{len(run.checks)} checks, {sum(c.n_failed for c in run.checks):,} failing records.</p>{verdict}"
        f"<h2>Gates</h2>{_gate_table(run)}<h2>Charts</h2>{charts}"
        f"<h2>Worst offending records (keys only)</h2>{_worst_records(run, cfg.worst_records)}"
        "</body></html>"
    )


def write_html(run: QualityRun, path: Path, cfg: QualityConfig) -> Path:
    """Write the report; returns the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_html(run, cfg), encoding="utf-8")
    return path
