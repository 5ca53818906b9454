/**
 * The IAM manifest (documented in docs/engine.md, "The IAM manifest"): every role and customer policy a stack creates, with
 * parsed documents, built from the engine's recorded resources. A stable contract that reviewers diff.
 */
import { INSTANCE_PROFILE, plain, POLICY, RecordedResource, ROLE, ROLE_POLICY, ROLE_POLICY_ATTACHMENT } from "../components/testing/mocks";
import { PURPOSES, Purpose, TAG_KEYS } from "../components/vocabulary";

export { PURPOSES, Purpose } from "../components/vocabulary";

export type Document = Record<string, unknown>;

export interface ManifestRole {
    purpose: Purpose | null;
    cluster: string | null;
    queue: string | null;
    /** Login-node roles: the pool name. */
    pool: string | null;
    scheduler: string | null;
    name: string;
    path: string;
    arn: string;
    trustPolicy: Document | null;
    permissionsBoundary: string | null;
    managedPolicyArns: string[];
    inlinePolicies: Record<string, Document>;
    instanceProfile: { name: string; path: string; arn: string } | null;
}

export interface ManifestPolicy {
    purpose: Purpose | null;
    name: string;
    /** null for an inline grant on an existing role (it has neither path nor ARN). */
    path: string | null;
    arn: string | null;
    document: Document | null;
    /** Inline grants only: the existing role the document is put on. */
    role?: string;
    /** Managed policies attached to roles the stack does not create (e.g. an existing cluster-user role). */
    existingRoles?: string[];
}

/** A policy-pack finding as the manifest records it. */
export interface Violation {
    policy: string;
    level: string;
    message: string;
    urn: string;
}

export interface IamManifest {
    stack: string;
    partition: string;
    accountId: string;
    region: string;
    /** The ParallelCluster release the roles are made for (the program's `parallelClusterVersion` output), or null. */
    parallelClusterVersion: string | null;
    /** The stack configuration that produced the manifest: fully qualified keys, values as the program read them. */
    config: Record<string, unknown>;
    roles: ManifestRole[];
    policies: ManifestPolicy[];
    /** The stack's outputs; values unknown in a preview read "<unknown>". */
    outputs: Record<string, unknown>;
    violations: Violation[];
}

export interface BuildManifestInput {
    readonly stack: string;
    readonly partition: string;
    readonly accountId: string;
    readonly region: string;
    readonly resources: readonly RecordedResource[];
    /** The flat config map the program received (values as strings, structures as JSON text). */
    readonly config?: Readonly<Record<string, string>>;
    readonly outputs?: Readonly<Record<string, unknown>>;
    /** Policy-pack findings; empty when no pack ran. */
    readonly violations?: readonly Violation[];
}

function str(v: unknown): string | null {
    return typeof v === "string" && v !== "" ? v : null;
}

function tags(r: RecordedResource): Record<string, string> {
    const t = r.state.tags ?? r.inputs.tags;
    return t && typeof t === "object" ? (t as Record<string, string>) : {};
}

function purposeOf(r: RecordedResource): Purpose | null {
    const p = tags(r)[TAG_KEYS.purpose];
    return (PURPOSES as readonly string[]).includes(p) ? (p as Purpose) : null;
}

/** Documents appear parsed; a document that is not JSON is kept as-is so the problem stays visible. */
export function parseDocument(v: unknown): Document | null {
    if (v && typeof v === "object") return v as Document;
    if (typeof v !== "string" || v === "") return null;
    try {
        return JSON.parse(v) as Document;
    } catch {
        return { unparsable: v };
    }
}

function actionsOf(doc: Document | null): string[] {
    const st = doc?.Statement;
    const list = Array.isArray(st) ? st : st ? [st] : [];
    return list.flatMap((s) => {
        const a = (s as Record<string, unknown>).Action;
        return (Array.isArray(a) ? a : [a]).filter((x): x is string => typeof x === "string").map((x) => x.toLowerCase());
    });
}

