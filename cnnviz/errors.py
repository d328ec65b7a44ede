"""The exception types for bad input from people: their messages are meant to be shown as they are."""


class InputError(ValueError):
    """A file, image or setting the app cannot use; the message is one sentence for the user."""


class NoDigitError(InputError):
    """An image with nothing on it that stands out from the paper: blank, or nearly so."""
