/**
 * Where each statement of docs/parallelcluster-grants.md comes from: `<principal>/<Sid, or actions joined by ", ">` ->
 * when the builder emits it, the ParallelCluster source that needs it (aws/aws-parallelcluster at 3.12.0-dev 451cc532
 * unless named: template = `cloudformation/policies/parallelcluster-policies.yaml` release-3.12, CDK =
 * `cli/src/pcluster/templates/cdk_builder_utils.py`) and the first release with it. `grantsDoc.ts` throws on a
 * statement with no entry and on an entry no statement uses.
 */
export interface GrantSource {
    when: string;
    source: string;
    since: string;
}

const t = (policy: string, sid: string, since: string, when = "always", note = ""): GrantSource =>
    ({ when, source: `template ${policy} \`${sid}\`${note ? `; ${note}` : ""}`, since });
const cdk = (cls: string, sid: string, since: string, when = "always", note = ""): GrantSource =>
    ({ when, source: `CDK \`${cls}\` \`${sid}\`${note ? `; ${note}` : ""}`, since });
const own = (when: string, source: string, since = "— (this project)"): GrantSource => ({ when, source, since });

const P1 = "ParallelClusterClusterPolicy1";
const P2 = "ParallelClusterClusterPolicy2";
const PB = "ParallelClusterClusterPolicyBatch";
const PI = "ParallelClusterImageManagedPolicy";
const PA = "DefaultParallelClusterIamAdminPolicy";
const HEAD = "HeadNodeIamResources._build_policy";
const COMPUTE = "ComputeNodeIamResources._build_policy";
const LOGIN = "LoginNodesIamResources._build_policy";
const COOKBOOK_OBJ = "customCookbookS3Url";
const cookbook = (what: string): GrantSource => ({
    when: COOKBOOK_OBJ,
    source: `CDK \`NodeIamResourcesBase._add_custom_cookbook_policies_to_role\` (policy \`CustomCookbookS3Url\`, ${what}); user_data.sh \`s3api get-bucket-location\`, \`s3 presign\``,
    since: "3.0",
});
const s3Access = (sid: string, node: string): GrantSource => ({
    when: "s3Access entries",
    source: node === "login"
        ? `not in ParallelCluster 3.12 (pools have no S3Access, #6507): same form as CDK \`_add_s3_access_policies_to_role\` \`${sid}\` (README D26)`
        : `CDK \`NodeIamResourcesBase._add_s3_access_policies_to_role\` \`${sid}\` (${node}/Iam/S3Access)`,
    since: node === "login" ? "— (this project)" : "3.0",
});
const efs: GrantSource = { when: "efsFileSystemIds (Slurm)", source: "CDK `NodeIamResourcesBase._add_pcluster_policies_to_role` `Efs` (efs-utils mounts with the node role)", since: "3.4" };
const operator = (sid: string): GrantSource => own("always", `\`${sid}\`: keeps the operator's own IAM out of reach (README R2)`);

