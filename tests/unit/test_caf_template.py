"""The CAF 2020 questionnaire as data (issue 13, point 4): 9 criteria, 28 sub-criteria with codes 1.1 … 9.2,
enablers 1–5 and results 6–9, working translations marked, short guidance; and the checks on edited items."""
from __future__ import annotations

import pytest

from app.evaluation.caf import ItemsError, check_items, items_yaml, parse_items_yaml, read_caf

EXPECTED_SUBS = ["1.1", "1.2", "1.3", "1.4", "2.1", "2.2", "2.3", "2.4", "3.1", "3.2", "3.3", "4.1", "4.2", "4.3",
                 "4.4", "4.5", "4.6", "5.1", "5.2", "5.3", "6.1", "6.2", "7.1", "7.2", "8.1", "8.2", "9.1", "9.2"]


@pytest.fixture(scope="module")
def caf():
    return read_caf()


def test_nine_criteria_and_twenty_eight_sub_criteria(caf):
    items = caf["items"]
    assert [each["code"] for each in items if each["level"] == "criterion"] == [str(n) for n in range(1, 10)]
    assert [each["code"] for each in items if each["level"] == "sub"] == EXPECTED_SUBS
    assert caf["code"] == "caf-2020" and caf["version"] == 1


def test_enablers_one_to_five_results_six_to_nine(caf):
    for item in caf["items"]:
        criterion = int(item["code"].split(".")[0])
        assert item["kind"] == ("enabler" if criterion <= 5 else "result"), item["code"]
        if item["level"] == "sub":
            assert item["parent"] == str(criterion)


def test_titles_in_both_languages_working_translations_marked(caf):
    for item in caf["items"]:
        assert item["title_it"].strip() and item["title_en"].strip(), item["code"]
        assert isinstance(item["working_translation"], bool)
    subs = [each for each in caf["items"] if each["level"] == "sub"]
    assert all(each["working_translation"] for each in subs)  # every Italian sub-criterion title is ours for now
    official = {each["code"] for each in caf["items"] if not each["working_translation"]}
    assert official == {"1", "2", "3", "4", "5", "6"}  # CAF 2013 Italian edition
    by_code = {each["code"]: each for each in caf["items"]}
    assert by_code["4.4"]["title_en"] == "Manage information and knowledge"
    assert by_code["9.1"]["title_it"] == "Risultati esterni: output e valore pubblico"


def test_guidance_is_short_and_marked_provisional(caf):
    assert caf["guidance_official"] is False
    for item in (each for each in caf["items"] if each["level"] == "sub"):
        lines = [line for line in item["guidance"].split("\n") if line.strip()]
        assert 2 <= len(lines) <= 4, item["code"]
        assert all(len(line) < 200 for line in lines)


def test_the_file_passes_the_checks_and_round_trips_as_yaml(caf):
    items = check_items(caf["items"])
    assert parse_items_yaml(items_yaml(items)) == items


@pytest.mark.parametrize("text, fragment", [
    ("", "elenco di voci"),
    ("- code: [", "YAML valido"),
    ("- 3", "non è una voce"),
    ("- {code: '1', level: criterion, kind: enabler, title_it: Uno, colour: red}", "campi sconosciuti"),
    ("- {code: '1', level: criterion, kind: enabler, title_it: Uno}\n"
     "- {code: '1', level: criterion, kind: enabler, title_it: Due}", "compare due volte"),
    ("- {code: '1', level: criterion, kind: other, title_it: Uno}", "enabler oppure result"),
    ("- {code: '1', level: criterion, kind: enabler}", "titolo italiano"),
    ("- {code: '1', level: criterion, kind: enabler, title_it: Uno}\n"
     "- {code: '1.1', level: sub, parent: '1', kind: result, title_it: Sotto}", "tipo diverso"),
    ("- {code: '1', level: criterion, kind: enabler, title_it: Uno}", "non ha sottocriteri"),
])
def test_bad_items_are_refused_with_a_message(text, fragment):
    with pytest.raises(ItemsError) as refused:
        parse_items_yaml(text)
    error = refused.value
    assert fragment in (error.message % error.params if error.params else error.message)
