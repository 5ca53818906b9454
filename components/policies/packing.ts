/**
 * Packs a document's statements into the fewest managed policies that each fit the size limit.
 * Deterministic: the same input always gives the same policies, in the same order.
 */
import { MANAGED_POLICY_MAX_CHARS, policySize } from "./limits";
import { PolicyDocument, PolicyStatement, asList, policyDocument } from "./types";

const EMPTY_OVERHEAD = policySize(policyDocument([]));

/** Size a statement adds to a document (its JSON plus the separating comma). */
function weight(s: PolicyStatement): number {
    return policySize(s) + 1;
}

/** Splits one statement whose own size is over `capacity` into parts along its Action, then its Resource list. */
function splitStatement(s: PolicyStatement, capacity: number): PolicyStatement[] {
    if (weight(s) <= capacity) return [s];
    const actions = asList(s.Action);
    const resources = asList(s.Resource);
    let parts: PolicyStatement[];
    if (actions.length > 1) {
        const mid = Math.ceil(actions.length / 2);
        parts = [{ ...s, Action: actions.slice(0, mid) }, { ...s, Action: actions.slice(mid) }];
    } else if (resources.length > 1) {
        const mid = Math.ceil(resources.length / 2);
        parts = [{ ...s, Resource: resources.slice(0, mid) }, { ...s, Resource: resources.slice(mid) }];
    } else {
        throw new Error(`statement '${s.Sid ?? JSON.stringify(s).slice(0, 80)}' alone has ${policySize(s)} characters and cannot be split to fit ${capacity}`);
    }
    return parts.flatMap((p) => splitStatement(p, capacity));
}

// Room kept in each split part for the suffix its Sid may get (`2`, `x3`, …).
const SID_SUFFIX_RESERVE = 6;

/** Renames split parts `Sid`, `Sid2`, `Sid3`…, skipping any Sid the document already uses, so Sids stay unique and stable. */
function renameParts(parts: PolicyStatement[], taken: Set<string>): PolicyStatement[] {
    if (parts.length === 1 || parts[0].Sid === undefined) return parts;
    return parts.map((p, i) => {
        if (i === 0) return p;
        let sid = `${p.Sid}${i + 1}`;
        for (let k = 0; taken.has(sid); k++) sid = `${p.Sid}${"x".repeat(k + 1)}${i + 1}`;
        taken.add(sid);
        return { ...p, Sid: sid };
    });
}

/** Exact bin packing by depth-first search with pruning; undefined if `k` bins cannot hold the items or the search is cut off. */
function packInto(weights: number[], capacity: number, k: number, budget: { nodes: number }): number[] | undefined {
    const bins = new Array<number>(k).fill(0);
    const assign = new Array<number>(weights.length).fill(-1);
    const place = (i: number): boolean => {
        if (i === weights.length) return true;
        if (--budget.nodes < 0) return false;
        const tried = new Set<number>();
        for (let b = 0; b < k; b++) {
            if (bins[b] + weights[i] > capacity || tried.has(bins[b])) continue; // symmetric bins: try one
            tried.add(bins[b]);
            bins[b] += weights[i];
            assign[i] = b;
            if (place(i + 1)) return true;
            bins[b] -= weights[i];
        }
        return false;
    };
    return place(0) ? assign : undefined;
}

/** Groups item indices into the fewest bins of `capacity`; groups and their members in input order. */
function packGroups(weights: number[], capacity: number): number[][] {
    // Largest first, ties by input position: deterministic.
    const order = weights.map((_, i) => i).sort((a, b) => weights[b] - weights[a] || a - b);
    const sorted = order.map((i) => weights[i]);
    const total = sorted.reduce((a, b) => a + b, 0);
    let assignment: number[] | undefined;
    const budget = { nodes: 200_000 };
    for (let bins = Math.max(1, Math.ceil(total / capacity)); !assignment; bins++) {
        assignment = packInto(sorted, capacity, bins, budget);
        // Search cut off: first-fit decreasing, which is never more than 11/9 OPT + 1.
        if (!assignment && budget.nodes < 0) assignment = firstFit(sorted, capacity);
    }
    const groups: number[][] = [];
    assignment.forEach((b, j) => (groups[b] ??= []).push(order[j]));
    return groups
        .filter((g) => g && g.length > 0)
        .map((g) => g.sort((a, b) => a - b))
        .sort((a, b) => a[0] - b[0]);
}

/**
 * Returns the fewest documents (each at most `limit` non-whitespace characters) holding all statements.
 * Statement order inside each document follows the input order.
 */
export function packPolicy(doc: PolicyDocument, limit: number = MANAGED_POLICY_MAX_CHARS): PolicyDocument[] {
    if (policySize(doc) <= limit) return [doc];
    const capacity = limit - EMPTY_OVERHEAD + 1; // the first statement has no comma
    const taken = new Set(doc.Statement.map((s) => s.Sid).filter((s): s is string => s !== undefined));
    const items = doc.Statement.flatMap((s) => renameParts(splitStatement(s, capacity - SID_SUFFIX_RESERVE), taken));
    const out = packGroups(items.map(weight), capacity).map((g) => policyDocument(g.map((i) => items[i])));
    for (const d of out) {
        if (policySize(d) > limit) throw new Error(`packing produced a ${policySize(d)}-character policy; at most ${limit} (a bug: please report it)`);
    }
    return out;
}

/**
 * The statement indices of each part, without splitting statements: components compute this layout
 * from a template document before the real values are known, then apply it to the real document.
 */
export function packLayout(doc: PolicyDocument, limit: number = MANAGED_POLICY_MAX_CHARS): number[][] {
    const capacity = limit - EMPTY_OVERHEAD + 1;
    const weights = doc.Statement.map(weight);
    weights.forEach((w, i) => {
        if (w > capacity) throw new Error(`statement ${doc.Statement[i].Sid ?? i} alone has ${w - 1} characters; a managed policy holds at most ${limit}`);
    });
    if (policySize(doc) <= limit) return [doc.Statement.map((_, i) => i)];
    return packGroups(weights, capacity);
}

function firstFit(weights: number[], capacity: number): number[] {
    const bins: number[] = [];
    return weights.map((w) => {
        let b = bins.findIndex((used) => used + w <= capacity);
        if (b < 0) b = bins.push(0) - 1;
        bins[b] += w;
        return b;
    });
}
