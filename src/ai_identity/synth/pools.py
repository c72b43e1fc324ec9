"""Bilingual value pools the synthetic generator draws people from.

Every person name and company here is invented; school names are real public institutions (used only as
plausible education entries). Pools are plain tuples so that drawing from them with a seeded
``random.Random`` is deterministic.
"""

# ruff: noqa: SIM905  (word pools read better as one spaced string than as a 70-line list)
from __future__ import annotations

from dataclasses import dataclass

from ai_identity.synth.catalog import ROLES

# --- names --------------------------------------------------------------------------------------------

ZH_SURNAMES: tuple[str, ...] = tuple(
    "王 李 张 刘 陈 杨 黄 赵 吴 周 徐 孙 马 朱 胡 郭 何 高 林 罗 郑 梁 谢 宋 唐 许 韩 冯 邓 曹 彭 曾 "
    "肖 田 董 袁 潘 于 蒋 蔡 余 杜 叶 程 苏 魏 吕 丁 任 沈 姚 卢 "
    "姜 崔 钟 谭 陆 汪 范 金 石 廖 贾 夏 韦 方 白 邹 孟 熊 秦 邱 江 尹 薛 欧阳 上官 司马".split()
)
ZH_GIVEN_NAMES: tuple[str, ...] = tuple(
    "子涵 欣怡 梓萱 浩然 宇轩 思远 雨桐 一鸣 俊杰 晓彤 嘉怡 志强 海燕 丽娟 建华 文博 明轩 佳琪 诗涵 "
    "博文 晨阳 晓东 婷婷 伟 芳 静 敏 磊 洋 勇 杰 娜 涛 超 明 霞 平 刚 子墨 若曦 "
    "天佑 思琪 雅婷 家豪 梦瑶 鹏飞 晓峰 丹 颖 琳 斌 凯 昊 宁 璐 倩 雪 慧 欣然 皓轩 辰逸 沐阳 语嫣 瑞 "
    "嘉伟 立新 秀英 国庆 少华".split()
)
EN_FIRST_NAMES: tuple[str, ...] = tuple(
    "James Oliver Liam Noah Ethan Lucas Mason Logan Henry Jack Samuel Daniel Owen Leo Isaac Caleb "
    "Nathan Adam "
    "Ryan Aaron Connor Dylan Felix Hugo Theo Miles Elliot Grant Reid Tobias Emma Olivia Ava Sophia Isabella "
    "Mia Charlotte Amelia Harper Evelyn Abigail Emily Ella Grace Chloe Lily Hannah Zoe Nora Ruby Alice Clara "
    "Isla Freya Maya Priya Aisha Mei Sofia Leah Naomi Tessa Hazel Ivy Jasmine".split()
)
EN_LAST_NAMES: tuple[str, ...] = tuple(
    "Smith Johnson Williams Brown Jones Miller Davis Wilson Anderson Taylor Thomas Moore Martin Jackson "
    "Thompson White Harris Clark Lewis Robinson Walker Young Allen King Wright Scott Hill Green Adams Baker "
    "Nelson Carter Mitchell Roberts Turner Phillips Campbell Parker Evans Edwards Collins Stewart Morris "
    "Murphy Cook Rogers Morgan Cooper Peterson Reed Bailey Bell Kelly Howard Ward Cox Richardson Wood Watson "
    "Brooks Bennett Gray Hughes Price Sanders Patel Nguyen Chen Kim Singh Okafor Novak Silva".split()
)

# --- companies (invented) ------------------------------------------------------------------------------

INDUSTRIES: tuple[str, ...] = tuple(sorted({i for r in ROLES for i in r.industries}))

