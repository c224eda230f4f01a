"""Puts the request's client address where the audit helpers can find it."""

from asgiref.sync import iscoroutinefunction, markcoroutinefunction
from django.conf import settings

from .context import reset_client_address, set_client_address


class AuditContextMiddleware:
    """Store REMOTE_ADDR in the audit context for the duration of the request.

    The address is reset once the response has been produced, so nothing leaks into
    the next request served by the same thread or task. Behind N trusted reverse proxies
    (AUDIT_PROXY_COUNT) the client is the Nth address from the right of X-Forwarded-For;
    anything further left was written by the client and is not trusted.
    """

    sync_capable = True
    async_capable = True

    def __init__(self, get_response):
        self.get_response = get_response
        self.async_mode = iscoroutinefunction(get_response)
        if self.async_mode:
            markcoroutinefunction(self)

    def __call__(self, request):
        if self.async_mode:
            return self.__acall__(request)
        token = set_client_address(client_address_of(request))
        try:
            return self.get_response(request)
        finally:
            reset_client_address(token)

    async def __acall__(self, request):
        token = set_client_address(client_address_of(request))
        try:
            return await self.get_response(request)
        finally:
            reset_client_address(token)


def client_address_of(request) -> str | None:
    proxies = getattr(settings, "AUDIT_PROXY_COUNT", 0)
    if proxies > 0:
        forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if a.strip()]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR")
