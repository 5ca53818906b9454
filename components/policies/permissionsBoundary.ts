/**
 * The permissions boundary for PermissionsBoundary mode (guide: "`PermissionsBoundary` mode",
 * `Iam/PermissionsBoundary`). It caps every role ParallelCluster creates, and every role the user creates under it
 * with any inline policy: the allows keep every node and Lambda role (and the allow-listed AWS-managed policies)
 * working; nothing else reaches IAM (no write but the image cleanup's), the operator path, or instances, stacks,
 * buckets, secrets, parameters, keys and jobs that are not ParallelCluster's or listed (docs/deviations/boundary.md).
 */
import { OPERATOR_PATH, operatorArnPattern } from "./allowlist";
import { PolicyContext, checkContext, iamArn, regionalArn, s3Arn, validateArn, validateBucketName } from "./context";
import { MANAGED_POLICY_MAX_CHARS, POLICY_NAME_MAX, policySize, validateIamName, validatePath, validateParallelClusterPath } from "./limits";
import { ec2PassedToService, partitionOfRegion } from "./partition";
import { PolicyDocument, policyDocument } from "./types";

export interface PermissionsBoundaryOptions {
    /** The boundary policy's own name, so the document can protect itself (default "parallelcluster-permissions-boundary"). */
    readonly policyName?: string;
    /** The boundary policy's own path (default "/parallelcluster/operator/"). */
    readonly policyPath?: string;
    /** IAM path of ParallelCluster roles/profiles (default "/parallelcluster/"); must be `/parallelcluster/` or below it. */
    readonly iamPath?: string;
    /**
     * Buckets the bound roles reach besides ParallelCluster's own (`parallelcluster-*`, `aws-parallelcluster-*`,
     * `*-aws-parallelcluster*`, `dcv-license.*`, `ec2imagebuilder*`): `S3Access` and data buckets. Names, not ARNs.
     */
    readonly s3Buckets?: readonly string[];
    /** Secrets Manager secret ARNs the nodes read (munge key, Slurm database and directory passwords); no other secret. */
    readonly secretArns?: readonly string[];
    /**
     * SSM parameter ARNs the nodes read (a directory password kept in Parameter Store). Besides these, only AWS's
     * public `/aws/service/*` parameters and the CloudWatch agent's `AmazonCloudWatch-*`.
     */
    readonly parameterArns?: readonly string[];
    /**
     * Customer-managed KMS keys the bound roles use through AWS services: secrets and parameters encrypted with them,
     * EBS volumes and AMIs (`RootVolume/KmsKeyId`, `EbsSettings/KmsKeyId`). Allowed only via Secrets Manager,
     * Systems Manager, EC2 and S3.
     */
    readonly kmsKeyArns?: readonly string[];
    /** When set (scopeToRegion), every regional request of a bound role is denied outside these regions. */
    readonly regions?: readonly string[];
}

export const DEFAULT_BOUNDARY_POLICY_NAME = "parallelcluster-permissions-boundary";
export const DEFAULT_BOUNDARY_POLICY_PATH = OPERATOR_PATH;
export const DEFAULT_BOUNDARY_IAM_PATH = "/parallelcluster/";

interface ResolvedOptions {
    policyName: string;
    policyPath: string;
    iamPath: string;
    s3Buckets: string[];
    secretArns: string[];
    parameterArns: string[];
    kmsKeyArns: string[];
    regions?: string[];
}

const OPTION_KEYS = ["policyName", "policyPath", "iamPath", "s3Buckets", "secretArns", "parameterArns", "kmsKeyArns", "regions"];

// Sorted and without duplicates, so the document does not change with the order the caller lists them in.
function list(field: string, v: unknown, check: (f: string, x: string) => void, what: string): string[] {
    if (v === undefined) return [];
    if (!Array.isArray(v)) throw new Error(`${field}: '${JSON.stringify(v)}' is not a list; expected a list of ${what}`);
    v.forEach((x, i) => {
        if (typeof x !== "string") throw new Error(`${field}[${i}]: '${JSON.stringify(x)}' is not a string; expected ${what}`);
        check(`${field}[${i}]`, x);
    });
    return [...new Set(v as string[])].sort();
}