_ZH_COMPANY_STEMS: tuple[str, ...] = tuple(
    "星河 云杉 蓝鲸 青禾 远帆 鼎泰 华曜 启明 拓界 银杉 北辰 南溪 悦途 瀚海 智汇 锦程 恒越 嘉禾 长风 "
    "松果 知微 灵犀 博远 九章 天衡 明略 微澜 澄明 和光 弘毅 新曜 鲲程 星野 凌云 安澜 "
    "云图 青鸟 橙果 墨点 岚山 乐享 万象 飞鸿 清流 极光".split()
)
_EN_COMPANY_STEMS: tuple[str, ...] = tuple(
    "Bluepine|Northgate|Silverleaf|Brightwater|Redwood Lane|Clearpath|Ironbridge|Stonefield|Lakeside|"
    "Harborview|Tidewell|Westbrook|Kestrel|Oakline|Summit Ridge|Greenhollow|Ashford|Copperline|Driftwood|"
    "Fernbrook|Larkspur|Maplecrest|Quillon|Riverbend|Saltmarsh|Thornbury|Windmere|Amberfield|Bramblewood|"
    "Coldstream|Deepwell|Eastmoor|Foxglove|Glenrock|Highmark|Juniper Hill|Kingsmere|Longview|Moorland|"
    "Newhaven|Orchard Row|Pinecrest|Quarry Lane|Rosewater|Sableton".split("|")
)
_ZH_INDUSTRY_SUFFIX: dict[str, tuple[str, ...]] = {
    "automotive": ("汽车科技", "智能驾驶", "新能源汽车"),
    "consulting": ("咨询", "管理咨询", "企业服务"),
    "e-commerce": ("电商", "优选", "商城科技"),
    "education": ("教育科技", "教育", "学堂"),
    "fintech": ("数科", "金融科技", "支付"),
    "gaming": ("互动娱乐", "游戏", "互娱"),
    "healthcare": ("医疗科技", "健康", "生物医药"),
    "internet": ("网络", "互联网科技", "信息技术"),
    "logistics": ("物流", "供应链", "速运"),
    "manufacturing": ("精密制造", "智能装备", "机械"),
    "media": ("传媒", "文化传播", "影业"),
    "retail": ("零售", "商贸", "百货"),
    "software": ("软件", "科技", "信息系统"),
    "telecom": ("通信", "通讯技术", "网络通信"),
}
_EN_INDUSTRY_SUFFIX: dict[str, tuple[str, ...]] = {
    "automotive": ("Motors", "Mobility", "Automotive"),
    "consulting": ("Consulting", "Advisory", "Partners"),
    "e-commerce": ("Commerce", "Marketplace", "Online Retail"),
    "education": ("Learning", "Education", "Academy"),
    "fintech": ("Payments", "Financial Technologies", "Capital Tech"),
    "gaming": ("Games", "Interactive", "Game Studios"),
    "healthcare": ("Health", "Medical", "Biosciences"),
    "internet": ("Labs", "Digital", "Networks"),
    "logistics": ("Logistics", "Freight", "Supply Co."),
    "manufacturing": ("Manufacturing", "Industries", "Precision Works"),
    "media": ("Media", "Studios", "Publishing"),
    "retail": ("Retail", "Stores", "Goods"),
    "software": ("Software", "Systems", "Technologies"),
    "telecom": ("Telecom", "Communications", "Networks Group"),
}


def _companies(
    stems: tuple[str, ...], suffixes: dict[str, tuple[str, ...]], sep: str
) -> dict[str, tuple[str, ...]]:
    """15 distinct invented names per industry: stems spread over industries so names rarely repeat a stem."""
    out: dict[str, tuple[str, ...]] = {}
    for k, industry in enumerate(INDUSTRIES):
        names = [f"{stems[(k * 7 + i * 3) % len(stems)]}{sep}{suffixes[industry][i % 3]}" for i in range(15)]
        out[industry] = tuple(dict.fromkeys(names))
    return out


COMPANIES_ZH: dict[str, tuple[str, ...]] = _companies(_ZH_COMPANY_STEMS, _ZH_INDUSTRY_SUFFIX, "")
COMPANIES_EN: dict[str, tuple[str, ...]] = _companies(_EN_COMPANY_STEMS, _EN_INDUSTRY_SUFFIX, " ")

# --- schools (real public institutions) ---------------------------------------------------------------

