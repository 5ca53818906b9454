import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ContextArgs, contextOutput, syncContext, SyncContext, templateContext } from "./common";
import { validateExtraPolicyArns } from "./policies/allowlist";
import { ROLE_NAME_MAX, validateIamName } from "./policies/limits";
import { apiFunctionAccessPolicy } from "./policies/apiFunctionAccess";

export interface ApiFunctionAccessArgs extends ContextArgs {
    /** Name of the ParallelCluster API / Manager function's existing role (e.g. the `ParallelClusterFunction` role). */
    readonly functionRoleName: pulumi.Input<string>;
    /** Extra managed policy ARNs the function may attach beyond the allow-list. */
    readonly extraAllowedPolicyArns?: string[];
    /** Allow attaching `service-role/AWSLambdaVPCAccessExecutionRole`. */
    readonly lambdaVpcAccess?: boolean;
}

/** Name of the inline policy put on the function role. */
export const API_FUNCTION_ACCESS_POLICY_NAME = "parallelcluster-iam-attach-detach";

export function validateApiFunctionAccessArgs(args: ApiFunctionAccessArgs): SyncContext {
    const sync = syncContext(args ?? ({} as ApiFunctionAccessArgs));
    if (args.functionRoleName === undefined) throw new Error(`functionRoleName: 'undefined' is required; expected the name of the ParallelCluster API function's role`);
    if (typeof args.functionRoleName === "string") validateIamName("functionRoleName", args.functionRoleName, ROLE_NAME_MAX);
    const v = templateContext(sync);
    validateExtraPolicyArns(v, "extraAllowedPolicyArns", args.extraAllowedPolicyArns);
    return sync;
}

/**
 * Grants an existing ParallelCluster API / Manager function role `iam:AttachRolePolicy` and
 * `iam:DetachRolePolicy` on `role/parallelcluster/*`, for allow-listed policies only (inline role policy).
 */
export class ApiFunctionAccess extends pulumi.ComponentResource {
    /** Name of the inline policy. */
    public readonly policyName: pulumi.Output<string>;

    constructor(name: string, args: ApiFunctionAccessArgs, opts?: pulumi.ComponentResourceOptions) {
        const sync = validateApiFunctionAccessArgs(args);
        super("parallelcluster-iam:index:ApiFunctionAccess", name, {}, opts);
        const ctx = contextOutput(sync, this);
        const policy = new aws.iam.RolePolicy(
            `${name}-attach-detach`,
            {
                role: args.functionRoleName,
                name: API_FUNCTION_ACCESS_POLICY_NAME,
                policy: ctx.apply((c) =>
                    JSON.stringify(apiFunctionAccessPolicy(c, { extraPolicyArns: args.extraAllowedPolicyArns, lambdaVpcAccess: args.lambdaVpcAccess })),
                ),
            },
            { parent: this },
        );
        this.policyName = policy.name;
        this.registerOutputs({ policyName: this.policyName });
    }
}
