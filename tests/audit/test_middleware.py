"""The middleware puts the request's client address into the audit context, and only for that request."""

import asyncio
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from audit.context import get_client_address
from audit.middleware import AuditContextMiddleware
from audit.services import audit_record


def test_event_written_during_a_request_carries_its_address(actor):
    """An event recorded while a request is handled has that request's REMOTE_ADDR."""
    recorded = []

    def view(request):
        recorded.append(audit_record(actor=actor, action="people.person.view"))
        return HttpResponse("ok")

    request = RequestFactory().get("/", REMOTE_ADDR="198.51.100.23")
    response = AuditContextMiddleware(view)(request)
    assert response.status_code == 200
    recorded[0].refresh_from_db()
    assert recorded[0].client_address == "198.51.100.23"


def test_address_is_reset_after_the_response(db):
    """Once the response is produced the context no longer holds the address, even if the view failed."""

    def failing_view(request):
        assert get_client_address() == "198.51.100.24"
        raise RuntimeError("boom")

    middleware = AuditContextMiddleware(lambda request: HttpResponse())
    middleware(RequestFactory().get("/", REMOTE_ADDR="198.51.100.23"))
    assert get_client_address() is None

    with pytest.raises(RuntimeError):
        AuditContextMiddleware(failing_view)(RequestFactory().get("/", REMOTE_ADDR="198.51.100.24"))
    assert get_client_address() is None


def test_async_requests_get_the_address_too():
    """Under ASGI the middleware runs asynchronously and sets and resets the address the same way."""
    seen = []

    async def view(request):
        seen.append(get_client_address())
        return HttpResponse()

    async def serve():
        await AuditContextMiddleware(view)(RequestFactory().get("/", REMOTE_ADDR="192.0.2.9"))
        # Checked in the same task, so this sees the middleware's reset.
        seen.append(get_client_address())

    # A thread of its own: other tests (Playwright) may leave an event loop running in this one.
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(asyncio.run, serve()).result()
    assert seen == ["192.0.2.9", None]


def test_behind_a_trusted_proxy_the_forwarded_client_is_recorded(settings, rf):
    """With one trusted proxy the client is the last X-Forwarded-For entry; earlier ones are the client's own claims."""
    from audit.middleware import client_address_of

    settings.AUDIT_PROXY_COUNT = 1
    request = rf.get("/", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.7", REMOTE_ADDR="10.0.0.2")
    assert client_address_of(request) == "203.0.113.7"
    settings.AUDIT_PROXY_COUNT = 0
    assert client_address_of(request) == "10.0.0.2"
