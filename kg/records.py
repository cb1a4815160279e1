"""The `kg extract` record: one JSON-ready object per article (the DESIGN.md shape, documented
in the README under `kg extract`)."""

from __future__ import annotations

from typing import Any

from kg.models import Attribution, Extraction
from kg.resolve import Resolver


def _speaker(at: Attribution) -> dict[str, Any] | None:
    """Who the source stands for, as the speaker sieve decided (`kg.speakers`); None when the
    sieve did not run on it (hyperlinks, implicit sources)."""
    sp = at.speaker
    if sp is None:
        return None
    span = sp.span
    return {
        "text": span.text if span else None,
        "start": span.start if span else None,
        "end": span.end if span else None,
        "rule": sp.rule,
    }


def extraction_record(ex: Extraction, resolver: Resolver) -> dict[str, Any]:
    """One `kg extract` record: the article, its attributions with their resolved sources,
    its mentions with their entities, its links with the outlets they point at."""
    art = resolver.article(ex)
    names = resolver.entities
    outlet = names.get(art.outlet_id) if art.outlet_id else None
    return {
        "id": art.id,
        "path": ex.article.path,
        "url": ex.article.url,
        "title": ex.article.title,
        "published": ex.article.published,
        "outlet": {"id": outlet.id, "name": outlet.name, "url": outlet.url} if outlet else None,
        "based_on": art.based_on_id,
        "text": ex.article.text,
        "attributions": [
            {
                "source": {
                    "text": ra.attribution.source.text,
                    "start": ra.attribution.source.start,
                    "end": ra.attribution.source.end,
                    "kind": (names[ra.source_id].type if ra.source_id in names else "")
                    if ra.source_id and not ra.source_id.startswith("article:")
                    else ("article" if ra.source_id else ra.attribution.source_kind),
                    "id": ra.source_id,
                },
                "speaker": _speaker(ra.attribution),
                "cue": {
                    "text": ra.attribution.cue.text,
                    "start": ra.attribution.cue.start,
                    "end": ra.attribution.cue.end,
                },
                "content": {
                    "text": ra.attribution.content.text,
                    "start": ra.attribution.content.start,
                    "end": ra.attribution.content.end,
                }
                if ra.attribution.content
                else None,
                "kind": ra.attribution.kind,
                "via": ra.via_id,
                "link": ra.link,
                "confidence": ra.attribution.confidence,
                "rule": ra.attribution.rule,
                "source_rule": ra.attribution.source_rule,
                "edge": ra.edge,
            }
            for ra in art.attributions
        ],
        "mentions": [
            {
                "text": rm.mention.span.text,
                "start": rm.mention.span.start,
                "end": rm.mention.span.end,
                "type": (names[rm.entity_id].type if rm.entity_id in names else rm.mention.type),
                "id": rm.entity_id,
            }
            for rm in art.mentions
        ],
        "links": [
            {"url": rl.link.url, "text": rl.link.text, "outlet": rl.outlet_id, "role": rl.role}
            for rl in art.links
        ],
    }
