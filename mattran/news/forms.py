"""Forms in Vietnamese. They only parse input; the rules live in :mod:`mattran.news.services`."""

from __future__ import annotations

import html
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.safestring import SafeString, mark_safe

from mattran.news.models import Category
from mattran.news.services import COMMENT_BODY_MAX, COMMENT_NAME_MAX
from mattran.organisations.models import AdminUnit


def _attrs(attrs: dict[str, Any]) -> str:
    """Like ``flatatt`` (``True`` → bare attribute, ``False``/``None`` → left out), with the stdlib escape."""
    return "".join(
        f" {name}" if value is True else f' {name}="{html.escape(str(value))}"'
        for name, value in attrs.items()
        if value is not False and value is not None
    )


class _PlainTextInput(forms.TextInput):
    """Renders straight to HTML instead of through the form template engine.

    The comment form is drawn on every article view, the busiest page of the portal, and must never come from a
    cache (it carries the visitor's CSRF token); this keeps that per-request work small. Same markup as Django's.
    """

    def render(self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None) -> SafeString:
        final = self.build_attrs(self.attrs, attrs)
        shown = self.format_value(value)
        if shown is not None:
            final["value"] = shown
        return mark_safe(f'<input type="{self.input_type}" name="{html.escape(name)}"{_attrs(final)}>')  # noqa: S308


class _PlainTextarea(forms.Textarea):
    """See :class:`_PlainTextInput`."""

    def render(self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None) -> SafeString:
        final = self.build_attrs(self.attrs, attrs)
        text = html.escape(str(self.format_value(value) or ""))
        return mark_safe(f'<textarea name="{html.escape(name)}"{_attrs(final)}>\n{text}</textarea>')  # noqa: S308


def _messages(label: str, *, required: str | None = None) -> dict[str, str]:
    return {
        "required": required or f"Vui lòng nhập {label}.",
        "max_length": f"{label.capitalize()} dài tối đa %(limit_value)d ký tự (hiện có %(show_value)d).",
        "min_length": f"{label.capitalize()} cần ít nhất %(limit_value)d ký tự (hiện có %(show_value)d).",
        "null_characters_not_allowed": "Nội dung chứa ký tự không hợp lệ.",
    }


class CommentForm(forms.Form):
    author_name = forms.CharField(
        label="Họ và tên", max_length=COMMENT_NAME_MAX, min_length=2, error_messages=_messages("họ và tên"),
        widget=_PlainTextInput(attrs={"autocomplete": "name"}),
    )
    body = forms.CharField(
        label="Nội dung bình luận", max_length=COMMENT_BODY_MAX, min_length=3,
        error_messages=_messages("nội dung bình luận"),
        widget=_PlainTextarea(attrs={"rows": 5, "maxlength": COMMENT_BODY_MAX}),
        help_text=f"Tối đa {COMMENT_BODY_MAX} ký tự. Bình luận được hiển thị sau khi kiểm duyệt.",
    )
    #: Honeypot: hidden from people (CSS and aria-hidden), filled in by bots that fill in everything.
    website = forms.CharField(
        label="Để trống ô này", required=False,
        widget=_PlainTextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def is_spam(self) -> bool:
        return bool(self.cleaned_data.get("website"))


class ArticleForm(forms.Form):
    unit = forms.ModelChoiceField(
        label="Đơn vị đăng tin", queryset=AdminUnit.objects.none(),
        error_messages={"required": "Vui lòng chọn đơn vị đăng tin.",
                        "invalid_choice": "Bạn không được đăng tin cho đơn vị này."},
    )
    category = forms.ModelChoiceField(
        label="Chuyên mục", queryset=Category.objects.all(), required=False, empty_label="— Chưa phân loại —",
        error_messages={"invalid_choice": "Chuyên mục không tồn tại."},
    )
    title = forms.CharField(label="Tiêu đề", max_length=255, error_messages=_messages("tiêu đề"))
    lead = forms.CharField(
        label="Sapo (đoạn tóm tắt)", required=False, max_length=1000, error_messages=_messages("sapo"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    body = forms.CharField(
        label="Nội dung", required=False, widget=forms.Textarea(attrs={"rows": 16}),
        help_text="Có thể dùng HTML cơ bản: <p>, <strong>, <em>, <a>, danh sách, bảng, <h2>–<h4>. "
                  "Mã script, style và thuộc tính sự kiện sẽ bị loại bỏ khi lưu.",
    )
    source_tag = forms.CharField(
        label="Nguồn tin", required=False, max_length=120, error_messages=_messages("nguồn tin"),
        help_text="Ví dụ: MTTQ quận Hai Bà Trưng",
    )
    author_name = forms.CharField(
        label="Tác giả", required=False, max_length=120, error_messages=_messages("tên tác giả"),
        help_text="Để trống để dùng tên tài khoản của bạn.",
    )
    cover = forms.FileField(
        label="Ảnh đại diện", required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
        help_text="JPEG, PNG hoặc WebP, tối đa 10 MB. Ảnh được thu nhỏ và xóa thông tin EXIF.",
    )

    def __init__(self, *args: Any, units: QuerySet[AdminUnit] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if units is None:
            del self.fields["unit"]
        else:
            self.fields["unit"].queryset = units  # type: ignore[attr-defined]


class PublishForm(forms.Form):
    publish_at = forms.DateTimeField(
        label="Hẹn giờ xuất bản", required=False, input_formats=["%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text="Để trống để xuất bản ngay.",
        error_messages={"invalid": "Thời điểm không hợp lệ (dạng ngày/tháng/năm giờ:phút)."},
    )


class PhotoForm(forms.Form):
    image = forms.FileField(
        label="Ảnh", widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
        error_messages={"required": "Vui lòng chọn một tệp ảnh.", "empty": "Tệp ảnh trống."},
        help_text="JPEG, PNG hoặc WebP, tối đa 10 MB.",
    )
    caption = forms.CharField(label="Chú thích", required=False, max_length=300, error_messages=_messages("chú thích"))
