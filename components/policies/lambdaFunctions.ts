/** The cluster's Lambda functions role (Iam/Roles/LambdaFunctionsRole): the guide's minimal policy. */
import { PolicyContext, arn, checkContext, regionalArn, s3Arn } from "./context";
import { LAMBDA_VPC_ACCESS_POLICY } from "./allowlist";
import { awsManagedPolicyArn } from "./partition";
import { RolePolicySet, policyDocument } from "./types";

export interface LambdaFunctionsOptions {
    /** The functions run in a VPC (DeploymentSettings/LambdaFunctionsVpcConfig): attach AWSLambdaVPCAccessExecutionRole, as ParallelCluster does. */
    readonly vpc?: boolean;
}

/** Managed policies (none unless `vpc`) and the inline document. */
export function lambdaFunctionsPolicy(ctx: PolicyContext, opts: LambdaFunctionsOptions = {}): RolePolicySet {
    checkContext(ctx);
    if (opts === null || typeof opts !== "object") throw new Error(`opts: '${String(opts)}' is not an options object; expected { vpc? }`);
    if (opts.vpc !== undefined && typeof opts.vpc !== "boolean") throw new Error(`vpc: '${String(opts.vpc)}' is not a boolean; expected true or false`);
    return {
        managedPolicyArns: opts.vpc ? [awsManagedPolicyArn(ctx.partition, LAMBDA_VPC_ACCESS_POLICY)] : [],
        inlinePolicy: policyDocument([
            {
                Effect: "Allow",
                Action: ["route53:ListResourceRecordSets", "route53:ChangeResourceRecordSets"],
                // Route 53 ARNs have empty region and account fields.
                Resource: `${arn(ctx)}:route53:::hostedzone/*`,
            },
            { Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: regionalArn(ctx, "logs", "log-group:/aws/lambda/pcluster-*") },
            { Effect: "Allow", Action: "ec2:DescribeInstances", Resource: "*" },
            {
                Effect: "Allow",
                Action: "ec2:TerminateInstances",
                Resource: "*",
                Condition: { StringEquals: { "ec2:ResourceTag/parallelcluster:node-type": "Compute" } },
            },
            {
                Effect: "Allow",
                Action: ["s3:DeleteObject", "s3:DeleteObjectVersion", "s3:ListBucket", "s3:ListBucketVersions"],
                Resource: [s3Arn(ctx, "parallelcluster-*-v1-do-not-delete"), s3Arn(ctx, "parallelcluster-*-v1-do-not-delete/*")],
            },
        ]),
    };
}
