"""Schemathesis hooks for the API contract test (e2e/test_15_api_contract.py).

Each API token may make 1200 requests a minute (Sources/Platform/Web/RateLimit.swift). A contract run
sends a few thousand, so the test gives schemathesis several tokens of the same account and this auth
provider hands them out in turn; the limit itself stays as it is.
"""
import itertools
import os

import schemathesis

_TOKENS = [token for token in os.environ.get("KEXIE_API_TOKENS", "").split(",") if token]
_NEXT = itertools.cycle(_TOKENS) if _TOKENS else None


@schemathesis.auth(refresh_interval=None)
class RotatingBearer:
    def get(self, case, context):
        return next(_NEXT)

    def set(self, case, data, context):
        case.headers = case.headers or {}
        case.headers["Authorization"] = f"Bearer {data}"
