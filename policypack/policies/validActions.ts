/**
 * parallelcluster-valid-actions: every action and condition key in a permission document exists in
 * AWS's service authorization reference (components/policies/reference.ts). A misspelt action
 * (`efs:` for `elasticfilesystem:`, a typo) grants nothing and fails silently; advisory because the
 * reference data may lag behind newly launched actions.
 */
import { ResourceValidationPolicy } from "@pulumi/policy";
import { checkDocumentReference } from "../shared/reference";
import { PolicyDocument, PolicyStatement } from "../shared/types";
import { statementLabel } from "../lib/documents";
import { DocumentContext, forEveryDocument } from "../lib/documentPolicy";
import { isUnknown } from "../lib/values";

export const NAME = "parallelcluster-valid-actions";

/** The document with unknown actions left out (each noted as a gap), so the reference check sees only strings. */
function knownPart({ where, doc, gaps }: DocumentContext): PolicyDocument {
    const keep = (v: unknown, at: string): string[] | undefined => {
        if (v === undefined) return undefined;
        const items = isUnknown(v) ? [v] : Array.isArray(v) ? v : [v];
        const known = items.filter((x): x is string => typeof x === "string");
        if (known.length < items.length) gaps.add(`some actions of ${at} are unknown during preview`);
        return known;
    };
    const statements = doc.Statement.map((s, i): PolicyStatement => {
        const at = `${where} ${statementLabel(s, i)}`;
        const out: PolicyStatement = { ...s, Action: keep(s.Action, at), NotAction: keep(s.NotAction, at) };
        if (out.Action === undefined) delete out.Action;
        if (out.NotAction === undefined) delete out.NotAction;
        if (!s.Condition || typeof s.Condition !== "object" || isUnknown(s.Condition)) delete out.Condition;
        return out;
    });
    return { ...doc, Statement: statements };
}

// The reference check judges each statement on its own, from its Sid, Action, NotAction and Condition
// (never its Resource): statements repeat across documents that differ only in ARNs (one per queue,
// per cluster), and expanding action patterns against the reference costs far more than a lookup.
const byStatement = new Map<string, Promise<string[]>>();
const BY_STATEMENT_MAX = 4096;

function statementProblems(s: PolicyStatement, i: number): Promise<string[]> {
    const judged: PolicyStatement = { Effect: s.Effect, Sid: s.Sid, Action: s.Action, NotAction: s.NotAction, Condition: s.Condition } as PolicyStatement;
    // Exactly what the check reads: the position, Sid, actions, and the keys of each condition block (not their values).
    const conditionKeys = s.Condition === undefined ? null : Object.values(s.Condition).map((block) => Object.keys(block as object));
    const key = JSON.stringify([i, s.Sid, s.Action, s.NotAction, conditionKeys]);
    let p = byStatement.get(key);
    if (!p) {
        // Empty statements before it keep its position, which messages name when it has no Sid.
        const padding = Array.from({ length: i }, () => ({}) as PolicyStatement);
        p = checkDocumentReference({ Version: "2012-10-17", Statement: [...padding, judged] });
        if (byStatement.size >= BY_STATEMENT_MAX) byStatement.delete(byStatement.keys().next().value as string);
        byStatement.set(key, p);
        // A failed lookup is not remembered.
        p.catch(() => byStatement.delete(key));
    }
    return p;
}

async function problemsOf(ctx: DocumentContext): Promise<string[]> {
    const out: string[] = [];
    for (const [i, s] of knownPart(ctx).Statement.entries()) out.push(...(await statementProblems(s, i)));
    return out;
}

async function check(ctx: DocumentContext): Promise<void> {
    const problems = await problemsOf(ctx);
    for (const p of problems) {
        ctx.report(`${ctx.where} ${p}. Fix: correct the action or condition key to one listed in the AWS Service Authorization Reference (check the service prefix, e.g. 'elasticfilesystem:' not 'efs:').`);
    }
}

export const validActions: ResourceValidationPolicy = {
    name: NAME,
    description: "Every action and condition key in inline and customer-managed policies exists in the AWS service authorization reference.",
    enforcementLevel: "advisory",
    validateResource: forEveryDocument(check, (where, reason, report) =>
        report(`${where} is ${reason}; IAM will refuse it. Fix: make the document valid JSON (pulumi.jsonStringify or aws.iam.getPolicyDocument help).`)),
};
