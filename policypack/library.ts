/**
 * The pack's policies as a library, with a typed configuration (as `@pulumi/awsguard` does), so an
 * organisation's own pack can include them next to its policies:
 *
 * ```ts
 * new PolicyPack("org", {
 *     policies: [
 *         ...parallelClusterIamPolicies({
 *             all: "mandatory",
 *             "parallelcluster-permissions-boundary": { boundaryArn: "arn:aws:iam::123456789012:policy/parallelcluster/boundary" },
 *             "parallelcluster-valid-actions": "advisory",
 *         }),
 *         ...theirOwnPolicies,
 *     ],
 * });
 * ```
 *
 * Keys are the policy names, as in a `--policy-pack-config` file. A value is an enforcement level or
 * `{ enforcementLevel?, ...properties }`; `all` sets the level of every policy not given one. The
 * properties given become the defaults of the policy's config schema (so the engine reports them, and
 * an organisation's pack configuration can still override them) and what `getConfig()` falls back to.
 * Invalid configuration throws at once, naming every problem.
 */
import { EnforcementLevel, Policies, Policy, PolicyConfigSchema, PolicyPack, ResourceValidationArgs, StackValidationArgs } from "@pulumi/policy";
import * as allowed from "./policies/allowedManagedPolicies";
import * as iamPath from "./policies/iamPath";
import * as quota from "./policies/managedPolicyQuota";
import * as noAdmin from "./policies/noAdminWildcards";
import * as noExclusive from "./policies/noExclusivePolicyAttachment";
import * as passRole from "./policies/passRoleScoped";
import * as boundary from "./policies/permissionsBoundary";
import * as size from "./policies/policySize";
import * as validActions from "./policies/validActions";

export { EXTRA_ARN_PATTERN } from "./policies/allowedManagedPolicies";

export const PACK_NAME = "parallelcluster-iam";
export const PACK_DESCRIPTION =
    "AWS ParallelCluster 3 IAM guardrails: allow-listed managed policies, the ParallelCluster path, boundaries, scoped PassRole, no admin wildcards, IAM size limits and quotas.";

/** `parallelcluster-allowed-managed-policies` */
export interface AllowedManagedPoliciesConfig {
    /** Further concrete policy ARNs to allow (no wildcards, never AdministratorAccess, IAMFullAccess, PowerUserAccess or the operator's policies). */
    extraAllowedPolicyArns?: string[];
    /** Also allow service-role/AWSLambdaVPCAccessExecutionRole. */
    allowLambdaVpcAccess?: boolean;
}

/** `parallelcluster-iam-path` */
export interface IamPathConfig {
    /** The IAM path ParallelCluster's roles, instance profiles and policies must be on (or below); default `/parallelcluster/`. */
    path?: string;
}

/** `parallelcluster-permissions-boundary` */
export interface PermissionsBoundaryConfig {
    /** The boundary every ParallelCluster role must carry; unset, nothing is checked. */
    boundaryArn?: string;
}

/** `parallelcluster-managed-policy-quota` */
export interface ManagedPolicyQuotaConfig {
    /** The account's 'Managed policies per role' quota (default 10, at most 20). */
    maxManagedPoliciesPerRole?: number;
}

/** An enforcement level, or a level and the policy's properties. */
export type PolicySetting<C extends object = Record<string, never>> = EnforcementLevel | ({ enforcementLevel?: EnforcementLevel } & C);

export interface ParallelClusterIamPoliciesConfig {
    /** The level of every policy not given its own (default: each policy's own level). */
    all?: EnforcementLevel;
    [allowed.NAME]?: PolicySetting<AllowedManagedPoliciesConfig>;
    [iamPath.NAME]?: PolicySetting<IamPathConfig>;
    [boundary.NAME]?: PolicySetting<PermissionsBoundaryConfig>;
    [quota.NAME]?: PolicySetting<ManagedPolicyQuotaConfig>;
    [noExclusive.NAME]?: PolicySetting;
    [passRole.NAME]?: PolicySetting;
    [noAdmin.NAME]?: PolicySetting;
    [size.NAME]?: PolicySetting;
    [validActions.NAME]?: PolicySetting;
}

/** The policies, in the pack's order, with their default levels and configuration. */
export const POLICIES: readonly Policy[] = [
    allowed.allowedManagedPolicies,
    noExclusive.noExclusivePolicyAttachment,
    iamPath.iamPathPolicy,
    boundary.permissionsBoundary,
    passRole.passRoleScoped,
    noAdmin.noAdminWildcards,
    size.policySizePolicy,
    quota.managedPolicyQuota,
    validActions.validActions,
];

export const POLICY_NAMES: readonly string[] = POLICIES.map((p) => p.name);

const LEVELS: readonly string[] = ["advisory", "mandatory", "remediate", "disabled"];

