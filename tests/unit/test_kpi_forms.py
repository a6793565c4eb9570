"""The KPI record form and the discussion form (issue 16), without the database: numbers typed the Italian way,
tags, what each choice requires, forged ids, what the form hands to core.VersionData."""
from __future__ import annotations

from types import SimpleNamespace

import pytest
from werkzeug.datastructures import MultiDict

from app.kpi.forms_definition import (DefinitionChoices, DefinitionForm, NewVersionForm, number_text, parse_number,
                                      parse_tags)
from app.kpi.forms_discussion import CommentForm

@pytest.fixture(scope="module")
def app(tmp_path_factory):
    """An application for request contexts (the forms read no table): they run once, not once per backend."""
    from app import create_app
    from app.extensions import db
    from config import TestConfig

    instance = tmp_path_factory.mktemp("forms")
    application = create_app(TestConfig, SQLALCHEMY_DATABASE_URI=f"sqlite:///{instance / 'forms.db'}",
                             IPA_CODES_FILE=str(instance / "none.txt"), UPLOAD_FOLDER=str(instance / "uploads"),
                             SEARCH_DIR=str(instance / "search"))
    with application.app_context():
        db.create_all()  # conftest empties every table after each test that uses `app`
    yield application
    with application.app_context():
        db.session.remove()
        db.engine.dispose()


CHOICES = DefinitionChoices(missions={"Locali": [("1", "01 · Servizi"), ("2", "12 · Diritti sociali")],
                                      "Tecniche": [("3", "99 · Servizi per conto terzi")]},
                            sdgs=[("10", "4 · Istruzione"), ("11", "16 · Pace")], piao=[("20", "2.1 · Valore")],
                            bes=[("30", "Salute")], mission_ids={1, 2, 3, 40}, policy_mission_ids={1, 2, 3},
                            sdg_ids={10, 11}, piao_ids={20}, bes_ids={30})


def good(**changes) -> dict:
    data = {"name": "Quota di fatture pagate nei termini", "description": "Fatture pagate entro 30 giorni.",
            "typology": "output", "formula_kind": "ratio", "numerator": "Fatture nei termini",
            "denominator": "Fatture pagate", "unit": "percent", "polarity": "higher", "frequency": "annual",
            "data_source": "PCC", "level": "any", "missions": ["1"], "sdgs": ["11"], "piao_subsection": "20",
            "bes_domain": "", "tags": "Pagamenti, fatture"}
    data.update(changes)
    return data


def form_for(app, data: dict, form_class=DefinitionForm):
    with app.test_request_context(method="POST"):
        form = form_class(formdata=MultiDict(data), choices=CHOICES, meta={"csrf": False})
        valid = form.validate()
        errors = {name: list(map(str, messages)) for name, messages in form.errors.items()}
        values = form.values() if valid else None
    return valid, errors, values


@pytest.mark.parametrize("text,number", [("", None), ("  ", None), ("12", 12.0), ("3,5", 3.5), ("3.5", 3.5),
                                         ("1.234,5", 1234.5), ("1,234.5", 1234.5), ("-2", -2.0),
                                         ("1 000", 1000.0)])
def test_numbers_typed_either_way(text, number):
    assert parse_number(text) == number


@pytest.mark.parametrize("text", ["dieci", "nan", "inf", "-inf", "1e400", "1e16", "1,2,3x", "١٢", "9" * 40])
def test_not_numbers(text):
    with pytest.raises(ValueError):
        parse_number(text)


def test_number_text():
    assert (number_text(None), number_text(35.0), number_text(2.5)) == ("", "35", "2.5")


def test_tags_lower_cased_without_repeats():
    assert parse_tags(" Pagamenti ,fatture,, PAGAMENTI ,  tempi   medi ") == ["pagamenti", "fatture", "tempi medi"]
    assert parse_tags("") == [] and parse_tags(None) == []


def test_good_record_gives_version_data(app):
    valid, errors, values = form_for(app, good())
    assert valid, errors
    assert values.fields["tags"] == ["pagamenti", "fatture"]
    assert values.fields["piao_subsection_id"] == 20 and values.fields["bes_domain_id"] is None
    assert values.fields["range_low"] is None and values.term_ids == [1, 11]


