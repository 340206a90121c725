"""Every record's citations resolved to documents of the build (graph/identity.py does one).

What the citing text says (ref, date, the issuer after "của …", else the symbol's issuer
code localised with the citing document's province) becomes a CitedAs; a citation of a
document dated after the citing one, or of itself, is rejected as a finding. A document
without a province of its own (a district's, a commune's) takes the province of the
provincial documents it resolved to, then tries again. What still resolves to nothing
becomes a stub, most specific citations first.
"""
from __future__ import annotations

from dataclasses import replace
from typing import Any

from ingest.fold import fold, fold_key
from ingest.vocab import Vocabulary

from .extract import CitationExtract, RecordExtract
from .findings import Findings
from .goals import Catalog
from .identity import CitedAs, DocumentIndex, date_after, is_national_ref, issuer_code, ref_key, year_of
from .orgs import OrgContext, OrgResolver, ResolvedOrg, document_level

# Laws, decrees and circulars are national whoever the citing text says issued them.
NATIONAL_KINDS = ("luat", "nghi_dinh", "thong_tu")


class CitationResolver:
    def __init__(self, catalog: Catalog, vocab: Vocabulary, orgs: OrgResolver, index: DocumentIndex,
                 findings: Findings):
        self.catalog = catalog
        self.vocab = vocab
        self.orgs = orgs
        self.index = index
        self.findings = findings
        self.extracts: dict[str, RecordExtract] = {}
        self.resolved: dict[tuple[str, int], str] = {}  # (doc key, citation index) → target key
        # what a citation says, in its document's place → CitedAs: the letters of one province
        # cite their plans alike (45k citations say 6.6k different things at 30k documents)
        self._said: dict[tuple[Any, ...], CitedAs] = {}

    def _cited_as(self, extract: RecordExtract, citation: CitationExtract) -> CitedAs:
        node, context = extract.node, extract.context
        said = (citation.ref, citation.title, citation.kind, citation.date, citation.issuer, citation.is_national,
                node.province, context.locality_level, context.locality_name)
        cited = self._said.get(said)
        if cited is None:
            cited = self._said[said] = self._cited_as_uncached(extract, citation)
        return cited

    def _cited_as_uncached(self, extract: RecordExtract, citation: CitationExtract) -> CitedAs:
        node = extract.node
        ctx = OrgContext(node.province, extract.context.locality_level, extract.context.locality_name)
        year = year_of(citation.date)
        if year is None and citation.ref:
            parts = citation.ref.split("/")
            year = int(parts[1]) if len(parts) > 2 and parts[1].isdigit() and len(parts[1]) == 4 else None
        issuer: ResolvedOrg | None = None
        code = issuer_code(citation.ref, self.vocab) if citation.ref else None
        by_code = self.vocab.symbol_issuers.get(fold(code)) if code and fold(code) != "tw" else None
        if citation.issuer:
            printed = citation.issuer
            if citation.is_national and by_code and fold_key(printed).startswith(fold_key(by_code)):
                printed = by_code  # "Chính phủ quy định chi tiết …" is the Government
            issuer = self.orgs.resolve(printed, ctx if not citation.is_national else OrgContext(), trim=True)
        elif by_code:
            issuer = self.orgs.resolve(by_code, OrgContext() if citation.is_national else ctx)
        # A law, a decree, a circular, or a body of the centre ("… Trung ương") is national.
        national = citation.is_national or citation.kind in NATIONAL_KINDS or \
            (issuer is not None and issuer.level in ("central", "ministry"))
        province = None
        if not national:
            province = (issuer.province if issuer else None) or node.province
        return CitedAs(ref=citation.ref, title=citation.title if not citation.ref else None, kind=citation.kind,
                       date=citation.date, year=year, issuer_key=issuer.key if issuer else None,
                       issuer_name=issuer.name if issuer else None, province=province, is_national=national)

    def resolve_all(self, extracts: dict[str, RecordExtract]) -> None:
        """Fill `resolved`; `extracts` (by document key) get the provinces inferred for them."""
        self.extracts = extracts
        pending: list[tuple[RecordExtract, int, CitedAs]] = []
        for key in sorted(self.extracts):
            pending += self._resolve_record(self.extracts[key])
        # A document without a province of its own (a district's, a commune's) takes the
        # province of the provincial documents it resolved to, then tries again.
        retry = []
        for key in sorted(self.extracts):
            extract = self.extracts[key]
            if extract.node.province is None:
                province = self._inferred_province(extract)
                if province:
                    node = replace(extract.node, province=province)
                    self.extracts[key] = replace(extract, node=node, context=replace(extract.context, province=province))
                    self.index.set_node(key, node)
                    retry.append(key)
        if retry:
            pending = [p for p in pending if p[0].node.key not in retry]
            for key in retry:
                pending += self._resolve_record(self.extracts[key], only_unresolved=True)
        # What still resolves to nothing becomes a stub: the most specific citations first,
        # so a vague one ("Kế hoạch số 35-CTr/TU", no date) joins the stub a precise one made.
        pending.sort(key=lambda p: (-p[2].specificity, p[0].node.key, p[1]))
        for extract, i, cited in pending:
            resolution = self.index.resolve(cited, extract.node)
            if resolution.key and self.index.nodes[resolution.key].is_stub:
                self.index.learn(resolution.key, cited)
                self.resolved[(extract.node.key, i)] = resolution.key
                continue
            if resolution.reason == "ambiguous":
                self.findings.ambiguous(extract, extract.citations[i], resolution.candidates)
            level = self._stub_level(cited)
            self.resolved[(extract.node.key, i)] = self.index.add_stub(cited, extract.citations[i].kind, level)

    def _resolve_record(self, extract: RecordExtract, only_unresolved: bool = False
                        ) -> list[tuple[RecordExtract, int, CitedAs]]:
        pending = []
        node = extract.node
        for i, citation in enumerate(extract.citations):
            if only_unresolved and (node.key, i) in self.resolved:
                continue
            if not citation.ref and not citation.title:
                continue
            cited = self._cited_as(extract, citation)
            if citation.date and node.date and date_after(citation.date, node.date):
                self.findings.rejected(extract, citation, "cites a document dated after itself")
                continue
            if citation.ref and node.ref and ref_key(citation.ref) == ref_key(node.ref) and \
                    (cited.year in (None, node.year)):
                self.findings.rejected(extract, citation, "cites itself")
                continue
            target = self._central_by_title(citation) if not citation.ref else None
            if target is None:
                resolution = self.index.resolve(cited, node)
                target = resolution.key if resolution.key and not self.index.nodes[resolution.key].is_stub else None
            if target is not None:
                self.resolved[(node.key, i)] = target
            else:
                pending.append((extract, i, cited))
        return pending

    def _central_by_title(self, citation: CitationExtract) -> str | None:
        title = fold_key(citation.title or "")
        if not title:
            return None
        if title in self.catalog.by_alias:
            return self.catalog.by_alias[title]
        for alias, key in sorted(self.catalog.by_alias.items()):
            if len(alias) >= 20 and (alias in title or title in alias):
                return key
        return None

    def _inferred_province(self, extract: RecordExtract) -> str | None:
        provinces = set()
        for i, _citation in enumerate(extract.citations):
            target = self.resolved.get((extract.node.key, i))
            node = self.index.nodes.get(target) if target else None
            if node is not None and not node.is_central and not node.is_stub and node.province:
                provinces.add(node.province)
        return provinces.pop() if len(provinces) == 1 else None

    def _stub_level(self, cited: CitedAs) -> str | None:
        if cited.is_national:
            return "central"
        if cited.issuer_key:
            info = self.orgs.resolve(cited.issuer_name or cited.issuer_key, OrgContext(cited.province))
            return document_level(info)
        return "province" if cited.ref and not is_national_ref(cited.ref, self.vocab) else None

