import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ContextArgs, contextOutput, purposeTags, syncContext, SyncContext, templateContext, validateTags } from "./common";
import { OPERATOR_PATH, validateBoundaryArn } from "./policies/allowlist";
import { POLICY_NAME_MAX, assertManagedPolicySize, validateIamName, validateParallelClusterPath } from "./policies/limits";
import { permissionsBoundaryPolicy } from "./policies/permissionsBoundary";

export interface PermissionsBoundaryArgs extends ContextArgs {
    /** Use this existing boundary policy instead of creating one. */
    readonly existingArn?: string;
    /** Physical name of the boundary policy. Default `parallelcluster-permissions-boundary-<component name>`. */
    readonly policyName?: string;
    /**
     * Path of the boundary policy: `/parallelcluster/operator/` (default) or another path below `/parallelcluster/`.
     * The default keeps it off the allow-list: attached as a permission policy it would grant its whole cap.
     * (The roles it lets be managed are on `/parallelcluster/`, where ParallelCluster creates them:
     * `/parallelcluster/<cluster stack>/`.)
     */
    readonly policyPath?: string;
    /** Keep `service-role/AWSLambdaVPCAccessExecutionRole`'s actions allowed. */
    readonly lambdaVpcAccess?: boolean;
    /** Tags for the policy. */
    readonly tags?: Record<string, string>;
}

export function defaultBoundaryName(name: string): string {
    return `parallelcluster-permissions-boundary-${name}`;
}

/** Validates the args; returns the synchronous context. */
export function validatePermissionsBoundaryArgs(name: string, args: PermissionsBoundaryArgs): SyncContext {
    const sync = syncContext(args ?? {});
    const v = templateContext(sync);
    if (args.existingArn !== undefined) {
        validateBoundaryArn(v, "existingArn", args.existingArn);
        for (const f of ["policyName", "policyPath", "lambdaVpcAccess", "tags"] as const) {
            if (args[f] !== undefined) throw new Error(`${f}: '${JSON.stringify(args[f])}' cannot be set with existingArn; the existing policy is used as it is`);
        }
        return sync;
    }
    validateIamName("policyName", args.policyName ?? defaultBoundaryName(name), POLICY_NAME_MAX);
    validateParallelClusterPath("policyPath", args.policyPath ?? OPERATOR_PATH);
    validateTags("tags", args.tags);
    return sync;
}

/**
 * A permissions boundary for ParallelCluster roles: lets every node and Lambda role do its job and denies
 * IAM escalation. Creates the policy on `/parallelcluster/`, or passes an existing ARN through.
 */
export class PermissionsBoundary extends pulumi.ComponentResource {
    /** ARN of the boundary policy. */
    public readonly arn: pulumi.Output<string>;

    constructor(name: string, args: PermissionsBoundaryArgs = {}, opts?: pulumi.ComponentResourceOptions) {
        const sync = validatePermissionsBoundaryArgs(name, args);
        super("parallelcluster-iam:index:PermissionsBoundary", name, {}, opts);
        if (args.existingArn !== undefined) {
            this.arn = pulumi.output(args.existingArn);
        } else {
            const options = {
                policyName: args.policyName ?? defaultBoundaryName(name),
                policyPath: args.policyPath ?? OPERATOR_PATH,
                lambdaVpcAccess: args.lambdaVpcAccess,
            };
            assertManagedPolicySize("policy", permissionsBoundaryPolicy(templateContext(sync), options));
            const ctx = contextOutput(sync, this);
            const policy = new aws.iam.Policy(
                `${name}-boundary`,
                {
                    name: options.policyName,
                    path: options.policyPath,
                    description: "ParallelCluster permissions boundary, managed by parallelcluster-iam",
                    policy: ctx.apply((c) => JSON.stringify(permissionsBoundaryPolicy(c, options))),
                    tags: purposeTags("permissions-boundary", {}, args.tags ?? {}),
                },
                { parent: this },
            );
            this.arn = policy.arn;
        }
        this.registerOutputs({ arn: this.arn });
    }
}
