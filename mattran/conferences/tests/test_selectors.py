from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from mattran.accounts.models import Role
from mattran.accounts.permissions import Action
from mattran.accounts.tests.factories import user_with_role
from mattran.conferences import selectors
from mattran.conferences.tests.factories import conference_in

pytestmark = pytest.mark.django_db


def test_ward_cadre_sees_only_their_ward(tree: dict[str, Any]) -> None:
    mine = conference_in(tree["bach_mai"])
    conference_in(tree["vinh_tuy"])
    conference_in(tree["district"])
    cadre = user_with_role(Role.CADRE, tree["bach_mai"])
    assert list(selectors.conferences_visible_to(user=cadre)) == [mine]


def test_district_standing_sees_the_wards_below(tree: dict[str, Any]) -> None:
    conferences = {conference_in(tree[k]) for k in ("district", "bach_mai", "vinh_tuy")}
    conference_in(tree["other_commune"])
    standing = user_with_role(Role.STANDING, tree["district"])
    assert set(selectors.conferences_visible_to(user=standing)) == conferences


def test_another_wards_conference_is_404(tree: dict[str, Any]) -> None:
    other = conference_in(tree["vinh_tuy"])
    cadre = user_with_role(Role.CADRE, tree["bach_mai"])
    with pytest.raises(Http404):
        selectors.conference_get_visible(user=cadre, conference_id=other.pk)


def test_viewer_sees_but_may_not_manage(tree: dict[str, Any]) -> None:
    conference = conference_in(tree["bach_mai"])
    viewer = user_with_role(Role.VIEWER, tree["bach_mai"])
    assert selectors.conference_get_visible(user=viewer, conference_id=conference.pk) == conference
    with pytest.raises(PermissionDenied):
        selectors.conference_get_for_action(user=viewer, conference_id=conference.pk,
                                            action=Action.CONFERENCE_MANAGE)
