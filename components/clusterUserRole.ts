import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import {
    ContextArgs,
    Problems,
    SyncContext,
    after,
    contextOutput,
    gated,
    hasExplicitProvider,
    inputPropertiesError,
    knownNow,
    knownValue,
    purposeTags,
    syncContext,
    templateContext,
    validatePrincipalArn,
    validateTags,
} from "./common";
import { OPERATOR_PATH, validateBoundaryArn, validateExtraPolicyArns } from "./policies/allowlist";
import { PolicyContext, validateArn, validateBucketName, validateUnique } from "./policies/context";
import { validateProtectedArn } from "./policies/userIam";
import {
    MANAGED_POLICIES_PER_ROLE_DEFAULT,
    MANAGED_POLICIES_PER_ROLE_MAX,
    MANAGED_POLICY_MAX_CHARS,
    ROLE_NAME_MAX,
    policySize,
    validateIamName,
} from "./policies/limits";
import { packLayout } from "./policies/packing";
import { isRegion, partitionOfRegion } from "./policies/partition";
import { userTrustPolicy } from "./policies/trust";
import { validateParallelClusterVersion } from "./policies/version";
import { PolicyDocument, PolicyStatement, policyDocument } from "./policies/types";
import { IAM_MODES, IamMode, UserPolicyInputs, userPolicyDocuments } from "./userPolicySet";
import { TYPE_TOKENS } from "./vocabulary";

export { IamMode } from "./userPolicySet";

export interface ClusterUserRoleArgs extends ContextArgs {
    /** How ParallelCluster may manage IAM: `privileged` (creates roles), `permissionsBoundary` (creates roles bound by `permissionsBoundaryArn`), `restricted` (only passes the pre-created roles in `passRoleArns`). */
    readonly iamMode: string;
    /**
     * People: IAM principals (role, user or account-root ARNs, 12-digit accounts, no wildcards; role paths such as
     * IAM Identity Center's `role/aws-reserved/sso.amazonaws.com/...` are fine) that may assume the role, with MFA
     * when `requireMfa`. May be Outputs (e.g. a stack reference's). At least one principal (here or in
     * `pipelinePrincipalArns`) unless `existingRoleName` is set.
     */
    readonly trustedPrincipalArns?: pulumi.Input<string>[];
    /** Pipelines: principals (as `trustedPrincipalArns`) that assume the role without MFA. */
    readonly pipelinePrincipalArns?: pulumi.Input<string>[];
    /** Require MFA (`aws:MultiFactorAuthPresent`) of `trustedPrincipalArns` (never of `pipelinePrincipalArns`). Default false. */
    readonly requireMfa?: boolean;
    /** Maximum session duration in seconds, 3600-43200. Default 3600. */
    readonly maxSessionDuration?: number;
    /** Attach the policies to this existing role instead of creating one. */
    readonly existingRoleName?: string;
    /** Add the AWS Batch scheduler policy. Not available in `restricted` mode. */
    readonly batch?: boolean;
    /** Add the FSx for Lustre policy. */
    readonly fsx?: boolean;
    /** S3 buckets FSx for Lustre file systems import from / export to (with `fsx`). */
    readonly fsxBuckets?: pulumi.Input<string>[];
    /** Add the image-build policy (`pcluster build-image`). */
    readonly imageBuild?: boolean;
    /** Secrets Manager secret ARNs in cluster configurations (e.g. DirectoryService password): granted `secretsmanager:DescribeSecret` for validation. */
    readonly secretArns?: pulumi.Input<string>[];
    /** Permissions boundary policy ARN (`permissionsBoundary` mode). */
    readonly permissionsBoundaryArn?: pulumi.Input<string>;
    /** Pre-created role ARNs the user may pass (`restricted` mode). */
    readonly passRoleArns?: pulumi.Input<string>[];
    /**
     * Roles and instance profiles this stack manages on `/parallelcluster/` (e.g. a ClusterNodeRoles' children): the user
     * may pass and read them, but no IAM write reaches them, although they share the path ParallelCluster creates roles on.
     */
    readonly protectedArns?: pulumi.Input<string>[];
    /** Extra managed policy ARNs the user may attach to cluster roles (`AdditionalIamPolicies`), beyond the allow-list. */
    readonly extraAllowedPolicyArns?: string[];
    /** Allow attaching `service-role/AWSLambdaVPCAccessExecutionRole` (clusters whose Lambda functions run in a VPC). */
    readonly lambdaVpcAccess?: boolean;
    /** Confine the user to one region ("*" for all, the default). */
    readonly regionScope?: string;
    /** The ParallelCluster release the user runs (`SUPPORTED_PARALLELCLUSTER_VERSIONS`). Default "3.12". */
    readonly parallelClusterVersion?: string;
    /** Clusters with LoginNodes pools: Auto Scaling, load balancer and their service-linked roles (the template's login-node statements). Default false. */
    readonly loginNodes?: boolean;
    /** Clusters that launch into capacity-reservation resource groups (`CapacityReservationResourceGroupArn`): read the groups. Default false. */
    readonly capacityReservationResourceGroups?: boolean;
    /** Physical role name prefix; default: autonamed from the component name. */
    readonly namePrefix?: string;
    /** Most managed policies the role may carry (the account's quota), 10-20. Default 10. */
    readonly maxManagedPolicies?: number;
    /** Tags for the role and policies. */
    readonly tags?: Record<string, string>;
}

