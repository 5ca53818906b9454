/**
 * parallelcluster-policy-size: documents fit IAM's quotas (limits.ts), so the update does not fail
 * half-way: a customer-managed policy holds 6,144 non-whitespace characters; a role's inline policies
 * (Role.inlinePolicies plus every aws.iam.RolePolicy for that role) hold 10,240 together.
 */
import { ReportViolation, ResourceValidationArgs, StackValidationArgs } from "@pulumi/policy";
import { ResourceAndStackPolicy } from "../lib/policyTypes";
import { MANAGED_POLICY_MAX_CHARS, ROLE_INLINE_POLICIES_MAX_CHARS, policySize } from "../shared/limits";
import { parseDocument } from "../lib/documents";
import { documentsOf, label, TYPES } from "../lib/iam";
import { StackResource, StackView } from "../lib/stack";
import { validateTypes } from "../lib/validate";
import { cannotJudgeDuringPreview, isUnknown, PreviewGaps } from "../lib/values";

export const NAME = "parallelcluster-policy-size";

const SPLIT = "Fix: split it (components/policies/packing.ts packPolicy) into several policies, or move statements into customer-managed policies.";

/** Size of one document value: a lower bound when parts are unknown, undefined when it is unknown altogether. */
function sizeOf(value: unknown): { size: number; exact: boolean } | undefined {
    const d = parseDocument(value);
    if (d.kind === "document") return { size: policySize(d.raw), exact: !d.partial };
    if (d.kind === "absent" || d.kind === "invalid") return { size: 0, exact: true };
    return undefined;
}

interface Inline {
    name: string;
    size: number;
    exact: boolean;
    from: StackResource | "role";
}

/** The role's own inline documents (known ones), and whether any is unknown. */
function ownInline(props: Record<string, unknown>): { docs: Inline[]; unknown: boolean } {
    const sources = documentsOf(TYPES.role, props);
    if (isUnknown(sources)) return { docs: [], unknown: true };
    const docs: Inline[] = [];
    let unknown = false;
    for (const s of sources) {
        const sz = sizeOf(s.value);
        if (!sz) unknown = true;
        else docs.push({ name: s.inlineName ?? s.what, size: sz.size, exact: sz.exact, from: "role" });
    }
    return { docs, unknown: unknown || docs.some((d) => !d.exact) };
}

function validateManaged(p: Record<string, unknown>, args: ResourceValidationArgs, report: ReportViolation): void {
    const sz = sizeOf(p.policy);
    const where = label(args.type, args.name);
    if (sz === undefined) throw cannotJudgeDuringPreview([`the policy document of ${where} is unknown during preview`]);
    if (sz.size > MANAGED_POLICY_MAX_CHARS) {
        report(`${where}: the document has ${sz.size}${sz.exact ? "" : "+"} non-whitespace characters; a managed policy holds at most ${MANAGED_POLICY_MAX_CHARS}. ${SPLIT}`);
    } else if (!sz.exact) throw cannotJudgeDuringPreview([`parts of the policy document of ${where} are unknown during preview`]);
}

function validateRolePolicy(p: Record<string, unknown>, args: ResourceValidationArgs, report: ReportViolation): void {
    const sz = sizeOf(p.policy);
    const where = label(args.type, args.name);
    // The stack check adds the role's other inline policies; alone, unknown documents wait for it.
    if (sz && sz.size > ROLE_INLINE_POLICIES_MAX_CHARS) {
        report(`${where}: the inline document alone has ${sz.size} non-whitespace characters; a role's inline policies hold at most ${ROLE_INLINE_POLICIES_MAX_CHARS} together. ${SPLIT}`);
    }
}

