// Twin of queries/findings.py: the build's data-quality findings, which a sync keeps on
// the document each is about (finding_codes, and findings as JSON text: Neo4j has no maps).
// $code, $docs: null for all.

// name: rows
MATCH (d:Document)
WHERE d.finding_codes IS NOT NULL AND ($docs IS NULL OR d.key IN $docs)
UNWIND range(0, size(d.finding_codes) - 1) AS i
WITH d, i
WHERE $code IS NULL OR d.finding_codes[i] = $code
RETURN d.findings[i] AS finding;
