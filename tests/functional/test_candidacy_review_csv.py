"""The CSV of a call's candidacies (issue 15, part REVIEW): its columns and rows, the board's filters, and cells that
a spreadsheet would run as formulas quoted (CSV injection)."""
from __future__ import annotations

import csv
import io
import re

from app.extensions import db
from app.models import Organization
from tests.calls_review_helpers import make_candidacy
from tests.conftest import make_org
from tests.programme_world import progworld  # noqa: F401  (fixture)


def rows_of(response) -> list[list[str]]:
    body = response.get_data()
    assert body.startswith(b"\xef\xbb\xbf")  # the byte-order mark: spreadsheets read the accents right
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def test_csv_has_a_row_per_sent_candidacy(app, client, as_user, progworld):
    fields = [{"key": "budget", "label": "Budget previsto", "kind": "number", "required": True},
              {"key": "lettera", "label": "Lettera di intenti", "kind": "attachment", "required": False}]
    with app.app_context():
        from app.models import InterestCall

        db.session.get(InterestCall, progworld.call.id).fields = fields
        region = db.session.get(Organization, progworld.region.id)
        metro = db.session.get(Organization, progworld.metro.id)
        make_candidacy(progworld.call.id, region, answers={"budget": 120000}, minutes_ago=30)
        make_candidacy(progworld.call.id, metro, status="inadmissible", reason="Manca la delibera.", minutes_ago=20)
        make_candidacy(progworld.call.id, make_org("Regione Veneto", pa_kind="region", ipa_code="r_veneto"),
                       status="draft")
        db.session.commit()
    as_user(progworld.staff)
    response = client.get(f"/calls/{progworld.call.slug}/candidacies.csv")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert response.headers["Content-Disposition"] == \
        f'attachment; filename="candidature-{progworld.call.slug}.csv"'
    assert response.headers["Cache-Control"] == "private, no-store"
    header, *rows = rows_of(response)
    assert header[:7] == ["Ente", "Tipo di ente", "Stato", "Inviata il", "Numero di protocollo", "Data di protocollo",
                          "Documento firmato"]
    assert header[-1] == "Budget previsto" and "Lettera di intenti" not in header  # files are not cells
    assert [row[0] for row in rows] == ["Regione Piemonte", "Città metropolitana di Torino"]  # no draft
    piemonte, torino = (dict(zip(header, row)) for row in rows)
    assert piemonte["Tipo di ente"] == "Regione" and piemonte["Stato"] == "Inviata"
    assert piemonte["Numero di protocollo"] == f"PROT-{progworld.region.id}-2027"
    assert piemonte["Documento firmato"] == "candidatura-regione-piemonte.pdf"
    assert re.fullmatch(r"https?://[^/]+/candidacies/\d+/documents/\d+", piemonte["Indirizzo del documento firmato"])
    assert piemonte["Budget previsto"] == "120000"
    assert piemonte["Gruppo di lavoro"] == \
        "Gruppo Regione Piemonte (Referente tecnico) <gruppo@regione-piemonte.example.it>"
    assert len(piemonte["Inviata il"]) == 16  # "YYYY-MM-DD HH:MM", Europe/Rome
    assert torino["Stato"] == "Non ammissibile" and torino["Motivo o nota dello staff"] == "Manca la delibera."
    # the board's filters
    filtered = rows_of(client.get(f"/calls/{progworld.call.slug}/candidacies.csv?status=inadmissible"))
    assert [row[0] for row in filtered[1:]] == ["Città metropolitana di Torino"]


def test_csv_quotes_what_a_spreadsheet_would_run(app, client, as_user, progworld):
    with app.app_context():
        organization = make_org("=HYPERLINK(\"http://evil.example\")", pa_kind="region", ipa_code="r_evil")
        make_candidacy(progworld.call.id, organization, status="inadmissible", protocol_number="+39 011 123",
                       reason="@SUM(A1:A9)", answers={"note": "-2+3"})
        from app.models import InterestCall

        db.session.get(InterestCall, progworld.call.id).fields = [
            {"key": "note", "label": "=Nota", "kind": "text", "required": False}]
        db.session.commit()
    as_user(progworld.staff)
    header, row = rows_of(client.get(f"/calls/{progworld.call.slug}/candidacies.csv"))
    assert header[-1] == "'=Nota"
    cells = dict(zip(header, row))
    assert cells["Ente"] == "'=HYPERLINK(\"http://evil.example\")"
    assert cells["Numero di protocollo"] == "'+39 011 123"
    assert cells["Motivo o nota dello staff"] == "'@SUM(A1:A9)"
    assert cells["'=Nota"] == "'-2+3"
    for value in row:
        assert not value.startswith(("=", "+", "-", "@", "\t", "\r"))
