"""The pattern recognisers, as data. Names live in :mod:`.names` (they need a surname list, not a regex).

Boundaries are ASCII-only on purpose: Chinese characters count as ``\\w`` in Python, so ``\\b`` would glue
``发到hr@x.cn即可`` into one e-mail. ``NB``/``NA`` say "no ASCII letter or digit before/after".
"""

from __future__ import annotations

import re
from typing import Final

from ai_identity.privacy.pii import validators as v
from ai_identity.privacy.pii.entity import (
    ADDRESS,
    BANK_CARD,
    CN_RESIDENT_ID,
    EMAIL_ADDRESS,
    IP_ADDRESS,
    PASSPORT,
    PHONE_NUMBER,
    URL,
    US_SSN,
)
from ai_identity.privacy.pii.spec import Pattern, RecognizerSpec

NB: Final = r"(?<![0-9A-Za-z])"
NA: Final = r"(?![0-9A-Za-z])"
_DIGIT: Final = r"[0-9]"

# Words before a number that say it is a business identifier, not a person's.
NOT_PERSONAL: Final = (
    "订单", "单号", "流水", "交易号", "编号", "发票", "快递", "运单", "工单", "合同号", "批次", "版本",
    "order", "invoice", "tracking", "ticket", "ref no", "reference no", "serial", "sku", "isbn", "version",
)  # fmt: skip

CN_MOBILE = RecognizerSpec(
    name="cn_mobile",
    entity=PHONE_NUMBER,
    patterns=(
        Pattern(
            "cn_mobile",
            r"(?:\+86[ -]?|\(\+?86\)[ -]?|" + NB + r"0086[ -]?|" + NB + r")"
            r"1[3-9][0-9](?:[ -]?[0-9]{4}[ -]?[0-9]{4})(?![0-9])",
            0.75,
        ),
    ),
    context=(
        "手机",
        "电话",
        "联系",
        "致电",
        "拨打",
        "微信",
        "tel",
        "phone",
        "mobile",
        "cell",
        "call",
        "whatsapp",
    ),
    negative_context=NOT_PERSONAL,
    validator=v.cn_phone,
    trigger=_DIGIT,
)

_AREA: Final = r"0(?:10|2[0-9]|[3-9][0-9]{2})"
CN_LANDLINE = RecognizerSpec(
    name="cn_landline",
    entity=PHONE_NUMBER,
    patterns=(
        Pattern(
            "cn_landline_separated",
            r"(?:(?:\+86|" + NB + r"0086)[ -]?\(?0?|" + NB + r"\(?0|(?<=\()0)"
            r"(?:10|2[0-9]|[3-9][0-9]{2})\)?[ -]+[1-9][0-9]{2,3}[ -]?[0-9]{4}(?![0-9])",
            0.7,
        ),
        Pattern("cn_landline_paren", r"\(" + _AREA + r"\)[ ]?[1-9][0-9]{6,7}(?![0-9])", 0.7),
        Pattern("cn_landline_compact", NB + _AREA + r"[1-9][0-9]{6,7}(?![0-9])", 0.4),
    ),
    context=("电话", "座机", "固话", "联系", "致电", "拨打", "传真", "tel", "phone", "fax", "office"),
    negative_context=NOT_PERSONAL,
    validator=v.cn_phone,
    trigger=_DIGIT,
)

INTL_PHONE = RecognizerSpec(
    name="intl_phone",
    entity=PHONE_NUMBER,
    patterns=(
        Pattern(
            "e164",
            NB + r"\+(?!86)[1-9][0-9]{0,2}[ .-]?(?:\([0-9]{1,4}\)[ .-]?)?[0-9]{1,4}(?:[ .-]?[0-9]{2,4}){1,4}"
            r"(?![0-9])",
            0.7,
        ),
        Pattern(
            "north_american",
            r"(?<![0-9A-Za-z+-])(?:1[ .-]?)?(?:\([2-9][0-9]{2}\) ?|[2-9][0-9]{2}[ .-])"
            r"[2-9][0-9]{2}[ .-][0-9]{4}(?![0-9]|-[0-9])",
            0.6,
        ),
    ),
    context=("phone", "tel", "mobile", "cell", "call", "电话", "手机", "whatsapp", "fax"),
    negative_context=NOT_PERSONAL,
    validator=v.intl_phone,
    trigger=_DIGIT,
)

