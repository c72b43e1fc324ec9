"""The HTTP service: ``create_app(settings, services)`` over the library (see ``docs/service.md``)."""

from ai_identity.service.app import create_app
from ai_identity.service.config import Services, ServiceSettings

__all__ = ["ServiceSettings", "Services", "create_app"]
