"""The deployment files describe a working production set-up.

docker-compose.yml and the Dockerfile are read as data (no container engine
is needed); the production settings are exercised in fresh interpreters, where
pytest is not imported and so no test-only fallback applies.
"""

import os
import re
import secrets
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml

REPO_ROOT = Path(__file__).resolve().parent.parent
PORTAL_SERVICES = ("web", "worker", "beat")


def _without_interpolation(value: str) -> str:
    """Replaces compose's ${VARIABLE...} references with a placeholder, so that URLs parse."""
    return re.sub(r"\$\{[^}]*\}", "placeholder", value)


def _environment(service: dict) -> dict[str, str]:
    """A service's `environment`, whether written as a mapping or as a list of NAME=value."""
    environment = service.get("environment") or {}
    if isinstance(environment, list):
        environment = dict(item.split("=", 1) if "=" in item else (item, "") for item in environment)
    return {name: _without_interpolation(str(value)) for name, value in environment.items()}


def _command(service: dict) -> str:
    """A service's command as one string, whether written as a string or as a list."""
    command = service.get("command") or ""
    return " ".join(command) if isinstance(command, list) else str(command)


def _depends_on(service: dict) -> set[str]:
    depends_on = service.get("depends_on") or []
    return set(depends_on)


def _published_container_ports(service: dict) -> set[int]:
    """Container ports of `ports`, in the short ("8000:8000") or the long (target: 8000) syntax."""
    ports = set()
    for entry in service.get("ports") or []:
        if isinstance(entry, dict):
            ports.add(int(entry["target"]))
        else:
            container_side = str(entry).rsplit(":", 1)[-1].split("/")[0]
            ports.add(int(container_side))
    return ports


def _subprocess_env(**overrides: str) -> dict[str, str]:
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("DJANGO_", "PORTAL_")) and name != "PYTEST_ADDOPTS"
    }
    env["DJANGO_SETTINGS_MODULE"] = "socialpolicy.settings"
    env.update(overrides)
    return env


@pytest.fixture(scope="module")
def compose() -> dict:
    with (REPO_ROOT / "docker-compose.yml").open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


@pytest.fixture(scope="module")
def services(compose) -> dict:
    return compose["services"]


@pytest.fixture(scope="module")
def dockerfile_final_stage() -> list[str]:
    """The Dockerfile's instructions from its last FROM onwards, continuation lines joined."""
    text = (REPO_ROOT / "Dockerfile").read_text(encoding="utf-8")
    text = re.sub(r"\\\n", " ", text)
    lines = [line.strip() for line in text.splitlines()]
    instructions = [line for line in lines if line and not line.startswith("#")]
    last_from = max(i for i, line in enumerate(instructions) if line.upper().startswith("FROM "))
    return instructions[last_from:]


def test_compose_defines_the_portal_and_its_backing_services(services):
    """The web server, the Celery worker and scheduler, PostgreSQL and Redis are all defined."""
    assert {"web", "worker", "beat", "postgres", "redis"} <= set(services)


def test_web_worker_and_beat_run_the_same_image(services):
    """The web server, worker and scheduler run one image, so their code never differs."""
    images = {services[name].get("image") for name in PORTAL_SERVICES}
    assert len(images) == 1 and None not in images, images
    builds = {str(services[name]["build"]) for name in PORTAL_SERVICES if "build" in services[name]}
    assert "build" in services["web"]
    assert len(builds) == 1, builds


@pytest.mark.parametrize("name", PORTAL_SERVICES)
def test_portal_services_use_the_compose_database_and_redis(services, name):
    """Each portal container reaches PostgreSQL and Redis by their compose service names."""
    environment = _environment(services[name])

    database = urlsplit(environment["DATABASE_URL"])
    assert database.scheme in {"postgres", "postgresql", "pgsql"}
    assert database.hostname in services
    assert services[database.hostname]["image"].startswith("postgres")

    redis = urlsplit(environment["REDIS_URL"])
    assert redis.scheme in {"redis", "rediss"}
    assert redis.hostname in services
    assert services[redis.hostname]["image"].startswith("redis")


def test_postgres_is_version_15_or_newer(services):
    """The database image is PostgreSQL 15 or newer (the version CI tests against)."""
    image = services["postgres"]["image"]
    repository, _, tag = image.partition(":")
    assert repository.rsplit("/", 1)[-1] == "postgres"
    major = re.match(r"\d+", tag)
    assert major, f"pin a major version, not {image!r}"
    assert int(major.group()) >= 15


