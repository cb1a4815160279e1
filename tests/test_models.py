"""Records that cross stage boundaries: they survive the round trips a build puts them through
(the spool on disk, the Dask workers' results) unchanged."""

from __future__ import annotations

import dataclasses
import pickle

import pytest

import kg.models as models
from kg.models import (
    Article,
    Attribution,
    Entity,
    Extraction,
    Link,
    Mention,
    ResolvedArticle,
    ResolvedAttribution,
    ResolvedLink,
    ResolvedMention,
    Span,
    Speaker,
)

RECORDS = sorted(
    (c for c in vars(models).values()
     if isinstance(c, type) and dataclasses.is_dataclass(c) and c.__module__ == "kg.models"),
    key=lambda c: c.__name__,
)


def _extraction() -> Extraction:
    source = Span("Ana Ruiz", 0, 8)
    attribution = Attribution(
        source=source, source_kind="person", cue=Span("said", 9, 13),
        content=Span("the bridge is unsafe", 19, 39), kind="said", confidence=0.9,
        sentence=Span("Ana Ruiz said that the bridge is unsafe.", 0, 40),
        via=Span("Daily Example", 50, 63), rule="reporting-verb", source_rule="subject",
        speaker=Speaker(span=source, type="person", rule="name"),
    )
    article = Article(path="a.txt", text="Ana Ruiz said that the bridge is unsafe.",
                      title="Bridge", url="https://example.org/a", published="2024-05-01",
                      links=(Link("https://example.org/b", "b", 0, 3),))
    return Extraction(article, (attribution,), (Mention(source, "person", "PERSON"),),
                      "article:abc")


def test_every_record_pickles_by_its_constructor() -> None:
    # Every record class of kg.models, not just the ones this test builds.
    assert RECORDS, "no record classes found"
    for cls in RECORDS:
        assert "__reduce__" in vars(cls), f"{cls.__name__} pickles the slow default way"


@pytest.mark.parametrize("protocol", [2, pickle.DEFAULT_PROTOCOL, pickle.HIGHEST_PROTOCOL])
def test_records_survive_a_pickle_round_trip(protocol: int) -> None:
    extraction = _extraction()
    attribution = extraction.attributions[0]
    entity = Entity(id="person:ana-ruiz", type="person", name="Ana Ruiz")
    resolved = ResolvedArticle(
        id="article:abc", article=extraction.article, outlet_id=None,
        attributions=(ResolvedAttribution(attribution, entity.id, None, None, False),),
        mentions=(ResolvedMention(extraction.mentions[0], entity.id),),
        links=(ResolvedLink(extraction.article.links[0], None, None, "self"),),
        merged_paths=("b.txt",),
    )
    for record in (extraction, attribution, entity, resolved):
        back = pickle.loads(pickle.dumps(record, protocol=protocol))
        assert back == record and type(back) is type(record)
    # An explicit `edge` survives, not recomputed from the confidence by `__post_init__`.
    assert pickle.loads(pickle.dumps(resolved)).attributions[0].edge is False
