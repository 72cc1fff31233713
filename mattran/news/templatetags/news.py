"""``{{ article.body|rich_text }}``: bodies are sanitised on save; rendering sanitises again in case a row was
written some other way (a data load, the Django admin)."""

from django import template
from django.utils.safestring import SafeString, mark_safe

from mattran.news.richtext import sanitize_body

register = template.Library()


@register.filter
def rich_text(value: str | None) -> SafeString:
    return mark_safe(sanitize_body(value or ""))  # noqa: S308 - nh3 allow-list output
