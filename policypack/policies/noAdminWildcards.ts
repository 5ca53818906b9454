/**
 * parallelcluster-no-admin-wildcards: no inline or customer-managed document grants administrator access,
 * however it is spelt (lib/semantics.ts `adminFindings`): every action (`*`, `*:*`, `?*`), every IAM or
 * STS action (`iam:*`, `iam:?*`, `IAM:*`, `i?m:*`) or an IAM privilege-escalation action
 * (`iam:PutRolePolicy`, `iam:Attach*`, ...) on every resource or every role/user/group/policy (`*`,
 * `arn:*`, `arn:aws:iam::*:*`, `arn:aws:iam::123456789012:role/*`, NotResource), or NotAction on such
 * resources. IAM and STS let the holder grant or assume anything; no ParallelCluster policy needs them.
 */
import { ResourceValidationPolicy } from "@pulumi/policy";
import { statementLabel } from "../lib/documents";
import { DocumentContext, forEveryDocument } from "../lib/documentPolicy";
import { adminFindings, isAllow, statement } from "../lib/semantics";

export const NAME = "parallelcluster-no-admin-wildcards";

async function check({ where, doc, report, gaps }: DocumentContext): Promise<void> {
    for (const [i, st] of doc.Statement.entries()) {
        const s = statement(st as unknown as Record<string, unknown>);
        if (!isAllow(s)) continue;
        const at = `${where} ${statementLabel(st, i)}`;
        const found = await adminFindings(s);
        for (const f of found) {
            if (f.via === "NotAction") {
                report(`${at} allows NotAction on ${f.on}, i.e. ${f.what}: administrator access. Fix: list the actions the role needs in Action and scope Resource to specific ARNs.`);
            } else {
                report(`${at} allows '${f.via}' (${f.what}) on ${f.on}: administrator access. Fix: list the specific actions ParallelCluster needs and scope Resource to specific ARNs.`);
            }
        }
        if (found.length > 0 || !(s.resources.unknown || s.actions.unknown)) continue;
        // Would the unknown parts make it administrator access if they turned out to be '*'?
        const worst = {
            ...s,
            actions: { ...s.actions, known: s.actions.unknown && !s.actions.not ? [...s.actions.known, "*"] : s.actions.known, unknown: false },
            resources: { ...s.resources, known: s.resources.unknown && !s.resources.not ? [...s.resources.known, "*"] : s.resources.known, unknown: false },
        };
        if ((await adminFindings(worst)).length > 0) gaps.add(`the actions or resources of ${at} are unknown during preview`);
    }
}

export const noAdminWildcards: ResourceValidationPolicy = {
    name: NAME,
    description: "No inline or customer-managed policy grants administrator access: every action, all of IAM or STS, IAM privilege escalation, or NotAction on every resource.",
    enforcementLevel: "mandatory",
    validateResource: forEveryDocument(check),
};
