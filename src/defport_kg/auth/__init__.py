"""Access to the HTTP API: roles, API keys (hashed, cached verification) and the audit log.

The library is usable without the web layer: the ``keys`` command and the API both go through
``KeyRing`` and ``AuditLog``; ``defport_kg.api.deps`` turns them into FastAPI dependencies.
"""

from defport_kg.auth.audit import AuditEvent, AuditLog
from defport_kg.auth.keys import Actor, ApiKey, KeyRing
from defport_kg.auth.roles import Role

__all__ = ["Actor", "ApiKey", "AuditEvent", "AuditLog", "KeyRing", "Role"]
