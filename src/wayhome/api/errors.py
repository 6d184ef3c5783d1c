"""API errors: a service's ValidationError is a 400 with its messages, a stale version
is 412, a missing If-Match is 428; nothing else about the server leaks out."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from rest_framework import status
from rest_framework.exceptions import APIException
from rest_framework.exceptions import ValidationError as DRFValidationError
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from wayhome.core.versioning import StaleVersion


class PreconditionRequired(APIException):
    status_code = 428
    default_detail = _(
        "Send If-Match with the ETag you read: updates without it could overwrite "
        "someone else's change."
    )
    default_code = "precondition_required"


class PreconditionFailed(APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = _(
        "Someone else changed this record since you read it: read it again, then retry."
    )
    default_code = "precondition_failed"


def service_errors(exc: DjangoValidationError) -> Any:
    """A service's ValidationError as DRF error data: by field when it has fields."""
    if hasattr(exc, "error_dict"):
        return {
            ("non_field_errors" if key == "__all__" else key): [str(m) for m in errs[0].messages]
            if len(errs) == 1
            else [m for e in errs for m in e.messages]
            for key, errs in exc.error_dict.items()
        }
    return {"non_field_errors": [str(m) for m in exc.messages]}


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, StaleVersion):
        exc = PreconditionFailed()
    elif isinstance(exc, DjangoValidationError):
        exc = DRFValidationError(service_errors(exc))
    return drf_exception_handler(exc, context)