function validateRole(p: Record<string, unknown>, args: ResourceValidationArgs, report: ReportViolation): void {
    const own = ownInline(p);
    const where = label(args.type, args.name);
    const total = own.docs.reduce((n, d) => n + d.size, 0);
    if (total > ROLE_INLINE_POLICIES_MAX_CHARS) {
        report(`${where}: its inline policies have ${total} non-whitespace characters together; at most ${ROLE_INLINE_POLICIES_MAX_CHARS} allowed. ${SPLIT}`);
    } else if (own.unknown) {
        throw cannotJudgeDuringPreview([`some inline policies of ${where} are unknown during preview`]);
    }
}

/** Sum per role of Role.inlinePolicies and RolePolicy resources, de-duplicated by inline policy name. */
function validateStack(args: StackValidationArgs, report: ReportViolation): void {
    const view = StackView.from(args);
    const gaps = new PreviewGaps();
    const byRole = new Map<string, { label: string; urn?: string; docs: Map<string, Inline>; unknown: boolean; rolePolicies: number }>();
    const entry = (key: string, lbl: string, urn?: string) => {
        let e = byRole.get(key);
        if (!e) byRole.set(key, (e = { label: lbl, urn, docs: new Map(), unknown: false, rolePolicies: 0 }));
        return e;
    };
    for (const role of view.of(TYPES.role)) {
        const e = entry(role.urn, role.label, role.urn);
        const own = ownInline(role.props);
        e.unknown = own.unknown;
        for (const d of own.docs) e.docs.set(d.name, d);
    }
    for (const rp of view.of(TYPES.rolePolicy)) {
        const ref = view.resolve(rp, "role", rp.props.role, TYPES.role);
        if (ref.kind === "unknown") {
            gaps.add(`the role of ${rp.label} is unknown during preview`);
            continue;
        }
        const e = ref.kind === "resource" ? entry(ref.res.urn, ref.res.label, ref.res.urn) : entry(`external:${ref.value}`, `role '${ref.value}'`, rp.urn);
        e.rolePolicies++;
        const sz = sizeOf(rp.props.policy);
        const name = typeof rp.props.name === "string" ? rp.props.name : rp.urn;
        if (!sz) e.unknown = true;
        else e.docs.set(name, { name, size: sz.size, exact: sz.exact, from: rp });
    }
    for (const e of byRole.values()) {
        const docs = [...e.docs.values()];
        // Without RolePolicy resources the role's own inline policies were judged per resource.
        if (e.rolePolicies === 0) continue;
        const rolePolicies = docs.filter((d) => d.from !== "role");
        const total = docs.reduce((n, d) => n + d.size, 0);
        const ownTotal = docs.filter((d) => d.from === "role").reduce((n, d) => n + d.size, 0);
        const judgedAlone = ownTotal > ROLE_INLINE_POLICIES_MAX_CHARS || rolePolicies.some((d) => d.size > ROLE_INLINE_POLICIES_MAX_CHARS);
        if (total > ROLE_INLINE_POLICIES_MAX_CHARS && !judgedAlone) {
            const parts = docs.map((d) => `'${d.name}' ${d.size}`).join(", ");
            report(`${e.label}: its inline policies (${parts}) have ${total} non-whitespace characters together; at most ${ROLE_INLINE_POLICIES_MAX_CHARS} allowed. ${SPLIT}`, e.urn);
        } else if (total <= ROLE_INLINE_POLICIES_MAX_CHARS && (e.unknown || docs.some((d) => !d.exact))) {
            gaps.add(`some inline policies of ${e.label} are unknown during preview, so their total size cannot be checked`);
        }
    }
    gaps.throwIfAny();
}

export const policySizePolicy: ResourceAndStackPolicy = {
    name: NAME,
    description: "Customer-managed policies stay within 6,144 and a role's inline policies within 10,240 non-whitespace characters.",
    enforcementLevel: "mandatory",
    validateResource: validateTypes({ [TYPES.policy]: validateManaged, [TYPES.rolePolicy]: validateRolePolicy, [TYPES.role]: validateRole }),
    validateStack,
};
