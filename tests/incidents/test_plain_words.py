"""What staff read is plain: an outcome says "false allegation", not a bare "False"; no alert opens with a
section number ("§9: ..."); no page names the statutory guidance's part, and the compliance report does not
speak of hashes. The words come from the labels and services, so every page and report agrees."""

from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from incidents import selectors
from incidents.models import Allegation, Outcome

from ..factories import PersonFactory
from .casework import advance, record_case

pytestmark = pytest.mark.django_db

TEMPLATES = Path(settings.BASE_DIR) / "templates"


def test_the_outcomes_say_what_was_found():
    assert dict(Outcome.choices) == {
        "substantiated": "Substantiated",
        "false": "False allegation",
        "malicious": "Malicious allegation",
        "unsubstantiated": "Unsubstantiated",
        "unfounded": "Unfounded",
    }


def test_the_chronology_reads_outcome_false_allegation_and_the_case_page_too(client, slt_user, school):
    case = advance(
        slt_user,
        record_case(slt_user, school, PersonFactory(school=school)),
        Allegation.Status.OUTCOME_RECORDED,
        outcome=Outcome.FALSE,
    )
    assert "Outcome: false allegation" in [entry.detail for entry in selectors.chronology(case)]
    client.force_login(slt_user)
    page = client.get(case.get_absolute_url()).text
    assert "Outcome: false allegation" in page
    assert "False allegation, recorded" in page
    assert "No: only a substantiated allegation may be cited in an employer reference" in page
    assert "KCSIE" not in page and "§9:" not in page


@pytest.mark.parametrize("words", ["§9:", "KCSIE", "Text confirmed (hash)"])
def test_no_template_shows_staff_a_section_prefix_the_guidance_part_or_a_hash(words):
    found = [
        str(path.relative_to(TEMPLATES))
        for path in TEMPLATES.rglob("*.html")
        if words in path.read_text(encoding="utf-8")
    ]
    assert found == []


def test_the_compliance_report_names_a_check_code_not_a_hash(client, office_user, school):
    from ..policydocs.helpers import ratified_version

    ratified_version(school.federation)
    client.force_login(office_user)
    result = client.get(reverse("policydocs:report", args=["ack_compliance"])).context["result"]
    assert "Check code of the wording" in result.tables[1].columns
    assert ", check code " in dict(result.facts)["Current version"]
    assert "hash" not in " ".join([*result.tables[1].columns, dict(result.facts)["Current version"]])
