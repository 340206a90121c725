"""Nhập văn bản: upload files into the library, see what happened, correct a wrong field."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import streamlit as st

from explorer import data
from explorer.labels import t, term
from explorer.ui import lang, show_table
from explorer.uploads import (
    MAX_UPLOAD_MB,
    check_upload,
    ingest_uploads,
    save_uploads,
    uploaded_files,
)
from explorer.view import shorten
from graph.corrections import DOCUMENT_FIELDS, TASK_FIELDS, CorrectionError

L = lang()
state = st.session_state
folder = data.data_directory()

st.title(t("ingest.heading", L))
st.caption(t("ingest.kept", L))
for level, text in state.pop("ingest_messages", []):
    getattr(st, level)(text)


def run_ingest(paths: list[Path], rejected: list[dict[str, Any]]) -> None:
    """Ingest `paths` with a progress bar; keep the outcome for the rerun that follows."""
    bar = st.progress(0.0, text=t("ingest.progress", L, name="…", i=0, n=len(paths)))

    def step(done: int, total: int, path: Path) -> None:
        bar.progress(done / max(total, 1), text=t("ingest.progress", L, name=path.name, i=done, n=total))

    with data.open_library() as library:
        report = ingest_uploads(library, paths, progress=step)
    bar.progress(1.0)
    state["ingest_report"] = [
        *rejected,
        *({"name": Path(o.path).name, "status": o.status, "reason": o.reason or ""} for o in report.outcomes),
    ]
    state["ingest_messages"] = [
        *state.get("ingest_messages", []),
        ("success", t("ingest.done", L, **report.counts)),
    ]
    st.rerun()


files = st.file_uploader(
    t("ingest.upload", L, mb=MAX_UPLOAD_MB),
    type=["txt", "docx", "pdf"],
    accept_multiple_files=True,
    key="ingest_files",
    max_upload_size=MAX_UPLOAD_MB,
)
if st.button(t("ingest.start", L), key="ingest_start", type="primary", disabled=not files):
    accepted, rejected, messages = [], [], []
    for upload in files or []:
        content = upload.getvalue()
        refusal = check_upload(upload.name, content)
        if refusal is None:
            accepted.append((upload.name, content))
            continue
        reason = t(f"ingest.{refusal.reason}", L, size=refusal.detail, mb=MAX_UPLOAD_MB)
        if refusal.reason in ("binary", "not_docx", "not_pdf") and refusal.detail:
            reason += f" ({refusal.detail})"
        messages.append(("error", t("ingest.rejected", L, name=upload.name, reason=reason)))
        rejected.append({"name": upload.name, "status": "rejected", "reason": reason})
    state["ingest_messages"] = messages
    if accepted:
        run_ingest(save_uploads(folder, accepted), rejected)
    else:
        state["ingest_report"] = rejected
        state["ingest_messages"] = [*messages, ("error", t("ingest.nothing_changed", L))]
        st.rerun()

if state.get("ingest_report"):
    st.subheader(t("ingest.results", L))
    show_table(
        [
            {
                t("columns.file", L): r["name"],
                t("columns.result", L): term("ingest_status", r["status"], L),
                t("columns.reason", L): r["reason"],
            }
            for r in state["ingest_report"]
        ],
        key="ingest_results",
    )

saved = uploaded_files(folder)
snap = data.snapshot()
records = snap.records if snap else {}
if saved:
    st.subheader(t("ingest.uploaded", L))
    show_table(
        [
            {
                t("columns.file", L): p.name,
                t("columns.ref", L): ((records.get(str(p.resolve())) or {}).get("document") or {}).get("ref")
                or "",
                t("columns.tasks", L): len((records.get(str(p.resolve())) or {}).get("tasks") or []),
            }
            for p in saved
        ],
        key="ingest_saved",
    )
    if st.button(t("ingest.reingest", L), key="ingest_reingest"):
        run_ingest(saved, [])

if not records:
    st.stop()

st.subheader(t("ingest.correct", L))
uploads = [str(p.resolve()) for p in saved if str(p.resolve()) in records]
paths = [*uploads, *sorted(p for p in records if p not in uploads)]


def doc_name(path: str) -> str:
    document = records[path].get("document") or {}
    return f"{Path(path).name} · {document.get('ref') or '—'} · {shorten(document.get('subject'), 70)}"


path = st.selectbox(t("ingest.correct_doc", L), paths, key="ingest_correct_doc", format_func=doc_name)
record = records[path]
target = st.radio(
    t("ingest.correct_target", L),
    ("task", "document"),
    key="ingest_correct_target",
    horizontal=True,
    format_func=lambda x: t(f"ingest.target_{x}", L),
)
current: Any = None
if target == "task":
    tasks = {str(task["id"]): task for task in record.get("tasks") or []}
    if not tasks:
        st.caption(t("app.nothing", L))
        st.stop()
    task_id = st.selectbox(
        t("ingest.correct_task", L),
        list(tasks),
        key="ingest_correct_task",
        format_func=lambda i: f"{i}. {tasks[i]['text'][:110]}",
    )
    field = st.selectbox(
        t("ingest.correct_field", L),
        TASK_FIELDS,
        key="ingest_correct_field_task",
        format_func=lambda f: t(f"facts.{f}", L),
    )
    key, current = f"{path}#{task_id}", tasks[task_id].get(field)
else:
    field = st.selectbox(
        t("ingest.correct_field", L),
        DOCUMENT_FIELDS,
        key="ingest_correct_field_document",
        format_func=lambda f: t(f"facts.{f}", L),
    )
    key, current = path, (record.get("document") or {}).get(field)
shown = "; ".join(current) if isinstance(current, list) else current
st.caption(t("ingest.current", L, value=shown if shown not in (None, "") else "—"))
value = st.text_input(t("ingest.correct_value", L), key="ingest_correct_value")
note = st.text_input(t("ingest.correct_note", L), key="ingest_correct_note")
if st.button(t("ingest.correct_save", L), key="ingest_correct_save", disabled=not value.strip()):
    given: Any = value.strip()
    if field in ("lead", "support"):
        given = [name.strip() for name in given.split(";") if name.strip()]
    elif field == "deadline" and given.casefold() in ("none", "không", "khong", "-"):
        given = None
    try:
        with data.open_library() as library:
            saved_corrections = library.add_corrections(target, key, {field: given}, note or None)
    except CorrectionError as exc:
        st.error(t("ingest.correct_failed", L, error=exc))
    else:
        state["ingest_messages"] = [
            ("success", t("ingest.correct_saved", L, id=c.id, what=c.describe())) for c in saved_corrections
        ]
        st.rerun()
