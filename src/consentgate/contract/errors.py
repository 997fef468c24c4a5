"""The error every source check raises (its own module so that the readers of each kind of
source can raise it without importing one another)."""


class ContractError(ValueError):
    """The source does not follow the data contract; the message names what is wrong."""
