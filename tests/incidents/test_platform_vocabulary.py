"""One platform vocabulary: incidents store X as proposals do, and an under-age check reads the one table."""

import importlib

from django.apps import apps

from core.vocabulary import INCIDENT_PLATFORMS, SERVICE_PLATFORMS, Platform, platform_minimum_age
from incidents.models import Allegation, PupilIncident

from .casework import record_case
from .pupilwork import record

migration = importlib.import_module("incidents.migrations.0012_one_platform_vocabulary")


def test_the_migration_moves_x_twitter_to_x_on_every_kind_of_record(slt_user, staff_user, school, subject):
    """A pupil incident's platform and an allegation's list of platforms both move to "x"; others stay."""
    incident = record(staff_user, school)
    case = record_case(slt_user, school, subject)
    PupilIncident.objects.filter(pk=incident.pk).update(platform="x_twitter")
    Allegation.objects.filter(pk=case.pk).update(platforms=["facebook", "x_twitter"])

    migration._rename(migration.OLD, migration.NEW)(apps, None)

    incident.refresh_from_db()
    case.refresh_from_db()
    assert incident.platform == Platform.X
    assert case.platforms == ["facebook", "x"]


def test_the_migration_reverses(slt_user, school, subject):
    case = record_case(slt_user, school, subject, platforms=["x"])

    migration._rename(migration.NEW, migration.OLD)(apps, None)

    case.refresh_from_db()
    assert case.platforms == ["x_twitter"]


def test_every_platform_either_app_offers_is_one_of_the_vocabulary():
    assert set(SERVICE_PLATFORMS) | set(INCIDENT_PLATFORMS) == set(Platform)


def test_a_platform_below_the_legal_floor_gets_the_floor_and_an_unlisted_one_the_floor(settings):
    """§8: the portal never goes below PORTAL_MIN_PLATFORM_AGE, whatever a platform's own terms say."""
    settings.PORTAL_MIN_PLATFORM_AGE = 14
    assert platform_minimum_age(Platform.TIKTOK) == 14
    assert platform_minimum_age(Platform.TEXT_OR_PHONE) == 14
    settings.PORTAL_MIN_PLATFORM_AGE = 13
    assert platform_minimum_age(Platform.SNAPCHAT) == 13
