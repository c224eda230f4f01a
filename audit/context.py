"""Per-request context that audit helpers read, so that services need no request argument.

The value lives in a `ContextVar`, so concurrent requests (threads or asyncio tasks) never
see each other's address.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar, Token

_client_address: ContextVar[str | None] = ContextVar("audit_client_address", default=None)


def get_client_address() -> str | None:
    """The client address of the request being handled, or None outside a request."""
    return _client_address.get()


def set_client_address(address: str | None) -> Token:
    """Set the client address for the current context; pass the returned token to `reset_client_address`."""
    return _client_address.set(address or None)


def reset_client_address(token: Token) -> None:
    """Restore the client address that was current before the matching `set_client_address`."""
    _client_address.reset(token)


@contextmanager
def client_address(address: str | None) -> Iterator[None]:
    """Within the block, audit events carry `address` (for tasks, commands and tests)."""
    token = set_client_address(address)
    try:
        yield
    finally:
        reset_client_address(token)
