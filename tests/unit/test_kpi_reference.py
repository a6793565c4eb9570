"""The reference taxonomies of the KPI library (issue 16) against the research note's tables, their idempotent
loader, `flask kpi load-reference` and the programmes file loader."""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.kpi.reference import ReferenceFileError, load_programmes, load_reference
from app.models import ReferenceTerm

NOTE = Path(__file__).resolve().parents[2].parent / "shared" / "research" / "kpi-events-federation.md"
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "kpi"


def _section(text: str, start: str, end: str) -> list[list[str]]:
    """The table rows (cells) between two headings of the note, header and separator rows left out."""
    body = text[text.index(start):text.index(end)]
    rows = []
    for line in body.splitlines():
        if not line.startswith("|") or set(line) <= set("|- "):
            continue
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if cells[0] in ("code", "n"):
            continue
        rows.append(cells)
    return rows


@pytest.fixture(scope="module")
def note() -> dict:
    if not NOTE.exists():
        pytest.skip(f"the research note {NOTE} is not here (../shared is missing): only the hard-coded checks run")
    text = NOTE.read_text(encoding="utf-8")
    local = {code: (label, technical == "yes") for code, label, technical in
             _section(text, "### 1.1", "### 1.2")}
    state = {}
    for cells in _section(text, "### 1.2", "## 2."):
        state.update({cells[0]: cells[1], cells[2]: cells[3]})
    bes = {}
    for cells in _section(text, "### 2.4", "### 2.5"):
        bes.update({cells[0]: cells[1], cells[2]: cells[3]})
    sdg = {number: (english, italian) for number, english, italian in _section(text, "### 2.5", "### 2.6")}
    return dict(local=local, state=state, bes=bes, sdg=sdg)


def _terms(scheme: str) -> dict[str, ReferenceTerm]:
    rows = db.session.execute(select(ReferenceTerm).where(ReferenceTerm.scheme == scheme)).scalars()
    return {t.code: t for t in rows}


def _count() -> int:
    return db.session.scalar(select(func.count(ReferenceTerm.id)))


def test_loaded_terms_match_the_research_note(app, note):
    with app.app_context():
        load_reference()
        local, state, bes, sdg = (_terms("mission_local"), _terms("mission_state"), _terms("bes_domain"),
                                  _terms("sdg"))
        assert len(note["local"]) == 23 and len(note["state"]) == 34
        assert len(note["bes"]) == 12 and len(note["sdg"]) == 17
        assert {code: (t.label_it, t.technical) for code, t in local.items()} == note["local"]
        assert {code: t.label_it for code, t in state.items()} == note["state"]
        assert {code: t.label_it for code, t in bes.items()} == note["bes"]
        assert {code: (t.label_en, t.label_it) for code, t in sdg.items()} == note["sdg"]


def test_hard_coded_terms(app):
    """A handful of codes and names, so that the core check runs without ../shared."""
    with app.app_context():
        load_reference()
        local = _terms("mission_local")
        assert len(local) == 23 and sorted(code for code, t in local.items() if t.technical) == ["20", "50", "60",
                                                                                                     "99"]
        assert [t.code for t in sorted(local.values(), key=lambda t: t.position)][:3] == ["01", "02", "03"]
        assert local["01"].label_it == "Servizi istituzionali, generali e di gestione"
        assert local["09"].label_it == "Sviluppo sostenibile e tutela del territorio e dell'ambiente"
        assert local["12"].label_it == "Diritti sociali, politiche sociali e famiglia"
        assert local["99"].label_it == "Servizi per conto terzi"
        state = _terms("mission_state")
        assert len(state) == 34 and not any(t.technical for t in state.values())
        assert state["001"].label_it.startswith("Organi costituzionali")
        assert state["034"].label_it == "Debito pubblico"
        assert state["022"].label_it == "Istruzione scolastica"
        bes = _terms("bes_domain")
        assert len(bes) == 12 and bes["BES_01"].label_it == "Salute" and bes["BES_12"].label_it == "Qualità dei servizi"
        assert bes["BES_10"].label_en == "Environment"
        sdg = _terms("sdg")
        assert len(sdg) == 17
        assert (sdg["1"].label_it, sdg["1"].label_en) == ("Sconfiggere la povertà", "No Poverty")
        assert (sdg["16"].label_it, sdg["16"].label_en) == ("Pace, giustizia e istituzioni solide",
                                                            "Peace, Justice and Strong Institutions")
        assert (sdg["17"].label_it, sdg["17"].label_en) == ("Partnership per gli obiettivi",
                                                            "Partnerships for the Goals")
        sub = _terms("piao_subsection")
        assert sub["2.1"].label_it == "Valore pubblico" and sub["2.1"].parent.code == "2"
        assert all(t.edition and t.valid_from and t.valid_to is None for t in local.values())


def test_loading_twice_adds_nothing(app):
    with app.app_context():
        added, _updated = load_reference()
        total = _count()
        assert added == total == 23 + 34 + 4 + 6 + 12 + 17
        assert load_reference() == (0, 0)
        assert _count() == total


def test_a_changed_label_is_updated_in_place(app):
    with app.app_context():
        load_reference()
        _terms("mission_local")["07"].label_it = "Turismo (vecchio nome)"
        db.session.commit()
        total = _count()
        assert load_reference() == (0, 1)
        assert _count() == total and _terms("mission_local")["07"].label_it == "Turismo"


def test_cli_load_reference(app):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["kpi", "load-reference"])
    assert first.exit_code == 0, first.output
    assert "96 terms added, 0 updated" in first.output
    second = runner.invoke(args=["kpi", "load-reference"])
    assert second.exit_code == 0 and "0 terms added, 0 updated" in second.output
    with app.app_context():
        assert _count() == 96


def test_load_programmes_good_file(app):
    with app.app_context():
        load_reference()
        before = _count()
        assert load_programmes(FIXTURES / "programmes_good.csv", "ARCONET test") == (3, 0)
        programmes = _terms("programme_local")
        assert set(programmes) == {"0101", "0102", "1201"}
        assert programmes["1201"].parent.code == "12" and programmes["1201"].parent.scheme == "mission_local"
        assert programmes["0101"].label_it == "Organi istituzionali" and programmes["0101"].edition == "ARCONET test"
        assert load_programmes(FIXTURES / "programmes_good.csv", "ARCONET test") == (0, 0)
        assert _count() == before + 3


@pytest.mark.parametrize("name", ["programmes_bad_code.csv", "programmes_bad_mission.csv"])
def test_load_programmes_bad_row_saves_nothing(app, name):
    with app.app_context():
        load_reference()
        before = _count()
        with pytest.raises(ReferenceFileError, match="riga 3"):
            load_programmes(FIXTURES / name, "ARCONET test")
        db.session.rollback()
        assert _count() == before and _terms("programme_local") == {}


def test_cli_load_programmes(app, tmp_path):
    runner = app.test_cli_runner()
    runner.invoke(args=["kpi", "load-reference"])
    good = runner.invoke(args=["kpi", "load-programmes", str(FIXTURES / "programmes_good.csv")])
    assert good.exit_code == 0 and "3 added" in good.output
    bad = tmp_path / "bad.csv"
    shutil.copy(FIXTURES / "programmes_bad_code.csv", bad)
    refused = runner.invoke(args=["kpi", "load-programmes", str(bad)])
    assert refused.exit_code != 0 and re.search(r"riga 3", refused.output)
    with app.app_context():
        assert len(_terms("programme_local")) == 3
