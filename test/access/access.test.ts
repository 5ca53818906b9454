/**
 * The access matrix (docs/access-matrix.md) for every stack: at least 400 cases in total, and every disagreement is
 * a listed known gap (test/access/known-gaps.ts) while every known gap still disagrees, so the list only shrinks.
 */
import * as assert from "node:assert/strict";
import { KNOWN_GAPS } from "./known-gaps";
import { MatrixResult, requestText, runMatrix } from "./matrix";
import { STACKS } from "./model";

describe("access matrix", function () {
    this.timeout(600_000);
    const results: MatrixResult[] = [];

    before(async () => {
        for (const stack of STACKS) results.push(await runMatrix(stack));
    });

    it("runs at least 400 cases over the three stacks, every class present", () => {
        const total = results.reduce((n, r) => n + r.rows.length, 0);
        assert.ok(total >= 400, `only ${total} cases`);
        const classes = new Set(results.flatMap((r) => r.rows.map((x) => x.class)));
        for (const c of ["must-allow", "escalation", "lateral-movement", "tag-bypass", "boundary-removal", "operator-path"]) assert.ok(classes.has(c as never), c);
    });

    it("reads the IAM modes the stacks are configured for", () => {
        assert.deepEqual(
            results.map((r) => `${r.stack}:${r.mode}`),
            ["dev:privileged", "staging:boundary", "prod:restricted"],
        );
    });

    it("reports the privileged stack's must-deny cases in their own class", () => {
        const dev = results.find((r) => r.stack === "dev") as MatrixResult;
        assert.ok((dev.counts["privileged (admin-equivalent by design)"] ?? 0) > 0);
    });

    it("has no disagreement outside KNOWN_GAPS, and no known gap that is fixed", () => {
        const keys = new Set(KNOWN_GAPS.map((g) => g.key));
        assert.equal(keys.size, KNOWN_GAPS.length, "duplicate KNOWN_GAPS keys");
        for (const g of KNOWN_GAPS) assert.ok(g.reason.length > 20, `${g.key}: a known gap needs its reason`);
        const seen = new Set<string>();
        const unexpected: string[] = [];
        for (const r of results) {
            for (const d of r.disagreements) {
                const key = `${d.stack}/${d.purpose}/${d.id}`;
                seen.add(key);
                if (!keys.has(key)) unexpected.push(`${key}: ${d.principal} via ${d.via.join("; ") || "self"}: ${requestText(d)} expected ${d.expected}, got ${d.actual}`);
            }
        }
        const fixed = [...keys].filter((k) => !seen.has(k));
        assert.deepEqual(unexpected, [], "new disagreements (fix the documents or the boundary; see docs/access-matrix.md)");
        assert.deepEqual(fixed, [], "known gaps that no longer disagree: remove them from test/access/known-gaps.ts");
    });
});
