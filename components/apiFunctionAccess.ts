import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ContextArgs, Problems, contextOutput, gated, hasExplicitProvider, syncContext, SyncContext, templateContext } from "./common";
import { TYPE_TOKENS } from "./vocabulary";
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

export function validateApiFunctionAccessArgs(args: ApiFunctionAccessArgs, opts?: pulumi.ComponentResourceOptions, name = "api"): SyncContext {
    const p = new Problems();
    const sync = syncContext(args ?? ({} as ApiFunctionAccessArgs), p, hasExplicitProvider(opts));
    p.throwIfAny("ApiFunctionAccess", name);
    if (args.functionRoleName === undefined) p.add("functionRoleName", `'undefined' is required; expected the name of the ParallelCluster API function's role`);
    if (typeof args.functionRoleName === "string") p.check(() => validateIamName("functionRoleName", args.functionRoleName as string, ROLE_NAME_MAX));
    const v = templateContext(sync);
    p.check(() => validateExtraPolicyArns(v, "extraAllowedPolicyArns", args.extraAllowedPolicyArns));
    p.throwIfAny("ApiFunctionAccess", name);
    return sync;
}

/**
 * Grants an existing ParallelCluster API / Manager function role `iam:AttachRolePolicy` and
 * `iam:DetachRolePolicy` on `role/parallelcluster/*`, for allow-listed policies only (inline role policy).
 */
export class ApiFunctionAccess extends pulumi.ComponentResource {
    /** Name of the inline policy. */
    public readonly policyName: pulumi.Output<string>;
    /** The inline policy on the function role. */
    public readonly rolePolicy: aws.iam.RolePolicy;

    constructor(name: string, args: ApiFunctionAccessArgs, opts?: pulumi.ComponentResourceOptions) {
        const sync = validateApiFunctionAccessArgs(args, opts, name);
        super(TYPE_TOKENS.ApiFunctionAccess, name, {}, opts);
        const ctx = contextOutput("ApiFunctionAccess", name, sync, this);
        const policy = new aws.iam.RolePolicy(
            `${name}-attach-detach`,
            {
                role: gated(ctx, args.functionRoleName),
                name: API_FUNCTION_ACCESS_POLICY_NAME,
                policy: ctx.apply((c) =>
                    JSON.stringify(apiFunctionAccessPolicy(c, { extraPolicyArns: args.extraAllowedPolicyArns, lambdaVpcAccess: args.lambdaVpcAccess })),
                ),
            },
            { parent: this },
        );
        this.rolePolicy = policy;
        this.policyName = policy.name;
        this.registerOutputs({ policyName: this.policyName });
    }
}