export const GRANT_SOURCES: Record<string, GrantSource> = {
    // ---- user: base ----
    "user-base/EC2Read": t(P1, "EC2ReadAndWrite", "3.5", "always", "`ec2:Describe*` split out"),
    "user-base/EC2Write": t(P1, "EC2ReadAndWrite", "3.5 (DeleteTags 3.9.1)"),
    "user-base/EC2TerminateClusterInstances": t(P1, "EC2ReadAndWrite", "3.5", "always", "`ec2:TerminateInstances` only on instances tagged `parallelcluster:cluster-name` (README D30)"),
    "user-base/DynamoDB": t(P1, "DynamoDB", "3.5"),
    "user-base/Route53HostedZones": t(P1, "Route53HostedZones", "3.5"),
    "user-base/DenyTaggingForeignInstances": own("always", "`CreateTags` adopts no foreign instance: tags are authority (README D32)"),
    "user-base/CloudFormationCreate": t(P1, "CloudFormationCreateAndUpdate", "3.6", "always", "README D21"),
    "user-base/CloudFormationUpdate": t(P1, "CloudFormationCreateAndUpdate", "3.6", "always", "only stacks tagged `parallelcluster:cluster-name` (README D31)"),
    "user-base/CloudFormationDelete": t(P1, "CloudFormationReadAndDelete", "3.6", "always", "only stacks tagged `parallelcluster:version` (README D31)"),
    "user-base/CloudFormationRead": t(P1, "CloudFormationReadAndDelete", "3.6", "always", "README D21"),
    "user-base/CloudFormationList": t(P1, "CloudFormationReadAndDelete", "3.6", "always", "`ListStacks` takes no resource (README D21)"),
    "user-base/CloudWatch": t(P1, "CloudWatch", "3.5 (alarms 3.6, PutCompositeAlarm 3.8)"),
    "user-base/IamRead": t(P2, "IamRead", "3.5"),
    "user-base/IamInstanceProfile": t(P2, "IamInstanceProfile", "3.5", "not in restricted mode (README R1)"),
    "user-base/IamPassRole": t(P2, "IamPassRole", "3.5", "not in restricted mode (README R1)"),
    "user-base/Lambda": t(P2, "Lambda", "3.5"),
    "user-base/S3ResourcesBucket": t(P2, "S3ResourcesBucket", "3.5"),
    "user-base/S3ParallelClusterReadOnly": t(P2, "S3ParallelClusterReadOnly", "3.5"),
    "user-base/EFS": t(P2, "EFS", "3.5"),
    "user-base/CloudWatchLogs": t(P2, "CloudWatchLogs", "3.5 (metric filters 3.6)", "always", "+ ParallelClusterLogRetrievalPolicy"),
    "user-base/ResourceGroupRead": t(P2, "ResourceGroupRead", "3.5", "capacityReservationResourceGroups", "scoped to `group/*` (README D23)"),
    "user-base/LoginNodesFunctionalities": t(P2, "LoginNodesFunctionalities", "3.7 (describes 3.11, 3.11.1)", "loginNodes"),
    "user-base/LoginNodesFunctionalitiesNoCondition": t(P2, "LoginNodesFunctionalitiesNoCondition", "3.7", "loginNodes"),
    "user-base/LoginNodesCreateListener": t(P2, "LoginNodesFunctionalities", "3.7", "loginNodes", "CreateListener moved out (aws/aws-parallelcluster#7491, README D23)"),
    "user-base/LoginNodesServiceLinkedRoles": t(P2, "(no Sid) iam:CreateServiceLinkedRole", "3.12", "loginNodes", "ELB and Auto Scaling service-linked roles only (README D23)"),
    "user-base/SecretsManagerValidation": own("secretArns", "the guide's `secretsmanager:DescribeSecret` (config validators read configured secrets)", "3.1 (guide)"),
    // ---- user: batch, fsx, image build ----
    "user-batch/IamPassRole": t(PB, "IamPassRole", "3.5", "batch, not restricted"),
    "user-batch/DenyForeignJobs": own("batch", "`SubmitJob` only to the cluster's queue and definitions (README D34)"),
    "user-batch/BatchServiceLinkedRole": t(PB, "(no Sid) iam:CreateServiceLinkedRole", "3.5", "batch"),
    "user-batch/CodeBuild": t(PB, "(no Sid) codebuild:*", "3.5", "batch"),
    "user-batch/ECR": t(PB, "ECR", "3.5", "batch"),
    "user-batch/Batch": t(PB, "Batch", "3.5", "batch"),
    "user-batch/AmazonCloudWatchEvents": t(PB, "AmazonCloudWatchEvents", "3.5", "batch"),
    "user-batch/ECS": t(PB, "ECS", "3.5", "batch"),
    "user-fsx/FSxServiceLinkedRoles": t(P2, "(no Sid) iam:CreateServiceLinkedRole", "3.5", "fsx"),
    "user-fsx/FSx": t(P2, "FSx", "3.5", "fsx"),
    "user-fsx/FSxS3ServiceLinkedRole": t("ParallelClusterFSxS3AccessPolicy", "FSxS3PoliciesAttach", "3.5", "fsx"),
    "user-fsx/FSxS3Access": t("ParallelClusterFSxS3AccessPolicy", "EnableFSxS3Access", "3.5", "fsxBuckets"),
    "user-imagebuild/EC2": t(PI, "EC2BuildAndDeleteImage", "3.9", "imageBuild"),
    "user-imagebuild/IAM": t(PI, "IAMBuildImage + IAMDeleteImage", "3.9", "imageBuild, not restricted"),
    "user-imagebuild/IAMPassRole": t(PI, "IAMPassRoleBuildImage", "3.9", "imageBuild, not restricted"),
    "user-imagebuild/CloudWatch": t(PI, "CloudWatchBuildImage + CloudWatchDeleteImage", "3.9", "imageBuild"),
    "user-imagebuild/CloudWatchTags": t(PI, "CloudWatchBuildImage", "3.9", "imageBuild", "README D22"),
    "user-imagebuild/CloudFormation": t(PI, "CloudFormationBuildAndDeleteImage", "3.9", "imageBuild", "DescribeStackResource: describe-image (README D22)"),
    "user-imagebuild/CloudFormationDeleteImageStack": t(PI, "CloudFormationBuildAndDeleteImage", "3.9", "imageBuild", "only stacks tagged `parallelcluster:version` (README D31)"),
    "user-imagebuild/CloudFormationCreateImageStack": t(PI, "CloudFormationBuildAndDeleteImage", "3.9", "imageBuild", "tag-conditioned (README D22)"),
    "user-imagebuild/Lambda": t(PI, "LambdaBuildAndDeleteImage", "3.9", "imageBuild"),
    "user-imagebuild/ImageBuilderGet": t(PI, "ImageBuilderGetBuildImage", "3.9", "imageBuild"),
    "user-imagebuild/ImageBuilder": t(PI, "ImageBuilderBuildAndDeleteImage", "3.9", "imageBuild"),
    "user-imagebuild/S3Bucket": t(PI, "S3BucketBuildAndDeleteImage", "3.9", "imageBuild"),
    "user-imagebuild/SNS": t(PI, "SNSBuildAndDeleteImage", "3.9", "imageBuild"),
    "user-imagebuild/S3Objects": t(PI, "S3BucketBuildAndDeleteImage", "3.9", "imageBuild"),
    "user-imagebuild/ImageBuilderServiceLinkedRole": t(PI, "IAMSLRBuildImage", "3.9", "imageBuild"),
    // ---- user: IAM modes ----
    "user-iam-privileged/IamRole": t(PA, "IamRole", "3.5", "privileged"),
    "user-iam-privileged/IamCreateRole": t(PA, "IamInlinePolicyAndCreateRole", "3.11", "privileged"),
    "user-iam-privileged/IamInlinePolicy": t(PA, "IamInlinePolicyAndCreateRole", "3.11", "privileged"),
    "user-iam-privileged/IamPolicy": t(PA, "IamPolicy", "3.5", "privileged"),
    "user-iam-privileged/DenyOperatorPolicies": operator("DenyOperatorPolicies"),
    "user-iam-privileged/DenyOperatorRoles": operator("DenyOperatorRoles"),
    "user-iam-boundary/IamRole": t(PA, "IamRole", "3.5", "permissionsBoundary"),
    "user-iam-boundary/IamCreateRole": t(PA, "IamInlinePolicyAndCreateRole", "3.11", "permissionsBoundary", "with `iam:PermissionsBoundary`"),
    "user-iam-boundary/IamInlinePolicy": t(PA, "IamInlinePolicyAndCreateRole", "3.11", "permissionsBoundary", "with `iam:PermissionsBoundary`"),
    "user-iam-boundary/IamPolicy": t(PA, "IamPolicy", "3.5", "permissionsBoundary", "with `iam:PermissionsBoundary`"),
    "user-iam-boundary/DenyOperatorPolicies": operator("DenyOperatorPolicies"),
    "user-iam-boundary/DenyOperatorRoles": operator("DenyOperatorRoles"),
    "user-iam-restricted/IamPassRole": own("restricted", "the guide's restricted mode: pass exactly the pre-created roles (README R1)", "3.1 (guide)"),
    // ---- head node, Slurm ----
    "head-node-slurm/s3:GetObject, s3:GetObjectVersion": cdk(HEAD, "S3GetObj + DcvLicense + ResourcesS3Bucket", "3.0", "always", "the cluster's artifact directory (fetch_config.rb get-object --version-id); README D20"),
    "head-node-slurm/DynamoDBTable": cdk(HEAD, "DynamoDBTable", "3.0 (BatchGetItem 3.9)", "always", "check_cluster_ready.py"),
    "head-node-slurm/SlurmDynamoDBTable": { when: "always", source: "slurm_builder.py policy `parallelcluster-slurm-head-node` `SlurmDynamoDBTable` (clustermgtd instance_manager.py)", since: "3.0 (BatchGetItem 3.5)" },
    "head-node-slurm/ec2:TerminateInstances": cdk(HEAD, "EC2Terminate", "3.0", "always", "+ the guide's node-type=Compute"),
    "head-node-slurm/ec2:RunInstances, ec2:CreateFleet": cdk(HEAD, "EC2RunInstancesCreateFleet", "3.3", "always", "fleet_manager.py; `*` as the guide (README D16)"),
    "head-node-slurm/iam:PassRole": cdk(HEAD, "PassRole", "3.0", "always", "`_generate_head_node_pass_role_resources`; + passRoleArns"),
    "head-node-slurm/ec2:DescribeInstances, ec2:DescribeInstanceStatus, ec2:DescribeVolumes, ec2:DescribeInstanceAttribute, ec2:DescribeCapacityReservations": cdk(HEAD, "Ec2 + EC2DescribeCapacityReservations", "3.0 (capacity reservations 3.3)"),
    "head-node-slurm/ec2:CreateTags, ec2:AttachVolume, ec2:DetachVolume": cdk(HEAD, "Ec2TagsAndVolumes", "3.0 (DetachVolume 3.3)", "always", "manageVolume.py"),
    "head-node-slurm/cloudformation:DescribeStacks, cloudformation:DescribeStackResource, cloudformation:SignalResource": cdk(HEAD, "CloudFormation", "3.0", "always", "cfn-hup, custom actions"),
    "head-node-slurm/route53:ChangeResourceRecordSets": { when: "always", source: "slurm_builder.py policy `parallelcluster-slurm-route53` `Route53Add` (managed DNS)", since: "3.0" },
    "head-node-slurm/secretsmanager:GetSecretValue": own("secretArns", "the guide's head-node secret statement, for secrets no option names (README D1)", "3.1 (guide)"),
    "head-node-slurm/SecretsManager": cdk(HEAD, "SecretsManager", "3.8", "mungeKeySecretArn", "update_munge_key.sh"),
    "head-node-slurm/TargetGroupDescribe": cdk(HEAD, "TargetGroupDescribe", "3.9", "mungeKeySecretArn and loginNodePools", "check_login_nodes_stopped.sh"),
    "head-node-slurm/AllowManagingReservedCapacity": cdk(HEAD, "AllowManagingReservedCapacity", "3.3", "capacityReservationResourceGroupArns", "RunInstances/CreateFleet already on `*`"),
    "head-node-slurm/AllowGettingDirectorySecretValue": cdk(HEAD, "AllowGettingDirectorySecretValue", "3.1 (SSM parameter 3.6)", "directoryServicePasswordArn", "directory_service.rb"),
    "head-node-slurm/AllowGettingSlurmDbSecretValue": cdk(HEAD, "AllowGettingSlurmDbSecretValue", "3.3", "slurmdbdPasswordSecretArn", "config_slurm_accounting.rb"),
    "head-node-slurm/Efs": efs,
    "head-node-slurm/EC2GetComputeConsoleOutput": cdk(HEAD, "EC2GetComputeConsoleOutput", "3.5", "consoleOutput (default: cloudWatchLogs)", "clustermgtd console_logger.py"),
    "head-node-slurm/CustomCookbookS3UrlObject": cookbook("GetObject"),
    "head-node-slurm/CustomCookbookS3UrlBucket": cookbook("GetBucketLocation"),
    "head-node-slurm/S3Read": s3Access("S3Read", "HeadNode"),
    "head-node-slurm/S3ReadWrite": s3Access("S3ReadWrite", "HeadNode"),
    // ---- head node, AWS Batch ----
    "head-node-awsbatch/s3:GetObject, s3:GetObjectVersion": cdk(HEAD, "ResourcesS3Bucket", "3.0", "always", "the cluster's artifact directory"),
    "head-node-awsbatch/BatchJobScripts": { when: "always", source: "awsbatch_builder.py `BatchCliWritePermissions` (s3:PutObject on the artifact directory's batch/, awsbsub)", since: "3.1" },
    "head-node-awsbatch/s3:GetObject": cdk(HEAD, "S3GetObj + DcvLicense", "3.0"),
    "head-node-awsbatch/iam:PassRole": { when: "always", source: "awsbatch_builder.py `BatchJobPassRole`", since: "3.0" },
    "head-node-awsbatch/batch:DescribeJobQueues, batch:DescribeJobs, batch:ListJobs, batch:DescribeComputeEnvironments": { when: "always", source: "awsbatch_builder.py `BatchCliReadPermissions`", since: "3.1" },
    "head-node-awsbatch/batch:SubmitJob, batch:TerminateJob, logs:GetLogEvents, ecs:ListContainerInstances, ecs:DescribeContainerInstances": { when: "always", source: "awsbatch_builder.py `BatchCliWritePermissions`", since: "3.1" },
    "head-node-awsbatch/ec2:DescribeInstances, ec2:DescribeInstanceStatus, ec2:DescribeVolumes, ec2:DescribeInstanceAttribute": cdk(HEAD, "Ec2", "3.0"),
    "head-node-awsbatch/ec2:CreateTags, ec2:AttachVolume, ec2:DetachVolume": cdk(HEAD, "Ec2TagsAndVolumes", "3.0 (DetachVolume 3.3)"),
    "head-node-awsbatch/cloudformation:DescribeStackResource, cloudformation:DescribeStacks, cloudformation:SignalResource": cdk(HEAD, "CloudFormation", "3.0"),
    "head-node-awsbatch/secretsmanager:GetSecretValue": own("secretArns", "the guide's head-node secret statement (README D1)", "3.1 (guide)"),
    "head-node-awsbatch/AllowGettingDirectorySecretValue": cdk(HEAD, "AllowGettingDirectorySecretValue", "3.1 (SSM parameter 3.6)", "directoryServicePasswordArn"),
    "head-node-awsbatch/CustomCookbookS3UrlObject": cookbook("GetObject"),
    "head-node-awsbatch/CustomCookbookS3UrlBucket": cookbook("GetBucketLocation"),
    "head-node-awsbatch/S3Read": s3Access("S3Read", "HeadNode"),
    "head-node-awsbatch/S3ReadWrite": s3Access("S3ReadWrite", "HeadNode"),
    // ---- compute ----
    "compute-node/dynamodb:Query": { when: "always", source: "slurm_builder.py policy `parallelcluster-slurm-compute` `SlurmDynamoDBTableQuery` (slurm_resume / node daemons)", since: "3.0 (/index/* 3.2)" },
    "compute-node/s3:GetObject": cdk(COMPUTE, "S3GetObj", "3.0"),
    "compute-node/ec2:DescribeInstanceAttribute": cdk(COMPUTE, "Ec2", "3.0"),
    "compute-node/CloudFormation": cdk(COMPUTE, "CloudFormation", "3.9", "always", "cfn-init --role in compute user_data.sh (fatal)"),
    "compute-node/DynamoDBTable": cdk(COMPUTE, "DynamoDBTable", "3.9", "always", "PutItem only: finalize_compute.rb (README D19)"),
    "compute-node/Efs": efs,
    "compute-node/CustomCookbookS3UrlObject": cookbook("GetObject"),
    "compute-node/CustomCookbookS3UrlBucket": cookbook("GetBucketLocation"),
    "compute-node/S3Read": s3Access("S3Read", "SlurmQueues"),
    "compute-node/S3ReadWrite": s3Access("S3ReadWrite", "SlurmQueues"),
    // ---- login ----
    "login-node/Ec2": cdk(LOGIN, "Ec2", "3.7"),
    "login-node/S3GetObj": cdk(LOGIN, "S3GetObj", "3.7"),
    "login-node/Autoscaling": cdk(LOGIN, "Autoscaling", "3.7", "always", "the pool's own group (login user data)"),
    "login-node/CloudFormation": cdk(LOGIN, "CloudFormation", "3.9 (DescribeStacks, cluster stack 3.11)"),
    "login-node/DynamoDBTable": cdk(LOGIN, "DynamoDBTable", "3.9", "always", "PutItem only: finalize_login_node.rb"),
    "login-node/DcvLicense": cdk(LOGIN, "DcvLicense", "3.11"),
    "login-node/Efs": { ...efs, since: "3.7 (statement 3.4)" },
    "login-node/CustomCookbookS3UrlObject": cookbook("GetObject"),
    "login-node/CustomCookbookS3UrlBucket": cookbook("GetBucketLocation"),
    "login-node/S3Read": s3Access("S3Read", "login"),
    "login-node/S3ReadWrite": s3Access("S3ReadWrite", "login"),
    // ---- cluster Lambda functions ----
    ...Object.fromEntries((["slurm", "awsbatch"] as const).flatMap((s) => [
        [`lambda-functions-${s}/route53:ListResourceRecordSets, route53:ChangeResourceRecordSets`, { when: "always", source: "slurm_builder.py CleanupRoute53 `Route53DeletePolicy` (zone id unknown in advance: `hostedzone/*`)", since: "3.0" }],
        [`lambda-functions-${s}/logs:CreateLogStream, logs:PutLogEvents`, { when: "always", source: "CDK `get_cloud_watch_logs_policy_statement` `CloudWatchLogsPolicy` (every function)", since: "3.1" }],
        [`lambda-functions-${s}/ec2:DescribeInstances`, { when: "always", source: "compute_fleet_stack.py CleanupResources `DescribeInstances`", since: "3.0" }],
        [`lambda-functions-${s}/ec2:TerminateInstances`, { when: "always", source: "compute_fleet_stack.py CleanupResources `FleetTerminatePolicy` (the guide's node-type=Compute form)", since: "3.0" }],
        [`lambda-functions-${s}/s3:DeleteObject, s3:DeleteObjectVersion, s3:ListBucket, s3:ListBucketVersions`, { when: "always", source: "cluster_stack.py CleanupResources `S3BucketPolicy`", since: "3.0" }],
    ])),
    "lambda-functions-awsbatch/ECRPolicy": { when: "scheduler awsbatch", source: "awsbatch_builder.py ManageDockerImages `ECRPolicy` (README D17)", since: "3.0" },
    "lambda-functions-awsbatch/CodeBuildPolicy": { when: "scheduler awsbatch", source: "awsbatch_builder.py ManageDockerImages `CodeBuildPolicy` (README D17)", since: "3.0" },
    // ---- image build ----
    "image-builder-instance/ec2:CreateTags, ec2:ModifyImageAttribute": { when: "always", source: "imagebuilder_stack.py `_add_default_instance_role` `InstanceRoleInlinePolicy`", since: "3.0" },
    ...Object.fromEntries([
        "iam:DetachRolePolicy, iam:DeleteRole, iam:DeleteRolePolicy",
        "iam:DeleteInstanceProfile, iam:RemoveRoleFromInstanceProfile",
        "imagebuilder:DeleteInfrastructureConfiguration",
        "imagebuilder:DeleteComponent",
        "imagebuilder:DeleteImageRecipe",
        "imagebuilder:DeleteDistributionConfiguration",
        "imagebuilder:DeleteImage, imagebuilder:GetImage, imagebuilder:CancelImageCreation",
        "cloudformation:DeleteStack",
        "ec2:CreateTags",
        "tag:TagResources",
        "lambda:DeleteFunction, lambda:RemovePermission",
        "logs:DeleteLogGroup",
    ].map((k) => [`image-cleanup-lambda/${k}`, { when: "always", source: "imagebuilder_stack.py `_add_lambda_cleanup` / `_add_resource_delete_policy` `LambdaCleanupPolicy` (the guide's wildcard form: build UUIDs are unknown in advance)", since: "3.0" }])),
    "image-cleanup-lambda/SNS:GetTopicAttributes, SNS:DeleteTopic, SNS:GetSubscriptionAttributes, SNS:Unsubscribe": { when: "always", source: "imagebuilder_stack.py `LambdaCleanupPolicy` SNS; GetSubscriptionAttributes from the guide (CloudFormation's subscription delete handler)", since: "3.0" },
    // ---- boundary and API function ----
    ...Object.fromEntries(["Services", "Buckets", "ClusterResources", "SecretsAndParameters", "ImageBuilderKms", "Keys", "ImageCleanup", "ImageStack", "PassRole",
        "ServiceLinkedRoles", "DenyOperatorPath", "DenyForeignInstances", "DenyTaggingForeign", "DenyExfiltration", "DenyImageSharing", "DenyForeignJobs", "DenyOtherRegions"]
        .map((sid) => [`permissions-boundary/${sid}`, own("always", `a cap, not a grant: docs/deviations/boundary.md \`${sid}\``)])),
    "api-function-access/iam:AttachRolePolicy, iam:DetachRolePolicy": t("ParallelClusterLambdaRole", "(attach/detach) with `iam:PolicyARN`", "3.5", "always", "README D6"),
    "api-function-access/DenyOperatorPolicies": operator("DenyOperatorPolicies"),
    "api-function-access/DenyOperatorRoles": operator("DenyOperatorRoles"),
};
