"""The Chinese CRF ensemble, trained here on a few invented sentences (no shared data)."""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path

import pytest

from ai_identity.features.resume import crf_zh
from ai_identity.features.resume.tagging import Span, spans_from_tags, tags_from_spans


def _sentence(parts: list[tuple[str, str | None]]) -> tuple[str, list[str]]:
    """Join (surface, type-or-None) parts into a text and its BMES tags."""
    text, spans = "", []
    for surface, typ in parts:
        if typ:
            spans.append(Span(typ, len(text), len(text) + len(surface)))
        text += surface
    return text, tags_from_spans(len(text), spans, "BMES")


INVENTED = [
    _sentence(
        [("林小舟", "NAME"), ("，现任", None), ("星河软件有限公司", "ORG"), ("总经理", "TITLE"), ("。", None)]
    ),
    _sentence(
        [
            ("陈一帆", "NAME"),
            ("，曾任", None),
            ("青禾科技有限公司", "ORG"),
            ("副总经理", "TITLE"),
            ("。", None),
        ]
    ),
    _sentence([("本科", "EDU"), ("学历，", None), ("高级工程师", "TITLE"), ("。", None)]),
    _sentence(
        [
            ("周明", "NAME"),
            ("，", None),
            ("硕士", "EDU"),
            ("，现任", None),
            ("远山银行", "ORG"),
            ("行长", "TITLE"),
        ]
    ),
    _sentence(
        [
            ("中国国籍", "CONT"),
            ("，", None),
            ("汉族", "RACE"),
            ("，现任", None),
            ("云帆集团", "ORG"),
            ("董事", "TITLE"),
        ]
    ),
] * 3


@pytest.fixture(scope="module")
def model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("crf_zh")
    crf_zh.train(INVENTED, out, crf_zh.base_lexicon(), max_iterations=30, folds=2)
    return out


def _legal_sequence(labels: list[str]) -> bool:
    seq = ["", *labels, ""]
    return all(crf_zh._legal(a, b) for a, b in pairwise(seq))


def test_when_trained_then_every_member_and_the_lexicon_are_written(model_dir: Path):
    for profile in crf_zh.PROFILES:
        assert (model_dir / crf_zh.model_file(profile)).stat().st_size > 0
    assert (model_dir / crf_zh.LEXICON_NAME).exists()
    assert crf_zh.model_file("base") == crf_zh.MODEL_NAME


def test_when_the_ensemble_tags_a_seen_pattern_then_spans_are_found_with_a_confidence(model_dir: Path):
    tagger = crf_zh.ZhTagger(model_dir)
    text = "林小舟，现任星河软件有限公司总经理。"
    found = {(sp.type, text[sp.start : sp.end]): conf for sp, conf in tagger.tag(text)}
    assert ("ORG", "星河软件有限公司") in found and ("TITLE", "总经理") in found
    assert all(0.0 < conf <= 1.0 for conf in found.values())
    assert tagger.tag("") == [] and tagger.tag_labels("") == []


def test_when_decoding_then_the_label_sequence_is_valid_bmes(model_dir: Path):
    tagger = crf_zh.ZhTagger(model_dir)
    for text in ("云帆集团董事周明，硕士", "Q", "，，，", "高级工程师林小舟任远山银行行长"):
        labels = tagger.tag_labels(text)
        assert len(labels) == len(text) and _legal_sequence(labels)
        assert spans_from_tags(labels) == [sp for sp, _c in tagger.tag(text)]


def test_when_only_the_base_member_is_present_then_it_tags_alone(model_dir: Path, tmp_path: Path):
    (tmp_path / crf_zh.MODEL_NAME).write_bytes((model_dir / crf_zh.MODEL_NAME).read_bytes())
    (tmp_path / crf_zh.LEXICON_NAME).write_bytes((model_dir / crf_zh.LEXICON_NAME).read_bytes())
    alone = crf_zh.ZhTagger(tmp_path)
    assert len(alone._members) == 1
    labels = alone.tag_labels("陈一帆，曾任青禾科技有限公司副总经理。")
    assert ("ORG", 6, 14) in {(s.type, s.start, s.end) for s in spans_from_tags(labels)}


def test_when_no_member_is_present_then_the_error_names_the_model_file(tmp_path: Path):
    with pytest.raises(FileNotFoundError, match=crf_zh.MODEL_NAME):
        crf_zh.ZhTagger(tmp_path)


def test_when_extras_are_asked_then_only_their_templates_are_added():
    lex = crf_zh.base_lexicon()
    plain = crf_zh.char_features("现任总经理", lex)
    wide = crf_zh.char_features("现任总经理", lex, crf_zh.PROFILES["wide"])
    shaped = crf_zh.char_features("现任总经理", lex, crf_zh.PROFILES["lex"])
    assert all(set(p) < set(w) for p, w in zip(plain, wide, strict=True))
    assert "tr0=现任总" in wide[1] and not any(f.startswith("tr") for f in plain[1])
    assert "LBn:TITLE3" in shaped[2] and "nLB:TITLE" in shaped[1]