const MIN_SESSION = 3600;
const MAX_SESSION = 43200;
// Stand-ins for values only known after deployment, at least as long as any real one we expect; a longer real
// value is checked against the limit once known.
const UNKNOWN_ARN_LENGTH = 200;
const UNKNOWN_SECRET_NAME_LENGTH = 120;
const UNKNOWN_BUCKET = "x".repeat(63);
/** Most customer-managed policies the component puts on one role (IAM's default quota). */
export const MAX_USER_POLICY_PARTS = 10;

/** Lists of the args that may hold values from other resources: plain values, or `undefined` while unknown. */
interface UserLists {
    trusted?: (string | undefined)[];
    pipelines?: (string | undefined)[];
    secrets?: (string | undefined)[];
    buckets?: (string | undefined)[];
    passRoles?: (string | undefined)[];
    protected?: (string | undefined)[];
    boundary?: string;
}

function listsKnownNow(args: ClusterUserRoleArgs): UserLists {
    return {
        trusted: knownNow(args.trustedPrincipalArns),
        pipelines: knownNow(args.pipelinePrincipalArns),
        secrets: knownNow(args.secretArns),
        buckets: knownNow(args.fsxBuckets),
        passRoles: knownNow(args.passRoleArns),
        protected: knownNow(args.protectedArns),
        boundary: knownValue(args.permissionsBoundaryArn),
    };
}

