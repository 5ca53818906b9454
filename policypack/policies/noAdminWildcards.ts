/**
 * parallelcluster-no-admin-wildcards: no inline or customer-managed document allows everything, all of
 * IAM or all of STS on every resource: each of those is administrator access (IAM and STS let the
 * holder grant or assume anything), which no ParallelCluster policy needs.
 */
import { ResourceValidationPolicy } from "@pulumi/policy";
import { adminActionPattern } from "../../components/policies/adminWildcards";
import { statementLabel, values } from "../lib/documents";
import { DocumentContext, forEveryDocument } from "../lib/documentPolicy";

export const NAME = "parallelcluster-no-admin-wildcards";

function check({ where, doc, report, gaps }: DocumentContext): void {
    for (const [i, st] of doc.Statement.entries()) {
        const s = st as unknown as Record<string, unknown>;
        if (s.Effect !== "Allow") continue;
        const at = `${where} ${statementLabel(st, i)}`;
        const res = values(s.Resource);
        const everywhere = s.NotResource !== undefined || res.known.includes("*");
        if (!everywhere) {
            if (res.unknown) gaps.add(`the resources of ${at} are unknown during preview`);
            continue;
        }
        const on = s.NotResource !== undefined ? "every resource but those in NotResource" : "Resource '*'";
        if (s.NotAction !== undefined) {
            report(`${at} allows NotAction on ${on}, i.e. every action it does not list. Fix: list the actions the role needs in Action and scope Resource to specific ARNs.`);
            continue;
        }
        const actions = values(s.Action);
        if (actions.unknown) gaps.add(`the actions of ${at} are unknown during preview`);
        for (const a of actions.known) {
            const what = adminActionPattern(a);
            if (what) {
                report(`${at} allows '${a}' (${what}) on ${on}: administrator access. Fix: list the specific actions ParallelCluster needs and scope Resource to specific ARNs.`);
            }
        }
    }
}

export const noAdminWildcards: ResourceValidationPolicy = {
    name: NAME,
    description: "No inline or customer-managed policy allows '*', 'iam:*' or 'sts:*' (or NotAction) on Resource '*'.",
    enforcementLevel: "mandatory",
    validateResource: forEveryDocument(check),
};