SCHOOLS_ZH: tuple[str, ...] = tuple(
    "清华大学 北京大学 浙江大学 复旦大学 上海交通大学 南京大学 中国科学技术大学 武汉大学 华中科技大学 "
    "中山大学 哈尔滨工业大学 西安交通大学 四川大学 同济大学 北京航空航天大学 东南大学 南开大学 "
    "天津大学 厦门大学 山东大学 华南理工大学 大连理工大学 吉林大学 中南大学 电子科技大学 北京理工大学 "
    "重庆大学 湖南大学 西北工业大学 北京邮电大学 华东师范大学 中国人民大学 对外经济贸易大学 "
    "上海财经大学 中央财经大学 西南财经大学 苏州大学 深圳大学 杭州电子科技大学 南京邮电大学 暨南大学 "
    "郑州大学".split()
)
SCHOOLS_ZH_VOCATIONAL: tuple[str, ...] = (
    "深圳职业技术学院",
    "浙江机电职业技术学院",
    "南京工业职业技术学院",
    "武汉职业技术学院",
    "成都职业技术学院",
)
SCHOOLS_EN: tuple[str, ...] = (
    "University of Leeds",
    "University of Manchester",
    "University of Edinburgh",
    "University of Bristol",
    "King's College London",
    "University of Warwick",
    "University of Birmingham",
    "University of Sheffield",
    "University of Nottingham",
    "University of Glasgow",
    "University of Toronto",
    "University of British Columbia",
    "McGill University",
    "University of Waterloo",
    "University of Melbourne",
    "University of Sydney",
    "Monash University",
    "UNSW Sydney",
    "University of Queensland",
    "National University of Singapore",
    "Nanyang Technological University",
    "University of Washington",
    "University of Michigan",
    "University of Texas at Austin",
    "Georgia Institute of Technology",
    "Ohio State University",
    "Arizona State University",
    "Purdue University",
    "Penn State University",
    "University of Florida",
    "Rutgers University",
    "Boston University",
    "Northeastern University",
    "University of California, Davis",
    "San Jose State University",
    "University of Auckland",
    "Trinity College Dublin",
    "University College Dublin",
    "University of Minnesota",
    "University of Wisconsin-Madison",
)
SCHOOLS_EN_COMMUNITY: tuple[str, ...] = (
    "Portland Community College",
    "De Anza College",
    "Seneca College",
    "TAFE NSW",
    "Austin Community College",
)

# --- majors per role family (zh, en) ------------------------------------------------------------------

MAJORS: dict[str, tuple[tuple[str, str], ...]] = {
    "engineering": (
        ("计算机科学与技术", "Computer Science"),
        ("软件工程", "Software Engineering"),
        ("信息与通信工程", "Information and Communication Engineering"),
        ("电子信息工程", "Electronic Engineering"),
        ("网络工程", "Network Engineering"),
        ("自动化", "Automation"),
        ("物联网工程", "Internet of Things Engineering"),
    ),
    "data": (
        ("统计学", "Statistics"),
        ("数学与应用数学", "Mathematics"),
        ("数据科学与大数据技术", "Data Science"),
        ("计算机科学与技术", "Computer Science"),
        ("人工智能", "Artificial Intelligence"),
        ("应用统计", "Applied Statistics"),
        ("模式识别与智能系统", "Pattern Recognition and Intelligent Systems"),
    ),
    "product": (
        ("信息管理与信息系统", "Information Systems"),
        ("工商管理", "Business Administration"),
        ("计算机科学与技术", "Computer Science"),
        ("心理学", "Psychology"),
        ("电子商务", "E-Commerce"),
    ),
    "design": (
        ("视觉传达设计", "Visual Communication Design"),
        ("工业设计", "Industrial Design"),
        ("数字媒体艺术", "Digital Media Arts"),
        ("交互设计", "Interaction Design"),
        ("环境设计", "Environmental Design"),
    ),
    "business": (
        ("市场营销", "Marketing"),
        ("会计学", "Accounting"),
        ("财务管理", "Finance"),
        ("人力资源管理", "Human Resource Management"),
        ("工商管理", "Business Administration"),
        ("国际经济与贸易", "International Economics and Trade"),
        ("物流管理", "Logistics Management"),
        ("新闻传播学", "Journalism and Communication"),
        ("经济学", "Economics"),
    ),
}