/** Every problem of the args, given a context and the list values known so far (unknown entries are skipped). */
function userProblems(problems: Problems, args: ClusterUserRoleArgs, v: PolicyContext, sync: SyncContext | undefined, l: UserLists): void {
    const p = problems;
    if (args.existingRoleName !== undefined) {
        p.check(() => validateIamName("existingRoleName", args.existingRoleName!, ROLE_NAME_MAX));
        for (const f of ["trustedPrincipalArns", "pipelinePrincipalArns", "requireMfa", "maxSessionDuration", "namePrefix"] as const) {
            if (args[f] !== undefined) p.add(f, `'${JSON.stringify(args[f])}' cannot be set with existingRoleName; the existing role keeps its own settings`);
        }
    } else {
        for (const [f, list] of [["trustedPrincipalArns", args.trustedPrincipalArns], ["pipelinePrincipalArns", args.pipelinePrincipalArns]] as const) {
            if (list !== undefined && !Array.isArray(list)) p.add(f, `'${JSON.stringify(list)}' is not a list of principal ARNs`);
        }
        const count = (Array.isArray(args.trustedPrincipalArns) ? args.trustedPrincipalArns.length : 0) + (Array.isArray(args.pipelinePrincipalArns) ? args.pipelinePrincipalArns.length : 0);
        if (count === 0) {
            p.add("trustedPrincipalArns", `'${JSON.stringify(args.trustedPrincipalArns)}' is empty; expected at least one role, user or account-root ARN here or in pipelinePrincipalArns (or set existingRoleName)`);
        }
        const seen = new Map<string, string>();
        for (const [f, list] of [["trustedPrincipalArns", l.trusted], ["pipelinePrincipalArns", l.pipelines]] as const) {
            (list ?? []).forEach((x, i) => {
                if (x === undefined) return;
                if (p.check(() => validatePrincipalArn(v, `${f}[${i}]`, x)) === undefined) return;
                const other = seen.get(x);
                if (other !== undefined) p.add(`${f}[${i}]`, `'${x}' is also ${other}; list each principal once (people in trustedPrincipalArns, pipelines in pipelinePrincipalArns)`);
                seen.set(x, `${f}[${i}]`);
            });
        }
        const d = args.maxSessionDuration;
        if (d !== undefined && (!Number.isInteger(d) || d < MIN_SESSION || d > MAX_SESSION)) {
            p.add("maxSessionDuration", `'${d}' is out of range; expected a whole number of seconds from ${MIN_SESSION} to ${MAX_SESSION}`);
        }
        if (args.requireMfa !== undefined && typeof args.requireMfa !== "boolean") p.add("requireMfa", `'${String(args.requireMfa)}' is not a boolean; expected true or false`);
        if (args.namePrefix !== undefined) p.check(() => validateIamName("namePrefix", args.namePrefix!, ROLE_NAME_MAX - 26));
    }
    p.check(() => validateParallelClusterVersion(args.parallelClusterVersion));
    for (const f of ["loginNodes", "capacityReservationResourceGroups", "batch", "fsx", "imageBuild", "lambdaVpcAccess"] as const) {
        if (args[f] !== undefined && typeof args[f] !== "boolean") p.add(f, `'${String(args[f])}' is not a boolean; expected true or false`);
    }
    if (args.fsxBuckets !== undefined && !args.fsx) {
        p.add("fsxBuckets", `'${JSON.stringify(args.fsxBuckets)}' is set but fsx is not; set fsx: true or drop fsxBuckets`);
    }
    (l.buckets ?? []).forEach((b, i) => b !== undefined && p.check(() => validateBucketName(`fsxBuckets[${i}]`, b)));
    (l.secrets ?? []).forEach((s, i) => s !== undefined && p.check(() => validateArn(v, `secretArns[${i}]`, s, "secret")));
    (l.protected ?? []).forEach((a, i) => a !== undefined && p.check(() => validateProtectedArn(v, `protectedArns[${i}]`, a)));
    p.check(() => validateUnique("protectedArns", (l.protected ?? []).filter((a): a is string => a !== undefined)));
    p.check(() => validateExtraPolicyArns(v, "extraAllowedPolicyArns", args.extraAllowedPolicyArns));
    if (args.regionScope !== undefined && args.regionScope !== "*") {
        if (!isRegion(args.regionScope) || partitionOfRegion(args.regionScope, "regionScope") !== v.partition) {
            p.add("regionScope", `'${args.regionScope}' is not a region of partition '${v.partition}'; expected '*' or such a region`);
        }
    }
    if (l.boundary !== undefined) p.check(() => validateBoundaryArn(v, "permissionsBoundaryArn", l.boundary!));
    if (args.iamMode === "permissionsBoundary" && args.permissionsBoundaryArn === undefined) {
        p.add("permissionsBoundaryArn", `'undefined' is required with iamMode 'permissionsBoundary'; expected a policy ARN (e.g. a PermissionsBoundary component's arn)`);
    }
    if (args.iamMode !== "permissionsBoundary" && args.permissionsBoundaryArn !== undefined) {
        p.add("permissionsBoundaryArn", `set with iamMode '${args.iamMode}'; it is used only with iamMode 'permissionsBoundary'`);
    }
    if (args.iamMode === "restricted") {
        if (!Array.isArray(args.passRoleArns) || args.passRoleArns.length === 0) {
            p.add("passRoleArns", `'${JSON.stringify(args.passRoleArns)}' is empty; iamMode 'restricted' needs at least one pre-created role ARN to pass`);
        }
        (l.passRoles ?? []).forEach((r, i) => r !== undefined && p.check(() => validateArn(v, `passRoleArns[${i}]`, r, "role")));
        if (args.batch) p.add("batch", `'true' is not available with iamMode 'restricted'; ParallelCluster cannot take every AWS Batch role pre-created (use 'permissionsBoundary' or 'privileged')`);
        if (args.extraAllowedPolicyArns?.length || args.lambdaVpcAccess) {
            p.add("extraAllowedPolicyArns", `set with iamMode 'restricted', where the user attaches no policies; drop it or use another mode`);
        }
    } else if (args.passRoleArns !== undefined) {
        p.add("passRoleArns", `set with iamMode '${args.iamMode}'; it is used only with iamMode 'restricted'`);
    }
    const m = args.maxManagedPolicies;
    if (m !== undefined && (!Number.isInteger(m) || m < MANAGED_POLICIES_PER_ROLE_DEFAULT || m > MANAGED_POLICIES_PER_ROLE_MAX)) {
        p.add("maxManagedPolicies", `'${m}' is out of range; expected ${MANAGED_POLICIES_PER_ROLE_DEFAULT}-${MANAGED_POLICIES_PER_ROLE_MAX} (IAM's quota)`);
    }
    p.check(() => validateTags("tags", args.tags));
    void sync;
}

