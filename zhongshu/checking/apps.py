from django.apps import AppConfig


class CheckingConfig(AppConfig):
    name = "zhongshu.checking"
    label = "checking"
    verbose_name = "文字校核"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from zhongshu.audit import timelines, verbs
        from zhongshu.core import nav

        from . import corpus, selectors, sources
        from . import permissions as perms
        from .models import DictionaryEntry, Dismissal
        from .services import VERB_LABELS

        nav.register(nav.Entry("系统管理", "校核词典", "checking:dictionary", perms.DICTIONARY_MANAGE, 50))
        for verb, label in VERB_LABELS.items():
            verbs.register(verb, label)
        timelines.register(DictionaryEntry, view_perm=perms.DICTIONARY_MANAGE)
        timelines.register(Dismissal, view_perm=perms.DICTIONARY_MANAGE)
        corpus.register("tracking", sources.closed_item_texts)
        selectors.register_document("tracking:item", sources.may_see_item)
