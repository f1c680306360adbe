"""The page «ورود اطلاعات از فایل»: upload (a preview first), the job's progress and report,
confirmation, the user's history, and the templates (empty exports). Selectors read,
services write."""

from __future__ import annotations

import tempfile
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from dashboard import exports
from dashboard.export_views import KINDS as EXPORTS
from tracker.exceptions import ApplicationError
from tracker.pages import forbidden, query_without_page, refusal_messages

from . import selectors, services
from .choices import ImportKind, ImportStatus
from .forms import ImportHistoryFilter, ImportUploadForm
from .kinds import KINDS
from .models import ImportJob

PAGE_SIZE = 20


def _history(request: HttpRequest) -> tuple[ImportHistoryFilter, Any]:
    history = ImportHistoryFilter(request.GET or None)
    qs = selectors.import_job_list_for_user(user=request.user)
    if history.is_valid():
        if history.cleaned_data["kind"]:
            qs = qs.filter(kind=history.cleaned_data["kind"])
        if history.cleaned_data["status"]:
            qs = qs.filter(status=history.cleaned_data["status"])
    page = Paginator(qs.order_by("-created_at", "-id"), PAGE_SIZE).get_page(request.GET.get("page"))
    return history, page


@login_required
def import_page(request: HttpRequest) -> HttpResponse:
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            job = services.import_job_create(
                actor=request.user,
                kind=form.cleaned_data["kind"],
                upload=form.cleaned_data["file"],
                dry_run=True,
                keep_file=True,
            )
        except ApplicationError as exc:
            if exc.status == 403:
                return forbidden(request, exc.message)
            form.add_error(None, exc.message)
        except ValidationError as exc:
            for name, errors in exc.message_dict.items():
                form.add_error(name if name in form.fields else None, errors)
        else:
            return redirect(job)
    history, page = _history(request)
    return render(
        request,
        "imports/importjob_list.html",
        {
            "form": form,
            "filter": history,
            "page": page,
            "query": query_without_page(request),
            "kinds": ImportKind.choices,
        },
        status=400 if request.method == "POST" else 200,
    )


def _highlight(job: ImportJob) -> list[dict[str, Any]]:
    """The preview's sheets with each cell marked when an error names it."""
    marked: dict[tuple[str, int], dict[str, list[str]]] = {}
    for error in job.errors:
        marked.setdefault((error["sheet"], error["row"]), {}).setdefault(
            error["column"], []
        ).append(error["message"])
    sheets = []
    for sheet in (job.preview or {}).get("sheets", []):
        headers = sheet["headers"]
        rows = []
        for number, *cells in sheet["rows"]:
            errors = marked.get((sheet["sheet"], number), {})
            rows.append(
                {
                    "number": number,
                    "row_error": "؛ ".join(errors.get("", [])),
                    "cells": [
                        {
                            "value": value,
                            "error": "؛ ".join(errors.get(headers[i], []))
                            if i < len(headers)
                            else "",
                        }
                        for i, value in enumerate(cells)
                    ],
                }
            )
        sheets.append({"title": sheet["sheet"], "headers": headers, "rows": rows})
    return sheets


@login_required
def import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        job = selectors.import_job_get_for_user(user=request.user, pk=pk)
    except ImportJob.DoesNotExist:
        raise Http404 from None
    progress = selectors.import_job_progress(job)
    finished = job.status in (ImportStatus.DONE, ImportStatus.FAILED)
    return render(
        request,
        "imports/importjob_detail.html",
        {
            "job": job,
            "progress": progress,
            "finished": finished,
            "sheets": _highlight(job) if finished else [],
            "confirmable": finished
            and job.dry_run
            and job.status == ImportStatus.DONE
            and not job.error_count
            and bool(job.file),
        },
    )


@login_required
@require_POST
def import_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        job = selectors.import_job_get_for_user(user=request.user, pk=pk)
    except ImportJob.DoesNotExist:
        raise Http404 from None
    try:
        confirmed = services.import_job_confirm(actor=request.user, job=job)
    except (ApplicationError, ValidationError) as exc:
        for message in refusal_messages(exc):
            messages.error(request, message)
        return redirect(job)
    return redirect(confirmed)


#: Extra columns of a workbook's template: the references rows of one sheet give another.
_REFERENCE_HEADERS = {"meetings": ["مرجع"], "action-items": ["مرجع جلسه"]}


@login_required
def import_template(request: HttpRequest, kind: str, suffix: str) -> HttpResponseBase:
    """An empty export (the headers the import reads); for a workbook, one sheet per kind."""
    if suffix not in ("csv", "xlsx") or (kind not in KINDS and kind != ImportKind.WORKBOOK):
        raise Http404
    if kind == ImportKind.WORKBOOK:
        if suffix != "xlsx":
            raise Http404
        return _workbook_template()
    spec = EXPORTS[kind]
    name = f"{kind}-template.{suffix}"
    if suffix == "csv":
        return exports.csv_response([], spec.columns, name)
    return exports.xlsx_response([], spec.columns, name, spec.sheet_title)


def _workbook_template() -> FileResponse:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    for name, kind in KINDS.items():
        sheet = workbook.create_sheet(title=kind.sheet_titles[0])
        sheet.sheet_view.rightToLeft = True
        headers = [c.header for c in EXPORTS[name].columns]
        sheet.append([*headers, *_REFERENCE_HEADERS.get(name, [])])
    handle = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 - FileResponse closes it
    workbook.save(handle)
    handle.seek(0)
    response = FileResponse(handle, content_type=exports.XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = 'attachment; filename="workbook-template.xlsx"'
    return response