function resolveOptions(ctx: PolicyContext, opts: PermissionsBoundaryOptions | undefined): ResolvedOptions {
    if (opts === null || (opts !== undefined && typeof opts !== "object")) {
        throw new Error(`opts: '${String(opts)}' is not an options object; expected { ${OPTION_KEYS.map((k) => `${k}?`).join(", ")} }`);
    }
    const o = opts ?? {};
    for (const k of Object.keys(o)) {
        if (!OPTION_KEYS.includes(k)) throw new Error(`${k}: is not an option of the boundary; allowed: ${OPTION_KEYS.join(", ")}`);
    }
    const policyName = validateIamName("policyName", o.policyName ?? DEFAULT_BOUNDARY_POLICY_NAME, POLICY_NAME_MAX);
    const policyPath = validatePath("policyPath", o.policyPath ?? DEFAULT_BOUNDARY_POLICY_PATH);
    const iamPath = validateParallelClusterPath("iamPath", o.iamPath ?? DEFAULT_BOUNDARY_IAM_PATH);
    const s3Buckets = list("s3Buckets", o.s3Buckets, (f, b) => validateBucketName(f, b), "S3 bucket names");
    const secretArns = list("secretArns", o.secretArns, (f, a) => validateArn(ctx, f, a, "secret"), "Secrets Manager secret ARNs");
    const parameterArns = list("parameterArns", o.parameterArns, (f, a) => validateArn(ctx, f, a, "parameter"), "SSM parameter ARNs");
    const kmsKeyArns = list("kmsKeyArns", o.kmsKeyArns, (f, a) => validateArn(ctx, f, a, "key"), "KMS key ARNs");
    let regions: string[] | undefined;
    if (o.regions !== undefined) {
        regions = list("regions", o.regions, (f, r) => {
            if (partitionOfRegion(r, f) !== ctx.partition) throw new Error(`${f}: '${r}' is outside partition '${ctx.partition}'; expected a region of ${ctx.partition}`);
        }, "region names such as us-east-1");
        if (regions.length === 0) throw new Error("regions: '[]' is empty; expected at least one region, or leave it unset for every region");
    }
    return { policyName, policyPath, iamPath, s3Buckets, secretArns, parameterArns, kmsKeyArns, regions };
}

/** ARN of the boundary policy itself: `arn:P:iam::ACCOUNT:policy<policyPath><policyName>`. */
export function permissionsBoundaryArn(ctx: PolicyContext, opts?: PermissionsBoundaryOptions): string {
    checkContext(ctx);
    const o = resolveOptions(ctx, opts);
    return iamArn(ctx, `policy${o.policyPath}${o.policyName}`);
}

/**
 * Services the cluster's nodes and Lambda functions use broadly (ParallelCluster's node policies plus the
 * allow-listed AWS-managed ones). A boundary only caps, so a service-level allow costs nothing the identity
 * policies do not grant; the denies below take back what reaches outside the clusters.
 */
const SERVICE_WIDE: readonly string[] = [
    // Auto Scaling and load balancers: reads, and the login nodes' lifecycle hook (cdk_builder_utils.py); their
    // groups, listeners and targets are CloudFormation's, as the user. Another application's group would terminate
    // its instances, its listener would take its traffic.
    "autoscaling:Describe*",
    "autoscaling:CompleteLifecycleAction",
    "elasticloadbalancing:Describe*",
    "batch:*",
    "cloudwatch:*",
    "ec2:*",
    "ec2messages:*",
    "ecr:*",
    "ecs:*",
    // Image Builder: reads and the cleanup's deletes, never a pipeline, recipe or component (another pipeline
    // runs with its own profile).
    "imagebuilder:Get*",
    "imagebuilder:List*",
    "imagebuilder:Delete*",
    "imagebuilder:CancelImageCreation",
    "logs:*",
    "route53:*",
    "ssmmessages:*",
    "xray:*",
    // Stacks: reads and signals; the only stack write is the image cleanup's DeleteStack (ImageCleanup).
    "cloudformation:Describe*",
    "cloudformation:Get*",
    "cloudformation:List*",
    "cloudformation:SignalResource",
    // Systems Manager as AmazonSSMManagedInstanceCore uses it, without parameters (Parameters), SendCommand or sessions.
    "ssm:Describe*",
    "ssm:List*",
    "ssm:GetDocument",
    "ssm:GetManifest",
    "ssm:GetDeployablePatchSnapshotForInstance",
    "ssm:PutInventory",
    "ssm:PutComplianceItems",
    "ssm:PutConfigurePackageResult",
    "ssm:Update*AssociationStatus",
    "ssm:UpdateInstanceInformation",
    // AWSBatchFullAccess reads EKS; the cleanup Lambda tags through the tagging API.
    "eks:DescribeCluster",
    "eks:ListClusters",
    "tag:TagResources",
    "s3:ListAllMyBuckets",
    // IAM reads (AWSBatchFullAccess, AWSBatchServiceRole); never an IAM write but the image cleanup's.
    "iam:GetRole",
    "iam:GetInstanceProfile",
    "iam:ListRoles",
    "iam:ListInstanceProfiles",
    // Head node: capacity reservations given as a resource group.
    "resource-groups:ListGroupResources",
];

