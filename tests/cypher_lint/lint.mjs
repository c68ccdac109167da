// Neo4j's own Cypher front end on every query the product sends.
//
// Reads a JSON list of queries on stdin and writes, as JSON on stdout, one
// {query, version, diagnostics: [{severity, message}]} per query and Cypher
// version: the parser's and the semantic analysis' errors and warnings
// (lintCypherQuery of @neo4j-cypher/language-support, the analysis the Neo4j
// server runs, compiled to JavaScript). No schema is given, so labels,
// properties and procedures are not checked against a database; parameters
// are values the driver sends, so "Parameter $x is not defined" is dropped.
import { readFileSync } from 'node:fs';
import {
  allCypherVersions,
  isNotParamError,
  lintCypherQuery,
} from '@neo4j-cypher/language-support';

const SEVERITY = { 1: 'error', 2: 'warning', 3: 'information', 4: 'hint' };

const queries = JSON.parse(readFileSync(0, 'utf8'));
const results = [];
for (const query of queries) {
  for (const version of allCypherVersions) {
    const { diagnostics } = lintCypherQuery(query, { defaultLanguage: version });
    results.push({
      query,
      version,
      diagnostics: diagnostics.filter(isNotParamError).map((d) => ({
        severity: SEVERITY[d.severity] ?? String(d.severity),
        message: d.message,
      })),
    });
  }
}
process.stdout.write(JSON.stringify(results));
