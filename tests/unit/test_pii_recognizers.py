"""Table-driven tests of each recogniser: what must be found (exact span) and what must not."""

from __future__ import annotations

import itertools

import pytest
from stdnum import luhn
from stdnum.cn import ric

from ai_identity.privacy.pii import PIIDetector, PIIEntity

DETECTOR = PIIDetector()

VALID_ID = "11010519491231002X"  # the format's textbook example: checksum-valid, fictitious
BAD_ID = VALID_ID[:-1] + "1"


def _card(body: str) -> str:
    return body + luhn.calc_check_digit(body)


CARD19 = _card("622202020011223344")
CARD16 = _card("436742000123456")
CARD16_GROUPED = " ".join(CARD16[i : i + 4] for i in range(0, 16, 4))
BAD_CARD = CARD19[:-1] + str((int(CARD19[-1]) + 1) % 10)


def found(text: str) -> list[tuple[str, str]]:
    return [(e.type, text[e.start : e.end]) for e in DETECTOR.analyze(text)]


POSITIVES = [
    # mobiles: bare, +86 / 0086 / (+86), spaced, dashed, glued to Chinese
    ("请联系我：13812345678", "PHONE_NUMBER", "13812345678"),
    ("手机+8613812345678", "PHONE_NUMBER", "+8613812345678"),
    ("电话 +86 138 1234 5678 转", "PHONE_NUMBER", "+86 138 1234 5678"),
    ("tel: 0086-138-1234-5678", "PHONE_NUMBER", "0086-138-1234-5678"),
    ("微信(+86)19912345678", "PHONE_NUMBER", "(+86)19912345678"),
    ("手机号138-1234-5678，谢谢", "PHONE_NUMBER", "138-1234-5678"),
    ("我的号码是159 8765 4321", "PHONE_NUMBER", "159 8765 4321"),
    # landlines
    ("座机010-12345678", "PHONE_NUMBER", "010-12345678"),
    ("电话：0755-23456789", "PHONE_NUMBER", "0755-23456789"),
    ("办公室 (021)87654321", "PHONE_NUMBER", "(021)87654321"),
    ("office +86 10 12345678", "PHONE_NUMBER", "+86 10 12345678"),
    ("固话 01012345678", "PHONE_NUMBER", "01012345678"),
    # international
    ("Call me at (415) 555-0132.", "PHONE_NUMBER", "(415) 555-0132"),
    ("Phone: +44 20 7946 0958", "PHONE_NUMBER", "+44 20 7946 0958"),
    # e-mail, also glued to Chinese
    ("简历发到hr@x.cn即可", "EMAIL_ADDRESS", "hr@x.cn"),
    ("mail me at a.b@example.org.", "EMAIL_ADDRESS", "a.b@example.org"),
    ("邮箱：talent+cv@mail.example.com.cn，谢谢", "EMAIL_ADDRESS", "talent+cv@mail.example.com.cn"),
    # resident ID with checksum
    (f"身份证号{VALID_ID}", "CN_RESIDENT_ID", VALID_ID),
    (f"ID {VALID_ID.lower()} on file", "CN_RESIDENT_ID", VALID_ID.lower()),
    # cards (Luhn)
    (f"卡号 {CARD19}", "BANK_CARD", CARD19),
    (
        f"Visa {CARD16[:4]} {CARD16[4:8]} {CARD16[8:12]} {CARD16[12:]}",
        "BANK_CARD",
        " ".join([CARD16[:4], CARD16[4:8], CARD16[8:12], CARD16[12:]]),
    ),
    # IPs, URLs
    ("服务器IP为192.0.2.15，端口8080", "IP_ADDRESS", "192.0.2.15"),
    ("login from 2001:db8::1 failed", "IP_ADDRESS", "2001:db8::1"),
    ("delivered to 192.0.2.1", "IP_ADDRESS", "192.0.2.1"),  # "ver" inside a word is no version cue
    ("作品集见https://example.com/p/12，欢迎", "URL", "https://example.com/p/12"),
    ("See www.example.org/jobs.", "URL", "www.example.org/jobs"),
    # passports, SSN
    ("护照号码：E12345678", "PASSPORT", "E12345678"),
    ("Passport No. 123456789", "PASSPORT", "123456789"),
    ("SSN: 219-09-9999", "US_SSN", "219-09-9999"),
    # addresses
    ("住址：北京市朝阳区建国路88号3号楼1201室", "ADDRESS", "北京市朝阳区建国路88号3号楼1201室"),
    ("公司位于上海市浦东新区世纪大道100号", "ADDRESS", "上海市浦东新区世纪大道100号"),
    (
        "She lives at 742 Evergreen Terrace, Springfield, IL 62704.",
        "ADDRESS",
        "742 Evergreen Terrace, Springfield, IL 62704",
    ),
    # names
    ("姓名：张伟\n性别：男", "PERSON", "张伟"),
    ("我是欧阳晓明，毕业于复旦", "PERSON", "欧阳晓明"),
    ("联系人：李娜，电话见下", "PERSON", "李娜"),
    ("请联系王小明先生", "PERSON", "王小明"),
    ("陈静负责支付系统", "PERSON", "陈静"),
    ("刘洋，男，1990年生", "PERSON", "刘洋"),
    ("Name: Emily Carter", "PERSON", "Emily Carter"),
    ("Best regards,\nJohn Whitfield", "PERSON", "John Whitfield"),
    ("Dear Ms. Harlow,", "PERSON", "Harlow"),
    ("Zhang Wei led the migration.", "PERSON", "Zhang Wei"),
]


