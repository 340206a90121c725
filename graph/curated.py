"""The curated corrections a build uses, sorted by what they correct (graph/corrections.py
defines them; the library stores them). Dicts of the same fields are accepted too."""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ingest.fold import fold_key


class CuratedCorrections:
    """The curated corrections a build uses (graph/corrections.py's Correction, or dicts of
    its fields): document and task corrections are applied to their record; organisation
    merges (key = the name merged away, value = the name it merges into) go to the
    organisation resolver; link decisions (key = task key, field = goal id, value =
    "confirmed" / "rejected") to the tracer."""

    def __init__(self, corrections: list[Any]):
        self.by_path: dict[str, list[Any]] = {}
        self.org_merges: dict[str, str] = {}
        self.links: dict[tuple[str, str], str] = {}
        for correction in corrections:
            c = _as_dict(correction)
            target, key, field_, value = c.get("target"), c.get("key"), c.get("field"), c.get("value")
            if target in ("document", "task") and key:
                path = key if target == "document" else str(key).rpartition("#")[0]
                self.by_path.setdefault(path, []).append(correction)
            elif target == "organization" and key and value:
                self.org_merges[fold_key(str(key))] = str(value)
            elif target == "link" and key and field_ and value in ("confirmed", "rejected"):
                self.links[(str(key), str(field_))] = "confirm" if value == "confirmed" else "reject"

    def apply(self, record: Mapping[str, Any]) -> Mapping[str, Any]:
        mine = self.by_path.get((record.get("source") or {}).get("path") or "")
        if not mine:
            return record
        from .corrections import Correction, apply_corrections  # the library's; only needed with corrections
        return apply_corrections(dict(record), [c if isinstance(c, Correction) else Correction(**_as_dict(c))
                                                for c in mine])


def _as_dict(correction: Any) -> dict[str, Any]:
    if isinstance(correction, Mapping):
        return dict(correction)
    names = getattr(correction, "__dataclass_fields__", None) or vars(correction)
    return {name: getattr(correction, name) for name in names}
