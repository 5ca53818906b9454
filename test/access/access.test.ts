/**
 * The access matrix (docs/access-matrix.md) for every stack: at least 400 cases in total, and no disagreement: as
 * `npm run simulate -- <stack>`, which exits 1 on any.
 */
import * as assert from "node:assert/strict";
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

    it("has no disagreement in any stack", () => {
        const found = results.flatMap((r) =>
            r.disagreements.map((d) => `${d.stack}/${d.purpose}/${d.id}: ${d.principal} via ${d.via.join("; ") || "self"}: ${requestText(d)} expected ${d.expected}, got ${d.actual}`),
        );
        assert.deepEqual(found, [], "fix the documents or the boundary (docs/access-matrix.md)");
    });
});
