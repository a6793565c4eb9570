"""Profile pages."""
from __future__ import annotations

from flask import abort, flash, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app import permissions
from app.extensions import db
from app.models import User
from app.users import bp, services
from app.users.forms import ProfileForm
from app.web import redirect_to, render_page


@bp.route("/<int:user_id>")
@login_required
def profile(user_id: int):
    """A person's profile: name, organisation, role (e-mail only for themself, referents and administrators)."""
    person = db.session.get(User, user_id)
    if person is None or not permissions.can_view_user(current_user, person):
        abort(404)
    return render_page("users/profile.html", person=person)


@bp.route("/me", methods=["GET", "POST"])
@login_required
def edit_profile():
    """Edit one's own profile."""
    form = ProfileForm(obj=current_user)
    if form.validate_on_submit():
        services.update_profile(current_user, form.full_name.data, form.job_title.data, form.locale.data,
                                form.notification_email.data)
        session["lang"] = form.locale.data
        flash(_("Profilo aggiornato."), "success")
        return redirect_to(url_for("users.profile", user_id=current_user.id))
    return render_page("users/edit.html", block="form", form=form, status=422 if form.is_submitted() else 200)
