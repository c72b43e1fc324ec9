"""Occupational catalogue the synthetic platform draws its hidden truth from.

Each role lists the canonical skill ids (ids of the shipped bilingual taxonomy) a holder of that role
tends to have, with a weight, plus bilingual titles per seniority and the industries that hire it. The
ids here are the contract between the generator and the taxonomy: every id must exist in the taxonomy.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Role:
    key: str
    family: str
    industries: tuple[str, ...]
    titles_en: tuple[str, str, str, str]  # junior, mid, senior, lead
    titles_zh: tuple[str, str, str, str]
    core: tuple[str, ...]  # skills most holders have
    optional: tuple[str, ...]  # skills some holders have


SENIORITIES: tuple[str, ...] = ("junior", "mid", "senior", "lead")
LEVELS: tuple[str, ...] = ("beginner", "intermediate", "advanced", "expert")
SOFT_SKILLS: tuple[str, ...] = ("communication", "teamwork", "leadership", "problem-solving", "english")

ROLES: tuple[Role, ...] = (
    Role(
        "backend",
        "engineering",
        ("internet", "software", "fintech", "e-commerce"),
        ("Junior Backend Developer", "Backend Engineer", "Senior Backend Engineer", "Backend Tech Lead"),
        ("初级后端开发工程师", "后端开发工程师", "高级后端工程师", "后端技术负责人"),
        ("python", "java", "mysql", "redis", "git", "linux", "rest-api"),
        (
            "go",
            "cpp",
            "spring-boot",
            "django",
            "flask",
            "postgresql",
            "kafka",
            "docker",
            "kubernetes",
            "microservices",
            "grpc",
            "nginx",
            "elasticsearch",
            "rabbitmq",
            "mongodb",
        ),
    ),
    Role(
        "frontend",
        "engineering",
        ("internet", "software", "e-commerce", "media"),
        ("Junior Frontend Developer", "Frontend Engineer", "Senior Frontend Engineer", "Frontend Lead"),
        ("初级前端开发工程师", "前端开发工程师", "高级前端工程师", "前端负责人"),
        ("javascript", "html", "css", "git"),
        (
            "typescript",
            "react",
            "vue",
            "angular",
            "webpack",
            "nodejs",
            "nextjs",
            "sass",
            "figma",
            "rest-api",
            "wechat-mini-program",
        ),
    ),
    Role(
        "mobile",
        "engineering",
        ("internet", "software", "e-commerce", "gaming"),
        ("Junior Mobile Developer", "Mobile Engineer", "Senior Mobile Engineer", "Mobile Lead"),
        ("初级移动开发工程师", "移动开发工程师", "高级移动开发工程师", "移动端负责人"),
        ("android", "ios", "git"),
        ("kotlin", "swift", "java", "flutter", "react-native", "objective-c", "rest-api", "sqlite"),
    ),
    Role(
        "data_scientist",
        "data",
        ("internet", "fintech", "healthcare", "consulting"),
        ("Junior Data Analyst", "Data Scientist", "Senior Data Scientist", "Lead Data Scientist"),
        ("初级数据分析师", "数据科学家", "高级数据科学家", "首席数据科学家"),
        ("python", "sql", "statistics", "machine-learning", "pandas"),
        (
            "r",
            "numpy",
            "scikit-learn",
            "data-visualization",
            "tableau",
            "ab-testing",
            "spark",
            "jupyter",
            "excel",
            "deep-learning",
        ),
    ),
    Role(
        "ml_engineer",
        "data",
        ("internet", "software", "automotive", "healthcare"),
        ("Junior ML Engineer", "Machine Learning Engineer", "Senior ML Engineer", "ML Tech Lead"),
        ("初级算法工程师", "算法工程师", "高级算法工程师", "算法负责人"),
        ("python", "machine-learning", "deep-learning", "pytorch"),
        (
            "tensorflow",
            "computer-vision",
            "nlp",
            "cuda",
            "docker",
            "mlops",
            "llm",
            "cpp",
            "scikit-learn",
            "numpy",
            "linux",
        ),
    ),
    Role(
        "data_engineer",
        "data",
        ("internet", "fintech", "e-commerce", "telecom"),
        ("Junior Data Engineer", "Data Engineer", "Senior Data Engineer", "Data Platform Lead"),
        ("初级数据工程师", "大数据开发工程师", "高级大数据工程师", "数据平台负责人"),
        ("sql", "spark", "etl", "python", "data-warehouse"),
        ("hadoop", "hive", "kafka", "airflow", "flink", "scala", "aws", "java", "linux", "clickhouse"),
    ),
    Role(
        "devops",
        "engineering",
        ("internet", "software", "telecom", "fintech"),
        ("Junior DevOps Engineer", "DevOps Engineer", "Senior Site Reliability Engineer", "SRE Lead"),
        ("初级运维工程师", "运维开发工程师", "高级SRE工程师", "运维负责人"),
        ("linux", "docker", "kubernetes", "shell-scripting", "ci-cd"),
        (
            "terraform",
            "ansible",
            "jenkins",
            "aws",
            "alibaba-cloud",
            "prometheus",
            "grafana",
            "nginx",
            "python",
            "go",
        ),
    ),
    Role(
        "qa",
        "engineering",
        ("software", "internet", "gaming", "fintech"),
        ("Junior QA Engineer", "QA Engineer", "Senior QA Engineer", "QA Lead"),
        ("初级测试工程师", "测试工程师", "高级测试工程师", "测试负责人"),
        ("software-testing", "test-automation", "jira"),
        ("selenium", "jmeter", "postman", "python", "performance-testing", "sql", "linux", "java"),
    ),
    Role(
        "product_manager",
        "product",
        ("internet", "software", "e-commerce", "fintech"),
        ("Associate Product Manager", "Product Manager", "Senior Product Manager", "Head of Product"),
        ("产品助理", "产品经理", "高级产品经理", "产品总监"),
        ("product-management", "requirements-analysis", "user-research", "prototyping"),
        (
            "axure",
            "data-analysis",
            "project-management",
            "agile",
            "scrum",
            "jira",
            "sql",
            "figma",
            "ab-testing",
        ),
    ),
    Role(
        "designer",
        "design",
        ("internet", "media", "gaming", "e-commerce"),
        ("Junior UI Designer", "UI/UX Designer", "Senior UX Designer", "Design Lead"),
        ("初级UI设计师", "UI/UX设计师", "高级交互设计师", "设计负责人"),
        ("ui-design", "ux-design", "figma", "prototyping"),
        ("sketch", "photoshop", "illustrator", "user-research", "interaction-design", "after-effects"),
    ),
    Role(
        "marketing",
        "business",
        ("e-commerce", "media", "retail", "education"),
        ("Marketing Assistant", "Marketing Specialist", "Senior Marketing Manager", "Marketing Director"),
        ("市场专员助理", "市场专员", "高级市场经理", "市场总监"),
        ("digital-marketing", "content-marketing", "market-research"),
        (
            "seo",
            "sem",
            "social-media-marketing",
            "copywriting",
            "google-analytics",
            "brand-management",
            "new-media-operations",
            "excel",
            "data-analysis",
        ),
    ),
    Role(
        "sales",
        "business",
        ("software", "manufacturing", "retail", "healthcare"),
        ("Sales Representative", "Account Executive", "Senior Account Manager", "Sales Director"),
        ("销售代表", "客户经理", "高级客户经理", "销售总监"),
        ("sales", "negotiation", "crm"),
        ("business-development", "key-account-management", "salesforce", "excel", "presentation"),
    ),
    Role(
        "hr",
        "business",
        ("manufacturing", "internet", "retail", "consulting"),
        ("HR Assistant", "HR Specialist", "Senior HR Business Partner", "HR Director"),
        ("人事助理", "人力资源专员", "高级HRBP", "人力资源总监"),
        ("recruitment", "employee-relations", "performance-management"),
        ("compensation-and-benefits", "labor-law", "hris", "training-and-development", "excel"),
    ),
    Role(
        "finance",
        "business",
        ("fintech", "manufacturing", "consulting", "retail"),
        ("Junior Accountant", "Financial Analyst", "Senior Financial Analyst", "Finance Manager"),
        ("助理会计", "财务分析师", "高级财务分析师", "财务经理"),
        ("accounting", "excel", "financial-analysis", "financial-reporting"),
        ("budgeting", "tax", "auditing", "sap", "financial-modeling", "sql"),
    ),
    Role(
        "operations",
        "business",
        ("manufacturing", "retail", "e-commerce", "logistics"),
        ("Operations Assistant", "Operations Specialist", "Senior Operations Manager", "Head of Operations"),
        ("运营助理", "运营专员", "高级运营经理", "运营总监"),
        ("project-management", "supply-chain-management", "excel"),
        ("logistics", "procurement", "erp", "lean", "data-analysis", "negotiation"),
    ),
)

ROLE_BY_KEY: dict[str, Role] = {r.key: r for r in ROLES}


def all_skill_ids() -> list[str]:
    """Every skill id the generator can emit, sorted."""
    ids = set(SOFT_SKILLS)
    for r in ROLES:
        ids.update(r.core)
        ids.update(r.optional)
    return sorted(ids)
