"""A real OpenID Provider for the sign-in tests: tests/oidc/provider.js (oidc-provider 9.13.3) run by node.

`npm ci` in tests/oidc installs it (.ci/run does). Without node or node_modules the tests that need it
skip with the reason printed, except under CI=true, where that is a failure (as a missing Chromium is
for the browser tests).
"""

import json
import os
import select
import shutil
import subprocess
import tempfile
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
import requests

PROVIDER_DIR = Path(__file__).resolve().parent / "oidc"
NODE = os.environ.get("PORTAL_NODE") or shutil.which("node")
CLIENT_ID = "portal"
CLIENT_SECRET = "portal-secret"
START_SECONDS = 60


def require_provider() -> None:
    """Skip (or, under CI, fail) when the provider cannot be started here."""
    if not NODE:
        reason = "node is not installed: OpenID sign-in tests skipped"
    elif not (PROVIDER_DIR / "node_modules" / "oidc-provider").is_dir():
        reason = "tests/oidc/node_modules is missing (run: npm ci --prefix tests/oidc): OpenID sign-in tests skipped"
    else:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(reason.replace("skipped", "required under CI"))
    pytest.skip(reason)


class OpenIDProvider:
    """One provider process, its client allowed to send codes to `redirect_uris`."""

    def __init__(self, redirect_uris: list[str]):
        self.log = tempfile.TemporaryFile()
        self.process = subprocess.Popen(
            [NODE, "provider.js", *redirect_uris],
            cwd=PROVIDER_DIR,
            stdout=subprocess.PIPE,
            stderr=self.log,
            text=True,
        )
        ready, _, _ = select.select([self.process.stdout], [], [], START_SECONDS)
        line = self.process.stdout.readline() if ready else ""
        if not line:
            self.stop()
            self.log.seek(0)
            raise RuntimeError(f"The OpenID provider did not start: {self.log.read().decode()[-2000:]}")
        self.issuer = json.loads(line)["issuer"]

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process.stdout.close()
        self.log.close()

    def add_account(self, login: str, *, email: str, email_verified=True, amr=("pwd",), acr=None) -> None:
        """A person at the provider; `email_verified=None` leaves the claim out (as Entra ID does)."""
        account = {"email": email, "amr": list(amr)}
        if email_verified is not None:
            account["email_verified"] = email_verified
        if acr:
            account["acr"] = acr
        requests.put(f"{self.issuer}/_test/accounts/{login}", json=account, timeout=5).raise_for_status()

    def tamper(self, mode: str) -> None:
        """Doctor the ID token of the token responses from now on ("none" stops): see provider.js."""
        requests.post(f"{self.issuer}/_test/tamper", json={"mode": mode}, timeout=5).raise_for_status()

    def settings(self, **overrides) -> dict:
        """The portal's PORTAL_OIDC_PROVIDERS entry for this provider (endpoints by discovery)."""
        return {
            "name": "Sign in with Test School",
            "issuer": self.issuer,
            "client_id": CLIENT_ID,
            "client_secret": CLIENT_SECRET,
            "mfa_acr_values": ["urn:portal:test:mfa"],
            **overrides,
        }

    def log_in(self, authorization_url: str, login: str) -> str:
        """What a person does at the provider: open the authorization URL, type their login name, and
        be sent back. Returns the URL the provider sends the browser back to (the portal's callback)."""
        browser = requests.Session()
        answer = browser.get(authorization_url, allow_redirects=False, timeout=10)
        for _ in range(6):
            location = answer.headers.get("location")
            assert location, f"the provider stopped at {answer.status_code}: {answer.text[:300]}"
            location = urljoin(answer.url, location)
            if not location.startswith(self.issuer):
                return location
            if urlsplit(location).path.startswith("/interaction/"):
                answer = browser.post(location, data={"login": login}, allow_redirects=False, timeout=10)
            else:
                answer = browser.get(location, allow_redirects=False, timeout=10)
        raise AssertionError("the provider never sent the browser back")


@pytest.fixture(scope="session")
def openid_provider_for():
    """`openid_provider_for(redirect_uri, ...)`: a running provider for those redirect URIs (one process
    per set, for the whole run)."""
    started: dict[tuple, OpenIDProvider] = {}

    def start(*redirect_uris: str) -> OpenIDProvider:
        require_provider()
        if redirect_uris not in started:
            started[redirect_uris] = OpenIDProvider(list(redirect_uris))
        return started[redirect_uris]

    yield start
    for provider in started.values():
        provider.stop()