function placeholderArn(ctx: PolicyContext, type: "role" | "policy", index = 0): string {
    const head = `arn:${ctx.partition}:iam::${ctx.accountId}:${type}/parallelcluster/${index}-`;
    return head + "x".repeat(UNKNOWN_ARN_LENGTH - head.length);
}

function placeholderSecret(ctx: PolicyContext, index: number): string {
    const region = ctx.region === "*" ? { aws: "ap-southeast-1", "aws-cn": "cn-northwest-1", "aws-us-gov": "us-gov-west-1" }[ctx.partition] : ctx.region;
    return `arn:${ctx.partition}:secretsmanager:${region}:${ctx.accountId}:secret:${index}-${"x".repeat(UNKNOWN_SECRET_NAME_LENGTH)}`;
}

/** The user policy inputs for a context and list values (unknown entries replaced by stand-ins at least as long). */
function userInputs(args: ClusterUserRoleArgs, c: PolicyContext, l: UserLists): UserPolicyInputs {
    return {
        iamMode: args.iamMode as IamMode, // checked by validation
        batch: !!args.batch,
        fsx: !!args.fsx,
        fsxBuckets: (l.buckets ?? []).map((b) => b ?? UNKNOWN_BUCKET),
        imageBuild: !!args.imageBuild,
        secretArns: (l.secrets ?? []).map((s, i) => s ?? placeholderSecret(c, i)),
        extraAllowedPolicyArns: args.extraAllowedPolicyArns ?? [],
        lambdaVpcAccess: !!args.lambdaVpcAccess,
        regionScope: args.regionScope ?? "*",
        loginNodes: !!args.loginNodes,
        capacityReservationResourceGroups: !!args.capacityReservationResourceGroups,
        boundaryArn: args.permissionsBoundaryArn === undefined ? undefined : (l.boundary ?? placeholderArn(c, "policy")),
        passRoleArns: (l.passRoles ?? []).map((r, i) => r ?? placeholderArn(c, "role", i)),
        protectedArns: (l.protected ?? []).map((r, i) => r ?? placeholderArn(c, "role", i)),
    };
}

/**
 * Every user statement in one document, in the fixed feature order (base, batch, fsx, image-build, iam); a Sid that
 * an earlier feature already uses gets the feature's name appended, so Sids stay unique in whatever part it lands.
 */
export function userStatements(c: PolicyContext, inputs: UserPolicyInputs): PolicyDocument {
    const taken = new Set<string>();
    const statements: PolicyStatement[] = [];
    for (const [suffix, d] of userPolicyDocuments(c, inputs)) {
        for (const st of d.Statement) {
            let s = st;
            if (st.Sid !== undefined && taken.has(st.Sid)) {
                const base = `${st.Sid}${suffix.replace(/(^|-)(\w)/g, (_, __, ch: string) => ch.toUpperCase())}`;
                let sid = base;
                for (let k = 2; taken.has(sid); k++) sid = `${base}${k}`;
                s = { ...st, Sid: sid };
            }
            if (s.Sid !== undefined) taken.add(s.Sid);
            statements.push(s);
        }
    }
    return policyDocument(statements);
}

