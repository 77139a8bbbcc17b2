"""The demo's training sessions of 2023: recorded once, audited, attended by every agency."""

import random

import pytest

from xxgk.agencies.models import Agency, AuditEntry
from xxgk.demo import build, oversight
from xxgk.oversight.models import Training

pytestmark = pytest.mark.django_db


def _run():
    return oversight.build_trainings_2023(random.Random("7:trainings"), lambda n: None)


def test_the_seeds_training_is_recorded_once_for_every_department_and_subdistrict_office():
    build.build_agencies(random.Random(7), lambda n: None)
    assert _run() == len(oversight.TRAININGS_2023)
    first = list(Training.objects.order_by("date").values_list("title", "attendees"))
    assert _run() == len(oversight.TRAININGS_2023)
    assert list(Training.objects.order_by("date").values_list("title", "attendees")) == first
    assert Training.objects.count() == len(oversight.TRAININGS_2023)
    assert AuditEntry.objects.filter(action="oversight.training.record").count() == 4
    top = Agency.objects.get(parent=None)
    attended = set(Agency.objects.filter(trainings_attended__title__startswith=oversight.TOPIC)
                   .values_list("pk", flat=True))
    assert attended == set(top.subtree().exclude(pk=top.pk).values_list("pk", flat=True))
    for training in Training.objects.prefetch_related("agencies"):
        assert training.attendees >= training.agencies.count()
