// Twin of queries/targets.py: what a user names, resolved against the Neo4j store.
// One statement per "// name:" block; graph/neo4j_questions.py runs them by name.
// Derived properties (ref_key, name_keys, due_date…) are written by graph/neo4j_rows.py.

// name: goal
// A goal id as typed: the exact key, else one equal to it case-insensitively ($upper).
MATCH (g:Goal)
WHERE g.key = $text OR toUpper(g.key) = $upper
RETURN g.key AS key, g.key = $text AS exact
ORDER BY key;

// name: documents
// A document key (tier 0), source path (1), path suffix or file stem (2), ref (3);
// the caller keeps the lowest tier found, as EmbeddedStore.find_documents does.
MATCH (d:Document)
WITH d, CASE
    WHEN d.key = $text THEN 0
    WHEN d.source_path = $text THEN 1
    WHEN d.source_path ENDS WITH $slashed
         OR split(last(split(d.source_path, '/')), '.')[0] = $text THEN 2
    WHEN d.ref_key = $ref_key THEN 3
  END AS tier
WHERE tier IS NOT NULL
RETURN d.key AS key, tier
ORDER BY tier, key;

// name: task
MATCH (t:Task {key: $text})
RETURN t.key AS key, t.doc_key AS doc_key, t.task_id AS task_id;

// name: organizations
// Organisations whose folded name or alias contains $wanted; `exact` when one equals it.
MATCH (o:Organization)
WHERE any(name IN o.name_keys WHERE name CONTAINS $wanted)
RETURN o.key AS key, $wanted IN o.name_keys AS exact
ORDER BY key;

// name: top_goals
// The goals the documents set that no other goal the same document sets contains.
UNWIND $docs AS doc_key
MATCH (d:Document {key: doc_key})-[:SETS]->(g:Goal)
WHERE NOT EXISTS { MATCH (g)-[:PART_OF]->(:Goal)<-[:SETS]-(d) }
RETURN DISTINCT g.key AS goal
ORDER BY goal;

// name: goal_subtree
// The goal and every goal PART_OF it, with the path down to each (several in a DAG: the
// caller keeps the one breadth-first search meets first).
MATCH path = (:Goal {key: $goal})<-[:PART_OF*0..]-(g:Goal)
RETURN g.key AS key, g.title AS title, [n IN nodes(path) | n.key] AS path;
