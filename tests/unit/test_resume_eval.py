"""eval-parser on a tiny BMES file and a tiny XML folder written here (invented text)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

import ai_identity.cli.parser  # noqa: F401  (registers eval-parser on the app)
from ai_identity.cli import app
from ai_identity.errors import UsageError
from ai_identity.features.resume.corpus import parse_tagged_xml, read_bmes
from ai_identity.features.resume.evaluate import SpanScorer
from ai_identity.features.resume.tagging import Span, spans_from_tags, tags_from_spans


def _bmes(sentence: list[tuple[str, str]]) -> str:
    return "\n".join(f"{c} {t}" for c, t in sentence) + "\n\n"


TINY_BMES = _bmes(
    [("林", "B-NAME"), ("小", "M-NAME"), ("舟", "E-NAME"), ("，", "O"), ("现", "O"), ("任", "O"),
     ("星", "B-ORG"), ("河", "M-ORG"), ("公", "M-ORG"), ("司", "E-ORG"),
     ("总", "B-TITLE"), ("经", "M-TITLE"), ("理", "E-TITLE"), ("。", "O")]
) + _bmes([("本", "B-EDU"), ("科", "E-EDU"), ("学", "O"), ("历", "O")])  # fmt: skip

TINY_XML = (
    '<?xml version="1.0" encoding="UTF-8"?>\n<cv>\n<label type="Name">Maya Fernwood</label>\n'
    '<label type="Designation">Data Engineer</label>\n'
    '<label type="Email Address">maya@example.org</label>\n\nEDUCATION\n'
    '<label type="Degree">B.Sc.</label> in Physics, '
    '<label type="College Name">Cascade State University</label> '
    '<label type="Graduation Year">2016</label>\nSKILLS\n'
    '<label type="Tech Tools">Python</label> &amp; SQL\n</cv>\n'
)


def test_when_tags_are_bmes_or_bio_then_spans_follow_conlleval():
    assert spans_from_tags(["B-ORG", "M-ORG", "E-ORG", "S-EDU", "O"]) == [
        Span("ORG", 0, 3),
        Span("EDU", 3, 4),
    ]
    assert spans_from_tags(["I-X", "I-X", "B-X", "O", "I-Y"]) == [
        Span("X", 0, 2),
        Span("X", 2, 3),
        Span("Y", 4, 5),
    ]
    spans = [Span("A", 0, 1), Span("B", 2, 5)]
    assert spans_from_tags(tags_from_spans(6, spans, "BMES")) == spans


def test_when_spans_differ_by_one_character_then_they_do_not_match():
    scorer = SpanScorer()
    scorer.add([Span("ORG", 0, 4), Span("TITLE", 4, 7)], [Span("ORG", 0, 4), Span("TITLE", 4, 6)])
    r = scorer.result()
    assert r["per_type"]["ORG"] == {"precision": 1.0, "recall": 1.0, "f1": 1.0, "support": 1}
    assert r["per_type"]["TITLE"]["f1"] == 0.0 and r["micro"]["f1"] == 0.5


def test_when_xml_is_read_then_text_and_spans_line_up():
    text, spans = parse_tagged_xml(TINY_XML)
    assert "&amp;" not in text and "& SQL" in text
    by_type = {s.type: text[s.start : s.end] for s in spans}
    assert by_type["Name"] == "Maya Fernwood" and by_type["College Name"] == "Cascade State University"


def test_when_bmes_is_read_then_sentences_split_at_blank_lines(tmp_path: Path):
    path = tmp_path / "tiny.bmes"
    path.write_text(TINY_BMES, encoding="utf-8")
    sents = read_bmes(path)
    assert [s[0] for s in sents] == ["林小舟，现任星河公司总经理。", "本科学历"]


def _run(args: list[str]):
    # Only this module's commands are registered, so the test does not depend on other command groups.
    return CliRunner().invoke(app, args)


def _run_json(args: list[str], capsys: pytest.CaptureFixture[str]) -> dict:
    result = _run(args)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_when_eval_parser_runs_on_bmes_then_json_has_the_contract_shape(tmp_path: Path, capsys):
    path = tmp_path / "tiny.bmes"
    path.write_text(TINY_BMES, encoding="utf-8")
    result = _run_json(["eval-parser", str(path), "--json"], capsys)
    assert set(result) == {"per_type", "micro"} and set(result["micro"]) == {"precision", "recall", "f1"}
    assert {"NAME", "ORG", "TITLE", "EDU"} <= set(result["per_type"])
    assert set(result["per_type"]["ORG"]) == {"precision", "recall", "f1", "support"}
    assert result["per_type"]["EDU"]["support"] == 1


def test_when_eval_parser_runs_on_an_xml_folder_then_dataset_type_names_are_kept(tmp_path: Path, capsys):
    (tmp_path / "cv1.xml").write_text(TINY_XML, encoding="utf-8")
    result = _run_json(["eval-parser", str(tmp_path), "--json"], capsys)
    assert {"Name", "Email Address", "College Name", "Degree"} <= set(result["per_type"])
    assert result["per_type"]["Email Address"]["f1"] == 1.0
    skills = result["combined"]["Job Specific Skills + Tech Tools"]
    assert skills["support"] == 1 and set(skills) == {"precision", "recall", "f1", "support"}
    assert (
        "Job Specific Skills + Tech Tools" not in result["per_type"]
    )  # per_type keeps the data set's own names


def test_when_eval_parser_prints_an_xml_folder_as_a_table_then_the_combined_skills_row_is_there(
    tmp_path: Path,
):
    (tmp_path / "cv1.xml").write_text(TINY_XML, encoding="utf-8")
    result = _run(["eval-parser", str(tmp_path)])
    assert result.exit_code == 0
    assert "Job Specific Skills + Tech Tools" in result.stdout and "College Name" in result.stdout


def test_when_eval_parser_runs_without_json_then_a_table_is_printed(tmp_path: Path, capsys):
    path = tmp_path / "tiny.bmes"
    path.write_text(TINY_BMES, encoding="utf-8")
    result = _run(["eval-parser", str(path)])
    assert result.exit_code == 0
    out = result.stdout
    assert "micro" in out and "TITLE" in out


def test_when_eval_parser_runs_on_raw_resumes_then_failures_and_sections_are_reported(tmp_path: Path, capsys):
    (tmp_path / "a.txt").write_text("工作经历\n2019.07-至今 星河软件有限公司 工程师\n", encoding="utf-8")
    (tmp_path / "b.txt").write_bytes(b"")
    result = _run_json(["eval-parser", str(tmp_path), "--json"], capsys)
    assert result["files"] == 2 and result["failures"] == 1
    ok = next(r for r in result["per_file"] if r["file"] == "a.txt")
    assert ok["work"] == 1 and "work" in ok["sections"]


def test_when_the_path_is_missing_then_the_exit_code_is_a_usage_error(tmp_path: Path):
    result = _run(["eval-parser", str(tmp_path / "nope.bmes")])
    assert isinstance(result.exception, UsageError) and UsageError.exit_code == 2


def test_when_parse_resume_runs_on_a_gbk_file_then_entries_are_printed(tmp_path: Path):
    path = tmp_path / "cv.txt"
    path.write_bytes("林小舟\n工作经历\n2019.07-至今 星河软件有限公司 | 后端工程师\n".encode("gbk"))
    result = _run(["parse-resume", str(path), "--json"])
    assert result.exit_code == 0
    parsed = json.loads(result.stdout)
    assert parsed["work_experience"][0]["company"]["value"] == "星河软件有限公司"
    assert parsed["work_experience"][0]["is_current"] is True