def test_worker_and_beat_run_celery_for_the_portal(services):
    """The worker service runs a Celery worker and the beat service the Celery scheduler."""
    assert re.search(r"\bcelery\s+-A\s+socialpolicy\s+worker\b", _command(services["worker"]))
    assert re.search(r"\bcelery\s+-A\s+socialpolicy\s+beat\b", _command(services["beat"]))


def test_web_waits_for_postgres_and_redis_and_publishes_port_8000(services):
    """The web server starts after PostgreSQL and Redis and is reachable on port 8000."""
    web = services["web"]
    assert {"postgres", "redis"} <= _depends_on(web)
    assert 8000 in _published_container_ports(web)
    assert "gunicorn" in _command(web)


def test_dockerfile_uses_python_312_or_newer_and_a_non_root_user(dockerfile_final_stage):
    """The image is built on Python 3.12+ and its processes do not run as root."""
    base = dockerfile_final_stage[0].split()[1]
    match = re.match(r"(?:.*/)?python:(\d+)\.(\d+)", base)
    assert match, f"the final stage is not built on an official python image: {base!r}"
    assert (int(match.group(1)), int(match.group(2))) >= (3, 12)

    users = [line.split()[1] for line in dockerfile_final_stage if line.upper().startswith("USER ")]
    assert users, "the Dockerfile has no USER instruction"
    assert users[-1].split(":")[0] not in {"root", "0"}


def test_dockerfile_serves_the_portal_with_gunicorn_on_port_8000(dockerfile_final_stage):
    """The image's default command is gunicorn serving the portal's WSGI application on port 8000."""
    assert any(line.upper() == "EXPOSE 8000" for line in dockerfile_final_stage)
    cmd = [line for line in dockerfile_final_stage if line.upper().startswith("CMD ")][-1]
    assert "gunicorn" in cmd
    assert "socialpolicy.wsgi:application" in cmd


def test_env_example_documents_every_variable_the_settings_read():
    """Every environment variable read by socialpolicy/settings.py appears in .env.example."""
    settings_source = (REPO_ROOT / "socialpolicy" / "settings.py").read_text(encoding="utf-8")
    read = set(re.findall(r"\benv(?:\.\w+)?\(\s*[\"']([A-Z][A-Z0-9_]*)[\"']", settings_source))
    read |= set(re.findall(r"os\.environ(?:\.get)?[\[(]\s*[\"']([A-Z][A-Z0-9_]*)[\"']", settings_source))
    read |= set(re.findall(r"os\.getenv\(\s*[\"']([A-Z][A-Z0-9_]*)[\"']", settings_source))
    assert "DJANGO_SECRET_KEY" in read  # the patterns above still match the settings

    example = (REPO_ROOT / ".env.example").read_text(encoding="utf-8")
    documented = set(re.findall(r"^#?\s*([A-Z][A-Z0-9_]*)=", example, flags=re.MULTILINE))
    assert read - documented == set()


