/**
 * Every way a managed policy gets attached to a role, and judging a policy against ParallelCluster's
 * allow-list (imported, never copied) from its ARN, or from the policy resource when the ARN is unknown.
 */
import { parseArn } from "../shared/context";
import { AllowListOptions, arnLike, describeAllowList, isAllowListedCustomerPolicy, isAllowedPolicyArn } from "../shared/allowlist";
import { PARTITIONS, Partition } from "../shared/partition";
import { AccountView, judgeAccount } from "./accounts";
import { TYPES } from "./iam";
import type { Ref, StackResource, StackView } from "./stack";
import { str } from "./values";

export interface Attachment {
    /** The resource that attaches (the role itself for `managedPolicyArns`). */
    via: StackResource;
    role: Ref;
    policy: Ref;
}

/** All attachments in the stack: Role.managedPolicyArns, RolePolicyAttachment, PolicyAttachment, RolePolicyAttachmentsExclusive. */
export function collectAttachments(view: StackView): Attachment[] {
    return view.memo("attachments", () => collect(view));
}

function collect(view: StackView): Attachment[] {
    const out: Attachment[] = [];
    for (const r of view.of(TYPES.role)) {
        for (const policy of view.resolveList(r, "managedPolicyArns", r.props.managedPolicyArns, TYPES.policy)) {
            out.push({ via: r, role: { kind: "resource", res: r, byValue: true }, policy });
        }
    }
    for (const a of view.of(TYPES.rolePolicyAttachment)) {
        out.push({ via: a, role: view.resolve(a, "role", a.props.role, TYPES.role), policy: view.resolve(a, "policyArn", a.props.policyArn, TYPES.policy) });
    }
    for (const a of view.of(TYPES.policyAttachment)) {
        const policy = view.resolve(a, "policyArn", a.props.policyArn, TYPES.policy);
        for (const role of view.resolveList(a, "roles", a.props.roles, TYPES.role)) out.push({ via: a, role, policy });
    }
    for (const a of view.of(TYPES.rolePolicyAttachmentsExclusive)) {
        const role = view.resolve(a, "roleName", a.props.roleName, TYPES.role);
        for (const policy of view.resolveList(a, "policyArns", a.props.policyArns, TYPES.policy)) out.push({ via: a, role, policy });
    }
    return out;
}

// isAllowedPolicyArn builds the allow-list's patterns and their regexes on every call; stacks attach
// the same few ARNs to many roles.
const allowedCache = new Map<string, boolean>();

function allowed(arn: string, partition: Partition, account: string, opts: AllowListOptions): boolean {
    const key = `${partition}\n${account}\n${opts.lambdaVpcAccess ? 1 : 0}\n${(opts.extraPolicyArns ?? []).join("\n")}\n\n${arn}`;
    let hit = allowedCache.get(key);
    if (hit === undefined) {
        hit = isAllowedPolicyArn(arn, partition, account, opts);
        if (allowedCache.size > 10_000) allowedCache.clear();
        allowedCache.set(key, hit);
    }
    return hit;
}

export type Verdict = { ok: true } | { ok: false; why: string } | { ok: "unknown"; why: string };

/** Judges a known policy ARN: partition from the ARN itself, and against the provider's partition when known. */
export function judgeArn(arn: string, opts: AllowListOptions, expected?: Partition, accounts?: AccountView): Verdict {
    const p = parseArn(arn);
    if (!p || p.service !== "iam" || !p.resource.startsWith("policy/")) return { ok: false, why: `'${arn}' is not an IAM policy ARN` };
    if (!(PARTITIONS as readonly string[]).includes(p.partition)) return { ok: false, why: `'${arn}' is in unsupported partition '${p.partition}'` };
    const partition = p.partition as Partition;
    if (expected && partition !== expected) {
        return { ok: false, why: `'${arn}' is in partition '${partition}', but the resource's provider region is in '${expected}'` };
    }
    const extra = (opts.extraPolicyArns ?? []).includes(arn);
    if (!extra && p.account !== "aws" && accounts) {
        const why = judgeAccount(p.account, accounts);
        if (why) return { ok: false, why: `'${arn}' is not acceptable: ${why}` };
    }
    if (allowed(arn, partition, p.account, opts)) return { ok: true };
    return { ok: false, why: `'${arn}' is not on ParallelCluster's managed-policy allow-list (${describeAllowList(partition, opts)})` };
}

/**
 * Judges a customer policy resource whose ARN is unknown during preview from its name (or name
 * prefix) and path: the allow-list accepts `policy/parallelcluster*`, so `${path}${name}` must start
 * with `/parallelcluster`; extra allowed ARNs are matched on their resource part.
 */
export function judgePolicyResource(res: StackResource, opts: AllowListOptions): Verdict {
    const path = str(res.props.path) ?? "/";
    const name = str(res.props.name);
    const prefix = str(res.props.namePrefix);
    if (typeof path !== "string") return { ok: "unknown", why: `the path of ${res.label} is unknown during preview` };
    const extraMatch = (n: string) =>
        (opts.extraPolicyArns ?? []).some((e) => {
            const pe = parseArn(e);
            return pe !== undefined && arnLike(pe.resource, `policy${path}${n}`);
        });
    if (typeof name === "string") {
        if (isAllowListedCustomerPolicy(name, path) || extraMatch(name)) return { ok: true };
        return { ok: false, why: `customer policy ${res.label} (name '${name}', path '${path}') is not on ParallelCluster's allow-list, which accepts only customer policies named 'parallelcluster*' or under path '/parallelcluster/'` };
    }
    if (typeof prefix === "string") {
        const start = `${path}${prefix}`;
        if (start.startsWith("/parallelcluster")) return { ok: true };
        if (!"/parallelcluster".startsWith(start)) {
            return { ok: false, why: `customer policy ${res.label} (name prefix '${prefix}', path '${path}') is not on ParallelCluster's allow-list, which accepts only customer policies named 'parallelcluster*' or under path '/parallelcluster/'` };
        }
    }
    return { ok: "unknown", why: `the name of ${res.label} is unknown during preview` };
}

/** Judges whatever a policy reference resolved to. */
export function judgePolicyRef(ref: Ref, opts: AllowListOptions, expected?: Partition, accounts?: AccountView): Verdict {
    switch (ref.kind) {
        case "external":
            return judgeArn(ref.value, opts, expected, accounts);
        case "resource": {
            // A policy the stack creates is in the stack's account.
            const arn = str(ref.res.props.arn);
            return typeof arn === "string" ? judgeArn(arn, opts, expected) : judgePolicyResource(ref.res, opts);
        }
        case "unknown":
            return { ok: "unknown", why: `${ref.what} is unknown during preview and depends on no single aws:iam/policy:Policy` };
    }
}

/** A stable key for a policy reference, to count distinct attachments. */
export function policyKey(ref: Ref, fallback: string): string {
    if (ref.kind === "external") return `arn:${ref.value}`;
    if (ref.kind === "resource") {
        const arn = str(ref.res.props.arn);
        return typeof arn === "string" ? `arn:${arn}` : `urn:${ref.res.urn}`;
    }
    return `unknown:${fallback}`;
}

/** Display of a policy reference for messages. */
export function showPolicy(ref: Ref): string {
    if (ref.kind === "external") return `'${ref.value}'`;
    if (ref.kind === "resource") {
        const arn = str(ref.res.props.arn);
        return typeof arn === "string" ? `'${arn}'` : ref.res.label;
    }
    return "(unknown)";
}
