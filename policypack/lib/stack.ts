/**
 * A plain view of the stack for stack policies: resources with known values, and how to follow a
 * reference (a role name, a policy ARN) to the resource behind it, also when the value itself is
 * unknown during preview (through the engine's property dependencies).
 */
import { PolicyResource, StackValidationArgs } from "@pulumi/policy";
import { Partition } from "../shared/partition";
import { collectAttachments } from "./attachments";
import { AccountView, accountOfArn, providerAccount, roleAccount } from "./accounts";
import { PARALLELCLUSTER_PATH, TYPES, isOperatorPath, label, operatorExemption, pcByName, pcReason, providerPartition } from "./iam";
import { isUnknown, list, plainProps, str, Unknown } from "./values";

export interface StackResource {
    type: string;
    urn: string;
    name: string;
    props: Record<string, unknown>;
    label: string;
    /** URNs this resource depends on. */
    deps: string[];
    /** Property name -> URNs that property's value came from. */
    propDeps: Record<string, string[]>;
    partition?: Partition;
    /** The provider's plain properties, when the engine sent a provider. */
    providerProps?: Record<string, unknown>;
}

/** What a reference resolves to. */
export type Ref =
    | { kind: "resource"; res: StackResource; /** matched by its known value, not through dependencies */ byValue: boolean }
    | { kind: "external"; value: string }
    | { kind: "unknown"; what: string };

export class StackView {
    readonly resources: StackResource[];
    private readonly byUrn = new Map<string, StackResource>();
    private readonly byType = new Map<string, StackResource[]>();
    private readonly rolesByNameOrArn = new Map<string, StackResource>();
    private readonly policiesByArn = new Map<string, StackResource>();
    private readonly memos = new Map<string, unknown>();

    constructor(resources: StackResource[]) {
        this.resources = resources;
        for (const r of resources) {
            this.byUrn.set(r.urn, r);
            let l = this.byType.get(r.type);
            if (!l) this.byType.set(r.type, (l = []));
            l.push(r);
            // Only IAM resources are looked at (the others' properties are never made plain).
            if (r.type === TYPES.role) {
                for (const k of [str(r.props.name), str(r.props.arn)]) if (typeof k === "string" && !this.rolesByNameOrArn.has(k)) this.rolesByNameOrArn.set(k, r);
            }
            if (r.type === TYPES.policy) {
                const arn = str(r.props.arn);
                if (typeof arn === "string" && !this.policiesByArn.has(arn)) this.policiesByArn.set(arn, r);
            }
        }
    }

    static from(args: StackValidationArgs): StackView {
        return new StackView(args.resources.map(toStackResource));
    }

    /** Computes something about the whole stack once per view (attachments, indexes). */
    memo<T>(key: string, make: () => T): T {
        if (!this.memos.has(key)) this.memos.set(key, make());
        return this.memos.get(key) as T;
    }

    of(type: string): StackResource[] {
        return this.byType.get(type) ?? [];
    }

    get(urn: string): StackResource | undefined {
        return this.byUrn.get(urn);
    }

    /** The role resource with this IAM name (or ARN). */
    roleNamed(nameOrArn: string): StackResource | undefined {
        return this.rolesByNameOrArn.get(nameOrArn);
    }

    /** The policy resource with this ARN. */
    policyWithArn(arn: string): StackResource | undefined {
        return this.policiesByArn.get(arn);
    }

    /** Role URN -> the instance profiles that hold the role (built once per view). */
    private profilesByRole(): Map<string, StackResource[]> {
        return this.memo("profilesByRole", () => {
            const m = new Map<string, StackResource[]>();
            for (const p of this.of(TYPES.instanceProfile)) {
                const ref = this.resolve(p, "role", p.props.role, TYPES.role);
                if (ref.kind !== "resource") continue;
                let l = m.get(ref.res.urn);
                if (!l) m.set(ref.res.urn, (l = []));
                l.push(p);
            }
            return m;
        });
    }

    /** The instance profiles in the stack that hold this role. */
    profilesHolding(role: StackResource): StackResource[] {
        return this.profilesByRole().get(role.urn) ?? [];
    }

    /**
     * The operator exemption, judged on the whole stack: a role below `/parallelcluster/operator/` is
     * exempt only when its trust policy lets neither EC2 nor Lambda assume it and no instance profile in
     * the stack holds it. Returns the reason it is not exempt, `true` when exempt, "unknown" when its
     * trust policy is unknown during preview.
     */
    operatorExempt(role: StackResource): true | "unknown" | { notExempt: string } {
        const alone = operatorExemption(role.props);
        if (alone === false) return { notExempt: isOperatorPath(role.props) ? "its trust policy lets EC2 or Lambda assume it" : "it is not below the operator path" };
        const held = this.profilesHolding(role);
        if (held.length > 0) return { notExempt: `instance profile ${held[0].label} hands it to EC2` };
        return alone;
    }

    /** Accounts of the stack's own IAM resources and providers (their ARNs), and every account any ARN in the stack names. */
    accounts(): { own: string[]; seen: string[] } {
        return this.memo("accounts", () => {
            const own = new Set<string>();
            const seen = new Set<string>();
            for (const r of this.resources) {
                const a = r.type === TYPES.role || r.type === TYPES.policy || r.type === TYPES.instanceProfile ? accountOfArn(r.props.arn) : undefined;
                if (a) own.add(a);
                const pa = providerAccount(r.providerProps);
                if (pa) own.add(pa);
            }
            for (const att of collectAttachments(this)) {
                for (const ref of [att.policy, att.role]) {
                    const v = ref.kind === "external" ? ref.value : ref.kind === "resource" ? ref.res.props.arn : undefined;
                    const a = accountOfArn(v);
                    if (a) seen.add(a);
                }
            }
            for (const a of own) seen.add(a);
            return { own: [...own], seen: [...seen] };
        });
    }