/** Problems of one value against a JSON-schema property (the subset the pack's schemas use). */
function schemaProblems(where: string, s: Record<string, unknown>, v: unknown): string[] {
    const t = s.type;
    const ok = t === "array" ? Array.isArray(v) : t === "integer" ? Number.isInteger(v) : t === "number" ? typeof v === "number" : t === undefined || typeof v === t;
    if (!ok) return [`${where}: expected ${String(t)}, given ${JSON.stringify(v)}`];
    const out: string[] = [];
    if (typeof s.pattern === "string" && typeof v === "string" && !new RegExp(s.pattern).test(v)) out.push(`${where}: '${v}' does not match ${s.pattern}`);
    if (typeof s.minimum === "number" && typeof v === "number" && v < s.minimum) out.push(`${where}: must be at least ${s.minimum}`);
    if (typeof s.maximum === "number" && typeof v === "number" && v > s.maximum) out.push(`${where}: must be at most ${s.maximum}`);
    if (Array.isArray(v) && s.items && typeof s.items === "object") v.forEach((x, i) => out.push(...schemaProblems(`${where}[${i}]`, s.items as Record<string, unknown>, x)));
    return out;
}

type Args = ResourceValidationArgs | StackValidationArgs;

/** Wraps a validation so `getConfig()` falls back to the given properties (the engine's values win). */
function withConfig<F extends (args: never, ...rest: never[]) => unknown>(fn: F, given: Record<string, unknown>): F {
    const wrapped = ((args: Args, ...rest: unknown[]) => {
        const engine = args.getConfig.bind(args);
        const merged = { ...args, getConfig: <T extends object>() => ({ ...given, ...engine<T>() }) as T };
        return (fn as unknown as (a: Args, ...r: unknown[]) => unknown)(merged, ...rest);
    }) as unknown as F;
    // Keep the marker @pulumi/policy's server uses to skip other resource types without calling it.
    const marker = (fn as { __pulumiType?: string }).__pulumiType;
    if (marker) (wrapped as { __pulumiType?: string }).__pulumiType = marker;
    return wrapped;
}

function configured(policy: Policy, level: EnforcementLevel | undefined, given: Record<string, unknown>): Policy {
    const out = { ...policy, enforcementLevel: level ?? policy.enforcementLevel } as Policy & Record<string, unknown>;
    if (Object.keys(given).length === 0 || !policy.configSchema) return out;
    const schema = policy.configSchema as PolicyConfigSchema;
    const properties = Object.fromEntries(Object.entries(schema.properties).map(([k, s]) => [k, k in given ? { ...s, default: given[k] as PolicyConfigSchema["properties"][string]["default"] } : s]));
    out.configSchema = { ...schema, properties };
    type Fn = (args: never, ...rest: never[]) => unknown;
    const v = out.validateResource as Fn | Fn[] | undefined;
    if (typeof v === "function") out.validateResource = withConfig(v, given);
    else if (Array.isArray(v)) out.validateResource = v.map((f) => withConfig(f, given));
    if (typeof out.validateStack === "function") out.validateStack = withConfig(out.validateStack as Fn, given);
    return out;
}

/** The pack's policies configured as given (see the module comment); throws naming every problem of `config`. */
export function parallelClusterIamPolicies(config: ParallelClusterIamPoliciesConfig = {}): Policies {
    const problems: string[] = [];
    const c = config as Record<string, unknown>;
    for (const k of Object.keys(c)) if (k !== "all" && !POLICY_NAMES.includes(k)) problems.push(`${k}: no such policy (the policies are ${POLICY_NAMES.join(", ")})`);
    if (c.all !== undefined && !LEVELS.includes(c.all as string)) problems.push(`all: '${String(c.all)}' is not one of ${LEVELS.join(", ")}`);
    const policies = POLICIES.map((p) => {
        const setting = c[p.name];
        const { enforcementLevel, ...given } = (typeof setting === "string" ? { enforcementLevel: setting } : (setting ?? {})) as { enforcementLevel?: EnforcementLevel } & Record<string, unknown>;
        if (enforcementLevel !== undefined && !LEVELS.includes(enforcementLevel)) problems.push(`${p.name}.enforcementLevel: '${String(enforcementLevel)}' is not one of ${LEVELS.join(", ")}`);
        const schema = p.configSchema?.properties ?? {};
        for (const [k, v] of Object.entries(given)) {
            const s = schema[k] as Record<string, unknown> | undefined;
            if (!s) problems.push(`${p.name}.${k}: no such property${Object.keys(schema).length ? ` (it has ${Object.keys(schema).join(", ")})` : " (the policy takes none)"}`);
            else problems.push(...schemaProblems(`${p.name}.${k}`, s, v));
        }
        if (p.name === allowed.NAME) {
            for (const [i, e] of ((given.extraAllowedPolicyArns as unknown[] | undefined) ?? []).entries()) {
                const why = allowed.extraArnProblem(e);
                if (why && Array.isArray(given.extraAllowedPolicyArns)) problems.push(`${p.name}.extraAllowedPolicyArns[${i}]: ${why}`);
            }
        }
        return configured(p, enforcementLevel ?? (c.all as EnforcementLevel | undefined), given);
    });
    if (problems.length > 0) throw new Error(`parallelcluster-iam policies: invalid configuration: ${[...new Set(problems)].join("; ")}`);
    return policies;
}

/** A pack of just these policies, like `new AwsGuard({...})`: `new ParallelClusterIamPolicyPack("my-pack", { all: "mandatory" })`. */
export class ParallelClusterIamPolicyPack extends PolicyPack {
    constructor(name: string = PACK_NAME, config: ParallelClusterIamPoliciesConfig = {}, description: string = PACK_DESCRIPTION) {
        super(name, { description, policies: parallelClusterIamPolicies(config) });
    }
}
