from typing import Any

from django import template

from mattran.workspace.navigation import menu_for

register = template.Library()


@register.simple_tag(takes_context=True)
def workspace_menu(context: dict[str, Any]) -> list[dict[str, Any]]:
    request = context["request"]
    return menu_for(request.user, request.path)
