"""``ai-identity pii scan`` / ``pii redact``: JSON lines in, one JSON line out per input line."""

from __future__ import annotations

import io
import json

import pytest

from ai_identity.cli import main


def run(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], args: list[str], stdin: str):
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    code = main(args)
    captured = capsys.readouterr()
    return code, [json.loads(line) for line in captured.out.splitlines() if line.strip()], captured.err


def lines(*texts: str) -> str:
    return "".join(json.dumps({"text": t}, ensure_ascii=False) + "\n" for t in texts)


def test_when_scan_then_one_line_per_input_with_entities(monkeypatch, capsys) -> None:
    texts = ["请联系我：13812345678", "mail me at a.b@example.org", "订单号 202401150001 已发货"]
    code, out, _ = run(monkeypatch, capsys, ["pii", "scan"], lines(*texts))
    assert code == 0 and len(out) == 3
    assert out[0]["entities"] == [{"type": "PHONE_NUMBER", "start": 5, "end": 16, "score": 1.0}]
    assert [e["type"] for e in out[1]["entities"]] == ["EMAIL_ADDRESS"]
    assert out[2]["entities"] == []


def test_when_scan_output_then_chinese_not_escaped(monkeypatch, capsys) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(lines("姓名：张伟")))
    main(["pii", "redact"])
    raw = capsys.readouterr().out
    assert "姓名：<PERSON>" in raw and "\\u" not in raw


BAD_LINES = [("not json", "not valid JSON"), ("[1, 2]", "expected a JSON object"), ('{"text": 5}', "string")]


@pytest.mark.parametrize(("bad_line", "problem"), BAD_LINES)
def test_when_malformed_line_then_error_line_and_nonzero_exit(monkeypatch, capsys, bad_line, problem) -> None:
    stdin = lines("a@example.com") + bad_line + "\n" + lines("13812345678")
    code, out, err = run(monkeypatch, capsys, ["pii", "scan"], stdin)
    assert code != 0 and len(out) == 3
    assert out[1]["line"] == 2 and out[1]["error"].startswith("line 2:") and problem in out[1]["error"]
    assert "Traceback" not in err
    assert out[2]["entities"][0]["type"] == "PHONE_NUMBER"


def test_when_id_given_then_echoed(monkeypatch, capsys) -> None:
    _, out, _ = run(monkeypatch, capsys, ["pii", "scan"], '{"id": "r1", "text": "x"}\n')
    assert out == [{"id": "r1", "entities": []}]


def test_when_threshold_then_low_scores_dropped(monkeypatch, capsys) -> None:
    _, out, _ = run(
        monkeypatch, capsys, ["pii", "scan", "--threshold", "0.7"], lines("Zhang Wei 13812345678")
    )
    assert [e["type"] for e in out[0]["entities"]] == ["PHONE_NUMBER"]


def test_when_threshold_out_of_range_then_usage_exit_2(monkeypatch, capsys) -> None:
    code, _, _ = run(monkeypatch, capsys, ["pii", "scan", "--threshold", "2"], lines("x"))
    assert code == 2


def test_when_redact_mask_then_text_masked(monkeypatch, capsys) -> None:
    args = ["pii", "redact", "--operator", "mask", "--keep-last", "4"]
    code, out, _ = run(monkeypatch, capsys, args, lines("电话 13812345678"))
    assert code == 0 and out[0]["text"] == "电话 *******5678"
    assert out[0]["items"] == [{"type": "PHONE_NUMBER", "start": 3, "end": 14}]


def test_when_redact_hash_then_key_file_required_and_used(monkeypatch, capsys, tmp_path) -> None:
    code, _, err = run(monkeypatch, capsys, ["pii", "redact", "--operator", "hash"], lines("a@example.com"))
    assert code == 2 and "--key-file" in err
    key = tmp_path / "key"
    key.write_bytes(b"0123456789abcdef-test-only-key\n")
    args = ["pii", "redact", "--operator", "hash", "--key-file", str(key)]
    code, out, _ = run(monkeypatch, capsys, args, lines("a@example.com"))
    assert code == 0 and out[0]["text"] == "<EMAIL_ADDRESS:d4e3c812c7c0d9af>"


def test_when_unknown_entity_type_then_usage_error(monkeypatch, capsys) -> None:
    code, _, err = run(monkeypatch, capsys, ["pii", "scan", "--entities", "SHOE_SIZE"], lines("x"))
    assert code == 2 and "SHOE_SIZE" in err
