from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "vanphong.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from vanphong.core import permissions  # noqa: F401  (declares permissions and policies)