// Requests that reach into an instance, its data, its role or what it will boot (a new launch template version is
// used by whatever launches `$Latest`); denied on resources ParallelCluster did not tag.
const INSTANCE_LATERAL: readonly string[] = [
    "ec2:CreateLaunchTemplateVersion",
    "ec2:ModifyLaunchTemplate",
    "ec2:StopInstances",
    "ec2:StartInstances",
    "ec2:RebootInstances",
    "ec2:TerminateInstances",
    "ec2:ModifyInstanceAttribute",
    "ec2:*IamInstanceProfile*",
    "ec2:GetConsole*",
    "ec2:GetPasswordData",
    "ec2:GetLaunchTemplateData",
    "ec2:ModifyInstanceMetadataOptions",
    "ecs:ExecuteCommand",
];

// Requests that copy or share data out of the account, or run code as another team's role; no bound role makes them.
const EXFILTRATION: readonly string[] = [
    "ec2:ModifySnapshotAttribute",
    "ec2:CreateStoreImageTask",
    "ec2:CreateImage",
    "ebs:*",
];

// Services whose requests name no region or us-east-1 whatever the stack's region.
const GLOBAL_SERVICES: readonly string[] = ["iam:*", "sts:*", "s3:*", "route53:*", "tag:*"];

// ParallelCluster's buckets (cluster bucket parallelcluster-<hash>-v1-do-not-delete, the regional
// <region>-aws-parallelcluster, DCV licences, Image Builder's) plus the configured ones.
function s3Resources(ctx: PolicyContext, buckets: readonly string[]): string[] {
    // `*` matches `/` as well: each pattern covers the bucket and its objects.
    const own = ["parallelcluster-*", "aws-parallelcluster-*", "*-aws-parallelcluster*", "dcv-license.*", "ec2imagebuilder*"].map((b) => s3Arn(ctx, b));
    return [...own, ...buckets.flatMap((b) => [s3Arn(ctx, b), s3Arn(ctx, `${b}/*`)])];
}

// Service-linked roles ParallelCluster and the allow-listed Batch policies create (StringLike, to fit the size):
// autoscaling, batch, ecs, elasticloadbalancing, fsx and s3.data-source.lustre.fsx, imagebuilder, spot and spotfleet.
const SERVICE_LINKED: readonly string[] = ["autoscaling.*", "batch.*", "ecs.*", "elasticloadbalancing.*", "*fsx.*", "imagebuilder.*", "spot*"];

// Services a bound role passes a role to: EC2 (the head node's compute roles, in China's spelling too; AWS Batch's
// instance role), AWS Batch (the job role, BatchJobPassRole) and ECS tasks (AWSBatchServiceRole). Lambda, CodeBuild
// and Spot Fleet roles are passed by the user's CloudFormation, not by a bound role.
function passedToServices(ctx: PolicyContext): string[] {
    return [...ec2PassedToService(ctx.partition), "batch.amazonaws.com", "ecs-tasks.amazonaws.com"];
}

