"""Numbers written the Dutch way, in one place (templates use the ``nl_number`` filter)."""


def nl_int(value: int) -> str:
    """5000 -> "5.000": a dot between thousands."""
    return f"{value:,}".replace(",", ".")