    /** What is known about the account of a role (a resource of the stack, or named only). */
    accountView(role: Ref): AccountView {
        const { own, seen } = this.accounts();
        let mine: string | undefined;
        if (role.kind === "resource") mine = roleAccount(role.res.props, role.res.providerProps);
        else if (role.kind === "external") mine = accountOfArn(role.value);
        if (!mine && own.length === 1) mine = own[0];
        return { own: mine, seen };
    }

    /** Resources of `type` that `r`'s property `prop` was computed from (property dependencies, else all dependencies). */
    sourcesOf(r: StackResource, prop: string, type: string): StackResource[] {
        const pick = (urns: string[]) => urns.map((u) => this.byUrn.get(u)).filter((x): x is StackResource => x?.type === type);
        const fromProp = pick(r.propDeps[prop] ?? []);
        return fromProp.length > 0 ? fromProp : pick(r.deps);
    }

    /** Follows one reference-valued property: a known value by name/ARN, an unknown one through dependencies. */
    resolve(r: StackResource, prop: string, value: unknown, type: string): Ref {
        const v = str(value);
        if (typeof v === "string") {
            const res = type === TYPES.role ? this.roleNamed(v) : this.policyWithArn(v);
            return res ? { kind: "resource", res, byValue: true } : { kind: "external", value: v };
        }
        const sources = this.sourcesOf(r, prop, type);
        if (sources.length === 1) return { kind: "resource", res: sources[0], byValue: false };
        return { kind: "unknown", what: `${prop} of ${r.label}` };
    }

    /**
     * Follows a list-valued reference property (`roles`, `policyArns`, `managedPolicyArns`): known
     * entries by value; unknown entries matched to the dependencies of `type` not already named,
     * when their numbers agree; otherwise each unknown entry stays unknown.
     */
    resolveList(r: StackResource, prop: string, value: unknown, type: string): Ref[] {
        const items = list(value);
        const sources = this.sourcesOf(r, prop, type);
        if (isUnknown(items)) {
            // The whole list is unknown: judge what it was computed from, and say the rest is unknown.
            const refs: Ref[] = sources.map((res) => ({ kind: "resource", res, byValue: false }));
            refs.push({ kind: "unknown", what: `${prop} of ${r.label}` });
            return refs;
        }
        const refs: Ref[] = [];
        const named = new Set<string>();
        let unknowns = 0;
        for (const item of items) {
            if (isUnknown(item) || typeof item !== "string") {
                unknowns++;
                continue;
            }
            const ref = this.resolve(r, prop, item, type);
            if (ref.kind === "resource") named.add(ref.res.urn);
            refs.push(ref);
        }
        const rest = sources.filter((s) => !named.has(s.urn));
        if (unknowns > 0 && rest.length === unknowns) for (const res of rest) refs.push({ kind: "resource", res, byValue: false });
        else for (let i = 0; i < unknowns; i++) refs.push({ kind: "unknown", what: `an entry of ${prop} of ${r.label}` });
        return refs;
    }

    /**
     * Why a role or instance profile is meant for ParallelCluster: from its own properties (see
     * `pcReason`), else because an instance profile meant for ParallelCluster holds the role (or the
     * profile holds such a role). `direct` tells whether the resource's own properties said so.
     */
    pcStatus(r: StackResource, pcPaths: readonly string[] = [PARALLELCLUSTER_PATH]): { reason: string; direct: boolean } | undefined {
        const own = pcReason(r.props, pcPaths);
        if (own) return { reason: own, direct: true };
        if (r.type === TYPES.role) {
            const p = this.profilesHolding(r).find((x) => pcReason(x.props, pcPaths));
            if (p) return { reason: `instance profile ${p.label}, which is meant for ParallelCluster, holds it`, direct: false };
        }
        if (r.type === TYPES.instanceProfile) {
            const ref = this.resolve(r, "role", r.props.role, TYPES.role);
            if (ref.kind === "resource" && pcReason(ref.res.props, pcPaths)) {
                return { reason: `it holds role ${ref.res.label}, which is meant for ParallelCluster`, direct: false };
            }
            if (ref.kind === "external" && pcByName(ref.value)) {
                return { reason: `it holds role '${ref.value}', whose name mentions ParallelCluster`, direct: false };
            }
        }
        return undefined;
    }
}

/** A plain resource; its properties are made plain when first read (most policies read only IAM resources'). */
export function toStackResource(r: PolicyResource): StackResource {
    const propDeps: Record<string, string[]> = {};
    for (const [k, v] of Object.entries(r.propertyDependencies ?? {})) propDeps[k] = v.map((d) => d.urn);
    const provider = r.provider ? plainProps(r.provider.props) : undefined;
    let props: Record<string, unknown> | undefined;
    return {
        type: r.type,
        urn: r.urn,
        name: r.name,
        get props() {
            return (props ??= plainProps(r.props));
        },
        label: label(r.type, r.name),
        deps: (r.dependencies ?? []).map((d) => d.urn),
        propDeps,
        partition: providerPartition(provider ? { props: provider } : undefined),
        providerProps: provider,
    };
}

/** A string property that may be unknown, for messages. */
export function shown(v: string | Unknown | undefined): string {
    return typeof v === "string" ? `'${v}'` : isUnknown(v) ? "(unknown during preview)" : "(not set)";
}

