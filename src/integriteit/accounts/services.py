"""Second factor: TOTP devices (django-otp), with guided enrolment; passwords that nobody but
their owner sets (an administrator can only send a one-time link, docs/decisions/0012)."""

import base64
import io

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.db import transaction
from django.middleware.csrf import rotate_token
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from integriteit.audit.services import Actor, record

from .models import User


def confirmed_device(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def pending_device(user: User) -> TOTPDevice:
    """The unconfirmed device being enrolled; created on first use, reused on reload."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)


def secret_for_display(device: TOTPDevice) -> str:
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_svg(device: TOTPDevice) -> str:
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage)
    buffer = io.BytesIO()
    image.save(buffer)
    svg = buffer.getvalue().decode()
    return svg[svg.index("<svg") :]


def verify(request, device: TOTPDevice, token: str) -> bool:
    """Check a token (django-otp throttles repeated failures per device) and mark the session.

    The session gets a new key, and the CSRF token a new value, as at login (Django's `login`
    does both): a key learnt before the second factor must not open a verified session."""
    if not device.verify_token(token):
        return False
    with transaction.atomic():
        if not device.confirmed:
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            record(Actor.of(device.user), "second_factor.enrolled", "user", device.user.pk)
        otp_login(request, device)
    request.session.cycle_key()
    rotate_token(request)
    return True


# --- Passwords and second factors changed by an administrator (docs/decisions/0012) ----------
# The mails say what happened and what to do, never anything of a case (SECURITY.md).


def _warning() -> str:
    return _(
        "If you did not expect this, tell your integrity coordinator or the service desk at "
        "once: someone may be trying to take over your account."
    )


def _mail(address: str, subject: str, body: str) -> None:
    if address:
        send_mail(subject=subject, message=body, from_email=None, recipient_list=[address])


def password_link(user: User) -> str:
    """A one-time link to choose a password: Django's reset token, valid for
    PASSWORD_RESET_TIMEOUT and void once the password is set (or the user logs in)."""
    path = reverse(
        "accounts:set_password",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    return f"{settings.SITE_URL}{path}"


def send_password_link(actor: Actor, user: User) -> bool:
    """An administrator resets a password: the old one stops working at once (which also ends
    the user's sessions) and the person chooses a new one through a one-time link sent to their
    own address. The administrator never sees or sets it. False when there is no address to
    send the link to; then nothing changes."""
    if not user.email:
        return False
    with transaction.atomic():
        user.set_unusable_password()
        user.save(update_fields=["password"])
        record(actor, "password.reset_by_administrator", "user", user.pk)
        link = password_link(user)
        transaction.on_commit(
            lambda: _mail(
                user.email,
                _("Choose a password for Integriteit"),
                _(
                    "An administrator asked you to choose a new password for your Integriteit "
                    "account %(username)s. Your previous password no longer works.\n\n"
                    "Choose one with this link within %(hours)d hours; it works once:\n"
                    "%(link)s\n\n%(warning)s"
                )
                % {
                    "username": user.get_username(),
                    "hours": settings.PASSWORD_RESET_TIMEOUT // 3600,
                    "link": link,
                    "warning": _warning(),
                },
            )
        )
    return True


@transaction.atomic
def password_chosen(user: User, form) -> User:
    """The person set their own password through the link (a SetPasswordForm, validated)."""
    form.save()
    record(Actor.of(user), "password.set", "user", user.pk)
    return user


def notify_second_factor_removed(user: User) -> None:
    """Sent when an administrator removed a second factor (called once it is committed)."""
    _mail(
        user.email,
        _("Your second factor for Integriteit was removed"),
        _(
            "An administrator removed the second factor (authenticator app) of your Integriteit "
            "account %(username)s. At your next login you set up a new one.\n\n%(warning)s"
        )
        % {"username": user.get_username(), "warning": _warning()},
    )


def notify_email_changed(user: User, previous: str) -> None:
    """Sent to the previous address when an administrator changed it: links and notices go to
    the new one from now on, so the owner of the old one must hear of it."""
    _mail(
        previous,
        _("The e-mail address of your Integriteit account was changed"),
        _(
            "An administrator changed the e-mail address of your Integriteit account "
            "%(username)s. Messages about your account now go to the new address.\n\n"
            "%(warning)s"
        )
        % {"username": user.get_username(), "warning": _warning()},
    )
