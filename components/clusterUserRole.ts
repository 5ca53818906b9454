import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ContextArgs, contextOutput, plainStrings, purposeTags, SyncContext, syncContext, templateContext, validateTags } from "./common";
import { OPERATOR_PATH, validateBoundaryArn, validateExtraPolicyArns } from "./policies/allowlist";
import { PolicyContext, validateArn, validateBucketName } from "./policies/context";
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
import { PolicyDocument, policyDocument } from "./policies/types";
import { IAM_MODES, IamMode, UserPolicyInputs, userPolicyDocuments } from "./userPolicySet";

export { IamMode } from "./userPolicySet";

export interface ClusterUserRoleArgs extends ContextArgs {
    /** How ParallelCluster may manage IAM: `privileged` (creates roles), `permissionsBoundary` (creates roles bound by `permissionsBoundaryArn`), `restricted` (only passes the pre-created roles in `passRoleArns`). */
    readonly iamMode: IamMode;
    /** IAM principals (role, user or account-root ARNs) that may assume the role. Required unless `existingRoleName` is set. */
    readonly trustedPrincipalArns?: string[];
    /** Require MFA (`aws:MultiFactorAuthPresent`) to assume the role. Default false. */
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
    readonly fsxBuckets?: string[];
    /** Add the image-build policy (`pcluster build-image`). */
    readonly imageBuild?: boolean;
    /** Secrets Manager secret ARNs in cluster configurations (e.g. DirectoryService password): granted `secretsmanager:DescribeSecret` for validation. */
    readonly secretArns?: string[];
    /** Permissions boundary policy ARN (`permissionsBoundary` mode). */
    readonly permissionsBoundaryArn?: pulumi.Input<string>;
    /** Pre-created role ARNs the user may pass (`restricted` mode). */
    readonly passRoleArns?: pulumi.Input<string>[];
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
// Stand-in for an ARN only known after deployment, long enough for any role or policy ARN we create.
const UNKNOWN_ARN_LENGTH = 200;

/** Validates the args; returns the synchronous context. Throws naming the field, value and what is allowed. */
export function validateClusterUserRoleArgs(args: ClusterUserRoleArgs): SyncContext {
    if (!args || !(IAM_MODES as readonly string[]).includes(args.iamMode)) {
        throw new Error(`iamMode: '${String(args?.iamMode)}' is not an IAM mode; allowed: ${IAM_MODES.join(", ")}`);
    }
    const sync = syncContext(args);
    const v = templateContext(sync);
    if (args.existingRoleName !== undefined) {
        validateIamName("existingRoleName", args.existingRoleName, ROLE_NAME_MAX);
        for (const f of ["trustedPrincipalArns", "requireMfa", "maxSessionDuration", "namePrefix"] as const) {
            if (args[f] !== undefined) throw new Error(`${f}: '${JSON.stringify(args[f])}' cannot be set with existingRoleName; the existing role keeps its own settings`);
        }
    } else {
        const principals = args.trustedPrincipalArns;
        if (!Array.isArray(principals) || principals.length === 0) {
            throw new Error(`trustedPrincipalArns: '${JSON.stringify(principals)}' is empty; expected at least one role, user or account-root ARN (or set existingRoleName)`);
        }
        principals.forEach((p, i) => validateArn(v, `trustedPrincipalArns[${i}]`, p, "principal"));
        const d = args.maxSessionDuration;
        if (d !== undefined && (!Number.isInteger(d) || d < MIN_SESSION || d > MAX_SESSION)) {
            throw new Error(`maxSessionDuration: '${d}' is out of range; expected a whole number of seconds from ${MIN_SESSION} to ${MAX_SESSION}`);
        }
        if (args.namePrefix !== undefined) validateIamName("namePrefix", args.namePrefix, ROLE_NAME_MAX - 26);
    }
    validateParallelClusterVersion(args.parallelClusterVersion);
    for (const f of ["loginNodes", "capacityReservationResourceGroups"] as const) {
        if (args[f] !== undefined && typeof args[f] !== "boolean") throw new Error(`${f}: '${String(args[f])}' is not a boolean; expected true or false`);
    }
    if (args.fsxBuckets !== undefined && !args.fsx) {
        throw new Error(`fsxBuckets: '${JSON.stringify(args.fsxBuckets)}' is set but fsx is not; set fsx: true or drop fsxBuckets`);
    }
    (args.fsxBuckets ?? []).forEach((b, i) => validateBucketName(`fsxBuckets[${i}]`, b));
    (args.secretArns ?? []).forEach((s, i) => validateArn(v, `secretArns[${i}]`, s, "secret"));
    validateExtraPolicyArns(v, "extraAllowedPolicyArns", args.extraAllowedPolicyArns);
    if (args.regionScope !== undefined && args.regionScope !== "*") {
        if (!isRegion(args.regionScope) || partitionOfRegion(args.regionScope, "regionScope") !== sync.partition) {
            throw new Error(`regionScope: '${args.regionScope}' is not a region of partition '${sync.partition}'; expected '*' or such a region`);
        }
    }
    if (typeof args.permissionsBoundaryArn === "string") validateBoundaryArn(v, "permissionsBoundaryArn", args.permissionsBoundaryArn);
    if (args.iamMode === "permissionsBoundary" && args.permissionsBoundaryArn === undefined) {
        throw new Error(`permissionsBoundaryArn: 'undefined' is required with iamMode 'permissionsBoundary'; expected a policy ARN (e.g. a PermissionsBoundary component's arn)`);
    }
    if (args.iamMode !== "permissionsBoundary" && args.permissionsBoundaryArn !== undefined) {
        throw new Error(`permissionsBoundaryArn: set with iamMode '${args.iamMode}'; it is used only with iamMode 'permissionsBoundary'`);
    }
    if (args.iamMode === "restricted") {
        if (!Array.isArray(args.passRoleArns) || args.passRoleArns.length === 0) {
            throw new Error(`passRoleArns: '${JSON.stringify(args.passRoleArns)}' is empty; iamMode 'restricted' needs at least one pre-created role ARN to pass`);
        }
        plainStrings(args.passRoleArns).forEach((r) => validateArn(v, `passRoleArns[${args.passRoleArns!.indexOf(r)}]`, r, "role"));
        if (args.batch) throw new Error(`batch: 'true' is not available with iamMode 'restricted'; ParallelCluster cannot take every AWS Batch role pre-created (use 'permissionsBoundary' or 'privileged')`);
        if (args.extraAllowedPolicyArns?.length || args.lambdaVpcAccess) {
            throw new Error(`extraAllowedPolicyArns: set with iamMode 'restricted', where the user attaches no policies; drop it or use another mode`);
        }
    } else if (args.passRoleArns !== undefined) {
        throw new Error(`passRoleArns: set with iamMode '${args.iamMode}'; it is used only with iamMode 'restricted'`);
    }
    const m = args.maxManagedPolicies;
    if (m !== undefined && (!Number.isInteger(m) || m < MANAGED_POLICIES_PER_ROLE_DEFAULT || m > MANAGED_POLICIES_PER_ROLE_MAX)) {
        throw new Error(`maxManagedPolicies: '${m}' is out of range; expected ${MANAGED_POLICIES_PER_ROLE_DEFAULT}-${MANAGED_POLICIES_PER_ROLE_MAX} (IAM's quota)`);
    }
    validateTags("tags", args.tags);
    return sync;
}

function placeholderArn(ctx: PolicyContext, type: "role" | "policy", index = 0): string {
    const head = `arn:${ctx.partition}:iam::${ctx.accountId}:${type}/parallelcluster/${index}-`;
    return head + "x".repeat(UNKNOWN_ARN_LENGTH - head.length);
}

/**
 * The role a person or pipeline assumes to run the `pcluster` CLI or the ParallelCluster API, with the
 * user policies of the ParallelCluster 3 guide as customer-managed policies (packed under the size limit).
 */
export class ClusterUserRole extends pulumi.ComponentResource {
    /** ARN of the (created or existing) role. */
    public readonly roleArn: pulumi.Output<string>;
    /** Name of the role. */
    public readonly roleName: pulumi.Output<string>;
    /** ARNs of the customer-managed policies created and attached. */
    public readonly policyArns: pulumi.Output<string[]>;

