"""What every app's pages share: running a service for a POST and showing its refusals."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest


def errors_to_form(form: forms.BaseForm, error: ValidationError) -> None:
    """A service's refusal shown on the form: each message on its field, the others above it."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def show_errors(request: HttpRequest, source: ValidationError | forms.BaseForm) -> None:
    """A refusal (or an invalid form) as messages on the next page."""
    texts = (
        source.messages
        if isinstance(source, ValidationError)
        else [str(text) for errors in source.errors.values() for text in errors]
    )
    for text in texts:
        messages.error(request, text)


def run(request: HttpRequest, call: Callable[[], Any], success: str) -> bool:
    """Run a service call for a POST: its refusals become messages, its success one message."""
    try:
        call()
    except ValidationError as error:
        show_errors(request, error)
        return False
    messages.success(request, success)
    return True
