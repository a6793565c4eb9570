"""Account pages."""
from __future__ import annotations

from flask import flash, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from app.auth import bp, services, throttle
from app.auth.forms import ChangePasswordForm, EmailOnlyForm, LoginForm, RegistrationForm, ResetPasswordForm
from app.auth.services import ConfirmResult, LoginRefusal, RequestOutcome
from app.auth.tokens import TokenError, TokenExpired
from app.extensions import limiter
from app.organizations import finder, registry
from app.web import EmptyForm, redirect_to, render_page, safe_next_url


def _registration_step() -> str | None:
    """"search" or "ipa" when a POST of the registration form is a step towards it, not an attempt to register."""
    if request.method != "POST":
        return None
    if request.form.get("ipa_prefill") or request.form.get("step") == "ipa":
        return "ipa"
    # Without JavaScript the search is a submit; pressing Enter with no organisation chosen also searches.
    searching = not request.form.get("organization") and (request.form.get("organization_search") or "").strip()
    return "search" if request.form.get("step") == "search" or searching else None


@bp.route("/register", methods=["GET", "POST"])
@limiter.limit("10 per hour", methods=["POST"], exempt_when=lambda: _registration_step() is not None)
def register():
    """Create an account: find one's organisation (or ask for a new one) and register."""
    if current_user.is_authenticated:
        return redirect_to(url_for("main.index"))
    form = RegistrationForm()
    step = _registration_step()
    if request.method == "GET":
        form.organization_search.data = (request.args.get("organization_search") or "")[:100]
    if step is None and form.validate_on_submit():
        # A new organisation asked for is created only when the address is confirmed (issue 11, point 27).
        return redirect_to(url_for("auth.registered", email=services.register(form)))
    if step == "ipa":
        registry.prefill_request(form, request.form.get("ipa_prefill") or form.ipa_code.data or "")
    found = finder.find(form.organization_search.data, selected=form.organization.data)
    return render_page("auth/register.html", block="form", form=form, found=found,
                       registry_details=registry.has_details(),
                       status=422 if form.is_submitted() and step is None else 200)


@bp.route("/registered")
def registered():
    """After registration: what happens next."""
    return render_page("auth/registered.html", email=request.args.get("email", ""))


@bp.route("/confirm/<token>")
def confirm_email(token: str):
    """Confirm the e-mail address from the emailed link."""
    outcome = services.confirm_email(token)
    return render_page("auth/confirmed.html", outcome=outcome, Result=ConfirmResult, Request=RequestOutcome,
                       form=EmailOnlyForm(),
                       status=200 if outcome.result in (ConfirmResult.CONFIRMED, ConfirmResult.ALREADY) else 400)


@bp.route("/confirm", methods=["GET", "POST"])
@limiter.limit("5 per hour", methods=["POST"])
def resend_confirmation():
    """Send the confirmation link again."""
    form = EmailOnlyForm()
    if form.validate_on_submit():
        user = services.find_user_by_email(form.email.data)
        if user is not None and not user.email_confirmed:
            services.send_confirmation(user)
        flash(_("Se l'indirizzo corrisponde a un account da confermare, ti abbiamo inviato un nuovo link."), "info")
        return redirect_to(url_for("auth.login"))
    return render_page("auth/resend_confirmation.html", block="form", form=form)


def _neutral_refusal() -> str:
    return _("E-mail o password non corretti. Se hai appena creato l'account, conferma prima il tuo indirizzo con il "
             "link che ti abbiamo inviato.")


REFUSAL_MESSAGES = {
    # A wrong password and a right one of an unconfirmed account get the same answer: otherwise registering an
    # address and then signing in with the password just chosen would tell whether the address had an account.
    LoginRefusal.BAD_CREDENTIALS: _neutral_refusal,
    LoginRefusal.UNCONFIRMED: _neutral_refusal,
    LoginRefusal.PENDING: lambda: _("La tua richiesta di adesione è in attesa di approvazione da parte del "
                                    "referente del tuo ente. Riceverai un'e-mail appena sarà approvata."),
    LoginRefusal.REJECTED: lambda: _("La tua richiesta di adesione non è stata accolta."),
    LoginRefusal.REMOVED: lambda: _("Il tuo account non fa più parte di un ente: rivolgiti al referente del tuo ente."),
}


