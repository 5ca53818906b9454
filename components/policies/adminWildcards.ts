/**
 * Administrator-access wildcards: an Allow of `*`, `iam:*` or `sts:*` (or of NotAction) on every resource.
 * IAM and STS let the holder grant or assume anything, and no ParallelCluster policy needs them. Shared by
 * the components (which refuse such documents) and the policy pack (which reports them).
 */
import { iamGlob } from "./allowlist";
import { PolicyDocument, asList } from "./types";

/** Why an action pattern amounts to `*`, `iam:*` or `sts:*`, or undefined. */
export function adminActionPattern(pattern: string): string | undefined {
    if (/^\*+$/.test(pattern)) return "every action";
    const colon = pattern.indexOf(":");
    if (colon < 0) return undefined;
    const service = pattern.slice(0, colon);
    if (!/^\*+$/.test(pattern.slice(colon + 1))) return undefined;
    for (const s of ["iam", "sts"]) if (iamGlob(service, true).test(s)) return `every ${s.toUpperCase()} action`;
    return undefined;
}

/** One sentence per administrator-access wildcard in a document; empty when there is none. */
export function adminWildcardFindings(doc: PolicyDocument): string[] {
    const out: string[] = [];
    doc.Statement.forEach((s, i) => {
        if (s.Effect !== "Allow") return;
        const everywhere = s.NotResource !== undefined || asList(s.Resource).includes("*");
        if (!everywhere) return;
        const at = s.Sid ? `statement '${s.Sid}'` : `statement #${i + 1}`;
        if (s.NotAction !== undefined) {
            out.push(`${at} allows NotAction on every resource`);
            return;
        }
        for (const a of asList(s.Action)) {
            const what = adminActionPattern(a);
            if (what) out.push(`${at} allows '${a}' (${what}) on every resource`);
        }
    });
    return out;
}
