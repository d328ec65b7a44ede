"""The one exception type for bad input from people: its message is meant to be shown as is."""


class InputError(ValueError):
    """A file, image or setting the app cannot use; the message is one sentence for the user."""
