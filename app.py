"""chidao explorer: `streamlit run app.py` (the library is $CHIDAO_DATA's, as for the CLI).

The router only: page setup, the session keys every page shares, the sidebar, the pages.
Each page is one file in app_pages/; the data and the words are in explorer/.
"""

from __future__ import annotations

from datetime import date

import streamlit as st

from explorer import data
from explorer.labels import LANGUAGES, t
from explorer.view import PAGE_PATHS

st.set_page_config(page_title="chidao", page_icon=":material/account_tree:", layout="wide")

state = st.session_state
state.setdefault("lang", "vi")  # the interface language: "vi" (default) or "en"
state.setdefault("as_of", date.today())  # the day "due soon" and "overdue" are counted from
state.setdefault("selected_goal", None)  # goal id (57.SOL.1) chosen on Overview or Goals, shown by Goals
state.setdefault("selected_doc", None)  # document key the Documents page shows
state.setdefault("selected_task", None)  # task key outlined in that document, or None
state.setdefault("selected_unit", None)  # organisation key the Units page shows

lang = state["lang"]
with st.sidebar:
    st.radio(
        t("app.language", lang),
        LANGUAGES,
        key="lang",
        horizontal=True,
        format_func=lambda code: {"vi": "Tiếng Việt", "en": "English"}[code],
    )
    lang = state["lang"]
    st.date_input(t("app.as_of", lang), key="as_of", format="DD/MM/YYYY")
    backend = data.backend()
    if backend.name == "neo4j" and backend.error is None:
        st.caption(f"{t('app.store', lang)}: {t('app.store_neo4j', lang, uri=backend.uri)}")
    else:
        st.caption(f"{t('app.store', lang)}: {t('app.store_embedded', lang)}")
        if backend.error:
            st.warning(t("app.store_neo4j_failed", lang, error=backend.error))
    snap = data.snapshot()
    if snap is None:
        st.caption(t("app.no_library", lang, path=str(data.library_file())))
    else:
        # The path on a line of its own (it is long and wraps), the version on the next.
        st.caption(f"{t('app.library', lang)}:  \n`{snap.library_file}`")
        st.caption(t("app.library_version", lang, version=snap.version).capitalize())
        counts = snap.stats
        first, second = st.columns(2)
        first.metric(t("stats.documents", lang), counts["documents"])
        second.metric(t("stats.tasks", lang), counts["tasks"])
        first.metric(t("stats.organizations", lang), counts["organizations"])
        second.metric(t("stats.citations", lang), counts["citations"])
        first.metric(t("stats.corrections", lang), counts["corrections"])
        second.metric(t("stats.failed", lang), counts["failed"])

pages = [
    st.Page(
        f"app_pages/{name}.py",
        title=t(f"pages.{name}", lang),
        url_path=PAGE_PATHS[name],
        icon=icon,
        default=name == "overview",
    )
    for name, icon in (
        ("overview", ":material/dashboard:"),
        ("goals", ":material/flag:"),
        ("documents", ":material/description:"),
        ("units", ":material/account_balance:"),
        ("deadlines", ":material/schedule:"),
        ("quality", ":material/fact_check:"),
        ("ingest", ":material/upload_file:"),
    )
]
st.navigation(pages).run()
