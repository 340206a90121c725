// Twin of queries/who.py: the tasks serving $goals (or a goal PART_OF one, at any depth),
// with their organisations. One row per goal × served goal × path × task; the Python side
// (graph/neo4j_questions.py) fans out one row per organisation and sorts as who.py does.

// name: rows
UNWIND $goals AS goal_key
MATCH (goal:Goal {key: goal_key})
MATCH path = (goal)<-[:PART_OF*0..]-(served:Goal)
MATCH (task:Task)-[link:SERVES]->(served)
WHERE $method IS NULL OR link.method = $method
OPTIONAL MATCH (doc:Document {key: task.doc_key})
RETURN goal.key AS goal, goal.title AS goal_title, served.key AS served_goal,
       [n IN nodes(path) | n.key] AS path,
       link.method AS method, link.score AS score, link.evidence AS evidence,
       task {.key, .task_id, .text, .due_date, .due_basis, .deadline_text, .doc_key} AS task,
       doc {.ref, .issuer, .level, .date} AS doc,
       COLLECT {
         MATCH (task)-[r:LEAD|SUPPORT]->(org:Organization)
         RETURN {name: org.name, key: org.key, role: toLower(type(r)), implicit: coalesce(r.implicit, false)}
       } AS orgs;
