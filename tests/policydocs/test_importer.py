"""Reading a policy's text: numbered sections, bulleted clauses, the title page."""

from datetime import date

import pytest

from policydocs.importer import PolicyImportError, decode, normalise, parse_policy

from .helpers import SAMPLE_POLICY, SEED_POLICY, policy_text


@pytest.fixture
def seed_text():
    if not SEED_POLICY.exists():
        pytest.skip(f"The federation's policy is not beside the repository ({SEED_POLICY}).")
    return SEED_POLICY.read_text(encoding="utf-8")


def test_the_seed_policy_yields_its_ten_numbered_sections(seed_text):
    """The federation's policy has sections 1 to 10, titled as in the document."""
    parsed = parse_policy(seed_text)

    assert [s.number for s in parsed.sections] == list(range(1, 11))
    titles = {s.number: s.title for s in parsed.sections}
    assert titles[1] == "Introduction"
    assert titles[3] == "Scope"  # "SCOPE" in the file: shouting headings are put in sentence case
    assert titles[6] == "Terms of Use"
    assert titles[9] == "Child protection guidance"
    assert titles[10] == "Cyber Bullying"


def test_the_seed_policy_yields_the_ten_terms_of_use_of_section_6(seed_text):
    """§6's ten bulleted Terms of Use become clauses 6.1 to 6.10, in order, blank lines between
    bullets notwithstanding."""
    section = parse_policy(seed_text).sections[5]

    assert [c.number for c in section.clauses] == [f"6.{n}" for n in range(1, 11)]
    texts = [c.text for c in section.clauses]
    assert texts[0].startswith(
        "Must not be used to publish any content which may result in actions for defamation"
    )
    assert texts[2] == "Must not be used in an abusive or hateful manner"
    assert "pupil or former pupil as a 'friend'" in texts[6]
    assert texts[8].startswith("References should not be made to any staff member")
    assert texts[9].startswith("Staff should be aware that if their out-of-work activity")


def test_the_seed_policy_yields_the_rules_of_sections_7_and_8(seed_text):
    """§7 has fifteen rules for staff, the last about new employees checking their posts; §8's first rule
    keeps the link that follows it on the next line."""
    parsed = parse_policy(seed_text)
    staff_rules, pupil_rules = parsed.sections[6].clauses, parsed.sections[7].clauses

    assert len(staff_rules) == 15
    assert staff_rules[-1].text.startswith("Before joining the school, new employees should check")
    assert len(pupil_rules) == 8
    assert pupil_rules[0].text.endswith("http://www.facebook.com/help/contact.php?show_form=underage")


def test_the_title_page_gives_the_title_and_the_ratification(seed_text):
    parsed = parse_policy(seed_text)

    assert parsed.title == "Use of Social Media Policy"
    assert parsed.ratified_by == "Resources Committee"
    assert parsed.ratified_on == date(2018, 5, 14)


def test_the_sample_policy_shipped_for_the_demo_parses():
    parsed = parse_policy(SAMPLE_POLICY.read_text(encoding="utf-8"))

    assert len(parsed.sections) == 6
    assert parsed.clause_count == 10
    assert parsed.title == "Sample Social Media Policy"


def test_markdown_headings_and_section_marks_are_headings():
    parsed = parse_policy("# Policy\n\n## 1. One\n\nText.\n\n§2 Two\n\n- a rule\n\n### 3 Three\n\nMore.\n")

    assert [(s.number, s.title) for s in parsed.sections] == [(1, "One"), (2, "Two"), (3, "Three")]
    assert parsed.sections[1].clauses[0].text == "a rule"


def test_a_numbered_list_inside_a_section_is_not_read_as_headings():
    """Numbers must follow on (1, 2, 3...) and a heading stands apart from the line above it."""
    text = "1. Intro\n\nSteps to take:\n2. Ring the office\n3. Write it down\n\n2. Rules\n\n- be kind\n"

    parsed = parse_policy(text)

    assert [s.title for s in parsed.sections] == ["Intro", "Rules"]
    assert "2. Ring the office" in parsed.sections[0].body


def test_a_sentence_starting_with_a_number_is_not_a_heading():
    parsed = parse_policy("1. Intro\n\n2 pupils said so in the hall\n\n2. Next\n\nText.\n")

    assert [s.title for s in parsed.sections] == ["Intro", "Next"]


def test_line_ends_and_spacing_do_not_change_the_hash():
    """The same text saved by another editor (Windows line ends, trailing spaces) has the same hash."""
    unix = parse_policy(policy_text())
    windows = parse_policy(policy_text().replace("\n", "  \r\n") + "\r\n\r\n")

    assert unix.content_hash == windows.content_hash
    assert normalise("a\n\n\n\nb  \n") == "a\n\nb"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "The file is empty"),
        ("   \n\n", "The file is empty"),
        ("A policy with no numbered headings.\n\n- a rule\n", "No numbered sections were found"),
    ],
)
def test_a_text_that_is_not_a_policy_is_refused_with_what_to_change(text, message):
    with pytest.raises(PolicyImportError) as refused:
        parse_policy(text)
    assert message in refused.value.messages[0]


def test_binary_files_are_refused_and_windows_text_is_read():
    with pytest.raises(PolicyImportError, match="not plain text"):
        decode(b"%PDF-1.7\x00\x01")
    assert decode("Caf\u00e9 \u00a7".encode("cp1252")) == "Café §"
    assert decode("\ufeff1. Intro".encode()) == "1. Intro"
