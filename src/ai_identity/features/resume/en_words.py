"""Hand-written English resume vocabulary for the English CRF's gazetteer features and rules.

Method: plain word lists written for this project: degree abbreviations, school and company words, job-title
heads, month names, section-header words.
"""

from __future__ import annotations


def _words(block: str) -> frozenset[str]:
    return frozenset(block.split())


DEGREE = _words(
    """
    10th 12th associate b.a b.a. b.com b.e b.e. b.s b.s. b.sc b.tech ba bachelor bachelor's bachelors bba
    bca bcom be bs bsc btech degree diploma doctorate hsc intermediate m.a m.com m.e m.e. m.s m.sc m.tech ma
    master master's masters matriculation mba mca mcom me ms msc mtech pgdm ph.d ph.d. phd ssc
    a.a a.s aas b.arch b.b.a b.ed b.f.a bachelor’s bfa bsba bsn ed.d gcse ged hnc hnd j.d jd ll.b ll.m llb llm
    m.arch m.b.a m.ed m.f.a m.phil master’s mfa mphil msn pgd pgdca postgraduate psy.d undergraduate
    """
)


SCHOOL = _words(
    """
    academy college conservatory iit institute mahavidyalaya nit polytechnic school seminary universidad
    universitat université university vidyalaya vidyalayam vidyapeeth
    """
)


COMPANY = _words(
    """
    bank co co. company consultancy consulting corp corporation enterprises group inc inc. industries
    infotech labs limited llc ltd ltd. private pvt pvt. services software solutions systems technologies
    technology
    """
)


TITLE = _words(
    """
    accountant administrator analyst architect assistant associate clerk consultant coordinator designer
    developer director engineer executive head intern lead manager member officer president professor
    programmer representative scientist specialist supervisor teacher technician tester trainee vp
    attorney ceo cfo chair chairman co-founder counselor cto editor fellow founder instructor investigator
    lawyer lecturer nurse owner paralegal partner principal researcher secretary treasurer trainer tutor writer
    """
)


MONTHS = _words(
    """
    apr april aug august dec december feb february jan january jul july jun june mar march may nov november
    oct october sep sept september
    """
)


NOT_NAME_EXTRA = _words(
    """
    address contact curriculum cv dr email junior mobile mr mrs ms name page phone resume road sample senior
    street template vitae avenue cell comments drive example internship lane seeking student updated
    """
)


HEADERS = {
    "experience": "work",
    "employment": "work",
    "work": "work",
    "history": "work",
    "education": "education",
    "academic": "education",
    "qualification": "education",
    "qualifications": "education",
    "skills": "skills",
    "skill": "skills",
    "technical": "skills",
    "projects": "projects",
    "project": "projects",
    "certifications": "cert",
    "certification": "cert",
    "summary": "summary",
    "objective": "summary",
    "profile": "summary",
    "awards": "other",
    "achievements": "other",
    "information": "other",
    "languages": "other",
    "interests": "other",
    "hobbies": "other",
    "personal": "personal",
}