EMAIL = RecognizerSpec(
    name="email",
    entity=EMAIL_ADDRESS,
    patterns=(
        Pattern(
            "email",
            r"(?<![A-Za-z0-9._%+-])[A-Za-z0-9](?:[A-Za-z0-9._%+-]{0,62}[A-Za-z0-9_%+-])?[@＠]"
            r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*"
            r"\.[A-Za-z]{2,24}(?![A-Za-z0-9-])",
            1.0,
        ),
    ),
    trigger="[@＠]",
)

URL_SPEC = RecognizerSpec(
    name="url",
    entity=URL,
    patterns=(
        Pattern(
            "url",
            r"(?<![A-Za-z0-9@.])(?:(?:https?|ftp)://|www\.)[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]+",
            0.85,
        ),
    ),
    validator=v.url,
    trigger=r"://|www\.",
    flags=re.IGNORECASE,
    trim=".,;:!?'\")]",
)

_OCTET: Final = r"(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])"
IP = RecognizerSpec(
    name="ip_address",
    entity=IP_ADDRESS,
    patterns=(
        Pattern(
            "ipv4",
            r"(?<![0-9A-Za-z.])" + r"(?:" + _OCTET + r"\.){3}" + _OCTET + r"(?![0-9A-Za-z]|\.[0-9])",
            0.6,
        ),
        Pattern(
            "ipv6",
            r"(?<![0-9A-Za-z:])(?:[0-9A-Fa-f]{1,4}:|:)(?:[0-9A-Fa-f]{0,4}:){1,6}[0-9A-Fa-f]{0,4}(?![0-9A-Za-z:])",
            0.6,
        ),
    ),
    context=("ip", "登录", "服务器", "主机", "server", "host", "address", "地址", "访问"),
    negative_context=("版本", "version", "ver", "v.", "rev", "release", "build", "oid", "序号"),
    validator=v.ip_address,
    trigger=r"[0-9]\.[0-9]|:",
)

CN_RESIDENT_ID_SPEC = RecognizerSpec(
    name="cn_resident_id",
    entity=CN_RESIDENT_ID,
    patterns=(
        Pattern(
            "cn_ric",
            NB
            + r"[1-9][0-9]{5} ?(?:18|19|20)[0-9]{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01])"
            + r" ?[0-9]{3}[0-9Xx]"
            + NA,
            0.4,
        ),
    ),
    context=("身份证", "证件", "公民身份", "id card", "id no", "resident id"),
    negative_context=NOT_PERSONAL,
    validator=v.cn_resident_id,
    validated_score=0.95,
    trigger=_DIGIT,
)

BANK_CARD_SPEC = RecognizerSpec(
    name="bank_card",
    entity=BANK_CARD,
    patterns=(
        Pattern(
            "card_grouped",
            NB + r"(?:[3-6][0-9]{3}|2[2-7][0-9]{2})(?:[ -][0-9]{4}){2,3}(?:[ -]?[0-9]{1,3})?" + NA,
            0.6,
        ),
        Pattern("card_amex", NB + r"3[47][0-9]{2}[ -][0-9]{6}[ -][0-9]{5}" + NA, 0.6),
        Pattern("card_plain", NB + r"(?:[3-6][0-9]{12,18}|2[2-7][0-9]{14})" + NA, 0.55),
    ),
    context=(
        "银行卡",
        "卡号",
        "储蓄卡",
        "信用卡",
        "借记卡",
        "账号",
        "账户",
        "开户",
        "收款",
        "card",
        "visa",
        "mastercard",
        "unionpay",
        "银联",
        "account",
    ),
    negative_context=(*NOT_PERSONAL, "身份证", "手机", "电话"),
    validator=v.luhn_card,
    trigger=_DIGIT,
)

PASSPORT_SPEC = RecognizerSpec(
    name="passport",
    entity=PASSPORT,
    patterns=(
        Pattern("cn_passport", NB + r"(?:[EGDSP][0-9]{8}|E[A-HJ-NP-Z][0-9]{7})" + NA, 0.4),
        Pattern("generic_passport", NB + r"[A-Z]{0,2}[0-9]{7,9}" + NA, 0.2),
    ),
    context=("护照", "passport", "travel document", "旅行证件"),
    negative_context=NOT_PERSONAL,
    context_window=24,
    trigger=_DIGIT,
)

US_SSN_SPEC = RecognizerSpec(
    name="us_ssn",
    entity=US_SSN,
    patterns=(
        Pattern(
            "ssn_dashed", r"(?<![0-9A-Za-z-])[0-9]{3}([- ])[0-9]{2}\1[0-9]{4}(?![0-9A-Za-z]|-[0-9])", 0.5
        ),
        Pattern("ssn_plain", NB + r"[0-9]{9}" + NA, 0.2),
    ),
    context=("ssn", "social security", "社会安全号", "社保号"),
    negative_context=(*NOT_PERSONAL, "phone", "tel", "电话", "part"),
    validator=v.us_ssn,
    trigger=_DIGIT,
)

