// Twin of queries/lineage.py: every maximal upward path from each of $starts over CITES
// edges with one of $relations, without revisiting a document, of at most $max_depth
// steps (a path that long is cut there). 32 is the most $max_depth may ask for: a
// variable-length bound cannot be a parameter. graph/neo4j_questions.py ranks the paths
// and keeps as many as lineage.py's depth-first search would.

// name: paths
UNWIND $starts AS start_key
MATCH (start:Document {key: start_key})
MATCH p = (start)-[:CITES*0..32]->(top:Document)
WHERE length(p) <= $max_depth
  AND all(c IN relationships(p)
          WHERE any(r IN CASE WHEN size(coalesce(c.relations, [])) > 0 THEN c.relations ELSE [c.relation] END
                    WHERE r IN $relations))
  AND all(i IN range(0, length(p) - 1) WHERE NOT nodes(p)[i] IN nodes(p)[i + 1..])
  AND (length(p) = $max_depth OR NOT EXISTS {
        MATCH (top)-[c:CITES]->(q:Document)
        WHERE any(r IN CASE WHEN size(coalesce(c.relations, [])) > 0 THEN c.relations ELSE [c.relation] END
                  WHERE r IN $relations)
          AND NOT q IN nodes(p)
      })
RETURN start_key AS start,
       [n IN nodes(p) | n {.key, .ref, .title, .subject, .level, .issuer, .date, .is_stub, .is_central}] AS docs,
       [c IN relationships(p) | c {.relation, .is_inferred, .evidence}] AS edges;

// name: served
// The goals a task serves, with the document that sets each.
MATCH (:Task {key: $task})-[link:SERVES]->(g:Goal)
RETURN g.key AS key, g.title AS title, g.doc_key AS doc_key, link.method AS method, link.evidence AS evidence
ORDER BY key;
