/**
 * Runs a policy's validations in-process, as @pulumi/awsguard's tests do: typed resource args
 * (`aws.iam.RoleArgs`...) become the `props` of a ResourceValidationArgs / StackValidationArgs, and
 * reported violations are collected. No gRPC, no engine: for fast, exhaustive unit tests.
 */
import * as aws from "@pulumi/aws";
import { PolicyResource, ResourceValidationArgs, ResourceValidationPolicy, StackValidationArgs, StackValidationPolicy } from "@pulumi/policy";

type AnyPolicy = (ResourceValidationPolicy | StackValidationPolicy) & { validateResource?: unknown; validateStack?: unknown };

/** What `args.notApplicable()` throws (as @pulumi/policy's server does) for another resource type. */
const NOT_APPLICABLE = new Error("not applicable");

const TYPES = new Map<unknown, string>([
    [aws.iam.Role, "aws:iam/role:Role"],
    [aws.iam.RolePolicy, "aws:iam/rolePolicy:RolePolicy"],
    [aws.iam.Policy, "aws:iam/policy:Policy"],
    [aws.iam.UserPolicy, "aws:iam/userPolicy:UserPolicy"],
    [aws.iam.GroupPolicy, "aws:iam/groupPolicy:GroupPolicy"],
    [aws.iam.InstanceProfile, "aws:iam/instanceProfile:InstanceProfile"],
    [aws.iam.RolePolicyAttachment, "aws:iam/rolePolicyAttachment:RolePolicyAttachment"],
    [aws.iam.PolicyAttachment, "aws:iam/policyAttachment:PolicyAttachment"],
    [aws.iam.RolePolicyAttachmentsExclusive, "aws:iam/rolePolicyAttachmentsExclusive:RolePolicyAttachmentsExclusive"],
]);

function typeOf(cls: unknown): string {
    const t = TYPES.get(cls);
    if (!t) throw new Error("unknown resource class");
    return t;
}

/** Typed args a test gives for one resource; `T` is e.g. `aws.iam.RoleArgs`. */
export interface TypedResource<T = object> {
    cls: unknown;
    name: string;
    args: T & Record<string, unknown>;
    provider?: Record<string, unknown>;
    dependencies?: string[];
    propertyDependencies?: Record<string, string[]>;
}

export function typed<T extends object>(cls: unknown, name: string, args: T, extra: Partial<TypedResource> = {}): TypedResource<T> {
    return { ...extra, cls, name, args: args as T & Record<string, unknown> } as TypedResource<T>;
}

export const urnOf = (r: TypedResource) => `urn:pulumi:dev::unit::${typeOf(r.cls)}::${r.name}`;

/** Every violation one resource gets from the policy's resource validations. */
export async function runResourcePolicy(policy: AnyPolicy, r: TypedResource, config: object = {}): Promise<string[]> {
    const out: string[] = [];
    const type = typeOf(r.cls);
    const args: ResourceValidationArgs = {
        type,
        name: r.name,
        urn: urnOf(r),
        props: r.args,
        opts: { protect: false, ignoreChanges: [], aliases: [], additionalSecretOutputs: [], customTimeouts: {} } as unknown as ResourceValidationArgs["opts"],
        getConfig: <U extends object>() => config as U,
        isType: (cls) => TYPES.get(cls) === type,
        asType: ((cls: unknown) => (TYPES.get(cls) === type ? r.args : undefined)) as ResourceValidationArgs["asType"],
        notApplicable: () => { throw NOT_APPLICABLE; },
        stackTags: new Map(),
        ...(r.provider ? { provider: { type: "pulumi:providers:aws", name: "default", urn: "urn:provider", props: r.provider, isType: () => false, asType: () => undefined } as unknown as ResourceValidationArgs["provider"] } : {}),
    } as ResourceValidationArgs;
    const v = policy.validateResource;
    if (!v) return out;
    for (const fn of Array.isArray(v) ? v : [v]) {
        try {
            await fn(args, (m: string) => out.push(m));
        } catch (e) {
            if (e !== NOT_APPLICABLE) out.push(`(cannot judge) ${(e as Error).message}`);
        }
    }
    return out;
}

/** Every violation the policy's stack validation reports over these resources. */
export async function runStackPolicy(policy: AnyPolicy, resources: TypedResource[], config: object = {}): Promise<string[]> {
    const out: string[] = [];
    const v = policy.validateStack as ((a: StackValidationArgs, report: (m: string, urn?: string) => void) => unknown) | undefined;
    if (!v) return out;
    const byUrn = new Map<string, PolicyResource>();
    const prs: PolicyResource[] = resources.map((r) => {
        const type = typeOf(r.cls);
        const pr = {
            type, name: r.name, urn: urnOf(r), props: r.args,
            opts: {} as PolicyResource["opts"],
            dependencies: [], propertyDependencies: {},
            isType: (cls: unknown) => TYPES.get(cls) === type,
            asType: (cls: unknown) => (TYPES.get(cls) === type ? r.args : undefined),
            ...(r.provider ? { provider: { type: "pulumi:providers:aws", name: "default", urn: "urn:provider", props: r.provider } } : {}),
        } as unknown as PolicyResource;
        byUrn.set(pr.urn, pr);
        return pr;
    });
    resources.forEach((r, i) => {
        const pr = prs[i] as unknown as { dependencies: PolicyResource[]; propertyDependencies: Record<string, PolicyResource[]> };
        pr.dependencies = (r.dependencies ?? []).map((u) => byUrn.get(u)).filter((x): x is PolicyResource => x !== undefined);
        for (const [k, us] of Object.entries(r.propertyDependencies ?? {})) pr.propertyDependencies[k] = us.map((u) => byUrn.get(u)).filter((x): x is PolicyResource => x !== undefined);
    });
    const args = { resources: prs, getConfig: <U extends object>() => config as U, stackTags: new Map(), notApplicable: () => { throw new Error("n/a"); } } as unknown as StackValidationArgs;
    try {
        await v(args, (m: string) => out.push(m));
    } catch (e) {
        out.push(`(cannot judge) ${(e as Error).message}`);
    }
    return out;
}
