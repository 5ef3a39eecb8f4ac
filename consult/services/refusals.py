"""The one way a service says no: `Refused(code, **details)`, the code as "area.reason".

The code names the rule that refused ("comment.duplicate", "upload.too_large"); details carry what a
message needs to be exact (a size limit, a file type, the field concerned). Services never word the
message themselves: consult/refusals.py turns each code into a translated sentence for the page, and
the commands print the same sentence in English.
"""
from __future__ import annotations


class Refused(Exception):
    """A service will not do what was asked; nothing was changed."""

    def __init__(self, code: str, *, field: str | None = None, **details):
        super().__init__(code)
        self.code = code
        self.field = field  # the input the refusal is about, for forms that show it beside that field
        self.details = details

    @property
    def reason(self) -> str:
        """The code without its area: "duplicate" for "comment.duplicate"."""
        return self.code.rpartition(".")[2]