/**
 * The plan validation and construction share: every user statement packed together into the fewest in-limit
 * managed policies (packLayout), which the component names `<name>-part-1..n` by position.
 */
export function planUserPolicies(c: PolicyContext, args: ClusterUserRoleArgs, l: UserLists): { document: PolicyDocument; layout: number[][] } {
    const document = userStatements(c, userInputs(args, c, l));
    return { document, layout: packLayout(document) };
}

/** Validates the args (every problem at once, as `pulumi.InputPropertiesError`); returns the synchronous context. */
export function validateClusterUserRoleArgs(args: ClusterUserRoleArgs, opts?: pulumi.ComponentResourceOptions, name = "user"): SyncContext {
    const problems = new Problems();
    if (!args || !(IAM_MODES as readonly string[]).includes(args.iamMode)) {
        problems.add("iamMode", `'${String(args?.iamMode)}' is not an IAM mode; allowed: ${IAM_MODES.join(", ")}`);
        problems.throwIfAny("ClusterUserRole", name);
    }
    const sync = syncContext(args, problems, hasExplicitProvider(opts));
    problems.throwIfAny("ClusterUserRole", name);
    const v = templateContext(sync);
    const lists = listsKnownNow(args);
    userProblems(problems, args, v, sync, lists);
    problems.throwIfAny("ClusterUserRole", name);
    const parts = problems.check(() => planUserPolicies(v, args, lists).layout.length);
    const quota = Math.min(args.maxManagedPolicies ?? MANAGED_POLICIES_PER_ROLE_DEFAULT, MAX_USER_POLICY_PARTS);
    if (parts !== undefined && parts > quota) {
        problems.add("maxManagedPolicies", `the selected features need ${parts} managed policies on the role; the quota is ${quota}` +
            (quota < MAX_USER_POLICY_PARTS ? ` (raise it up to ${MAX_USER_POLICY_PARTS} and set maxManagedPolicies)` : ` (the component puts at most ${MAX_USER_POLICY_PARTS} on a role)`));
    }
    problems.throwIfAny("ClusterUserRole", name);
    return sync;
}

/**
 * The role a person or pipeline assumes to run the `pcluster` CLI or the ParallelCluster API, with the
 * user policies of the ParallelCluster 3 guide as customer-managed policies: all statements packed together into
 * the fewest in-limit policies, named by position (`<name>-part-1..n`), so enabling a feature updates documents
 * in place and adds a part only when the total needs one more.
 */
export class ClusterUserRole extends pulumi.ComponentResource {
    /** ARN of the (created or existing) role; resolves once every policy is attached. */
    public readonly roleArn: pulumi.Output<string>;
    /** Name of the role; resolves once every policy is attached. */
    public readonly roleName: pulumi.Output<string>;
    /** ARNs of the customer-managed policies created and attached, in part order. */
    public readonly policyArns: pulumi.Output<string[]>;
    /** The role created (undefined with `existingRoleName`). */
    public readonly role?: aws.iam.Role;
    /** The customer-managed policies, in part order. */
    public readonly policies: aws.iam.Policy[];
    /** Their attachments to the role. */
    public readonly attachments: aws.iam.RolePolicyAttachment[];

