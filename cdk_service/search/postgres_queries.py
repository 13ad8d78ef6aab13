"""The SQL of the PostgreSQL search backend, and how one query becomes one statement."""

from __future__ import annotations

import json
from typing import Any

from cdk_service.search.documents import FACET_VALUES, FACETS, SearchDocument
from cdk_service.search.port import FacetCount, SearchHit, SearchQuery, SearchResults, Visibility
from cdk_service.search.text import MARK_END, MARK_START, marked_html

COLUMNS = (
    "key text, kind text, entity_id text, title text, description text, body text, team text, "
    "template text, status text, tags jsonb, classification text, region text, account text, "
    "visible_to_all boolean, document jsonb, version bigint, updated_at timestamptz"
)
EVERYONE = "*"  # the audience of a document visible to all (no team slug can be "*")
UPSERT = f"""
INSERT INTO search_documents AS current (
    key, kind, entity_id, title, description, body, team, template, status, tags,
    classification, region, account, visible_to_all, audience, document, version, updated_at)
SELECT key, kind, entity_id, title, description, body, team, template, status, tags,
    classification, region, account, visible_to_all,
    CASE WHEN visible_to_all THEN ARRAY['{EVERYONE}'] ELSE array_remove(ARRAY[team], NULL) END,
    document, version, updated_at
FROM jsonb_to_recordset($1::jsonb) AS incoming({COLUMNS})
ON CONFLICT (key) DO UPDATE SET
    title = EXCLUDED.title, description = EXCLUDED.description, body = EXCLUDED.body,
    team = EXCLUDED.team, template = EXCLUDED.template, status = EXCLUDED.status,
    tags = EXCLUDED.tags, classification = EXCLUDED.classification, region = EXCLUDED.region,
    account = EXCLUDED.account, visible_to_all = EXCLUDED.visible_to_all,
    audience = EXCLUDED.audience, document = EXCLUDED.document, version = EXCLUDED.version,
    updated_at = EXCLUDED.updated_at
WHERE current.version <= EXCLUDED.version
"""
DELETE = """
DELETE FROM search_documents AS current
USING jsonb_to_recordset($1::jsonb) AS gone(key text, version bigint)
WHERE current.key = gone.key AND current.version <= gone.version
"""
UPSERT_TERMS = (
    "INSERT INTO search_terms (word) SELECT unnest($1::text[]) ON CONFLICT (word) DO NOTHING"
)
# The lexemes of the documents just written (those of deleted documents stay: they only make
# a prefix stand for a lexeme that finds nothing, until a reindex starts the table afresh).
UPSERT_LEXEMES = """
INSERT INTO search_lexemes (lexeme)
SELECT DISTINCT unnest(tsvector_to_array(vector)) FROM search_documents WHERE key = ANY($1::text[])
ON CONFLICT (lexeme) DO NOTHING
"""
HAS_TRIGRAMS = "SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'"
# The query's tsquery, built inside the search statement (one round trip): every word as
# ``to_tsquery('english')`` normalizes it (its stem), taken as a prefix. The prefix stands for
# the lexemes of the indexed documents that it covers (``search_lexemes``: exact postings of
# the GIN index, where a prefix match gathers every lexeme's), or stays a prefix (``'stem':*``)
# when it covers none or more than ``MOST_COVERED``. Where the server has pg_trgm and no known
# word starts with a word, the three known words most similar to it are or'ed in (a typo).
# Words that are stop words drop out, as ``to_tsquery`` drops them.
MOST_COVERED = 64
TYPOS = r"""CASE
            WHEN EXISTS (SELECT 1 FROM search_terms AS s WHERE starts_with(s.word, typed.word))
            THEN '{}'::text[]
            ELSE ARRAY(
                SELECT alike.query FROM (
                    SELECT to_tsquery('english', '''' || known.word || '''')::text AS query,
                        similarity(known.word, typed.word) AS likeness
                    FROM search_terms AS known WHERE known.word % typed.word
                    ORDER BY likeness DESC LIMIT 3) AS alike
                WHERE alike.query <> '')
        END"""
