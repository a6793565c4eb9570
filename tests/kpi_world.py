"""The KPI library with a person in every role of the issue 16 matrix (tests of app/kpi/).

Reference taxonomies loaded; a published KPI adopted by two municipalities with three years of values (the last one
provisional), a published KPI nobody adopted, a proposal in a community, a proposal in review in a programme, a
deprecated KPI replaced by the first one, a withdrawn proposal; a practice that declares it improves the first KPI.
"""
from __future__ import annotations

from dataclasses import dataclass

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import (KpiAdoption, KpiChange, KpiDefinition, KpiPracticeLink, KpiValue, KpiVersion, ReferenceTerm)
from app.models.base import utcnow
from tests.conftest import Ref, make_community, make_org, make_practice, make_user
from tests.conftest import ref as _ref
from tests.programme_world import make_programme


def ref(row) -> Ref:
    """conftest's ref, for rows without a slug too (adoptions)."""
    return _ref(row) if hasattr(row, "slug") or hasattr(row, "email") else Ref(id=row.id)


def term(scheme: str, code: str) -> ReferenceTerm:
    return db.session.scalar(select(ReferenceTerm).where(ReferenceTerm.scheme == scheme, ReferenceTerm.code == code))


def make_kpi(name: str, status: str = "published", author=None, proposer=None, community=None, programme=None,
             missions=("01",), sdgs=(), unit: str = "percent", polarity: str = "higher", level: str = "municipality",
             frequency: str = "annual", **fields) -> KpiDefinition:
    """A definition with its first version, straight in `status` (no workflow, no notification)."""
    from slugify import slugify

    count = db.session.scalar(select(db.func.count(KpiDefinition.id))) or 0
    now = utcnow()
    definition = KpiDefinition(slug=slugify(name)[:100], code=f"KPI-{count + 1:04d}", status=status,
                               community_id=community.id if community else None,
                               programme_id=programme.id if programme else None,
                               author_organization_id=author.id if author else None,
                               proposed_by_id=proposer.id if proposer else None,
                               published_at=now if status in ("published", "deprecated") else None,
                               deprecated_at=now if status == "deprecated" else None)
    db.session.add(definition)
    db.session.flush()
    values = dict(description=f"Definizione tecnica di {name}.", numerator="Numero di casi favorevoli",
                  denominator="Numero totale di casi", data_source="Sistema informativo dell'ente",
                  tags=["servizi"], caveat="")
    values.update(fields)
    version = KpiVersion(definition_id=definition.id, number=1, name=name, unit=unit, polarity=polarity,
                         level=level, frequency=frequency, piao_subsection_id=term("piao_subsection", "2.1").id,
                         **values)
    version.terms = [term("mission_local", code) for code in missions] + [term("sdg", str(n)) for n in sdgs]
    db.session.add(version)
    db.session.flush()
    definition.current_version = version
    db.session.add(KpiChange(definition_id=definition.id, action="propose", to_status=status, version_number=1,
                             actor_id=proposer.id if proposer else None))
    db.session.flush()
    return definition


def make_adoption(definition, organization, values: dict[str, float] | None = None, provisional=(), by=None,
                  plan_year: int = 2024, **fields) -> KpiAdoption:
    """An adoption of the current version with baseline, targets and values {"2023": 40.0, …}."""
    data = dict(plan_kind="piao", plan_year=plan_year, baseline_value=40.0, baseline_year=plan_year - 1,
                target_1=45.0, target_2=50.0, target_3=55.0, responsible_office="Ufficio controllo di gestione")
    data.update(fields)
    adoption = KpiAdoption(definition_id=definition.id, version_id=definition.current_version_id,
                           organization_id=organization.id, adopted_by_id=by.id if by else None, **data)
    db.session.add(adoption)
    db.session.flush()
    for period, value in (values or {}).items():
        db.session.add(KpiValue(adoption_id=adoption.id, period=period, year=int(period[:4]), value=value,
                                status="provisional" if period in provisional else "final",
                                source_note="Controllo di gestione", reported_by_id=by.id if by else None))
    adopters = db.session.scalar(select(db.func.count(db.func.distinct(KpiAdoption.organization_id))).where(
        KpiAdoption.definition_id == definition.id, KpiAdoption.active.is_(True)))
    definition.adoption_count = adopters
    db.session.flush()
    return adoption


@dataclass
class KpiWorld:
    community: Ref  # open community "Valore pubblico"
    programme: Ref  # "Ask Public Value", its staff and one participant (the region)
    published: Ref  # "Tempo medio di pagamento delle fatture", days, lower is better, adopted by Chieri and Moncalieri
    unadopted: Ref  # "Servizi online accessibili con SPID e CIE", percent, published, no adoption
    proposed: Ref  # proposed in the community by Chieri's member
    in_review: Ref  # in review, proposed in the programme by the region
    deprecated: Ref  # replaced by `published`
    withdrawn: Ref  # withdrawn by Chieri
    adoption: Ref  # Chieri's adoption of `published`: values 2023, 2024 final, 2025 provisional
    peer_adoption: Ref  # Moncalieri's adoption of `published`
    practice: Ref  # a practice of Chieri's, linked to `published`
    chieri: Ref  # municipality, adopter
    moncalieri: Ref  # municipality, adopter
    region: Ref  # Regione Piemonte, programme participant
    other: Ref  # Comune di Asti: another organisation, nothing to do with any of it
    supplier: Ref
    admin: Ref
    facilitator: Ref  # facilitator of the community (of Asti)
    staff: Ref  # programme staff (of the region? no: of Formez)
    member: Ref  # Chieri's person, member of the community: the proposer of `proposed`
    adopter: Ref  # Chieri's referent: adopted `published`, reports its values
    peer: Ref  # Moncalieri's person
    region_person: Ref  # the region's person, proposer of `in_review`
    outsider: Ref  # Asti's person, member of nothing
    supplier_person: Ref


