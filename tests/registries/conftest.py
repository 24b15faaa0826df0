from tests.registries.standin_fixture import registry_standin, registry_standin_server  # noqa: F401