    constructor(name: string, args: ClusterUserRoleArgs, opts?: pulumi.ComponentResourceOptions) {
        const sync = validateClusterUserRoleArgs(args, opts, name);
        super(TYPE_TOKENS.ClusterUserRole, name, {}, opts);
        const ctx = contextOutput("ClusterUserRole", name, sync, this);
        const tags = purposeTags("cluster-user", {}, args.tags ?? {});
        const childOpts = { parent: this };

        // Layout from a template with the real lengths (or longer stand-ins for values known later), so the
        // number of policies is fixed before deployment.
        const layout = planUserPolicies(templateContext(sync), args, listsKnownNow(args)).layout;

        // Every check again with the real context and the values other resources give; children wait for it.
        const all = <T>(xs: pulumi.Input<T>[] | undefined) => (xs === undefined ? pulumi.output(undefined) : pulumi.all(xs));
        const checked = pulumi
            .all([ctx, all(args.trustedPrincipalArns), all(args.pipelinePrincipalArns), all(args.secretArns), all(args.fsxBuckets), all(args.passRoleArns), all(args.protectedArns), args.permissionsBoundaryArn])
            .apply(([c, trusted, pipelines, secrets, buckets, passRoles, protectedArns, boundary]) => {
                const l: UserLists = {
                    trusted: trusted as string[] | undefined, pipelines: pipelines as string[] | undefined, secrets: secrets as string[] | undefined,
                    buckets: buckets as string[] | undefined, passRoles: passRoles as string[] | undefined, boundary: boundary as string | undefined,
                    protected: protectedArns as string[] | undefined,
                };
                const problems = new Problems();
                userProblems(problems, args, c, undefined, l);
                if (!problems.empty) throw inputPropertiesError("ClusterUserRole", name, problems.list);
                const { document } = planUserPolicies(c, args, l);
                const docs = layout.map((indices, part) => {
                    const d = policyDocument(indices.map((i) => document.Statement[i]));
                    if (policySize(d) > MANAGED_POLICY_MAX_CHARS) {
                        problems.add("", `${name}-part-${part + 1}: with the values known at deployment the policy has ${policySize(d)} characters; at most ${MANAGED_POLICY_MAX_CHARS}. Pass fewer or shorter ARNs`);
                    }
                    return JSON.stringify(d);
                });
                if (!problems.empty) throw inputPropertiesError("ClusterUserRole", name, problems.list);
                return { c, l, docs };
            });

        let role: aws.iam.Role | undefined;
        if (args.existingRoleName === undefined) {
            role = new aws.iam.Role(
                `${name}-role`,
                {
                    path: OPERATOR_PATH,
                    namePrefix: args.namePrefix,
                    description: `ParallelCluster user role (${args.iamMode} IAM mode), managed by parallelcluster-iam`,
                    assumeRolePolicy: checked.apply(({ c, l }) => {
                        const statements: PolicyStatement[] = [];
                        if (l.trusted?.length) statements.push(...userTrustPolicy(c, { principalArns: l.trusted as string[], requireMfa: args.requireMfa }).Statement);
                        if (l.pipelines?.length) statements.push(...userTrustPolicy(c, { principalArns: l.pipelines as string[], requireMfa: false }).Statement);
                        return JSON.stringify(policyDocument(statements));
                    }),
                    maxSessionDuration: args.maxSessionDuration ?? MIN_SESSION,
                    tags: gated(checked, tags),
                },
                childOpts,
            );
        }
        const roleName: pulumi.Output<string> = role ? role.name : gated(checked, args.existingRoleName as string);

        // Parts by position: a feature enabled later updates their documents in place and may add a part at the end.
        this.policies = layout.map((_, part) => new aws.iam.Policy(
            `${name}-part-${part + 1}`,
            {
                path: OPERATOR_PATH,
                description: `ParallelCluster user policy, part ${part + 1} (${args.iamMode} IAM mode), managed by parallelcluster-iam`,
                policy: checked.apply(({ docs }) => docs[part]),
                tags: gated(checked, tags),
            },
            childOpts,
        ));
        this.attachments = this.policies.map((policy, part) =>
            new aws.iam.RolePolicyAttachment(`${name}-part-${part + 1}-attachment`, { role: roleName, policyArn: policy.arn }, childOpts));
        this.role = role;
        const ready = [...this.policies, ...this.attachments];
        this.roleName = after(roleName, ready);
        this.roleArn = after(role ? role.arn : aws.iam.getRoleOutput({ name: args.existingRoleName as string }, { parent: this }).arn, ready);
        this.policyArns = after(pulumi.all(this.policies.map((p) => p.arn)), this.attachments);
        this.registerOutputs({ roleArn: this.roleArn, roleName: this.roleName, policyArns: this.policyArns });
    }
}
