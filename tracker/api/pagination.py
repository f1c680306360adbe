"""Pagination shared by every list endpoint."""

from rest_framework import pagination


class PageNumberPagination(pagination.PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 200
    invalid_page_message = "صفحه نامعتبر است."
