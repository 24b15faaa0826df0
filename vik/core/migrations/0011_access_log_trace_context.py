"""W3C trace context on the access log (issue #24 item 3): ``trace_id`` and ``span_id`` columns.

Both start as ``''`` for the rows already there (a constant default: no table rewrite, whatever
the size of the log). The default then becomes the transaction-local setting ``vik.trace_id`` /
``vik.span_id``, which ``vik.core.accesslog`` sets in the very statement that calls
``core_accesslog_append``: the append function (and its hash) stay as they are, so every row
old and new verifies as before (ADR 0006: the trace ids are correlation data outside the chain;
the rows stay insert-only by trigger). A partial index finds the rows of one trace (which user
stood behind a processing-log record) without weighing on rows that have none."""

from django.db import migrations, models

SQL = r"""
ALTER TABLE core_accesslog
    ADD COLUMN IF NOT EXISTS trace_id varchar(32) NOT NULL DEFAULT '',
    ADD COLUMN IF NOT EXISTS span_id varchar(16) NOT NULL DEFAULT '';
ALTER TABLE core_accesslog
    ALTER COLUMN trace_id SET DEFAULT coalesce(current_setting('vik.trace_id', true), ''),
    ALTER COLUMN span_id SET DEFAULT coalesce(current_setting('vik.span_id', true), '');
CREATE INDEX IF NOT EXISTS core_accesslog_trace ON core_accesslog (trace_id) WHERE trace_id <> '';
"""

REVERSE = r"""
DROP INDEX IF EXISTS core_accesslog_trace;
ALTER TABLE core_accesslog DROP COLUMN IF EXISTS trace_id, DROP COLUMN IF EXISTS span_id;
"""


class Migration(migrations.Migration):
    dependencies = [("core", "0010_merge_parallel_work")]
    operations = [
        migrations.RunSQL(SQL, REVERSE),
        migrations.AddField(
            model_name="accesslog",
            name="trace_id",
            field=models.CharField(blank=True, default="", max_length=32),
        ),
        migrations.AddField(
            model_name="accesslog",
            name="span_id",
            field=models.CharField(blank=True, default="", max_length=16),
        ),
    ]