@bp.route("/login", methods=["GET", "POST"])
def login():
    """Sign in."""
    next_url = safe_next_url(request.args.get("next"))
    if current_user.is_authenticated:
        return redirect_to(next_url or url_for("main.dashboard"))
    form = LoginForm()
    refusal = None
    # Counted before the password is checked, so that simultaneous attempts cannot all slip under the limit.
    attempt = throttle.count_password_attempt(request.form.get("email")) if request.method == "POST" else None
    if form.validate_on_submit():
        user, refusal = services.authenticate(form.email.data, form.password.data)
        if refusal not in (LoginRefusal.BAD_CREDENTIALS, LoginRefusal.UNCONFIRMED):  # the same for both, as above
            attempt.password_was_right()
        if refusal is None:
            login_user(user, remember=form.remember_me.data)
            flash(_("Ti diamo il bentornato, %(name)s.", name=user.full_name), "success")
            return redirect_to(next_url or url_for("main.dashboard"))
    form.password.data = ""
    return render_page("auth/login.html", block="form", form=form, refusal=refusal,
                       refusal_message=REFUSAL_MESSAGES[refusal]() if refusal else None, Refusal=LoginRefusal,
                       status=422 if form.is_submitted() else 200)


@bp.route("/logout", methods=["POST"])
def logout():
    """Sign out (a POST with CSRF, so that no link can sign a person out)."""
    form = EmptyForm()
    if form.validate_on_submit():
        if current_user.is_authenticated:
            # A copy of the session or remember-me cookie replayed later must no longer sign anyone in.
            services.end_sessions(current_user._get_current_object())
        logout_user()
        flash(_("Sessione chiusa: a presto."), "info")
    return redirect_to(url_for("main.index"))


@bp.route("/password", methods=["GET", "POST"])
@login_required
def change_password():
    """Change one's own password; other sessions are signed out."""
    form = ChangePasswordForm(user=current_user)
    # The current password is guessed like a sign-in: the same limits, counted before it is checked.
    attempt = throttle.count_password_attempt(current_user.email) if request.method == "POST" else None
    valid = form.validate_on_submit()
    if attempt is not None and form.current_password.data and not form.current_password.errors:
        attempt.password_was_right()  # only a wrong current password spends the limits
    if valid:
        user = current_user._get_current_object()
        services.change_password(user, form.password.data)
        login_user(user, remember=False)  # the cookie must carry the new session token
        flash(_("Password cambiata. Le altre sessioni aperte sono state chiuse."), "success")
        return redirect_to(url_for("users.profile", user_id=current_user.id))
    return render_page("auth/change_password.html", block="form", form=form,
                       status=422 if form.is_submitted() else 200)


@bp.route("/reset", methods=["GET", "POST"])
@limiter.limit("5 per hour", methods=["POST"])
def request_reset():
    """Ask for a password reset link."""
    form = EmailOnlyForm()
    if form.validate_on_submit():
        services.request_password_reset(form.email.data)
        flash(_("Se l'indirizzo corrisponde a un account, ti abbiamo inviato un link per reimpostare la password. "
                "Il link vale un'ora."), "info")
        return redirect_to(url_for("auth.login"))
    return render_page("auth/request_reset.html", block="form", form=form,
                       status=422 if form.is_submitted() else 200)


@bp.route("/reset/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    """Choose a new password from the emailed link."""
    try:
        user = services.user_for_reset_token(token)
    except TokenExpired:
        return render_page("auth/reset_invalid.html", expired=True, status=400)
    except TokenError:
        return render_page("auth/reset_invalid.html", expired=False, status=400)
    form = ResetPasswordForm(hints=(user.email, user.full_name))
    if form.validate_on_submit():
        services.reset_password(user, form.password.data)
        logout_user()
        flash(_("Password reimpostata: ora puoi accedere con la nuova password."), "success")
        return redirect_to(url_for("auth.login"))
    return render_page("auth/reset_password.html", block="form", form=form, token=token,
                       status=422 if form.is_submitted() else 200)
