// Twin of queries/org.py: the tasks each of $orgs leads or supports ($role: "lead",
// "support" or null for both), with their documents and the goals they serve.

// name: rows
UNWIND $orgs AS org_key
MATCH (org:Organization {key: org_key})<-[r:LEAD|SUPPORT]-(task:Task)
WHERE $role IS NULL OR toLower(type(r)) = $role
OPTIONAL MATCH (doc:Document {key: task.doc_key})
RETURN org {.key, .name, .province} AS org, toLower(type(r)) AS role, coalesce(r.implicit, false) AS implicit,
       task {.key, .task_id, .text, .due_date, .due_basis, .deadline_text, .is_recurring, .doc_key} AS task,
       doc {.ref, .issuer, .level, .date} AS doc,
       COLLECT { MATCH (task)-[:SERVES]->(g:Goal) RETURN g.key } AS goals;
