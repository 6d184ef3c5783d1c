"""WebAuthn (security keys, passkeys) as a second factor, with py_webauthn.

Registration and login are two steps each: ``*_begin`` makes the options for the
browser and keeps the one-time challenge in the session; ``*_finish`` checks the
browser's answer against it (origin, relying party, signature, signature counter)
and writes, audited. The relying party is the host the user reached (Django has
checked it against ALLOWED_HOSTS) unless ``WAYHOME_WEBAUTHN_RP_ID`` says otherwise.
"""

from __future__ import annotations

import json
from typing import Any, cast

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from webauthn import (
    generate_authentication_options,
    generate_registration_options,
    options_to_json,
    verify_authentication_response,
    verify_registration_response,
)
from webauthn.helpers import base64url_to_bytes, bytes_to_base64url
from webauthn.helpers.exceptions import (
    InvalidAuthenticationResponse,
    InvalidJSONStructure,
    InvalidRegistrationResponse,
)
from webauthn.helpers.structs import (
    AuthenticatorSelectionCriteria,
    PublicKeyCredentialDescriptor,
    ResidentKeyRequirement,
    UserVerificationRequirement,
)

from wayhome.accounts.models import User, WebAuthnKey
from wayhome.audit.models import AuditEvent
from wayhome.audit.services import audit_record

REGISTER_CHALLENGE = "wayhome_webauthn_register"
LOGIN_CHALLENGE = "wayhome_webauthn_login"
MAX_KEYS = 10


def relying_party(request: HttpRequest) -> tuple[str, str]:
    """(rp id, expected origin) for this request."""
    host = request.get_host()
    rp_id = getattr(settings, "WEBAUTHN_RP_ID", "") or host.rsplit(":", 1)[0]
    scheme = "https" if request.is_secure() else "http"
    return rp_id, f"{scheme}://{host}"


def keys_of(user: User) -> list[WebAuthnKey]:
    return list(WebAuthnKey.objects.filter(user=user, confirmed=True).order_by("created_at"))


def _descriptors(user: User) -> list[PublicKeyCredentialDescriptor]:
    return [
        PublicKeyCredentialDescriptor(id=base64url_to_bytes(k.credential_id)) for k in keys_of(user)
    ]


def registration_begin(request: HttpRequest, user: User) -> str:
    """Options (JSON) for adding a key; the challenge waits in the session."""
    rp_id, _origin = relying_party(request)
    options = generate_registration_options(
        rp_id=rp_id,
        rp_name="wayhome",
        user_id=user.uuid.bytes,
        user_name=user.get_username(),
        exclude_credentials=_descriptors(user),
        authenticator_selection=AuthenticatorSelectionCriteria(
            resident_key=ResidentKeyRequirement.DISCOURAGED,
            user_verification=UserVerificationRequirement.PREFERRED,
        ),
    )
    request.session[REGISTER_CHALLENGE] = bytes_to_base64url(options.challenge)
    return options_to_json(options)


def _challenge(request: HttpRequest, key: str) -> bytes:
    """The pending challenge, used once whatever happens next."""
    value = request.session.pop(key, "")
    if not value:
        raise ValidationError(_("Start again: the request to your key has expired."))
    return base64url_to_bytes(value)


@transaction.atomic
def registration_finish(
    request: HttpRequest, user: User, credential: dict[str, Any], name: str
) -> WebAuthnKey:
    """Check the new key's answer and store its public key."""
    challenge = _challenge(request, REGISTER_CHALLENGE)
    name = name.strip()[:64] or _("Security key")
    if WebAuthnKey.objects.filter(user=user).count() >= MAX_KEYS:
        raise ValidationError(_("Remove a key before adding another one."))
    rp_id, origin = relying_party(request)
    try:
        verified = verify_registration_response(
            credential=credential,
            expected_challenge=challenge,
            expected_rp_id=rp_id,
            expected_origin=origin,
        )
    except (InvalidRegistrationResponse, InvalidJSONStructure, ValueError, KeyError) as exc:
        raise ValidationError(_("The key's answer could not be verified.")) from exc
    credential_id = bytes_to_base64url(verified.credential_id)
    if WebAuthnKey.objects.filter(credential_id=credential_id).exists():
        raise ValidationError(_("This key is already registered."))
    key: WebAuthnKey = WebAuthnKey.objects.create(
        user=user,
        name=name,
        confirmed=True,
        credential_id=credential_id,
        public_key=verified.credential_public_key,
        sign_count=verified.sign_count,
        transports=[str(t) for t in credential.get("response", {}).get("transports", [])][:8],
    )
    audit_record(
        actor=user,
        action=AuditEvent.Action.CREATE,
        changes={"second_factor": "webauthn", "key": str(key.uuid), "name": name},
    )
    return key


def authentication_begin(request: HttpRequest, user: User) -> str:
    """Options (JSON) for signing in with one of the user's keys."""
    descriptors = _descriptors(user)
    if not descriptors:
        raise ValidationError(_("No security key is registered for this account."))
    rp_id, _origin = relying_party(request)
    options = generate_authentication_options(
        rp_id=rp_id,
        allow_credentials=descriptors,
        user_verification=UserVerificationRequirement.PREFERRED,
    )
    request.session[LOGIN_CHALLENGE] = bytes_to_base64url(options.challenge)
    return options_to_json(options)


@transaction.atomic
def authentication_finish(
    request: HttpRequest, user: User, credential: dict[str, Any]
) -> WebAuthnKey:
    """Check a key's signature; a counter that went backwards means a cloned key."""
    challenge = _challenge(request, LOGIN_CHALLENGE)
    key = (
        WebAuthnKey.objects.select_for_update()
        .filter(user=user, confirmed=True, credential_id=str(credential.get("id", "")))
        .first()
    )
    if key is None:
        raise ValidationError(_("This key is not registered for this account."))
    rp_id, origin = relying_party(request)
    try:
        verified = verify_authentication_response(
            credential=credential,
            expected_challenge=challenge,
            expected_rp_id=rp_id,
            expected_origin=origin,
            credential_public_key=bytes(key.public_key),
            credential_current_sign_count=key.sign_count,
        )
    except (InvalidAuthenticationResponse, InvalidJSONStructure, ValueError, KeyError) as exc:
        raise ValidationError(_("The key's answer could not be verified.")) from exc
    key.sign_count = verified.new_sign_count
    key.last_used_at = timezone.now()
    key.save(update_fields=["sign_count", "last_used_at"])
    return cast(WebAuthnKey, key)


@transaction.atomic
def key_remove(*, actor: User, key: WebAuthnKey) -> None:
    if key.user_id != actor.pk:
        raise PermissionError("Not this user's key.")
    audit_record(
        actor=actor,
        action=AuditEvent.Action.DELETE,
        changes={"second_factor": "webauthn", "key": str(key.uuid), "name": key.name},
    )
    key.delete()


def parse_credential(body: bytes) -> tuple[dict[str, Any], str]:
    """The browser's JSON: {"credential": {...}, "name": "..."}; bad JSON is a user error."""
    try:
        data = json.loads(body or b"{}")
    except ValueError as exc:
        raise ValidationError(_("The browser's answer was not readable.")) from exc
    credential = data.get("credential") if isinstance(data, dict) else None
    if not isinstance(credential, dict):
        raise ValidationError(_("The browser's answer was not readable."))
    name = data.get("name", "")
    return credential, name if isinstance(name, str) else ""
