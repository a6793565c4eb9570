"""The co-donor invitation page (issue 11, point 30): thin — parse, check permission, call a service, render."""
from __future__ import annotations

from flask import abort, flash, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app import permissions
from app.extensions import db
from app.practices import bp, codonors
from app.web import EmptyForm, redirect_to, render_page


@bp.route("/co-donor-invitations/<int:invitation_id>", methods=["GET", "POST"])
@login_required
def co_donor_invitation(invitation_id: int):
    """An invitation to be co-donor: the invited organisation's people read it, its referents accept or decline."""
    invitation = codonors.invitation_by_id(invitation_id)
    if invitation is None or not (permissions.is_admin(current_user) or permissions.is_of_organization(
            current_user, invitation.organization_id)):
        abort(404)
    if not codonors.may_see_practice(invitation.practice, [current_user._get_current_object()]):
        abort(404)  # a practice of a private community stays unknown to who is not in it
    may_decide = permissions.can_act_for(current_user, invitation.organization_id)
    if request.method == "POST":
        permissions.require(may_decide, _("Accettare o rifiutare l'invito spetta a un referente del tuo ente."))
        decision = request.form.get("decision")
        if not EmptyForm().validate_on_submit() or decision not in ("accept", "decline"):
            abort(400)
        try:
            codonors.decide(invitation, current_user, accept=decision == "accept")
        except codonors.CoDonorError as error:
            db.session.rollback()
            flash(_(str(error)), "warning")
        else:
            flash(_("Invito accettato: ora il tuo ente è co-cedente.") if decision == "accept"
                  else _("Invito rifiutato."), "success")
        return redirect_to(url_for("practices.co_donor_invitation", invitation_id=invitation.id))
    return render_page("practices/co_donor_invitation.html", invitation=invitation, may_decide=may_decide,
                       form=EmptyForm())
