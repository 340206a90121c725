// Twin of queries/cascade.py. The traversal is here, one citation level per call of
// `children` (variable-length bounds cannot be parameters, and a path pattern would
// enumerate every path through a dense cascade); graph/neo4j_questions.py keeps the
// breadth-first order, the first parent met, and the cuts, as cascade.py does.

// name: documents
// Documents by key, with their tasks (HAS_TASK) and each task's document level.
UNWIND $keys AS key
MATCH (d:Document {key: key})
RETURN d.key AS key, d {.key, .ref, .title, .subject, .level, .date, .is_stub} AS doc,
       COLLECT {
         MATCH (d)-[:HAS_TASK]->(t:Task)
         OPTIONAL MATCH (td:Document {key: t.doc_key})
         RETURN t {.key, .span_start, .task_id, .text, .due_date, .doc_key, doc_level: td.level}
       } AS tasks;

// name: children
// The documents citing each of $parents with one of $relations (the edge's `relations`,
// or its `relation` when it lists none).
UNWIND $parents AS parent
MATCH (:Document {key: parent})<-[c:CITES]-(d:Document)
WHERE any(r IN CASE WHEN size(coalesce(c.relations, [])) > 0 THEN c.relations ELSE [c.relation] END
          WHERE r IN $relations)
RETURN parent, c.relation AS relation, d.key AS key,
       d {.key, .ref, .title, .subject, .level, .date, .is_stub} AS doc,
       COLLECT {
         MATCH (d)-[:HAS_TASK]->(t:Task)
         OPTIONAL MATCH (td:Document {key: t.doc_key})
         RETURN t {.key, .span_start, .task_id, .text, .due_date, .doc_key, doc_level: td.level}
       } AS tasks;

// name: serving
// The tasks serving each of $goals, with their documents' keys.
UNWIND $goals AS goal_key
MATCH (task:Task)-[link:SERVES]->(:Goal {key: goal_key})
OPTIONAL MATCH (doc:Document {key: task.doc_key})
RETURN task.key AS task, goal_key AS served, link.method AS method,
       task {.key, .task_id, .text, .due_date, .doc_key, doc_level: doc.level} AS props;
