import logging
import re

_BSN = re.compile(r"\b\d{9}\b")
_SECRETISH = re.compile(r"(?i)(password|secret|token|otp|code)=([^&\s]+)")


class ScrubFilter(logging.Filter):
    """Keep personal data and secrets out of logs: nine-digit numbers (BSN-shaped) and
    secret-looking query parameters are masked."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            msg = record.getMessage()
        except Exception:
            return True
        scrubbed = _SECRETISH.sub(r"\1=***", _BSN.sub("*********", msg))
        if scrubbed != msg:
            record.msg, record.args = scrubbed, ()
        return True
