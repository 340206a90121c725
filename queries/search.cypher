// Twin of queries/search.py. Candidates come from the fulltext index chidao_search over
// search_text: the node's words as the embedded store's word index splits them (folded
// [a-z0-9]+ runs, one space apart), under analyzer standard-no-stop-words, which finds
// exactly those words. $query requires every word typed ("+uy +ban");
// graph/neo4j_questions.py then keeps what search.py keeps (the words as one phrase,
// exact matches first, the same cuts).

// name: candidates
CALL db.index.fulltext.queryNodes('chidao_search', $query) YIELD node
WHERE node:Organization OR node:Document OR node:Task
OPTIONAL MATCH (doc:Document {key: node.doc_key})
RETURN labels(node) AS labels, properties(node) AS props, doc.ref AS doc_ref;

