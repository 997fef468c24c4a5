"""Errors a registry user can cause; their messages say what to do."""


class RegistryError(ValueError):
    """The registry cannot be opened, or the request breaks one of its rules."""
