/**
 * A plain view of the stack for stack policies: resources with known values, and how to follow a
 * reference (a role name, a policy ARN) to the resource behind it, also when the value itself is
 * unknown during preview (through the engine's property dependencies).
 */
import { PolicyResource, StackValidationArgs } from "@pulumi/policy";
import { Partition } from "../../components/policies/partition";
import { PARALLELCLUSTER_PATH, TYPES, label, pcByName, pcReason, providerPartition } from "./iam";
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
}

/** What a reference resolves to. */
export type Ref =
    | { kind: "resource"; res: StackResource; /** matched by its known value, not through dependencies */ byValue: boolean }
    | { kind: "external"; value: string }
    | { kind: "unknown"; what: string };

export class StackView {
    readonly resources: StackResource[];
    private readonly byUrn = new Map<string, StackResource>();

    constructor(resources: StackResource[]) {
        this.resources = resources;
        for (const r of resources) this.byUrn.set(r.urn, r);
    }

    static from(args: StackValidationArgs): StackView {
        return new StackView(args.resources.map(toStackResource));
    }

    of(type: string): StackResource[] {
        return this.resources.filter((r) => r.type === type);
    }

    get(urn: string): StackResource | undefined {
        return this.byUrn.get(urn);
    }

    /** The role resource with this IAM name (or ARN). */
    roleNamed(nameOrArn: string): StackResource | undefined {
        return this.of(TYPES.role).find((r) => r.props.name === nameOrArn || r.props.arn === nameOrArn);
    }

    /** The policy resource with this ARN. */
    policyWithArn(arn: string): StackResource | undefined {
        return this.of(TYPES.policy).find((r) => r.props.arn === arn);
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
            for (const p of this.of(TYPES.instanceProfile)) {
                const ref = this.resolve(p, "role", p.props.role, TYPES.role);
                if (ref.kind === "resource" && ref.res.urn === r.urn && pcReason(p.props, pcPaths)) {
                    return { reason: `instance profile ${p.label}, which is meant for ParallelCluster, holds it`, direct: false };
                }
            }
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

export function toStackResource(r: PolicyResource): StackResource {
    const propDeps: Record<string, string[]> = {};
    for (const [k, v] of Object.entries(r.propertyDependencies ?? {})) propDeps[k] = v.map((d) => d.urn);
    return {
        type: r.type,
        urn: r.urn,
        name: r.name,
        props: plainProps(r.props),
        label: label(r.type, r.name),
        deps: (r.dependencies ?? []).map((d) => d.urn),
        propDeps,
        partition: providerPartition(r.provider ? { props: plainProps(r.provider.props) } : undefined),
    };
}

/** A string property that may be unknown, for messages. */
export function shown(v: string | Unknown | undefined): string {
    return typeof v === "string" ? `'${v}'` : isUnknown(v) ? "(unknown during preview)" : "(not set)";
}