NO_TYPOS = "'{}'::text[]"
TSQUERY = r"""(
    SELECT string_agg('(' || array_to_string(ARRAY[word.query] || word.typos, ' | ') || ')',
        ' & ' ORDER BY word.position)::tsquery
    FROM (
        SELECT typed.position, coalesce(covered.query, asked.prefix::text) AS query,
            {typos} AS typos
        FROM unnest({words}::text[]) WITH ORDINALITY AS typed(word, position)
        CROSS JOIN LATERAL (
            SELECT to_tsquery('english', '''' || typed.word || ''':*') AS prefix) AS asked
        CROSS JOIN LATERAL (
            SELECT substring(asked.prefix::text FROM '^''([^'']*)'':\*$') AS stem) AS stem
        CROSS JOIN LATERAL (
            SELECT CASE WHEN count(*) BETWEEN 1 AND {most} THEN string_agg(
                '''' || replace(replace(l.lexeme, '\', '\\'), '''', '''''') || '''',
                ' | ' ORDER BY l.lexeme) END AS query
            FROM (
                SELECT lexeme FROM search_lexemes
                WHERE lexeme >= stem.stem AND lexeme < stem.stem || chr(1114111)
                ORDER BY lexeme LIMIT {most} + 1) AS l
        ) AS covered
        WHERE asked.prefix::text <> ''
    ) AS word
)"""
MARKS = f"StartSel={MARK_START}, StopSel={MARK_END}"
# Field: its weight in the vector (a field is only highlighted when it matched), options.
HEADLINES = {
    "title": ("a", f"'{MARKS}, HighlightAll=true'"),
    "description": ("b", f"'{MARKS}, MaxWords=35, MinWords=15'"),
    "body": ("c", f"'{MARKS}, MaxFragments=2, MaxWords=12, MinWords=4, FragmentDelimiter=\" … \"'"),
}


