/** docs/parallelcluster-grants.md is exactly what the builders emit (test/policies/grantsDoc.ts), with a source per statement. */
import * as assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { GRANT_SOURCES } from "./grantSources";
import { DOC_PATH, documentWithGrants, principals, statementKey } from "./grantsDoc";

describe("docs/parallelcluster-grants.md", () => {
    it("is the generated document (npx tsx test/policies/grantsDoc.ts regenerates it)", () => {
        const current = readFileSync(DOC_PATH, "utf8");
        assert.equal(current, documentWithGrants(current));
    });
    it("names a ParallelCluster source, a release and a condition for every statement of every principal, and nothing else", () => {
        const keys = principals().flatMap((p) => p.doc.Statement.map((s) => `${p.id}/${statementKey(s)}`));
        assert.deepEqual([...new Set(keys)].sort(), Object.keys(GRANT_SOURCES).sort());
        for (const [k, v] of Object.entries(GRANT_SOURCES)) {
            assert.ok(v.source.length > 10 && v.when.length > 0 && /^(3\.\d+|— \(this project\))/.test(v.since), k);
        }
    });
    it("lists every Sid the builders emit", () => {
        const md = readFileSync(DOC_PATH, "utf8");
        for (const p of principals()) for (const s of p.doc.Statement) if (s.Sid) assert.ok(md.includes(`| ${s.Sid} |`), `${p.id} ${s.Sid}`);
    });
});
