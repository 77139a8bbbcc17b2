"""The names and files stored in clear before are sealed by the migration, and unsealed again
when it is reversed: no applicant's name or file is lost either way."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests.applications.helpers import apply
from xxgk.applications.models import ERASED_NAME, Application, Document

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = ("applications", "0005_sealed_names_and_files")
AFTER = ("applications", "0007_no_name_or_file_in_clear")
SCAN = (Document.Kind.IDENTITY_PROOF, "id.pdf", "application/pdf", b"%PDF-1.4 scan")


def _migrate(target: tuple[str, str]) -> None:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate([target])


def _clear_rows() -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT applicant_name FROM applications_application ORDER BY id")
        names = [row[0] for row in cursor.fetchall()]
        cursor.execute("SELECT content FROM applications_document ORDER BY id")
        files = [bytes(row[0]) for row in cursor.fetchall()]
    return [names, files]


def test_the_names_and_files_are_sealed_and_unsealed_by_the_migration(world):
    kept, _ = apply(world.education, applicant_name="张三", attachments=(SCAN,))
    erased, _ = apply(world.education, applicant_name="李四")
    # What retention leaves of an erased name.
    Application.objects.filter(pk=erased.pk).update(applicant_name_sealed=b"",
                                                    applicant_name_index="")

    _migrate(BEFORE)
    assert _clear_rows() == [["张三", ERASED_NAME], [b"%PDF-1.4 scan"]]

    _migrate(AFTER)
    stored = Application.objects.get(pk=kept.pk)
    assert stored.applicant_name == "张三" and stored.applicant_name_index == kept.applicant_name_index
    assert Application.objects.get(pk=erased.pk).applicant_name == ERASED_NAME
    assert Document.objects.get(application=kept).content == b"%PDF-1.4 scan"