def test_production_settings_pass_the_deployment_checks():
    """With DEBUG off, a real key, a host name and an SMTP server, `check --deploy` reports no warning.

    (Without an SMTP server mail goes to files, which the deployment checks rightly refuse.)
    """
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=REPO_ROOT,
        env=_subprocess_env(
            DJANGO_DEBUG="0",
            DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
            DJANGO_ALLOWED_HOSTS="portal.example.org",
            PORTAL_SMTP_HOST="smtp.example.org",
        ),
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_settings_refuse_to_start_without_a_secret_key():
    """With DEBUG off and no DJANGO_SECRET_KEY, loading the settings fails and names the variable."""
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=REPO_ROOT,
        env=_subprocess_env(DJANGO_DEBUG="0"),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "DJANGO_SECRET_KEY" in result.stderr


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
def test_find_python_prints_an_interpreter_of_312_or_newer():
    """scripts/find-python.sh, which the Makefile uses to build the virtualenv, finds Python 3.12+."""
    found = subprocess.run(
        ["bash", str(REPO_ROOT / "scripts" / "find-python.sh")],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    ).stdout.strip()
    assert Path(found).is_absolute()
    version = subprocess.run(
        [found, "-c", "import sys; print(*sys.version_info[:2])"],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    ).stdout.split()
    assert tuple(map(int, version)) >= (3, 12)


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
def test_find_python_passes_over_a_python_older_than_312(tmp_path):
    """An interpreter named by PYTHON that is older than 3.12 is passed over, with a notice."""
    old = tmp_path / "python3"
    old.write_text("#!/bin/sh\nexit 1\n", encoding="utf-8")
    old.chmod(0o755)
    result = subprocess.run(
        ["bash", str(REPO_ROOT / "scripts" / "find-python.sh")],
        env={**os.environ, "PYTHON": str(old)},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert f"PYTHON={old} is not" in result.stderr
    assert result.stdout.strip() != str(old)


def test_find_python_explains_what_to_install_when_none_is_found():
    """Without any Python 3.12+, the finder exits 1 and says how to get one."""
    bash = shutil.which("bash")
    if bash is None:
        pytest.skip("needs bash")
    fixed_places = [
        Path(d) / f"python3.{minor}" for d in ("/usr/bin", "/usr/local/bin") for minor in range(12, 20)
    ]
    if any(place.exists() for place in fixed_places):
        pytest.skip("a Python 3.12+ is installed in a fixed place on this machine")
    result = subprocess.run(
        [bash, str(REPO_ROOT / "scripts" / "find-python.sh")],
        env={"PATH": "/nonexistent"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert result.stdout == ""
    assert "Python 3.12 or newer is needed (Django 6.1)" in result.stderr
    assert "make PYTHON=/path/to/python3.12 run" in result.stderr


def test_the_access_log_keeps_no_query_string_nor_referrer(dockerfile_final_stage, services):
    """A list search puts a person's name in the query string: gunicorn's access log line, built with the
    portal's configuration as the image and compose run it, keeps the path and status but not the name."""
    from datetime import timedelta
    from types import SimpleNamespace

    from gunicorn.config import Config
    from gunicorn.glogging import Logger

    conf = REPO_ROOT / "socialpolicy" / "gunicorn.conf.py"
    cmd = [line for line in dockerfile_final_stage if line.upper().startswith("CMD ")][-1]
    assert '"-c", "socialpolicy/gunicorn.conf.py"' in cmd
    assert "-c socialpolicy/gunicorn.conf.py" in " ".join(map(str, services["web"]["command"]))
    cfg = Config()
    namespace: dict = {}
    exec(compile(conf.read_text(), str(conf), "exec"), namespace)  # noqa: S102  # the project's own file
    for key in ("accesslog", "access_log_format"):
        cfg.set(key, namespace[key])
    logger = Logger(cfg)
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": "/incidents/allegations/?f-q=Maya+Brookfield",
        "PATH_INFO": "/incidents/allegations/",
        "QUERY_STRING": "f-q=Maya+Brookfield",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_REFERER": "https://portal.example.org/people/?f-q=Maya+Brookfield",
        "HTTP_USER_AGENT": "test",
    }
    request = SimpleNamespace(headers=[("REFERER", environ["HTTP_REFERER"])])
    response = SimpleNamespace(status="200 OK", status_code=200, response_length=1234, headers=[], sent=1234)
    line = cfg.access_log_format % logger.atoms(response, request, environ, timedelta(milliseconds=12))
    assert '"GET /incidents/allegations/ HTTP/1.1" 200' in line
    assert "Maya" not in line and "Brookfield" not in line and "f-q" not in line


def test_production_settings_with_both_providers_pass_the_deployment_checks():
    """Sign-in with Microsoft and Google configured (docs/sign-in.md) adds no warning; a provider on
    plain http is an error outside the test suite."""
    providers = {
        "PORTAL_OIDC_PROVIDERS": "microsoft,google",
        "PORTAL_OIDC_MICROSOFT_ISSUER": "https://login.microsoftonline.com/00000000-0000-0000-0000-000000000000/v2.0",
        "PORTAL_OIDC_MICROSOFT_CLIENT_ID": "client",
        "PORTAL_OIDC_MICROSOFT_CLIENT_SECRET": "secret",
        "PORTAL_OIDC_MICROSOFT_TRUSTED_EMAIL_DOMAINS": "larch.example.org",
        "PORTAL_OIDC_GOOGLE_ISSUER": "https://accounts.google.com",
        "PORTAL_OIDC_GOOGLE_CLIENT_ID": "client",
        "PORTAL_OIDC_GOOGLE_CLIENT_SECRET": "secret",
    }
    production = {
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "portal.example.org",
        "PORTAL_SMTP_HOST": "smtp.example.org",
    }
    command = [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"]
    clean = subprocess.run(
        command,
        cwd=REPO_ROOT,
        env=_subprocess_env(**production, **providers),
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert clean.returncode == 0, clean.stdout + clean.stderr
    plain = subprocess.run(
        command,
        cwd=REPO_ROOT,
        env=_subprocess_env(
            **production, **(providers | {"PORTAL_OIDC_GOOGLE_ISSUER": "http://accounts.google.com"})
        ),
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert plain.returncode != 0
    assert "PORTAL_OIDC_GOOGLE_ISSUER must be an https:// address." in plain.stderr + plain.stdout
