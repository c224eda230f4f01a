"""Django's PostgreSQL backend with a short deadline on its connection health check (see base.py)."""
