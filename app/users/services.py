"""Operations on one's own account."""
from __future__ import annotations

from app.extensions import db
from app.models import User


def update_profile(user: User, full_name: str, job_title: str, locale: str, notification_email: str) -> None:
    """Save the person's name, role, language and e-mail preference."""
    user.full_name = full_name.strip()
    user.job_title = (job_title or "").strip()
    user.locale = locale
    user.notification_email = notification_email
    db.session.commit()


def set_locale(user: User, locale: str) -> None:
    """Remember the interface language on the account."""
    user.locale = locale
    db.session.commit()