/**
 * The default boundary document. Pure: the same context and options always give the same document.
 * Throws on a bad option, naming it, its value and what is allowed.
 */
export function permissionsBoundaryPolicy(ctx: PolicyContext, opts?: PermissionsBoundaryOptions): PolicyDocument {
    checkContext(ctx);
    const o = resolveOptions(ctx, opts);
    // Account-wide, any region: IAM is global and one boundary serves every region's clusters.
    const anyRegion = (service: string, resource: string): string => regionalArn(ctx, service, resource, "*");
    const image = (type: string): string => iamArn(ctx, `${type}${o.iamPath}ParallelClusterImage*`);
    const doc = policyDocument([
        { Sid: "Services", Effect: "Allow", Action: [...SERVICE_WIDE], Resource: "*" },
        // Data-bearing services stay scoped to what ParallelCluster's roles touch.
        { Sid: "Buckets", Effect: "Allow", Action: "s3:*", Resource: s3Resources(ctx, o.s3Buckets) },
        // One statement per kind of grant, to fit the size: an action never matches another service's ARN.
        {
            // The cluster tables; EFS mounts with IAM authorization; AWS Batch clusters' job image build (ManageDockerImages).
            Sid: "ClusterResources",
            Effect: "Allow",
            Action: ["dynamodb:*", "elasticfilesystem:Client*", "codebuild:StartBuild", "codebuild:BatchGetBuilds"],
            Resource: [anyRegion("dynamodb", "table/parallelcluster-*"), anyRegion("elasticfilesystem", "file-system/*"), anyRegion("codebuild", "project/pcluster-*")],
        },
        {
            // AWS's public parameters (no account in their ARN), the CloudWatch agent's, and the configured secrets and parameters.
            Sid: "SecretsAndParameters",
            Effect: "Allow",
            Action: ["secretsmanager:GetSecretValue", "ssm:GetParameter", "ssm:GetParameters"],
            Resource: [`arn:${ctx.partition}:ssm:*:*:parameter/aws/service/*`, anyRegion("ssm", "parameter/AmazonCloudWatch-*"), ...o.secretArns, ...o.parameterArns],
        },
        {
            // EC2InstanceProfileForImageBuilder's only KMS use, with its own condition.
            Sid: "ImageBuilderKms",
            Effect: "Allow",
            Action: "kms:Decrypt",
            Resource: "*",
            Condition: { "ForAnyValue:StringEquals": { "kms:EncryptionContextKeys": "aws:imagebuilder:arn", "aws:CalledVia": ["imagebuilder.amazonaws.com"] } },
        },
        ...(o.kmsKeyArns.length > 0
            ? [{
                  Sid: "Keys",
                  Effect: "Allow" as const,
                  Action: ["kms:Decrypt", "kms:DescribeKey", "kms:GenerateDataKey*", "kms:ReEncrypt*", "kms:CreateGrant"],
                  Resource: o.kmsKeyArns,
                  Condition: { StringLike: { "kms:ViaService": ["secretsmanager.*.amazonaws.com", "ssm.*.amazonaws.com", "ec2.*.amazonaws.com", "s3.*.amazonaws.com"] } },
              }]
            : []),
        {
            // What build-image's cleanup Lambda deletes: its function, topic, role and profile (README D28).
            Sid: "ImageCleanup",
            Effect: "Allow",
            Action: [
                "lambda:DeleteFunction",
                "lambda:RemovePermission",
                "sns:GetTopicAttributes",
                "sns:DeleteTopic",
                "sns:GetSubscriptionAttributes",
                "sns:Unsubscribe",
                "iam:DeleteRole",
                "iam:DeleteRolePolicy",
                "iam:DetachRolePolicy",
                "iam:DeleteInstanceProfile",
                "iam:RemoveRoleFromInstanceProfile",
            ],
            Resource: [anyRegion("lambda", "function:ParallelClusterImage-*"), anyRegion("sns", "ParallelClusterImage-*"), image("role"), image("instance-profile")],
        },
        // Image stacks carry parallelcluster:image_id (imagebuilder.py _get_cfn_tags); cluster stacks are deleted by the user.
        {
            Sid: "ImageStack",
            Effect: "Allow",
            Action: "cloudformation:DeleteStack",
            Resource: "*",
            Condition: { StringLike: { "aws:ResourceTag/parallelcluster:image_id": "*" } },
        },
        {
            Sid: "PassRole",
            Effect: "Allow",
            Action: "iam:PassRole",
            Resource: iamArn(ctx, `role${o.iamPath}*`),
            Condition: { StringEquals: { "iam:PassedToService": passedToServices(ctx) } },
        },
        // Service-linked roles carry AWS-defined permissions and trust only their service.
        {
            Sid: "ServiceLinkedRoles",
            Effect: "Allow",
            Action: "iam:CreateServiceLinkedRole",
            Resource: iamArn(ctx, "role/aws-service-role/*"),
            Condition: { StringLike: { "iam:AWSServiceName": [...SERVICE_LINKED] } },
        },
        // The operator's path (the cluster-user role, its policies, this boundary): no IAM request at all.
        { Sid: "DenyOperatorPath", Effect: "Deny", Action: "iam:*", Resource: [operatorArnPattern(ctx.partition, ctx.accountId, "role"), operatorArnPattern(ctx.partition, ctx.accountId, "policy")] },
        // Every instance ParallelCluster launches carries parallelcluster:cluster-name (get_default_instance_tags);
        // nothing it does stops, starts, re-profiles, rewrites or reads another instance, and no bound role writes a
        // launch template (CloudFormation does, as the user).
        {
            Sid: "DenyForeignInstances",
            Effect: "Deny",
            Action: [...INSTANCE_LATERAL],
            Resource: "*",
            Condition: { Null: { "aws:ResourceTag/parallelcluster:cluster-name": "true" } },
        },
        // Tags are authority: instances are tagged at launch (ec2:CreateAction, as launch templates' TagSpecifications
        // do; no ParallelCluster node calls CreateTags otherwise) or when already the cluster's.
        {
            Sid: "DenyTaggingForeign",
            Effect: "Deny",
            Action: "ec2:CreateTags",
            Resource: anyRegion("ec2", "instance/*"),
            Condition: { Null: { "ec2:CreateAction": "true", "aws:ResourceTag/parallelcluster:cluster-name": "true" } },
        },
        // Snapshots, AMIs and EBS direct reads copy volumes out (or share them with another account).
        { Sid: "DenyExfiltration", Effect: "Deny", Action: [...EXFILTRATION], Resource: "*" },
        // Sharing an AMI with another account; the build instance only sets its description (parallelcluster_tag.yaml).
        {
            Sid: "DenyImageSharing",
            Effect: "Deny",
            Action: "ec2:ModifyImageAttribute",
            Resource: "*",
            Condition: { StringEquals: { "ec2:Attribute": "launchPermission" } },
        },
        // AWS Batch clusters submit to their own queue and definitions (awsbatch-cli); another team's job definition
        // runs as its job role.
        {
            Sid: "DenyForeignJobs",
            Effect: "Deny",
            Action: "batch:SubmitJob",
            NotResource: [anyRegion("batch", "job/*"), anyRegion("batch", "job-queue/PclusterJobQueue*"), anyRegion("batch", "job-definition/PclusterJobDefinition*")],
        },
        ...(o.regions
            ? [{ Sid: "DenyOtherRegions", Effect: "Deny" as const, NotAction: [...GLOBAL_SERVICES], Resource: "*", Condition: { StringNotEquals: { "aws:RequestedRegion": o.regions } } }]
            : []),
    ]);
    // The ARNs repeat the names and paths, so only very long ones (or many buckets and secrets) overflow.
    const size = policySize(doc);
    if (size > MANAGED_POLICY_MAX_CHARS) {
        throw new Error(
            `iamPath/s3Buckets/secretArns/parameterArns/kmsKeyArns: '${o.iamPath}', ${o.s3Buckets.length} buckets, ${o.secretArns.length} secrets, ` +
                `${o.parameterArns.length} parameters and ${o.kmsKeyArns.length} keys make the boundary ${size} non-whitespace characters; a managed policy holds at most ` +
                `${MANAGED_POLICY_MAX_CHARS}, so use a shorter path or fewer entries`,
        );
    }
    return doc;
}
