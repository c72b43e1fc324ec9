"""Enumerations of the seed's records (values as the platform writes them)."""

from __future__ import annotations

from enum import StrEnum


class ActionType(StrEnum):
    """``UserBehaviorAnalysis.action_type``: the seed names login/view/create/update/delete; the rest are
    the other verbs the platform's statistics service records."""

    login = "login"
    logout = "logout"
    view = "view"
    create = "create"
    update = "update"
    delete = "delete"
    search = "search"
    apply = "apply"
    share = "share"


class ActionTarget(StrEnum):
    """``UserBehaviorAnalysis.action_target``: the seed names template/company/resume; plus the platform's
    other pages."""

    template = "template"
    company = "company"
    resume = "resume"
    job = "job"
    profile = "profile"
    ai_assistant = "ai_assistant"
    notification = "notification"
    session = "session"


class UserStatus(StrEnum):
    active = "active"
    inactive = "inactive"
    suspended = "suspended"
    deleted = "deleted"


class Proficiency(StrEnum):
    beginner = "beginner"
    intermediate = "intermediate"
    advanced = "advanced"
    expert = "expert"


class DataSharingLevel(StrEnum):
    """``user_privacy_settings.data_sharing_level``, mapped onto the seed's three consent tiers."""

    basic = "basic"
    sensitive = "sensitive"
    relational = "relational"
    none = "none"


class CreationMode(StrEnum):
    upload = "upload"
    template = "template"
    ai_generated = "ai_generated"
    manual = "manual"


ACTION_TYPES = frozenset(a.value for a in ActionType)
ACTION_TARGETS = frozenset(a.value for a in ActionTarget)