    constructor(name: string, args: ClusterUserRoleArgs, opts?: pulumi.ComponentResourceOptions) {
        const sync = validateClusterUserRoleArgs(args);
        super("parallelcluster-iam:index:ClusterUserRole", name, {}, opts);
        const ctx = contextOutput(sync, this);
        const tags = purposeTags("cluster-user", {}, args.tags ?? {});
        const childOpts = { parent: this };

        const plain: Omit<UserPolicyInputs, "boundaryArn" | "passRoleArns"> = {
            iamMode: args.iamMode,
            batch: !!args.batch,
            fsx: !!args.fsx,
            fsxBuckets: args.fsxBuckets ?? [],
            imageBuild: !!args.imageBuild,
            secretArns: args.secretArns ?? [],
            extraAllowedPolicyArns: args.extraAllowedPolicyArns ?? [],
            lambdaVpcAccess: !!args.lambdaVpcAccess,
            regionScope: args.regionScope ?? "*",
            loginNodes: !!args.loginNodes,
            capacityReservationResourceGroups: !!args.capacityReservationResourceGroups,
        };

        // Layout from a template with the real lengths (or longer stand-ins for values known later), so the
        // number of policies is fixed before deployment.
        const tctx = templateContext(sync);
        const template = userPolicyDocuments(tctx, {
            ...plain,
            boundaryArn: typeof args.permissionsBoundaryArn === "string" ? args.permissionsBoundaryArn : placeholderArn(tctx, "policy"),
            passRoleArns: (args.passRoleArns ?? []).map((r, i) => (typeof r === "string" ? r : placeholderArn(tctx, "role", i))),
        });
        const layouts = template.map(([suffix, doc]) => [suffix, packLayout(doc)] as const);
        const total = layouts.reduce((n, [, l]) => n + l.length, 0);
        const quota = args.maxManagedPolicies ?? MANAGED_POLICIES_PER_ROLE_DEFAULT;
        if (total > quota) {
            throw new Error(`maxManagedPolicies: the selected features need ${total} managed policies on the role; the quota is ${quota} (raise it up to ${MANAGED_POLICIES_PER_ROLE_MAX} and set maxManagedPolicies)`);
        }

        const realDocs = pulumi
            .all([ctx, args.permissionsBoundaryArn, pulumi.all(args.passRoleArns ?? [])])
            .apply(([c, boundaryArn, passRoleArns]) => {
                if (boundaryArn !== undefined) validateBoundaryArn(c, "permissionsBoundaryArn", boundaryArn);
                passRoleArns.forEach((r, i) => validateArn(c, `passRoleArns[${i}]`, r, "role"));
                return new Map(userPolicyDocuments(c, { ...plain, boundaryArn, passRoleArns }));
            });

        let role: aws.iam.Role | undefined;
        if (args.existingRoleName === undefined) {
            role = new aws.iam.Role(
                `${name}-role`,
                {
                    path: OPERATOR_PATH,
                    namePrefix: args.namePrefix,
                    description: `ParallelCluster user role (${args.iamMode} IAM mode), managed by parallelcluster-iam`,
                    assumeRolePolicy: ctx.apply((c) =>
                        JSON.stringify(userTrustPolicy(c, { principalArns: args.trustedPrincipalArns!, requireMfa: args.requireMfa })),
                    ),
                    maxSessionDuration: args.maxSessionDuration ?? MIN_SESSION,
                    tags,
                },
                childOpts,
            );
        }
        const roleName: pulumi.Output<string> = role ? role.name : pulumi.output(args.existingRoleName as string);

        const policies: aws.iam.Policy[] = [];
        for (const [suffix, layout] of layouts) {
            layout.forEach((indices, part) => {
                const childName = layout.length > 1 || suffix === "base" ? `${name}-${suffix}-${part + 1}` : `${name}-${suffix}`;
                const document = realDocs.apply((docs) => {
                    const d: PolicyDocument = policyDocument(indices.map((i) => docs.get(suffix)!.Statement[i]));
                    if (policySize(d) > MANAGED_POLICY_MAX_CHARS) {
                        throw new Error(`${childName}: with the ARNs known at deployment the policy has ${policySize(d)} characters; at most ${MANAGED_POLICY_MAX_CHARS}. Pass fewer or shorter ARNs`);
                    }
                    return JSON.stringify(d);
                });
                const policy = new aws.iam.Policy(
                    childName,
                    {
                        path: OPERATOR_PATH,
                        description: `ParallelCluster user policy: ${suffix}${layout.length > 1 ? ` (part ${part + 1} of ${layout.length})` : ""}`,
                        policy: document,
                        tags,
                    },
                    childOpts,
                );
                new aws.iam.RolePolicyAttachment(`${childName}-attachment`, { role: roleName, policyArn: policy.arn }, childOpts);
                policies.push(policy);
            });
        }

        this.roleName = roleName;
        this.roleArn = role ? role.arn : aws.iam.getRoleOutput({ name: args.existingRoleName as string }, { parent: this }).arn;
        this.policyArns = pulumi.all(policies.map((p) => p.arn));
        this.registerOutputs({ roleArn: this.roleArn, roleName: this.roleName, policyArns: this.policyArns });
    }
}
