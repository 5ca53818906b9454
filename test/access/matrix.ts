/**
 * Runs the access matrix of a stack: every case against every principal of its purpose. A must-allow case must
 * be allowed for the principal itself; every other case must be denied for everything the principal can become
 * (becomes.ts). A principal that can become an admin-equivalent role (privileged IAM mode) has its must-deny
 * rows reported in their own class, "privileged (admin-equivalent by design)", not as disagreements.
 */
import { Decision } from "../support/simulate";
import { becomes, decide, modeOf } from "./becomes";
import { Case, CaseClass, casesFor } from "./cases";
import { Mode, StackModel, StackName, loadStack } from "./model";

export const PRIVILEGED = "privileged (admin-equivalent by design)";

export interface Row {
    stack: StackName;
    principal: string;
    purpose: string;
    id: string;
    class: CaseClass;
    /** The class the row is reported in: its own, or PRIVILEGED. */
    reportedClass: CaseClass | typeof PRIVILEGED;
    action: string;
    resource: string;
    context: Record<string, string | string[]>;
    expected: "allow" | "deny";
    /** "allow" / "deny" / "error: ..." */
    actual: string;
    /** The identities through which a must-deny request is allowed ("self" for the principal itself). */
    via: string[];
    /** Every identity that was evaluated (must-deny) or the principal (must-allow). */
    evaluated: string[];
    agrees: boolean;
    reason: string;
    source: string;
}

export interface MatrixResult {
    stack: StackName;
    mode: Mode;
    region: string;
    becomes: Record<string, Array<{ identity: string; via: string }>>;
    rows: Row[];
    disagreements: Row[];
    counts: Record<string, number>;
}

function actualOf(d: Decision): "allow" | "deny" {
    return d === "Allowed" ? "allow" : "deny";
}

/** Runs the matrix of one stack. */
export async function runMatrix(stack: StackName): Promise<MatrixResult> {
    const m = await loadStack(stack);
    return runMatrixOn(m);
}

export async function runMatrixOn(m: StackModel): Promise<MatrixResult> {
    const mode = await modeOf(m);
    const cases = await casesFor(m, mode);
    const rows: Row[] = [];
    const becomesOut: MatrixResult["becomes"] = {};
    for (const principal of m.identities) {
        const purpose = principal.purpose;
        const mine = cases.filter((c) => c.purpose === purpose);
        if (mine.length === 0) continue;
        const closure = await becomes(m, principal);
        becomesOut[principal.name] = closure.becomings.map((b) => ({ identity: b.identity.name, via: b.via }));
        for (const c of mine) rows.push(await evaluate(m, principal.name, purpose, c, closure));
    }
    const disagreements = rows.filter((r) => !r.agrees);
    const counts: Record<string, number> = {};
    for (const r of rows) counts[r.reportedClass] = (counts[r.reportedClass] ?? 0) + 1;
    return { stack: m.stack, mode, region: m.region, becomes: becomesOut, rows, disagreements, counts };
}

async function evaluate(m: StackModel, principal: string, purpose: string, c: Case, closure: Awaited<ReturnType<typeof becomes>>): Promise<Row> {
    const base = {
        stack: m.stack,
        principal,
        purpose,
        id: c.id,
        class: c.class,
        action: c.action,
        resource: c.resource,
        context: c.context,
        expected: c.expected,
        reason: c.reason,
        source: c.source,
    };
    const req = { action: c.action, resource: c.resource, context: c.context };
    try {
        if (c.expected === "allow") {
            const self = closure.becomings[0].identity;
            const actual = actualOf(await decide(m, self, req));
            return { ...base, reportedClass: c.class, actual, via: actual === "allow" ? ["self"] : [], evaluated: ["self"], agrees: actual === "allow" };
        }
        const via: string[] = [];
        for (const b of closure.becomings) {
            if ((await decide(m, b.identity, req)) === "Allowed") via.push(b.via);
        }
        const actual = via.length > 0 ? "allow" : "deny";
        if (closure.adminEquivalent) {
            return { ...base, reportedClass: PRIVILEGED, actual, via, evaluated: closure.becomings.map((b) => b.via), agrees: true };
        }
        return { ...base, reportedClass: c.class, actual, via, evaluated: closure.becomings.map((b) => b.via), agrees: via.length === 0 };
    } catch (e) {
        return { ...base, reportedClass: c.class, actual: `error: ${(e as Error).message.slice(0, 200)}`, via: [], evaluated: [], agrees: false };
    }
}

// ---- reports ----

function contextText(ctx: Record<string, string | string[]>): string {
    const keys = Object.keys(ctx);
    return keys.length === 0 ? "" : " {" + keys.map((k) => `${k}=${Array.isArray(ctx[k]) ? `[${(ctx[k] as string[]).join(",")}]` : ctx[k]}`).join(", ") + "}";
}

export function requestText(r: Pick<Row, "action" | "resource" | "context">): string {
    return `${r.action} ${r.resource}${contextText(r.context)}`;
}

function cell(s: string): string {
    return s.replace(/\|/g, "\\|");
}

/** The matrix as a Markdown document. */
export function markdown(res: MatrixResult): string {
    const lines: string[] = [];
    lines.push(`# Access matrix: ${res.stack}`, "");
    lines.push(`IAM mode: **${res.mode}**, region ${res.region}. ${res.rows.length} cases, ${res.disagreements.length} disagreements.`, "");
    lines.push("| class | cases |", "| --- | ---: |");
    for (const [k, v] of Object.entries(res.counts).sort()) lines.push(`| ${k} | ${v} |`);
    lines.push("", "## What each principal can become", "");
    for (const [p, list] of Object.entries(res.becomes)) {
        lines.push(`* **${p}**`);
        for (const b of list) lines.push(`  * ${b.via === "self" ? "itself" : cell(b.via)}`);
    }
    lines.push("", "## Disagreements", "");
    if (res.disagreements.length === 0) lines.push("None.");
    else {
        lines.push("| principal | via | class | case | request | expected | actual |", "| --- | --- | --- | --- | --- | --- | --- |");
        for (const r of res.disagreements) lines.push(`| ${r.principal} | ${cell(r.via.join("; ") || "self")} | ${r.class} | ${r.id} | ${cell(requestText(r))} | ${r.expected} | ${cell(r.actual)} |`);
    }
    lines.push("", "## Every case", "");
    lines.push("| principal | via | class | case | request | expected | actual | ok |", "| --- | --- | --- | --- | --- | --- | --- | --- |");
    for (const r of res.rows) {
        lines.push(`| ${r.principal} | ${cell(r.via.join("; ") || "—")} | ${r.reportedClass} | ${r.id} | ${cell(requestText(r))} | ${r.expected} | ${cell(r.actual)} | ${r.agrees ? "yes" : "**NO**"} |`);
    }
    return lines.join("\n") + "\n";
}
