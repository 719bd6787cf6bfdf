from django.apps import AppConfig


class ScopingProbeConfig(AppConfig):
    name = "tests.scoping_probe"
    label = "scoping_probe"