@pytest.fixture
def kworld(app) -> KpiWorld:
    with app.app_context():
        from app.kpi.reference import load_reference

        load_reference()
        promoter = make_org("Formez PA", pa_kind="agency", ipa_code="formez")
        chieri = make_org("Comune di Chieri", pa_kind="municipality", ipa_code="c_c627")
        moncalieri = make_org("Comune di Moncalieri", pa_kind="municipality", ipa_code="c_f335")
        region = make_org("Regione Piemonte", pa_kind="region", ipa_code="r_piemon")
        other = make_org("Comune di Asti", pa_kind="municipality", ipa_code="c_a479")
        supplier = make_org("Studio Dati S.r.l.", kind="supplier", pa_kind=None, ipa_code=None)
        people = dict(
            admin=make_user("admin@example.it", None, is_admin=True, full_name="Ada Admin"),
            facilitator=make_user("animatrice@asti.example.it", other, full_name="Fabia Animatrice"),
            staff=make_user("staff@formez.example.it", promoter, full_name="Stella Staff"),
            member=make_user("membro@chieri.example.it", chieri, full_name="Mario Membro"),
            adopter=make_user("referente@chieri.example.it", chieri, is_referent=True, full_name="Carla Chieri"),
            peer=make_user("persona@moncalieri.example.it", moncalieri, is_referent=True,
                           full_name="Paolo Moncalieri"),
            region_person=make_user("persona@regione.example.it", region, full_name="Renata Regione"),
            outsider=make_user("persona@asti.example.it", other, full_name="Oscar Asti"),
            supplier_person=make_user("persona@studiodati.example.it", supplier, full_name="Silvia Studio"),
        )
        community = make_community("Valore pubblico", "open", facilitators=[people["facilitator"]],
                                   members=[people["member"], people["adopter"], people["peer"]])
        programme = make_programme("Ask Public Value", promoter, staff=[people["staff"]], communities=[community])
        from app.models import ProgrammeParticipant

        db.session.add(ProgrammeParticipant(programme_id=programme.id, organization_id=region.id))
        published = make_kpi("Tempo medio di pagamento delle fatture", author=chieri, proposer=people["adopter"],
                             community=community, unit="days", polarity="lower", missions=("01",), sdgs=(16,),
                             formula_kind="description", formula="Media ponderata dei giorni tra ricezione e "
                             "pagamento delle fatture", numerator="", denominator="", tags=["pagamenti", "fatture"])
        unadopted = make_kpi("Servizi online accessibili con SPID e CIE", author=chieri, proposer=people["adopter"],
                             community=community, unit="percent", missions=("01",), sdgs=(9, 16),
                             tags=["servizi digitali", "spid"])
        proposed = make_kpi("Posti nido ogni 100 bambini", status="proposed", author=chieri,
                            proposer=people["member"], community=community, unit="per_100", missions=("12",),
                            sdgs=(4,))
        in_review = make_kpi("Quota di raccolta differenziata", status="in_review", author=region,
                             proposer=people["region_person"], programme=programme, unit="percent",
                             level="region", missions=("09",), sdgs=(11, 12))
        deprecated = make_kpi("Giorni di pagamento fatture (vecchia definizione)", status="deprecated",
                              author=chieri, proposer=people["adopter"], community=community, unit="days",
                              polarity="lower")
        deprecated.replaced_by_id, deprecated.deprecation_note = published.id, "Sostituito dalla media ponderata."
        withdrawn = make_kpi("Indicatore ritirato di prova", status="withdrawn", author=chieri,
                             proposer=people["member"], community=community)
        adoption = make_adoption(published, chieri, {"2023": 38.0, "2024": 31.0, "2025": 27.0},
                                 provisional=("2025",), by=people["adopter"], baseline_value=42.0,
                                 target_1=35.0, target_2=30.0, target_3=28.0)
        peer_adoption = make_adoption(published, moncalieri, {"2023": 55.0, "2024": 49.0, "2025": 44.0},
                                      by=people["peer"], baseline_value=60.0, target_1=50.0, target_2=45.0,
                                      target_3=40.0)
        practice = make_practice("Pagamenti veloci ai fornitori", community, chieri)
        db.session.add(KpiPracticeLink(practice_id=practice.id, definition_id=published.id,
                                       evidence="Dopo l'adozione il tempo medio è sceso da 42 a 31 giorni.",
                                       declared_by_id=people["adopter"].id))
        db.session.commit()
        return KpiWorld(community=ref(community), programme=ref(programme), published=ref(published),
                        unadopted=ref(unadopted), proposed=ref(proposed), in_review=ref(in_review),
                        deprecated=ref(deprecated), withdrawn=ref(withdrawn), adoption=ref(adoption),
                        peer_adoption=ref(peer_adoption), practice=ref(practice), chieri=ref(chieri),
                        moncalieri=ref(moncalieri), region=ref(region), other=ref(other), supplier=ref(supplier),
                        **{k: ref(v) for k, v in people.items()})
