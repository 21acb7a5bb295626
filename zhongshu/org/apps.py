from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "zhongshu.org"
    label = "org"
    verbose_name = "组织机构"

    def ready(self) -> None:
        from . import permissions

        permissions.register()
        _register_nav()
        _register_audit()


def _register_nav() -> None:
    from zhongshu.core import nav

    from . import permissions as perms

    nav.register(nav.Entry("系统管理", "单位", "org:unit_list", perms.UNIT_MANAGE, 10))
    nav.register(nav.Entry("系统管理", "人员", "org:person_list", perms.PERSON_MANAGE, 20))
    nav.register(nav.Entry("系统管理", "导入", "org:import", perms.ORG_IMPORT, 40))
    nav.register(nav.Entry("工作台", "通讯录", "org:directory", perms.PERSON_VIEW, 90))


def _register_audit() -> None:
    """Chinese labels of the org verbs and the timelines of units and people."""
    from zhongshu.audit import timelines, verbs

    from . import permissions as perms
    from .models import Person, Unit
    from .services import VERB_LABELS

    for verb, label in VERB_LABELS.items():
        verbs.register(verb, label)
    timelines.register(Unit, view_perm=perms.UNIT_VIEW)
    timelines.register(Person, view_perm=perms.PERSON_VIEW)
