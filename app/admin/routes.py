"""Administrator pages: organisations and people waiting for a decision."""
from __future__ import annotations

from flask import abort, flash, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.admin import bp, services
from app.extensions import db
from app.models import Organization
from app.organizations import services as org_services
from app.organizations.services import PeopleRuleError
from app.permissions import admin_required
from app.web import EmptyForm, redirect_to, render_page


def _dashboard(status: int = 200):
    return render_page("admin/dashboard.html", block="queue", **services.review_queue(), form=EmptyForm(),
                       status=status)


@bp.route("/")
@admin_required
def dashboard():
    """Organisations asked for at registration and people with nobody else to approve them."""
    return _dashboard()


@bp.route("/organizations/<int:organization_id>/<decision>", methods=["POST"])
@admin_required
def review_organization(organization_id: int, decision: str):
    """Accept or reject an organisation asked for at registration."""
    if decision not in ("accept", "reject"):
        abort(404)
    organization = db.get_or_404(Organization, organization_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        org_services.review_organization(organization, current_user, accept=decision == "accept")
    except PeopleRuleError as error:
        db.session.rollback()
        flash(str(error), "danger")
    else:
        flash(_("Ente %(name)s accettato.", name=organization.name) if decision == "accept"
              else _("Richiesta dell'ente %(name)s respinta.", name=organization.name), "success")
    if request.htmx:
        return _dashboard()
    return redirect_to(url_for("admin.dashboard"))
