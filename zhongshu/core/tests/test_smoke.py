import pytest

from zhongshu.core import authz
from zhongshu.org import permissions as perms
from zhongshu.org.choices import Role


@pytest.mark.django_db
def test_liaison_sees_only_own_unit_people(make_person):
    liaison = make_person(Role.LIAISON)
    other = make_person(Role.LIAISON)
    from zhongshu.org.selectors import people_visible_to

    assert list(people_visible_to(liaison)) == [liaison]
    assert authz.can(liaison, perms.PERSON_VIEW, liaison)
    assert not authz.can(liaison, perms.PERSON_VIEW, other)
