from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FiguresConfig(AppConfig):
    name = "amends.figures"
    verbose_name = _("Figures")

    def ready(self) -> None:
        from django.db.backends.signals import connection_created

        from amends.figures.aggregates import add_sqlite_percentile

        connection_created.connect(add_sqlite_percentile, dispatch_uid="amends.figures.percentile")
