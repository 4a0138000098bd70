"""The Arrow schemas and the item dataclasses describe the same columns."""

from __future__ import annotations

from dataclasses import fields

import pyarrow as pa

from newscrawl.items import SCHEMA_VERSION, ArticleItem, Author, Breadcrumb, Capture, Image, Link
from pipelines.schema import ARTICLES_SCHEMA, AUTHOR, BREADCRUMB, CAPTURES_SCHEMA, IMAGE, LINK


def test_captures_columns_are_the_capture_fields() -> None:
    assert set(CAPTURES_SCHEMA.names) == {f.name for f in fields(Capture)}


def test_articles_columns_are_the_article_item_fields() -> None:
    assert set(ARTICLES_SCHEMA.names) == {f.name for f in fields(ArticleItem)}
    assert len(ARTICLES_SCHEMA.names) == len(set(ARTICLES_SCHEMA.names))


def test_nested_structs_match_their_dataclasses() -> None:
    for struct, cls in ((AUTHOR, Author), (BREADCRUMB, Breadcrumb), (IMAGE, Image), (LINK, Link)):
        assert [struct.field(i).name for i in range(struct.num_fields)] == [f.name for f in fields(cls)]


def test_design_types() -> None:
    t = ARTICLES_SCHEMA
    assert t.field("fetch_time").type == pa.timestamp("ms", tz="UTC")
    assert t.field("date_published").type == pa.timestamp("ms", tz="UTC")
    assert t.field("authors").type == pa.list_(AUTHOR)
    assert t.field("tags").type == pa.list_(pa.string())
    assert t.field("main_image").type == IMAGE
    assert t.field("body").type == pa.large_string()
    assert t.field("field_sources").type == pa.map_(pa.string(), pa.string())
    assert t.field("schema_version").type == pa.int16()


def test_schema_metadata_names_version_and_producer() -> None:
    meta = {k.decode(): v.decode() for k, v in ARTICLES_SCHEMA.metadata.items()}
    assert meta["newscrawl.schema_version"] == str(SCHEMA_VERSION)
    assert meta["newscrawl.producer"].startswith("newscrawl ")
