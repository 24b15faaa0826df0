from django.apps import AppConfig


class BenchConfig(AppConfig):
    """Benchmark data generator and runner (manage.py generate_dataset; python -m bench.run)."""

    name = "bench"
    verbose_name = "Benchmarks"
