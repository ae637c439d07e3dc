"""What pages share about forms."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError


def show_service_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """A service's refusal (`ValidationError`, by field or not) on the form:
    beside the field it names when the form has it, else above the form."""
    by_field = error.message_dict if hasattr(error, "error_dict") else {None: error.messages}
    for field, messages in by_field.items():
        form.add_error(field if field in form.fields else None, messages)
