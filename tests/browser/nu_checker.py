"""The W3C Nu HTML Checker (vnu.jar, from npm in tests/tools), a second checker beside axe.

axe reads the page as a browser built it; the Nu checker reads the markup against the HTML standard and its
ARIA rules (duplicate ids, invalid nesting, ARIA attributes an element may not carry, labels pointing
nowhere), so one engine's blind spots do not become the portal's. It runs once per test session as a local
HTTP service; `check_axe` sends it every page it checks.
"""

import json
import os
import shutil
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

JAR = (
    Path(__file__).resolve().parents[1] / "tools" / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
)
MISSING = "the Nu HTML Checker is not installed (cd tests/tools && npm ci --ignore-scripts; needs java)"


def available() -> bool:
    return JAR.is_file() and shutil.which("java") is not None


class NuChecker:
    def __init__(self):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.process = subprocess.Popen(  # noqa: S603 - a fixed command line, no user input
            [
                "java",
                "-Xss1m",
                "-Dnu.validator.servlet.bind-address=127.0.0.1",
                "-cp",
                str(JAR),
                "nu.validator.servlet.Main",
                str(self.port),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        self.url = f"http://127.0.0.1:{self.port}/?out=json"
        deadline = time.monotonic() + 60
        while True:
            try:
                self.errors("<!doctype html><html lang=en><title>ready</title></html>")
                break
            except OSError:
                if time.monotonic() > deadline or self.process.poll() is not None:
                    self.stop()
                    raise RuntimeError("the Nu HTML Checker did not start within 60 s") from None
                time.sleep(0.5)

    def errors(self, html: str) -> list[str]:
        request = urllib.request.Request(  # noqa: S310 - a local checker started above
            self.url,
            data=html.encode("utf-8"),
            headers={"Content-Type": "text/html; charset=utf-8"},
        )
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            messages = json.load(response)["messages"]
        return [
            f"line {m.get('lastLine')}: {m['message']}  [{m.get('extract', '').strip()}]"
            for m in messages
            if m["type"] in {"error", "non-document-error"}
        ]

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()


def required() -> bool:
    return os.environ.get("CI") == "true"
