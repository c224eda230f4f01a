"""Puts the request's client address where the audit helpers can find it."""

from asgiref.sync import iscoroutinefunction, markcoroutinefunction

from .context import reset_client_address, set_client_address


class AuditContextMiddleware:
    """Store REMOTE_ADDR in the audit context for the duration of the request.

    The address is reset once the response has been produced, so nothing leaks into
    the next request served by the same thread or task. Behind a reverse proxy
    REMOTE_ADDR is the proxy's address unless the deployment rewrites it.
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
        token = set_client_address(request.META.get("REMOTE_ADDR"))
        try:
            return self.get_response(request)
        finally:
            reset_client_address(token)

    async def __acall__(self, request):
        token = set_client_address(request.META.get("REMOTE_ADDR"))
        try:
            return await self.get_response(request)
        finally:
            reset_client_address(token)
