/**
 * Semantic comparison of IAM documents: each document becomes the set of
 * (effect, action, resource, condition) tuples it states, order- and grouping-insensitive.
 */
import { PolicyDocument, PolicyStatement, asList } from "../../components/policies/types";

export type Tuple = string;

function canonicalCondition(c: PolicyStatement["Condition"]): string {
    if (!c) return "{}";
    const ops = Object.keys(c).sort().map((op) => {
        const keys = Object.keys(c[op]).sort().map((k) => {
            const v = c[op][k];
            const vals = (Array.isArray(v) ? v : [v]).map(String).sort();
            return `${k.toLowerCase()}=${JSON.stringify(vals)}`;
        });
        return `${op}{${keys.join(",")}}`;
    });
    return `{${ops.join(",")}}`;
}

/** The tuples of one statement. Action names compare case-insensitively, as IAM does. */
export function statementTuples(s: PolicyStatement): Tuple[] {
    const cond = canonicalCondition(s.Condition);
    const actions = s.Action !== undefined ? asList(s.Action).map((a) => `A:${a.toLowerCase()}`) : asList(s.NotAction).map((a) => `N:${a.toLowerCase()}`);
    const resources = s.Resource !== undefined ? asList(s.Resource).map((r) => `R:${r}`) : asList(s.NotResource).map((r) => `NR:${r}`);
    const principal = s.Principal ? JSON.stringify(s.Principal) : "";
    const out: Tuple[] = [];
    for (const a of actions) for (const r of resources.length ? resources : ["-"]) out.push(`${s.Effect} ${a} ${r} ${cond}${principal ? " P:" + principal : ""}`);
    return out;
}

export function documentTuples(doc: PolicyDocument | PolicyDocument[]): Set<Tuple> {
    const docs = Array.isArray(doc) ? doc : [doc];
    return new Set(docs.flatMap((d) => d.Statement.flatMap(statementTuples)));
}

export interface SemanticDiff {
    /** tuples only in `actual` */
    added: Tuple[];
    /** tuples only in `expected` */
    removed: Tuple[];
}

export function semanticDiff(actual: PolicyDocument | PolicyDocument[], expected: PolicyDocument | PolicyDocument[]): SemanticDiff {
    const a = documentTuples(actual);
    const e = documentTuples(expected);
    return { added: [...a].filter((t) => !e.has(t)).sort(), removed: [...e].filter((t) => !a.has(t)).sort() };
}

/** Shorthand for the tuples of a statement, for pinning deviations in tests. */
export function tuplesOf(...statements: PolicyStatement[]): Tuple[] {
    return statements.flatMap(statementTuples).sort();
}