# Address characters: word characters that are not digits, ASCII letters or the function words that
# usually come right before an address ("住在", "位于", "寄到").
_AC: Final = r"[^\W\d_A-Za-z在住是于到址的我寄往送请发至和及或与为从去来点家司共距离近]"
_PLACE: Final = (
    "北京|天津|上海|重庆|河北|山西|辽宁|吉林|黑龙江|江苏|浙江|安徽|福建|江西|山东|河南|湖北|湖南|广东|海南|四川|"
    "贵州|云南|陕西|甘肃|青海|台湾|内蒙古|广西|西藏|宁夏|新疆|香港|澳门|广州|深圳|杭州|南京|苏州|成都|武汉|西安|"
    "长沙|郑州|青岛|大连|厦门|宁波|无锡|合肥|福州|济南|沈阳|哈尔滨|长春|昆明|南宁|贵阳|南昌|太原|石家庄|兰州|"
    "乌鲁木齐|呼和浩特|银川|西宁|拉萨|海口|三亚|珠海|佛山|东莞|中山|惠州|温州|绍兴|嘉兴|金华|常州|南通|徐州|扬州|"
    "烟台|潍坊|洛阳|宜昌|襄阳|株洲|泉州|漳州|桂林|绵阳|遵义"
)
_NUM: Final = r"[0-9一二三四五六七八九十百零〇]+"
_ROAD: Final = _AC + r"{1,10}?(?:路|大街|街|大道|巷|胡同|弄|村)"
_UNITS: Final = (
    r"(?:" + _NUM + r"(?:号院|号楼|号|弄|巷))?"
    r"(?:[-之]?[0-9A-Za-z一二三四五六七八九十]{1,5}(?:号楼|栋|幢|座|楼|单元|层|室|号|房|区))*"
)
_ZH_ADDRESS: Final = (
    r"(?:" + _PLACE + r")(?:省|市|自治区|特别行政区)?"
    r"(?:"
    + _AC
    + r"{1,6}?(?:市|州|盟))?(?:"
    + _AC
    + r"{1,6}?(?:区|县|旗))?(?:"
    + _AC
    + r"{1,8}?(?:街道|镇|乡))?"
    r"(?:" + _ROAD + r"){0,2}" + _UNITS
)
_EN_STREET: Final = (
    "Street|Avenue|Road|Boulevard|Lane|Drive|Court|Way|Place|Terrace|Parkway|Circle|Highway|Square"
)
_EN_STREET_ABBR: Final = "St|Ave|Rd|Blvd|Ln|Dr|Ct|Pl|Pkwy|Cir|Hwy|Sq"
ADDRESS_SPEC = RecognizerSpec(
    name="address",
    entity=ADDRESS,
    patterns=(
        Pattern("zh_address_place", _ZH_ADDRESS, 0.85),
        Pattern(
            "zh_address_road", _AC + r"{1,6}?(?:区|县)?(?:" + _ROAD + r"){1,2}" + _NUM + r"号" + _UNITS, 0.6
        ),
        Pattern(
            "en_address",
            NB + r"[0-9]{1,5}[A-Z]?(?: [A-Z][a-z]+\.?){1,4} (?:(?:" + _EN_STREET + r")\b"
            r"|(?:"
            + _EN_STREET_ABBR
            + r")\b(?:\.(?=,| [a-z0-9]| (?:Apt|Suite|Unit|Ste|Floor|Fl|Room|Rm)\b))?)"
            r"(?:,? (?:Apt|Apartment|Suite|Ste|Unit|Floor|Fl|Room|Rm)\.? ?#?[0-9A-Za-z-]+)?"
            r"(?:, ?[A-Z][a-z]+(?: [A-Z][a-z]+)*,? [A-Z]{2}(?: [0-9]{5}(?:-[0-9]{4})?)?)?",
            0.8,
        ),
    ),
    context=("地址", "住址", "住在", "位于", "寄到", "address", "located", "live at", "lives at"),
    negative_context=(),
    validator=v.street_address,
)

DEFAULT_SPECS: Final = (
    CN_RESIDENT_ID_SPEC,
    BANK_CARD_SPEC,
    CN_MOBILE,
    CN_LANDLINE,
    INTL_PHONE,
    US_SSN_SPEC,
    PASSPORT_SPEC,
    EMAIL,
    URL_SPEC,
    IP,
    ADDRESS_SPEC,
)