class SearchStatement:
    """One statement: total, facet counts and the page with highlights, as one JSON row."""

    def __init__(
        self, query: SearchQuery, visibility: Visibility, words: list[str], *, fuzzy: bool
    ) -> None:
        """``words`` of the query's text; ``fuzzy``: correct typos (the server has pg_trgm)."""
        self.values: list[Any] = []
        self.query = query
        tsquery = None
        if words:
            typos = TYPOS if fuzzy else NO_TYPOS
            tsquery = TSQUERY.format(words=self._value(words), typos=typos, most=MOST_COVERED)
        conditions = self._conditions(query, visibility)
        if tsquery is None:
            score, source = "extract(epoch FROM d.updated_at)::float8", "search_documents AS d"
        else:
            score = "ts_rank_cd(d.vector, q.tsquery)::float8"
            source = "search_documents AS d, asked AS q"
            # The tsquery as an InitPlan's value: an index condition whatever the join order.
            conditions.append("d.vector @@ (SELECT tsquery FROM asked)")
        self.sql = self._statement(score, source, conditions, tsquery)

    def _value(self, value: Any) -> str:
        self.values.append(value)
        return f"${len(self.values)}"

    def _conditions(self, query: SearchQuery, visibility: Visibility) -> list[str]:
        conditions = []
        if not visibility.everything:
            # One condition on the indexed audience (with the vector: one index scan), not
            # "visible_to_all OR team": that reads every team's matches and filters after.
            audience = self._value([EVERYONE, *sorted(visibility.teams)])
            conditions.append(f"d.audience && {audience}::text[]")
        for facet, values in sorted(query.filters.items()):
            wanted = self._value(sorted(values))
            if facet == "tags":
                conditions.append(f"d.tags ?| {wanted}::text[]")
            else:
                conditions.append(f"d.{facet} = ANY({wanted}::text[])")
        return conditions

    def _statement(
        self, score: str, source: str, conditions: list[str], tsquery: str | None
    ) -> str:
        where = " AND ".join(conditions) or "TRUE"
        after = "TRUE"
        if self.query.after is not None:
            position, key = self._value(self.query.after[0]), self._value(self.query.after[1])
            after = f"(m.score < {position} OR (m.score = {position} AND m.key > {key}))"
        limit = self._value(self.query.limit + 1)
        # One pass over the matches for the single-valued facets (a grouping set each: the
        # facet is the one column grouped, its value the only one not null), one for tags.
        columns = [facet for facet in FACETS if facet != "tags"]
        facet_of = " ".join(f"WHEN GROUPING({c}) = 0 THEN '{c}'" for c in columns)
        facet_rows = f"""
    SELECT CASE {facet_of} END AS facet, coalesce({", ".join(columns)}) AS value, count(*) AS n
    FROM matched GROUP BY GROUPING SETS ({", ".join(f"({c})" for c in columns)})
    UNION ALL
    SELECT 'tags', t.value, count(*) FROM matched, jsonb_array_elements_text(tags) AS t
    GROUP BY t.value"""
        highlight = ", ".join(
            f"'{field}', CASE WHEN ts_filter(d.vector, '{{{weight}}}') @@ q.tsquery "
            f"THEN ts_headline('english', d.{field}, q.tsquery, {options}) ELSE '' END"
            for field, (weight, options) in HEADLINES.items()
        )
        highlights, query_join, asked = "'{}'::jsonb", "", ""
        if tsquery is not None:
            if self.query.highlights:
                highlights = f"jsonb_build_object({highlight})"
            query_join = ", asked AS q"
            asked = f"asked AS MATERIALIZED (SELECT {tsquery} AS tsquery), "
        facets = (
            "(SELECT coalesce(jsonb_agg(jsonb_build_array(facet, value, n)), '[]') "
            "FROM facet_counts)"
            if self.query.facets
            else "'[]'::jsonb"  # not asked for: the CTE is never read, so never computed
        )
        return f"""
WITH {asked}matched AS MATERIALIZED (
    SELECT d.key, {score} AS score, {", ".join(f"d.{f}" for f in FACETS)}
    FROM {source} WHERE {where}
), page AS (
    SELECT m.key, m.score FROM matched AS m WHERE {after}
    ORDER BY m.score DESC, m.key LIMIT {limit}
), facet_counts AS (
    SELECT facet, value, n FROM ({facet_rows}) AS f WHERE value IS NOT NULL
)
SELECT
    (SELECT count(*) FROM matched) AS total,
    {facets} AS facets,
    (SELECT coalesce(jsonb_agg(jsonb_build_array(d.document, p.score, {highlights})
        ORDER BY p.score DESC, p.key), '[]')
     FROM page AS p JOIN search_documents AS d ON d.key = p.key{query_join}) AS hits
"""


def _loaded(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value


def _highlights(fields: dict[str, str]) -> dict[str, list[str]]:
    return {
        field: [marked_html(part) for part in text.split(" … ")]
        for field, text in fields.items()
        if MARK_START in text
    }


def results_of(row: dict[str, Any], query: SearchQuery) -> SearchResults:
    """The statement's one row as results: at most ``limit`` hits, and where the next starts."""
    counted: dict[str, list[FacetCount]] = {facet: [] for facet in FACETS}
    for facet, value, count in _loaded(row["facets"]):
        counted[facet].append(FacetCount(value=value, count=count))
    facets = {
        facet: sorted(counts, key=lambda c: (-c.count, c.value))[:FACET_VALUES]
        for facet, counts in counted.items()
    }
    hits = [
        SearchHit(
            document=SearchDocument.model_validate(document),
            score=score,
            highlights=_highlights(fields),
        )
        for document, score, fields in _loaded(row["hits"])
    ]
    more = len(hits) > query.limit
    hits = hits[: query.limit]
    next_after = (hits[-1].score, hits[-1].document.key) if more else None
    return SearchResults(hits=hits, total=row["total"], facets=facets, next_after=next_after)