@pytest.mark.parametrize(("text", "etype", "value"), POSITIVES)
def test_when_pii_present_then_found_with_exact_span(text: str, etype: str, value: str) -> None:
    assert (etype, value) in found(text)


NEGATIVES = [
    ("订单号 202401150001 已发货", None),
    ("订单号：13812345678", "PHONE_NUMBER"),
    ("流水号 " + CARD19 + "，金额 ¥3,200.00", "BANK_CARD"),
    ("order no. 4111111111111111 shipped", "BANK_CARD"),
    ("Invoice 13812345678", "PHONE_NUMBER"),
    ("月薪2万，年薪30W，期望 25k-35k", None),
    ("版本 v2.3.1 已上线", None),
    ("版本号 10.2.3.4", "IP_ADDRESS"),
    ("released v1.2.3.4", "IP_ADDRESS"),
    ("Bill of materials rev 3.1.4.2", "IP_ADDRESS"),
    ("2024年3月15日入职，2026-01-01转正", None),
    ("手机号 1381234567", "PHONE_NUMBER"),  # ten digits
    ("手机号 138123456789", "PHONE_NUMBER"),  # twelve digits
    ("号码 12345678901", "PHONE_NUMBER"),  # no mobile starts 12
    (f"身份证号 {BAD_ID}", "CN_RESIDENT_ID"),  # wrong check digit
    ("身份证号 110105199913321234", "CN_RESIDENT_ID"),  # month 13
    (f"卡号 {BAD_CARD}", "BANK_CARD"),  # Luhn fails
    ("时间 12:30:45", "IP_ADDRESS"),
    ("E12345678 is a product code", "PASSPORT"),  # no passport context
    ("Ticket 123-45-6789 closed", "US_SSN"),
    ("北京市朝阳区", "ADDRESS"),  # district level only
    ("我是程序员，熟悉 Java", "PERSON"),
    ("由于时间关系，先到这里", "PERSON"),
    ("Dear Hiring Manager,", "PERSON"),
    ("Hello World", "PERSON"),
    ("Grace period is 30 days", "PERSON"),
]


@pytest.mark.parametrize(("text", "etype"), NEGATIVES)
def test_when_look_alike_then_not_flagged(text: str, etype: str | None) -> None:
    types = [t for t, _ in found(text)]
    assert (types == []) if etype is None else (etype not in types)


def test_when_textbook_id_then_stdnum_agrees() -> None:
    assert ric.is_valid(VALID_ID) and not ric.is_valid(BAD_ID)


def test_when_analyzed_then_sorted_and_non_overlapping() -> None:
    text = f"姓名：张伟 手机13812345678 身份证{VALID_ID} 邮箱a@example.com 卡号{CARD19}"
    entities = DETECTOR.analyze(text)
    assert entities == sorted(entities, key=lambda e: e.start)
    assert all(a.end <= b.start for a, b in itertools.pairwise(entities))
    assert {e.type for e in entities} == {
        "PERSON",
        "PHONE_NUMBER",
        "CN_RESIDENT_ID",
        "EMAIL_ADDRESS",
        "BANK_CARD",
    }


def test_when_threshold_raised_then_low_scores_dropped() -> None:
    text = "Zhang Wei, 13812345678"
    assert any(e.type == "PERSON" for e in DETECTOR.analyze(text))
    assert all(e.score >= 0.9 for e in DETECTOR.analyze(text, threshold=0.9))


def test_when_entities_restricted_then_only_those_types() -> None:
    detector = PIIDetector(entities=["EMAIL_ADDRESS"])
    assert [e.type for e in detector.analyze("a@example.com 13812345678")] == ["EMAIL_ADDRESS"]


def test_when_batch_then_same_as_one_by_one() -> None:
    texts = ["13812345678", "nothing here", "a@example.com"]
    assert DETECTOR.analyze_batch(texts) == [DETECTOR.analyze(t) for t in texts]


def test_when_entity_repr_then_no_value() -> None:
    entity = DETECTOR.analyze("13812345678")[0]
    assert entity == PIIEntity("PHONE_NUMBER", 0, 11, entity.score)
    assert "138" not in repr(entity)


def test_when_text_not_str_then_type_error_without_value() -> None:
    with pytest.raises(TypeError, match="expected a str"):
        DETECTOR.analyze(13812345678)  # type: ignore[arg-type]