function byName<T extends { name: string }>(a: T, b: T): number {
    return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

/** Config values as the program reads them: lists and mappings parsed back from the JSON text the CLI passes. */
function configValues(config: Readonly<Record<string, string>>): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(config).sort()) {
        const v = config[k];
        out[k] = /^[[{]/.test(v) ? JSON.parse(v) : v;
    }
    return out;
}

/** Builds the manifest. Pure: same resources in, same JSON out. */
export function buildManifest(input: BuildManifestInput): IamManifest {
    // Unknowns (a preview) read as "<unknown>".
    const live = input.resources.filter((r) => r.custom).map((r) => ({ ...r, inputs: plain(r.inputs) as Record<string, unknown>, state: plain(r.state) as Record<string, unknown> }));
    const ofType = (t: string): RecordedResource[] => live.filter((r) => r.type === t);
    const roleResources = ofType(ROLE);
    const roleNames = new Set(roleResources.map((r) => String(r.state.name)));
    const attachments = ofType(ROLE_POLICY_ATTACHMENT);
    const rolePolicies = ofType(ROLE_POLICY);
    const profiles = ofType(INSTANCE_PROFILE);

    const roles: ManifestRole[] = roleResources.map((r) => {
        const name = String(r.state.name);
        const t = tags(r);
        const managed = new Set<string>();
        for (const a of Array.isArray(r.state.managedPolicyArns) ? (r.state.managedPolicyArns as unknown[]) : []) if (typeof a === "string") managed.add(a);
        for (const a of attachments) if (a.inputs.role === name && typeof a.inputs.policyArn === "string") managed.add(a.inputs.policyArn);
        const inline: Record<string, Document> = {};
        for (const p of Array.isArray(r.state.inlinePolicies) ? (r.state.inlinePolicies as Array<Record<string, unknown>>) : []) {
            const doc = parseDocument(p.policy);
            if (typeof p.name === "string" && doc) inline[p.name] = doc;
        }
        for (const p of rolePolicies) {
            const doc = parseDocument(p.state.policy);
            if (p.inputs.role === name && doc) inline[String(p.state.name)] = doc;
        }
        const profile = profiles.find((p) => p.state.role === name);
        return {
            purpose: purposeOf(r),
            cluster: t[TAG_KEYS.cluster] ?? null,
            queue: t[TAG_KEYS.queue] ?? null,
            pool: t[TAG_KEYS.pool] ?? null,
            scheduler: t[TAG_KEYS.scheduler] ?? null,
            name,
            path: str(r.state.path) ?? "/",
            arn: String(r.state.arn),
            trustPolicy: parseDocument(r.state.assumeRolePolicy),
            permissionsBoundary: str(r.state.permissionsBoundary),
            managedPolicyArns: [...managed].sort(),
            inlinePolicies: Object.fromEntries(Object.entries(inline).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))),
            instanceProfile: profile ? { name: String(profile.state.name), path: str(profile.state.path) ?? "/", arn: String(profile.state.arn) } : null,
        };
    });

    const policies: ManifestPolicy[] = ofType(POLICY).map((p) => {
        const arn = String(p.state.arn);
        const existing = [...new Set(attachments.filter((a) => a.inputs.policyArn === arn && !roleNames.has(String(a.inputs.role))).map((a) => String(a.inputs.role)))].sort();
        return {
            purpose: purposeOf(p),
            name: String(p.state.name),
            path: str(p.state.path) ?? "/",
            arn,
            document: parseDocument(p.state.policy),
            ...(existing.length > 0 ? { existingRoles: existing } : {}),
        };
    });
    // Inline documents on roles the stack does not create. RolePolicy takes no tags, so the purpose comes from
    // what the document grants: the attach/detach grant is the API function's access.
    for (const p of rolePolicies) {
        const role = String(p.inputs.role);
        if (roleNames.has(role)) continue;
        const document = parseDocument(p.state.policy);
        const grantsAttach = actionsOf(document).some((a) => a === "iam:attachrolepolicy" || a === "iam:detachrolepolicy");
        policies.push({ purpose: grantsAttach ? "api-function-access" : null, name: String(p.state.name), path: null, arn: null, document, role });
    }

    const violations = [...(input.violations ?? [])].sort((a, b) =>
        a.policy !== b.policy ? (a.policy < b.policy ? -1 : 1) : a.urn < b.urn ? -1 : a.urn > b.urn ? 1 : 0,
    );
    return {
        stack: input.stack,
        partition: input.partition,
        accountId: input.accountId,
        region: input.region,
        parallelClusterVersion: typeof input.outputs?.parallelClusterVersion === "string" ? input.outputs.parallelClusterVersion : null,
        config: configValues(input.config ?? {}),
        roles: roles.sort(byName),
        policies: policies.sort(byName),
        outputs: plain(input.outputs ?? {}) as Record<string, unknown>,
        violations,
    };
}
