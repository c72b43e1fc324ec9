"""Sentence material for rendered resumes: bullet templates, objects, outcomes, categories, labels.

Templates hold ``{X}`` where skill names go, ``{obj}`` for what the work was on and ``{out}`` for a result.
"""

from __future__ import annotations

BULLET_TEMPLATES: dict[str, tuple[str, ...]] = {
    "zh": (
        "负责基于{X}的{obj}开发与维护",
        "使用{X}完成{obj}的搭建，{out}",
        "主导{obj}中{X}相关工作，{out}",
        "运用{X}支撑{obj}",
        "参与{obj}，主要使用{X}",
        "通过{X}优化{obj}，{out}",
        "日常工作涉及{X}，负责{obj}",
        "独立承担{obj}的{X}部分",
        "在{obj}中落地{X}方案",
    ),
    "en": (
        "Built and maintained {obj} using {X}",
        "Used {X} to deliver {obj}, {out}",
        "Led the {X} work on {obj}, {out}",
        "Applied {X} to {obj}",
        "Owned {obj}; day-to-day work with {X}",
        "Improved {obj} with {X}, {out}",
        "Worked hands-on with {X} on {obj}",
        "Drove {X} initiatives for {obj}",
        "Introduced {X} into {obj}",
    ),
}
GENERIC_BULLETS: dict[str, tuple[str, ...]] = {
    "zh": ("负责{obj}的日常工作，{out}", "配合团队推进{obj}，{out}", "协助上级完成{obj}相关事务"),
    "en": ("Owned {obj}, {out}", "Supported the team on {obj}, {out}", "Coordinated {obj} with other teams"),
}

OBJECTS: dict[str, dict[str, tuple[str, ...]]] = {
    "zh": {
        "engineering": (
            "订单系统",
            "支付模块",
            "用户中心",
            "内部工具平台",
            "监控系统",
            "推荐服务",
            "消息推送服务",
        ),
        "data": ("用户画像", "经营报表", "推荐模型", "风控模型", "数据中台", "指标体系", "实时大屏"),
        "product": ("会员体系", "新版App", "增长项目", "商家后台", "需求池", "支付流程改版"),
        "design": ("设计规范", "App改版", "品牌视觉", "组件库", "官网改版", "活动页面"),
        "business": ("年度计划", "区域市场", "重点客户", "内部流程", "月度报表", "新品上市"),
    },
    "en": {
        "engineering": (
            "the order service",
            "the payments module",
            "the user account service",
            "internal tooling",
            "the monitoring stack",
            "the recommendation service",
            "the notification pipeline",
        ),
        "data": (
            "customer segmentation",
            "the weekly business review",
            "the ranking model",
            "fraud scoring",
            "the data platform",
            "the KPI framework",
            "real-time dashboards",
        ),
        "product": (
            "the loyalty program",
            "the app redesign",
            "growth experiments",
            "the merchant portal",
            "the product backlog",
            "the checkout revamp",
        ),
        "design": (
            "the design system",
            "the app redesign",
            "brand visuals",
            "the component library",
            "the website refresh",
        ),
        "business": (
            "the annual plan",
            "the regional market",
            "key accounts",
            "internal processes",
            "monthly reporting",
            "a product launch",
        ),
    },
}

OUTCOMES: dict[str, tuple[str, ...]] = {
    "zh": (
        "效率提升约{n}%",
        "按期上线",
        "成本降低{n}%",
        "获部门季度之星",
        "相关指标提升{n}%",
        "问题率下降{n}%",
        "得到客户好评",
    ),
    "en": (
        "cutting turnaround by {n}%",
        "delivered on schedule",
        "reducing costs by {n}%",
        "raising the key metric {n}%",
        "halving incident volume",
        "earning a team award",
    ),
}

CATEGORY_NAMES: dict[str, dict[str, str]] = {
    "zh": {
        "lang": "编程语言",
        "fw": "框架与平台",
        "data": "数据与存储",
        "ops": "云与运维",
        "tool": "工具",
        "biz": "业务能力",
        "soft": "综合能力",
        "design": "设计",
        "ml": "算法/AI",
    },
    "en": {
        "lang": "Languages",
        "fw": "Frameworks & Platforms",
        "data": "Data & Storage",
        "ops": "Cloud & DevOps",
        "tool": "Tools",
        "biz": "Domain",
        "soft": "Soft Skills",
        "design": "Design",
        "ml": "AI/ML",
    },
}

INFO_LABELS: dict[str, dict[str, str]] = {
    "zh": {"name": "姓名", "phone": "电话", "email": "邮箱", "city": "现居城市", "years": "工作年限"},
    "en": {"name": "Name", "phone": "Phone", "email": "Email", "city": "Location", "years": "Experience"},
}

LIST_SEPARATORS: dict[str, tuple[str, ...]] = {
    "zh": ("、", "，", ", ", " / ", " | "),
    "en": (", ", ", ", " · ", " / ", " | ", "; "),
}

EN_PROSE_LEVELS: tuple[tuple[str, ...], ...] = (
    ("basic knowledge of", "some exposure to"),
    ("familiar with", "working knowledge of"),
    ("proficient in", "strong in", "advanced skills in"),
    ("expert in", "deep expertise in"),
)

SOFT_TEMPLATES: dict[str, tuple[str, ...]] = {
    "zh": ("工作中体现出良好的{X}", "凭借{X}获得团队认可", "{X}突出，多次协调跨部门事项"),
    "en": ("Recognized for {X} across teams", "Relied on {X} to keep the work moving", "Known for {X}"),
}
SPOKEN_TEMPLATES: dict[str, tuple[str, ...]] = {
    "zh": ("{X}可作为工作语言", "能用{X}与海外客户沟通", "使用{X}撰写对外邮件和文档"),
    "en": ("Used {X} daily with overseas teams", "Worked in {X} with international clients"),
}
STACK_LABELS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "zh": (("技术栈：", "使用技术："), ("涉及技能：", "使用工具：")),
    "en": (("Tech stack: ", "Technologies: "), ("Skills used: ", "Tools & skills: ")),
}
