"""Demo cases for a local run, each kind written through the services as a person would, so the demo
has its audit trail and notices too. Idempotent: each case is recognised by its text and only added when
missing.
"""

from core.dashboard import register_demo_seeder

from .allegations import seed_incidents
from .cyberbullying import seed_cyberbullying
from .pupil_incidents import seed_pupil_incidents

# In this order: a pupil incident opens an allegation after the demo's own allegations exist, and the
# case numbers a demo shows stay as they were.
for _seeder in (seed_incidents, seed_pupil_incidents, seed_cyberbullying):
    register_demo_seeder(_seeder)

__all__ = ["seed_cyberbullying", "seed_incidents", "seed_pupil_incidents"]