# --- places -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class City:
    name: str  # in the language of the people who live there (zh for mainland cities)
    name_en: str
    region: str  # province or state/country subdivision, same language as name
    country: str  # ISO 3166-1 alpha-2
    timezone: str  # IANA


CITIES_ZH: tuple[City, ...] = tuple(
    City(n, e, p, "CN", "Asia/Shanghai")
    for n, e, p in (
        ("北京", "Beijing", "北京市"),
        ("上海", "Shanghai", "上海市"),
        ("广州", "Guangzhou", "广东省"),
        ("深圳", "Shenzhen", "广东省"),
        ("杭州", "Hangzhou", "浙江省"),
        ("南京", "Nanjing", "江苏省"),
        ("苏州", "Suzhou", "江苏省"),
        ("成都", "Chengdu", "四川省"),
        ("武汉", "Wuhan", "湖北省"),
        ("西安", "Xi'an", "陕西省"),
        ("重庆", "Chongqing", "重庆市"),
        ("天津", "Tianjin", "天津市"),
        ("长沙", "Changsha", "湖南省"),
        ("郑州", "Zhengzhou", "河南省"),
        ("合肥", "Hefei", "安徽省"),
        ("厦门", "Xiamen", "福建省"),
        ("青岛", "Qingdao", "山东省"),
        ("济南", "Jinan", "山东省"),
        ("大连", "Dalian", "辽宁省"),
        ("宁波", "Ningbo", "浙江省"),
        ("东莞", "Dongguan", "广东省"),
        ("昆明", "Kunming", "云南省"),
        ("沈阳", "Shenyang", "辽宁省"),
        ("福州", "Fuzhou", "福建省"),
    )
)
CITIES_EN: tuple[City, ...] = tuple(
    City(n, n, r, c, tz)
    for n, r, c, tz in (
        ("London", "England", "GB", "Europe/London"),
        ("Manchester", "England", "GB", "Europe/London"),
        ("Edinburgh", "Scotland", "GB", "Europe/London"),
        ("Leeds", "England", "GB", "Europe/London"),
        ("New York", "NY", "US", "America/New_York"),
        ("Boston", "MA", "US", "America/New_York"),
        ("San Francisco", "CA", "US", "America/Los_Angeles"),
        ("Seattle", "WA", "US", "America/Los_Angeles"),
        ("Los Angeles", "CA", "US", "America/Los_Angeles"),
        ("Austin", "TX", "US", "America/Chicago"),
        ("Chicago", "IL", "US", "America/Chicago"),
        ("Denver", "CO", "US", "America/Denver"),
        ("Toronto", "ON", "CA", "America/Toronto"),
        ("Vancouver", "BC", "CA", "America/Vancouver"),
        ("Sydney", "NSW", "AU", "Australia/Sydney"),
        ("Melbourne", "VIC", "AU", "Australia/Melbourne"),
        ("Brisbane", "QLD", "AU", "Australia/Brisbane"),
        ("Singapore", "Singapore", "SG", "Asia/Singapore"),
        ("Auckland", "Auckland", "NZ", "Pacific/Auckland"),
        ("Dublin", "Leinster", "IE", "Europe/Dublin"),
    )
)

# --- certifications per role family -------------------------------------------------------------------

