"""The hand-built dataset, built once for each test module that asks for it and rolled back after the module."""

from collections.abc import Iterator
from typing import Any

import pytest
from django.db import transaction

from tests.figures.dataset import Dataset, build_dataset


@pytest.fixture(scope="module")
def dataset(django_db_setup: None, django_db_blocker: Any) -> Iterator[Dataset]:
    with django_db_blocker.unblock(), transaction.atomic():
        built = build_dataset()
        yield built
        transaction.set_rollback(True)
