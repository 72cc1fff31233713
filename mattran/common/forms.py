"""Putting a service's refusal in front of the user: on the form they filled in, or as a message."""

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError


def attach_errors(form: forms.BaseForm, exc: ValidationError) -> None:
    """Show the service's messages next to the fields they name, the rest at the top of the form."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def refusal_message(exc: ValidationError | PermissionDenied) -> str:
    """The reason a service gave for refusing, in Vietnamese, as one line for a message on the next page."""
    return " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
