// Twin of queries/due.py: tasks due between $start and $end (ISO days, both included),
// by the due date graph/neo4j_rows.py stores (store_embedded.due_date: the deadline,
// else the end of a period that does not recur), on the range index chidao_task_due.
// $orgs (keys, or null): keep the tasks one of them leads or supports.

// name: rows
MATCH (task:Task)
WHERE task.due_date >= $start AND task.due_date <= $end
  AND ($orgs IS NULL OR EXISTS { MATCH (task)-[:LEAD|SUPPORT]->(o:Organization) WHERE o.key IN $orgs })
OPTIONAL MATCH (doc:Document {key: task.doc_key})
RETURN task {.key, .task_id, .text, .due_date, .due_basis, .deadline_text, .doc_key} AS task,
       doc {.ref, .issuer, .level, .date} AS doc,
       COLLECT { MATCH (task)-[:LEAD]->(o:Organization) RETURN o.name } AS leads,
       COLLECT { MATCH (task)-[:SUPPORT]->(o:Organization) RETURN o.name } AS supports;
