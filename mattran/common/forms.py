"""Putting a service's ValidationError back on the form the user filled in."""

from django import forms
from django.core.exceptions import ValidationError


def attach_errors(form: forms.BaseForm, exc: ValidationError) -> None:
    """Show the service's messages next to the fields they name, the rest at the top of the form."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)
