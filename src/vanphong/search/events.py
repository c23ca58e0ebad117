"""The audit events of search and OCR: the vocabulary of its entries in the audit log."""

from vanphong.core.events import declare

ATTACHMENT_OCR = declare("attachment.ocr")