def test_description_formula_drops_numerator_and_range_only_with_range(app):
    valid, errors, values = form_for(app, good(formula_kind="description", formula="Media", denominator="",
                                               range_low="10", range_high="20"))
    assert valid, errors
    assert values.fields["numerator"] == values.fields["denominator"] == ""
    assert values.fields["range_low"] is None  # not a range polarity: the band is not kept


@pytest.mark.parametrize("changes,field", [
    ({"denominator": ""}, "denominator"), ({"numerator": ""}, "numerator"),
    ({"formula_kind": "description", "formula": ""}, "formula"),
    ({"polarity": "range"}, "range_low"), ({"polarity": "range", "range_low": "3"}, "range_high"),
    ({"polarity": "range", "range_low": "30", "range_high": "3"}, "range_high"),
    ({"value_min": "5", "value_max": "1"}, "value_max"), ({"value_min": "-1"}, "value_min"),
    ({"value_max": "101"}, "value_max"), ({"unit": "ratio", "value_max": "2"}, "value_max"),
    ({"missions": []}, "missions"), ({"missions": ["40"]}, "missions"), ({"missions": ["1", "7"]}, "missions"),
    ({"missions": ["1\x00"]}, "missions"), ({"sdgs": ["12"]}, "sdgs"), ({"piao_subsection": "21"}, "piao_subsection"),
    ({"bes_domain": "x"}, "bes_domain"), ({"tags": ",".join(str(n) for n in range(11))}, "tags"),
    ({"tags": "b" * 41}, "tags"), ({"name": "n" * 201}, "name"), ({"short_name": "s" * 81}, "short_name"),
    ({"unit": ""}, "unit"), ({"level": "region "}, "level"), ({"data_source": "\u202e"}, "data_source"),
])
def test_each_error_at_its_field(app, changes, field):
    valid, errors, _values = form_for(app, good(**changes))
    assert not valid and field in errors, errors
    assert all(message and "Not a valid" not in message for messages in errors.values() for message in messages)


def test_technical_mission_alone_is_allowed_programme_alone_is_not(app):
    assert form_for(app, good(missions=["3"]))[0]
    valid, errors, _ = form_for(app, good(missions=["40"]))
    assert not valid and "almeno una missione" in errors["missions"][0]


def test_ten_tags_of_forty_characters_pass(app):
    tags = ", ".join(f"{n}" + "t" * 39 for n in range(10))
    valid, errors, values = form_for(app, good(tags=tags))
    assert valid, errors
    assert len(values.fields["tags"]) == 10


def test_new_version_needs_its_note(app):
    valid, errors, _ = form_for(app, good(), NewVersionForm)
    assert not valid and list(errors) == ["change_note"]
    assert form_for(app, good(change_note="Cambia il denominatore", breaks_series="y"), NewVersionForm)[0]


def test_fill_from_shows_a_version(app):
    version = SimpleNamespace(name="Nome", short_name="", description="D", typology="output", formula_kind="ratio",
                              numerator="N", denominator="M", formula="", unit="percent", polarity="range",
                              frequency="annual", data_source="S", level="any", external_code="", caveat="",
                              range_low=10.0, range_high=20.5, value_min=None, value_max=100.0,
                              piao_subsection_id=20, bes_domain_id=None, missions=[SimpleNamespace(id=2)],
                              sdgs=[SimpleNamespace(id=10)], tags=["a", "b"])
    with app.test_request_context():
        form = DefinitionForm(formdata=None, choices=CHOICES, meta={"csrf": False})
        form.fill_from(version)
        assert (form.range_low.data, form.range_high.data, form.value_min.data, form.value_max.data) == (
            "10", "20.5", "", "100")
        assert form.missions.data == ["2"] and form.sdgs.data == ["10"] and form.tags.data == "a, b"
        assert form.piao_subsection.data == "20" and form.bes_domain.data == ""


@pytest.mark.parametrize("body,valid", [("Ciao", True), ("", False), (" \u200b\x00 ", False), ("x" * 5000, True),
                                        ("x" * 5001, False)])
def test_comment_form(app, body, valid):
    with app.test_request_context(method="POST"):
        form = CommentForm(formdata=MultiDict({"body": body}), meta={"csrf": False})
        assert form.validate() is valid
