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


class TraceFilter(logging.Filter):
    """Every log line names the W3C trace of its request or job (``trace_id``; "-" outside one),
    so an application log line can be matched with the access log and the processing log."""

    def filter(self, record: logging.LogRecord) -> bool:
        from .tracing import current

        context = current()
        record.trace_id = context.trace_id if context is not None else "-"
        return True
