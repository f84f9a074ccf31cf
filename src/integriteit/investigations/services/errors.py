"""The refusals of the investigation services; the message says why in the user's language."""


class InvestigationError(Exception):
    """A request that cannot be carried out; the message says why in the user's language."""


class StepRefused(InvestigationError):
    def __init__(self, reasons: list[str]):
        super().__init__(" ".join(reasons))
        self.reasons = reasons