CERTIFICATIONS_ZH: dict[str, tuple[str, ...]] = {
    "engineering": (
        "软考中级（软件设计师）",
        "软考高级（系统架构设计师）",
        "阿里云ACP认证",
        "AWS Certified Solutions Architect",
        "CKA（Kubernetes管理员认证）",
        "红帽RHCE认证",
        "全国计算机等级考试三级",
        "ISTQB初级测试工程师",
    ),
    "data": (
        "CDA数据分析师二级",
        "软考中级（数据库系统工程师）",
        "阿里云大数据ACP认证",
        "Tableau Desktop Specialist",
    ),
    "product": ("PMP", "NPDP产品经理国际资格认证", "软考高级（信息系统项目管理师）", "CSPO"),
    "design": ("Adobe认证设计师", "全国计算机等级考试二级", "UI设计师职业技能证书"),
    "business": (
        "初级会计职称",
        "中级会计职称",
        "CPA注册会计师",
        "ACCA",
        "人力资源管理师（二级）",
        "教师资格证",
        "证券从业资格证",
        "PMP",
        "英语六级（CET-6）",
        "英语专业八级（TEM-8）",
    ),
}
CERTIFICATIONS_EN: dict[str, tuple[str, ...]] = {
    "engineering": (
        "AWS Certified Solutions Architect - Associate",
        "Certified Kubernetes Administrator (CKA)",
        "Red Hat Certified Engineer (RHCE)",
        "Oracle Certified Professional, Java SE",
        "ISTQB Foundation Level",
        "Microsoft Certified: Azure Developer Associate",
        "HashiCorp Certified: Terraform Associate",
    ),
    "data": (
        "Google Professional Data Engineer",
        "AWS Certified Machine Learning - Specialty",
        "Tableau Desktop Specialist",
        "Databricks Certified Data Engineer Associate",
    ),
    "product": ("PMP", "Certified Scrum Product Owner (CSPO)", "Pragmatic Institute PMC-III", "PMI-ACP"),
    "design": ("Google UX Design Certificate", "Adobe Certified Professional", "NN/g UX Certification"),
    "business": (
        "CPA",
        "ACCA",
        "CMA",
        "SHRM-CP",
        "CIPD Level 5",
        "PMP",
        "Google Analytics Certification",
        "HubSpot Content Marketing Certification",
        "Salesforce Certified Administrator",
        "APICS CSCP",
    ),
}

# --- work-style traits (key, zh, en) ------------------------------------------------------------------

TRAITS: tuple[tuple[str, str, str], ...] = (
    ("detail-oriented", "注重细节", "detail-oriented"),
    ("self-driven", "自驱力强", "self-driven"),
    ("team-player", "具备良好的团队合作精神", "a strong team player"),
    ("fast-learner", "学习能力强", "a fast learner"),
    ("analytical", "逻辑思维清晰，善于分析问题", "analytical"),
    ("communicative", "沟通表达能力强", "a clear communicator"),
    ("responsible", "责任心强", "highly responsible"),
    ("resilient", "抗压能力强", "calm under pressure"),
    ("creative", "富有创造力", "creative"),
    ("organized", "做事有条理", "well organized"),
    ("proactive", "积极主动", "proactive"),
    ("pragmatic", "踏实务实", "pragmatic"),
    ("customer-focused", "以客户为中心", "customer-focused"),
    ("results-driven", "结果导向", "results-driven"),
    ("collaborative", "乐于协作与分享", "collaborative"),
    ("independent", "能够独立负责项目", "able to work independently"),
    ("curious", "对新技术保持好奇", "curious about new technology"),
    ("mentoring", "乐于带新人", "keen to mentor others"),
    ("structured", "习惯结构化思考", "a structured thinker"),
    ("adaptable", "适应能力强", "adaptable"),
)
TRAIT_WORDS: dict[str, tuple[str, str]] = {k: (zh, en) for k, zh, en in TRAITS}

# --- industry display names (zh, en) -----------------------------------------------------------------

INDUSTRY_NAMES: dict[str, tuple[str, str]] = {
    "automotive": ("汽车", "Automotive"),
    "consulting": ("咨询", "Consulting"),
    "e-commerce": ("电子商务", "E-commerce"),
    "education": ("教育", "Education"),
    "fintech": ("金融科技", "Fintech"),
    "gaming": ("游戏", "Gaming"),
    "healthcare": ("医疗健康", "Healthcare"),
    "internet": ("互联网", "Internet"),
    "logistics": ("物流", "Logistics"),
    "manufacturing": ("制造业", "Manufacturing"),
    "media": ("传媒", "Media"),
    "retail": ("零售", "Retail"),
    "software": ("软件", "Software"),
    "telecom": ("通信", "Telecom"),
}
CITY_BY_NAME: dict[str, City] = {c.name: c for c in (*CITIES_ZH, *CITIES_EN)}
