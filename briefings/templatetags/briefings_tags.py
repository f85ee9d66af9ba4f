"""Template filters for the public pages."""

from django import template
from django.utils.safestring import mark_safe

from ..markdown import render_markdown

register = template.Library()


@register.filter(is_safe=True)
def markdown(text):
    return mark_safe(render_markdown(text))  # cleaned by nh3 above
