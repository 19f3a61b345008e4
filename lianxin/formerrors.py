"""Put a service's ValidationError on the form that submitted it, field by field where it can."""


def apply_validation_error(form, exc):
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)
