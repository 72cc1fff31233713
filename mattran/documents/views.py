"""Staff pages of văn bản (/quan-ly/van-ban/): the number register of the issuers the user may see."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from mattran.accounts.permissions import Action
from mattran.documents.selectors import document_numbers_visible_to, document_years_visible_to
from mattran.workspace.access import staff_view


@staff_view(Action.VIEW_UNIT)
def register(request: HttpRequest) -> HttpResponse:
    raw = request.GET.get("nam", "").strip()
    year = int(raw) if raw.isdigit() and 1900 < int(raw) < 3000 else None
    entries = document_numbers_visible_to(user=request.user, year=year)
    page = Paginator(entries, 50).get_page(request.GET.get("trang"))
    context = {"page": page, "year": year, "years": document_years_visible_to(user=request.user)}
    return render(request, "documents/register.html", context)
