from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FollowupConfig(AppConfig):
    name = "vanphong.followup"
    label = "followup"
    verbose_name = _("Follow-up of tasks")

    def ready(self) -> None:
        from vanphong.core import jobs
        from vanphong.followup import permissions  # noqa: F401  (declare permissions and policies)
        from vanphong.followup.tasks import start_reminder_thread

        jobs.register("followup.reminders", start_reminder_thread)
