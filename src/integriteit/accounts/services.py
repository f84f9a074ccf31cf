"""Second factor: TOTP devices (django-otp), with guided enrolment."""

import base64
import io

import qrcode
import qrcode.image.svg
from django.db import transaction
from django.middleware.csrf import rotate_token
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
