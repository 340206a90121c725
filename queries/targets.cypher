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
// Candidates for what a user means by a document: its key, its source path, a ref ($ref_key),
// or the end of a path ($name: the file name, or $stem: without its suffix). The caller
// picks among them in EmbeddedStore.find_documents' order.
MATCH (d:Document)
WITH d, last(split(coalesce(d.source_path, ''), '/')) AS file
WITH d, file, split(file, '.')[0] AS file_stem
WITH d,
     d.key = $text AS is_key,
     coalesce(d.source_path = $text, false) AS is_path,
     coalesce(d.ref_key = $ref_key, false) AS is_ref,
     d.source_path IS NOT NULL AND d.source_path <> '' AND (file = $name OR file_stem = $name) AS in_name,
     d.source_path IS NOT NULL AND d.source_path <> '' AND (file = $stem OR file_stem = $stem) AS in_stem,
     coalesce(d.source_path ENDS WITH $text, false) AS ends
WHERE is_key OR is_path OR is_ref OR in_name OR in_stem
RETURN d.key AS key, is_key, is_path, is_ref, in_name, in_stem, ends
ORDER BY key;

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
