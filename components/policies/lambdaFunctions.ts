/**
 * The cluster's Lambda functions role (Iam/Roles/LambdaFunctionsRole): the guide's minimal policy, plus what
 * ParallelCluster's AWS Batch functions need when they run under this role (README D17).
 */
import { PolicyContext, arn, checkContext, regionalArn, s3Arn } from "./context";
import { LAMBDA_VPC_ACCESS_POLICY } from "./allowlist";
import { SCHEDULERS, Scheduler, validateScheduler } from "./headNode";
import { awsManagedPolicyArn } from "./partition";
import { PolicyStatement, RolePolicySet, policyDocument } from "./types";

export interface LambdaFunctionsOptions {
    /** The functions run in a VPC (DeploymentSettings/LambdaFunctionsVpcConfig): attach AWSLambdaVPCAccessExecutionRole, as ParallelCluster does. */
    readonly vpc?: boolean;
    /**
     * Scheduling/Scheduler of the clusters using this role; default "slurm". With "awsbatch", ParallelCluster's
     * ManageDockerImages function runs under this role and needs ECR and CodeBuild access.
     */
    readonly scheduler?: Scheduler;
}

/**
 * The ManageDockerImages function of an AWS Batch cluster (awsbatch_builder.py `_add_manage_docker_images_lambda`):
 * it starts the CodeBuild project that builds the job image and deletes the image repository's images on cluster
 * deletion. Its log group (`/aws/lambda/pcluster-ManageDockerImages-*`) is already covered by the guide's logs statement.
 */
function awsBatchStatements(ctx: PolicyContext): PolicyStatement[] {
    return [
        {
            // The cluster's repository (AWS::ECR::Repository `ParallelClusterDockerImagesRepo`) has no RepositoryName:
            // CloudFormation generates it, so only the account and region are known in advance.
            Sid: "ECRPolicy",
            Effect: "Allow",
            Action: ["ecr:BatchDeleteImage", "ecr:ListImages"],
            Resource: regionalArn(ctx, "ecr", "repository/*"),
        },
        {
            // ParallelCluster names the project `pcluster-<cluster>-build-docker-images-project`.
            Sid: "CodeBuildPolicy",
            Effect: "Allow",
            Action: ["codebuild:BatchGetBuilds", "codebuild:StartBuild"],
            Resource: regionalArn(ctx, "codebuild", "project/pcluster-*-build-docker-images-project"),
        },
    ];
}

/** Managed policies (none unless `vpc`) and the inline document. */
export function lambdaFunctionsPolicy(ctx: PolicyContext, opts: LambdaFunctionsOptions = {}): RolePolicySet {
    checkContext(ctx);
    if (opts === null || typeof opts !== "object") throw new Error(`opts: '${String(opts)}' is not an options object; expected { vpc?, scheduler? }`);
    if (opts.vpc !== undefined && typeof opts.vpc !== "boolean") throw new Error(`vpc: '${String(opts.vpc)}' is not a boolean; expected true or false`);
    const scheduler = opts.scheduler === undefined ? "slurm" : validateScheduler("scheduler", opts.scheduler, SCHEDULERS);
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
            ...(scheduler === "awsbatch" ? awsBatchStatements(ctx) : []),
        ]),
    };
}
