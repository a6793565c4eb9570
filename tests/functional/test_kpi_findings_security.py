"""probe"""
from __future__ import annotations

import html

import pytest

from app.extensions import db
from app.models import KpiAdoption, KpiComment, KpiDefinition, KpiValue
from tests.conftest import csrf_token, login, index_now


def client_as(app, kworld, role):
    client = app.test_client()
    if role != "anonymous":
        assert login(client, getattr(kworld, role)).status_code == 303
    return client


ROLES = ("anonymous", "member", "adopter", "outsider", "peer", "supplier_person", "facilitator", "staff",
         "region_person", "admin")


def test_probe(app, kworld):
    with app.app_context():
        a = db.session.get(KpiAdoption, kworld.adoption.id)
        a.open_data = True
        db.session.add(KpiComment(definition_id=kworld.proposed.id, author_id=kworld.member.id,
                                  organization_id=kworld.chieri.id, body="Commento segreto sulla proposta"))
        db.session.add(KpiComment(definition_id=kworld.published.id, author_id=kworld.member.id,
                                  organization_id=kworld.chieri.id, body="Commento pubblico"))
        db.session.commit()
    index_now(app)
    urls = [
        "/kpi/", "/kpi/?status=proposals", f"/kpi/{kworld.published.slug}", f"/kpi/{kworld.published.slug}/compare",
        f"/kpi/{kworld.published.slug}/compare?peers=all", f"/kpi/adoptions/{kworld.adoption.id}",
        f"/kpi/organizations/{kworld.chieri.slug}", "/kpi/export/definitions.csv?status=proposals",
        "/kpi/export/definitions.csv", "/kpi/export/values.csv", f"/kpi/organizations/{kworld.chieri.slug}/open-data.csv",
        f"/kpi/organizations/{kworld.chieri.slug}/open-data.ttl", "/kpi/similar?name=Posti+nido",
        "/kpi/similar?name=raccolta+differenziata", "/kpi/similar?name=indicatore+ritirato",
        "/search?q=nido", "/search?q=differenziata", "/search?q=ritirato", "/search?q=indicatore",
        f"/communities/{kworld.community.slug}", f"/organizations/{kworld.chieri.slug}",
        f"/practices/{kworld.practice.slug}", "/kpi/reference",
    ]
    with app.app_context():
        from app.models import Programme
        prog = db.session.get(Programme, kworld.programme.id)
        urls.append(f"/programmes/{prog.slug}")
    with app.app_context():
        slugs = {k: db.session.get(KpiDefinition, getattr(kworld, k).id).slug for k in ("proposed", "in_review", "withdrawn")}
    secrets = [f"/kpi/{v}" for v in slugs.values()] + [v for v in slugs.values()] + ["27 gg", ",27.0,", '"27.0"', "27.0",
               "Commento segreto"]
    for role in ROLES:
        client = client_as(app, kworld, role)
        for url in urls:
            r = client.get(url)
            body = html.unescape(r.get_data(as_text=True))
            found = [s for s in secrets if s.lower() in body.lower()]
            print(f"{role:16} {r.status_code} {url:70} {found}")


XSS = '<script>alert(1)</script><img src=x onerror=alert(2)>'
MD = '[clic](javascript:alert(3)) <a href="javascript:alert(4)">x</a> <iframe src=//evil></iframe>'


def test_probe_xss(app, kworld):
    from app.models import KpiVersion, Organization, KpiPracticeLink
    with app.app_context():
        d = db.session.get(KpiDefinition, kworld.published.id)
        v = d.current_version
        v.name = "Nome " + XSS
        v.short_name = "Breve " + XSS
        v.tags = [XSS, "=cmd|' /C calc'!A0"]
        v.description = MD + XSS
        v.caveat = MD + XSS
        v.formula = XSS
        v.data_source = XSS
        v.numerator = XSS
        v.external_code = XSS
        d.review_note = MD
        org = db.session.get(Organization, kworld.moncalieri.id)
        org.name = "Comune " + XSS
        a = db.session.get(KpiAdoption, kworld.adoption.id)
        a.notes = MD + XSS
        a.responsible_office = XSS
        a.open_data = True
        for val in a.values if hasattr(a, "values") else []:
            val.source_note = XSS
            val.source_url = "javascript:alert(5)"
        db.session.add(KpiComment(definition_id=d.id, author_id=kworld.member.id,
                                  organization_id=kworld.chieri.id, body=MD + XSS))
        link = db.session.query(KpiPracticeLink).first()
        link.evidence = MD + XSS
        from app.models import KpiChange
        db.session.add(KpiChange(definition_id=d.id, action="deprecate", note=MD + XSS, actor_id=kworld.staff.id))
        db.session.commit()
        slug = d.slug
        from app.models import Programme
        prog = db.session.get(Programme, kworld.programme.id).slug
    index_now(app)
    urls = [f"/kpi/{slug}", f"/kpi/{slug}/compare?peers=all", f"/kpi/{slug}/versions/1", "/kpi/",
            f"/kpi/adoptions/{kworld.adoption.id}", f"/kpi/adoptions/{kworld.peer_adoption.id}",
            f"/kpi/organizations/{kworld.chieri.slug}", f"/kpi/organizations/{kworld.moncalieri.slug}",
            "/kpi/similar?name=Nome+script", "/search?q=Nome", f"/communities/{kworld.community.slug}",
            f"/practices/{kworld.practice.slug}", f"/programmes/{prog}", "/kpi/review",
            f"/kpi/{slug}/edit", f"/kpi/adoptions/{kworld.adoption.id}/edit", "/kpi/import",
            f"/kpi/{slug}/move/deprecate", f"/kpi/{slug}/adopt", f"/kpi/practice/{kworld.practice.slug}/link",
            f"/organizations/{kworld.chieri.slug}", "/kpi/similar?name=" + XSS]
    for role in ("anonymous", "adopter", "admin"):
        client = client_as(app, kworld, role)
        for url in urls:
            for headers in ({}, {"HX-Request": "true"}):
                r = client.get(url, headers=headers)
                body = r.get_data(as_text=True)
                import re as _re
                bad = [body[max(0, m.start()-150):m.end()+40] for m in _re.finditer(r'<script>alert|<img src=x|<iframe|href="javascript|href=.javascript', body)][:2]
                print(f"{role:10} {r.status_code} {url[:60]:60} {bool(headers)} {bad}")
    client = client_as(app, kworld, "adopter")
    for url in ("/kpi/export/definitions.csv", "/kpi/export/values.csv",
                f"/kpi/organizations/{kworld.chieri.slug}/open-data.csv",
                f"/kpi/organizations/{kworld.chieri.slug}/open-data.ttl", "/kpi/import/template.csv"):
        r = client.get(url)
        body = r.get_data(as_text=True)
        cells = [line for line in body.splitlines() if "=cmd" in line or ",=" in line or ",+" in line or ",@" in line or ",-" in line]
        print(url, r.status_code, r.headers.get("Content-Type"), cells[:3])
