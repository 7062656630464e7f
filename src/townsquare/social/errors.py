"""Domain errors; the HTTP layer maps each to a 4xx status with the message as is."""


class SocialError(Exception):
    """Base class; ``str(error)`` is a message meant for the person who caused it."""


class InvalidInput(SocialError):
    pass


class NotFound(SocialError):
    pass


class Conflict(SocialError):
    pass


class Forbidden(SocialError):
    pass


class AuthenticationFailed(SocialError):
    pass
