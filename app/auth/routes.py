"""Account pages."""
from __future__ import annotations

from flask import current_app, flash, g, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from app.auth import bp, services
from app.auth.forms import ChangePasswordForm, EmailOnlyForm, LoginForm, RegistrationForm, ResetPasswordForm
from app.auth.services import ConfirmResult, LoginRefusal
from app.auth.tokens import TokenError, TokenExpired
from app.extensions import limiter
from app.web import EmptyForm, redirect_to, render_page, safe_next_url


def _login_account_key() -> str:
    return "account:" + (request.form.get("email") or "").strip().lower()


def _failed_login(response) -> bool:
    return bool(g.get("login_failed"))


def _address_limit() -> str:
    return current_app.config["LOGIN_LIMIT_PER_ADDRESS"]


def _account_limit() -> str:
    return current_app.config["LOGIN_LIMIT_PER_ACCOUNT"]


@bp.route("/register", methods=["GET", "POST"])
@limiter.limit("10 per hour", methods=["POST"])
def register():
    """Create an account: join an organisation or ask for a new one."""
    if current_user.is_authenticated:
        return redirect_to(url_for("main.index"))
    form = RegistrationForm()
    if form.validate_on_submit():
        try:
            user = services.register(form)
        except services.DuplicateAccount:
            form.email.errors.append(_("Esiste già un account con questo indirizzo e-mail. Puoi accedere o "
                                       "reimpostare la password."))
        else:
            return redirect_to(url_for("auth.registered", email=user.email))
    return render_page("auth/register.html", block="form", form=form,
                       status=422 if form.is_submitted() else 200)


@bp.route("/registered")
def registered():
    """After registration: what happens next."""
    return render_page("auth/registered.html", email=request.args.get("email", ""))


@bp.route("/confirm/<token>")
def confirm_email(token: str):
    """Confirm the e-mail address from the emailed link."""
    outcome = services.confirm_email(token)
    return render_page("auth/confirmed.html", outcome=outcome, Result=ConfirmResult,
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


REFUSAL_MESSAGES = {
    LoginRefusal.BAD_CREDENTIALS: lambda: _("E-mail o password non corretti."),
    LoginRefusal.UNCONFIRMED: lambda: _("Conferma prima il tuo indirizzo e-mail: ti abbiamo inviato un link."),
    LoginRefusal.PENDING: lambda: _("La tua richiesta di adesione è in attesa di approvazione da parte del "
                                    "referente del tuo ente. Riceverai un'e-mail appena sarà approvata."),
    LoginRefusal.REJECTED: lambda: _("La tua richiesta di adesione non è stata accolta."),
    LoginRefusal.REMOVED: lambda: _("Il tuo account non fa più parte di un ente: rivolgiti al referente del tuo ente."),
}


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_address_limit, methods=["POST"], deduct_when=_failed_login,
               error_message="login-address")
@limiter.limit(_account_limit, methods=["POST"], key_func=_login_account_key, deduct_when=_failed_login,
               error_message="login-account")
def login():
    """Sign in."""
    next_url = safe_next_url(request.args.get("next"))
    if current_user.is_authenticated:
        return redirect_to(next_url or url_for("main.index"))
    form = LoginForm()
    refusal = None
    if form.validate_on_submit():
        user, refusal = services.authenticate(form.email.data, form.password.data)
        if refusal is None:
            login_user(user, remember=form.remember_me.data)
            flash(_("Bentornato, %(name)s.", name=user.full_name), "success")
            return redirect_to(next_url or url_for("main.index"))
        g.login_failed = refusal == LoginRefusal.BAD_CREDENTIALS
    elif form.is_submitted():
        g.login_failed = True
    form.password.data = ""
    return render_page("auth/login.html", block="form", form=form, refusal=refusal,
                       refusal_message=REFUSAL_MESSAGES[refusal]() if refusal else None, Refusal=LoginRefusal,
                       status=422 if form.is_submitted() else 200)


@bp.route("/logout", methods=["POST"])
def logout():
    """Sign out (a POST with CSRF, so that no link can sign a person out)."""
    form = EmptyForm()
    if form.validate_on_submit():
        logout_user()
        flash(_("Sei uscito dalla piattaforma."), "info")
    return redirect_to(url_for("main.index"))


@bp.route("/password", methods=["GET", "POST"])
@login_required
def change_password():
    """Change one's own password; other sessions are signed out."""
    form = ChangePasswordForm(user=current_user)
    if form.validate_on_submit():
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
