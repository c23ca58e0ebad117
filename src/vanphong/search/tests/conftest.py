from vanphong.documents.tests.conftest import office  # noqa: F401  (the documents' office fixture)
