/**
 * parallelcluster-managed-policy-quota: no role gets more managed policies than the account's quota
 * (10 by default, raisable to 20), counting every way of attaching them, each distinct policy once.
 * IAM refuses the attachment over the quota, and the update then stops half-done.
 */
import { ReportViolation, StackValidationArgs, StackValidationPolicy } from "@pulumi/policy";
import { MANAGED_POLICIES_PER_ROLE_DEFAULT, MANAGED_POLICIES_PER_ROLE_MAX } from "../shared/limits";
import { collectAttachments, policyKey, showPolicy } from "../lib/attachments";
import { StackView } from "../lib/stack";
import { PreviewGaps } from "../lib/values";

export const NAME = "parallelcluster-managed-policy-quota";

interface Config {
    maxManagedPoliciesPerRole?: number;
}

function validateStack(args: StackValidationArgs, report: ReportViolation): void {
    const max = args.getConfig<Config>().maxManagedPoliciesPerRole ?? MANAGED_POLICIES_PER_ROLE_DEFAULT;
    const view = StackView.from(args);
    const gaps = new PreviewGaps();
    const roles = new Map<string, { label: string; urn: string; known: Map<string, string>; unknown: Set<string> }>();
    for (const [i, att] of collectAttachments(view).entries()) {
        if (att.role.kind === "unknown") {
            gaps.add(`${att.role.what}: the role is unknown during preview, so its attachment cannot be counted`);
            continue;
        }
        const key = att.role.kind === "resource" ? att.role.res.urn : `external:${att.role.value}`;
        let e = roles.get(key);
        if (!e) {
            e = att.role.kind === "resource"
                ? { label: att.role.res.label, urn: att.role.res.urn, known: new Map(), unknown: new Set() }
                : { label: `role '${att.role.value}'`, urn: att.via.urn, known: new Map(), unknown: new Set() };
            roles.set(key, e);
        }
        const k = policyKey(att.policy, `${att.via.urn}#${i}`);
        if (k.startsWith("unknown:")) e.unknown.add(k);
        else e.known.set(k, showPolicy(att.policy));
    }
    for (const e of roles.values()) {
        const n = e.known.size;
        const u = e.unknown.size;
        if (n > max) {
            report(
                `${e.label} has ${n} managed policies attached (${[...e.known.values()].join(", ")})${u ? ` plus ${u} unknown during preview` : ""}; ` +
                    `the quota is ${max}. Fix: merge customer policies (components/policies/packing.ts), drop unneeded ones, or raise the IAM quota ` +
                    `'Managed policies per role' (up to ${MANAGED_POLICIES_PER_ROLE_MAX}) and set this policy's 'maxManagedPoliciesPerRole'.`,
                e.urn,
            );
        } else if (n + u > max) {
            gaps.add(`${e.label} has ${n} managed policies attached and ${u} more whose ARNs are unknown during preview; together they may exceed the quota of ${max}`);
        }
    }
    gaps.throwIfAny();
}

export const managedPolicyQuota: StackValidationPolicy = {
    name: NAME,
    description: "No role has more managed policies attached than the per-role quota, counting every kind of attachment.",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            maxManagedPoliciesPerRole: {
                type: "integer",
                minimum: 1,
                maximum: MANAGED_POLICIES_PER_ROLE_MAX,
                default: MANAGED_POLICIES_PER_ROLE_DEFAULT,
                description: "The account's 'Managed policies per role' IAM quota (10 by default, at most 20).",
            },
        },
    },
    validateStack,
};
