/**
 * Additional user policy for clusters with the AWS Batch scheduler
 * (guide: "Additional user policy when using AWS Batch scheduler").
 */
import { PolicyContext, checkContext, iamArn } from "./context";
import { allow, limitToRegion, resolveRegionScope, scopedArn } from "./regionScope";
import { PolicyDocument, PolicyStatement, policyDocument } from "./types";

export function userBatchPolicy(ctx: PolicyContext, opts: { readonly regionScope?: string } = {}): PolicyDocument {
    checkContext(ctx);
    const scope = resolveRegionScope(ctx, opts.regionScope);
    const regional = (stmt: PolicyStatement) => limitToRegion(stmt, scope);
    return policyDocument([
        allow("IamPassRole", ["iam:PassRole"], [iamArn(ctx, "role/parallelcluster/*")], {
            StringEqualsIfExists: { "iam:PassedToService": ["ecs-tasks.amazonaws.com", "batch.amazonaws.com", "codebuild.amazonaws.com"] },
        }),
        // Batch creates its service-linked role for the compute environment; the service name is the same in every partition.
        allow("BatchServiceLinkedRole", ["iam:CreateServiceLinkedRole", "iam:DeleteServiceLinkedRole"],
            [iamArn(ctx, "role/aws-service-role/batch.amazonaws.com/*")],
            { StringEquals: { "iam:AWSServiceName": ["batch.amazonaws.com"] } }),
        allow("CodeBuild", ["codebuild:*"], scopedArn(ctx, scope, "codebuild", "project/pcluster-*")),
        regional(allow("ECR", ["ecr:*"], "*")),
        regional(allow("Batch", ["batch:*"], "*")),
        // D34: awsbsub submits to the cluster's queue and definitions (BatchCliWritePermissions); another team's job
        // definition runs as its job role, with no PassRole check.
        {
            Sid: "DenyForeignJobs",
            Effect: "Deny",
            Action: "batch:SubmitJob",
            NotResource: ["job/*", "job-queue/PclusterJobQueue*", "job-definition/PclusterJobDefinition*"].map((r) => scopedArn(ctx, scope, "batch", r)),
        },
        regional(allow("AmazonCloudWatchEvents", ["events:*"], "*")),
        regional(allow("ECS", ["ecs:DescribeContainerInstances", "ecs:ListContainerInstances"], "*")),
    ]);
}
