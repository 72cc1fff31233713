"""Statement import jobs for tests (the upload path is exercised through ``import_job_create`` itself)."""

from __future__ import annotations

from typing import Any

import factory

from mattran.accounts.tests.factories import UserFactory
from mattran.funds.models import ImportStatus, StatementImportJob


class StatementImportJobFactory(factory.django.DjangoModelFactory[StatementImportJob]):
    class Meta:
        model = StatementImportJob

    account_number = factory.Sequence(lambda n: f"0011002{n:06d}")
    bank = "Vietcombank"
    holder = "Ban vận động cứu trợ"
    created_by = factory.SubFactory(UserFactory)
    files = factory.LazyFunction(lambda: [{"name": "sao_ke.csv", "size": 10, "sha256": "0" * 64}])
    status = ImportStatus.QUEUED


def import_job_in(unit: Any, **kwargs: Any) -> StatementImportJob:
    """A queued job for a new account to be managed by ``unit``."""
    return StatementImportJobFactory(unit=unit, **kwargs)
