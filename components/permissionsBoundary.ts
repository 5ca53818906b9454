import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ContextArgs, Problems, contextOutput, gated, hasExplicitProvider, plainStrings, purposeTags, stackSuffix, syncContext, SyncContext, templateContext, validateTags } from "./common";
import { TYPE_TOKENS } from "./vocabulary";
import { OPERATOR_PATH, validateBoundaryArn } from "./policies/allowlist";
import { POLICY_NAME_MAX, validateIamName, validateParallelClusterPath } from "./policies/limits";
import { PermissionsBoundaryOptions, permissionsBoundaryPolicy } from "./policies/permissionsBoundary";

export interface PermissionsBoundaryArgs extends ContextArgs {
    /** Use this existing boundary policy instead of creating one. */
    readonly existingArn?: string;
    /**
     * Physical name of the boundary policy. Default `parallelcluster-permissions-boundary-<component name>-<8 hex>`,
     * the suffix a hash of the project and stack, so two stacks in one account never collide.
     */
    readonly policyName?: string;
    /**
     * Path of the boundary policy: `/parallelcluster/operator/` (default) or another path below `/parallelcluster/`.
     * The default keeps it off the allow-list: attached as a permission policy it would grant its whole cap.
     * (The roles it lets be managed are on `/parallelcluster/`, where ParallelCluster creates them:
     * `/parallelcluster/<cluster stack>/`.)
     */
    readonly policyPath?: string;
    /**
     * Buckets the clusters' roles use besides ParallelCluster's own (`S3Access`, data buckets): bound roles reach
     * no other bucket of the account. Names, not ARNs.
     */
    readonly s3Buckets?: pulumi.Input<string>[];
    /** Secrets Manager secret ARNs the nodes read (munge key, Slurm database, directory password); no other secret. */
    readonly secretArns?: pulumi.Input<string>[];
    /** SSM parameter ARNs the nodes read (a directory password in Parameter Store); no other parameter but AWS's public ones. */
    readonly parameterArns?: pulumi.Input<string>[];
    /** Customer-managed KMS key ARNs the bound roles use through Secrets Manager, Systems Manager, EC2 or S3 (encrypted secrets, EBS volumes, AMIs). */
    readonly kmsKeyArns?: pulumi.Input<string>[];
    /** Regions bound roles may act in (the stack's `scopeToRegion`); unset: every region. */
    readonly regions?: pulumi.Input<string>[];
    /** Tags for the policy. */
    readonly tags?: Record<string, string>;
}

// The document's options from what is known now (entries that are Outputs are left out).
function knownOptions(name: string, args: PermissionsBoundaryArgs): PermissionsBoundaryOptions {
    const known = (l: pulumi.Input<string>[] | undefined) => (l === undefined ? undefined : plainStrings(l));
    return {
        policyName: args.policyName ?? defaultBoundaryName(name),
        policyPath: args.policyPath ?? OPERATOR_PATH,
        s3Buckets: known(args.s3Buckets),
        secretArns: known(args.secretArns),
        parameterArns: known(args.parameterArns),
        kmsKeyArns: known(args.kmsKeyArns),
        regions: known(args.regions),
    };
}

export function defaultBoundaryName(name: string): string {
    return `parallelcluster-permissions-boundary-${name}-${stackSuffix()}`;
}

/** Validates the args; returns the synchronous context. */
export function validatePermissionsBoundaryArgs(name: string, args: PermissionsBoundaryArgs, opts?: pulumi.ComponentResourceOptions): SyncContext {
    const p = new Problems();
    const sync = syncContext(args ?? {}, p, hasExplicitProvider(opts));
    p.throwIfAny("PermissionsBoundary", name);
    const v = templateContext(sync);
    if (args.existingArn !== undefined) {
        p.check(() => validateBoundaryArn(v, "existingArn", args.existingArn!));
        for (const f of ["policyName", "policyPath", "s3Buckets", "secretArns", "parameterArns", "kmsKeyArns", "regions", "tags"] as const) {
            if (args[f] !== undefined) p.add(f, `'${JSON.stringify(args[f])}' cannot be set with existingArn; the existing policy is used as it is`);
        }
    } else {
        p.check(() => validateIamName("policyName", args.policyName ?? defaultBoundaryName(name), POLICY_NAME_MAX));
        p.check(() => validateParallelClusterPath("policyPath", args.policyPath ?? OPERATOR_PATH));
        p.check(() => validateTags("tags", args.tags));
        p.throwIfAny("PermissionsBoundary", name);
        // The lists' known entries, each named by its index; Outputs are checked when they resolve.
        p.check(() => permissionsBoundaryPolicy(v, knownOptions(name, args)));
    }
    p.throwIfAny("PermissionsBoundary", name);
    return sync;
}

/**
 * A permissions boundary for ParallelCluster roles: lets every node and Lambda role do its job and denies
 * IAM escalation. Creates the policy on `/parallelcluster/`, or passes an existing ARN through.
 */
export class PermissionsBoundary extends pulumi.ComponentResource {
    /** ARN of the boundary policy. */
    public readonly arn: pulumi.Output<string>;
    /** The policy created (undefined with `existingArn`). */
    public readonly policy?: aws.iam.Policy;

    constructor(name: string, args: PermissionsBoundaryArgs = {}, opts?: pulumi.ComponentResourceOptions) {
        const sync = validatePermissionsBoundaryArgs(name, args, opts);
        super(TYPE_TOKENS.PermissionsBoundary, name, {}, opts);
        if (args.existingArn !== undefined) {
            const ctx = contextOutput("PermissionsBoundary", name, sync, this);
            this.arn = gated(ctx, args.existingArn);
        } else {
            // Validation built this document from the known entries (its size included); here with every entry.
            const options = knownOptions(name, args);
            const ctx = contextOutput("PermissionsBoundary", name, sync, this);
            const lists = pulumi.all([args.s3Buckets ?? [], args.secretArns ?? [], args.parameterArns ?? [], args.kmsKeyArns ?? [], args.regions ?? []]);
            const document = pulumi.all([ctx, lists]).apply(([c, [s3Buckets, secretArns, parameterArns, kmsKeyArns, regions]]) =>
                JSON.stringify(permissionsBoundaryPolicy(c, { ...options, s3Buckets, secretArns, parameterArns, kmsKeyArns, regions: options.regions && regions })),
            );
            const policy = new aws.iam.Policy(
                `${name}-boundary`,
                {
                    name: options.policyName,
                    path: options.policyPath,
                    description: "ParallelCluster permissions boundary, managed by parallelcluster-iam",
                    policy: document,
                    tags: gated(ctx, purposeTags("permissions-boundary", {}, args.tags ?? {})),
                },
                { parent: this },
            );
            this.policy = policy;
            this.arn = policy.arn;
        }
        this.registerOutputs({ arn: this.arn });
    }
}
