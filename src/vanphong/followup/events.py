"""The audit events of the follow-up of tasks that are not transitions (those are declared by
`followup.workflow`: "followup.task.cancelled", "followup.report.accepted", ...)."""

from vanphong.core.events import declare

FOLLOWUP_REMINDERS_SENT = declare("followup.reminders.sent")
FOLLOWUP_SOURCE_CREATED = declare("followup.source.created")
FOLLOWUP_FILE_OPENED = declare("followup.file.opened")
FOLLOWUP_URGING_LETTER = declare("followup.urging_letter")
TASK_CREATED = declare("followup.task.created")
TASK_WEIGHT = declare("followup.task.weight")
TASK_ROLLED_UP = declare("followup.task.rolled_up")
TASK_OCCURRENCE = declare("followup.task.occurrence")
REPORT_SUBMITTED = declare("followup.report.submitted")
EXTENSION_REQUESTED = declare("followup.extension.requested")
