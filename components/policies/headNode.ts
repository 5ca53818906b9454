/**
 * The head node role: the guide's minimal policy for Slurm and for AWS Batch ("Head node IAM role"),
 * plus ParallelCluster's S3Access statements. For Slurm, also what ParallelCluster's head node calls beyond the
 * older guide (README D16): `ec2:CreateFleet`, `ec2:DescribeCapacityReservations`, `cloudformation:DescribeStacks`.
 */
import { clusterArtifactsArn, clusterStackArn, clusterTableArn, slurmTableArn, validateClusterName } from "./cluster";
import { PolicyContext, arn, checkContext, iamArn, parseArn, regionalArn, s3Arn, validateArn, validateUnique } from "./context";
import { CustomCookbookOptions, EfsOptions, customCookbookStatements, efsClientStatements, validateDirectoryPasswordArn, validateResourceGroupArns } from "./features";
import { awsManagedPolicyArn, ec2PassedToService } from "./partition";
import { S3AccessEntry, s3AccessStatements } from "./s3Access";
import { PolicyStatement, RolePolicySet, policyDocument } from "./types";
import { validateParallelClusterVersion } from "./version";

export type Scheduler = "slurm" | "awsbatch";
export const SCHEDULERS: readonly Scheduler[] = ["slurm", "awsbatch"];

export interface HeadNodeOptions extends EfsOptions, CustomCookbookOptions {
    readonly scheduler: Scheduler;
    /**
     * The cluster. With it the grants name the cluster's own tables, stack, artifact directory and instances
     * (ParallelCluster's scoping, docs/parallelcluster-grants.md); without it they keep the guide's account-wide patterns.
     */
    readonly clusterName?: string;
    /** The ParallelCluster release (version.ts); it names the artifact directory. Default DEFAULT_PARALLELCLUSTER_VERSION. */
    readonly parallelClusterVersion?: string;
    /**
     * Slurm queues whose failed compute nodes' console output clustermgtd collects (console_logger.py;
     * `EC2GetComputeConsoleOutput`, 3.5). Off unless given; needs `clusterName`. ParallelCluster grants it whenever
     * CloudWatch logs are on; without it only that diagnostic is lost.
     */
    readonly consoleOutputQueues?: readonly string[];
    /** Secrets the head node reads (e.g. DirectoryService PasswordSecretArn); the GetSecretValue statement appears only when given. */
    readonly secretArns?: readonly string[];
    /** Compute role / instance-profile ARNs outside /parallelcluster/ that the head node launches (Slurm only). */
    readonly passRoleArns?: readonly string[];
    /**
     * The pre-created compute roles the head node launches its compute nodes with (Slurm): it may pass exactly
     * these, instead of any role on the ParallelCluster path (README D29). Default: the path.
     */
    readonly computeRoleArns?: readonly string[];
    /** HeadNode/Iam/S3Access entries. */
    readonly s3Access?: readonly S3AccessEntry[];
    /** Monitoring/Logs/CloudWatch/Enabled; default true. */
    readonly cloudWatchLogs?: boolean;
    /**
     * `DirectoryService/PasswordSecretArn` (a Secrets Manager secret or an SSM parameter): `AllowGettingDirectorySecretValue`
     * (`secretsmanager:GetSecretValue` or `ssm:GetParameter` on exactly that ARN; 3.1, SSM 3.6). Head node only: the
     * cookbook shares sssd.conf with compute and login nodes.
     */
    readonly directoryServicePasswordArn?: string;
    /**
     * Slurm only. `Scheduling/SlurmSettings/MungeKeySecretArn`: `SecretsManager` (`secretsmanager:GetSecretValue` on that
     * secret; 3.8, update_munge_key.sh); with `loginNodes` also `TargetGroupDescribe` (3.9, check_login_nodes_stopped.sh).
     */
    readonly mungeKeySecretArn?: string;
    /** The cluster has login-node pools (Slurm only); matters only with `mungeKeySecretArn`. */
    readonly loginNodes?: boolean;
    /**
     * Slurm only. `Scheduling/SlurmSettings/Database/PasswordSecretArn` (Slurm accounting): `AllowGettingSlurmDbSecretValue`
     * (`secretsmanager:GetSecretValue`; 3.3, config_slurm_accounting.rb, update_slurm_database_password.sh).
     */
    readonly slurmdbdPasswordSecretArn?: string;
    /**
     * Slurm only. `CapacityReservationTarget/CapacityReservationResourceGroupArn` values: `AllowManagingReservedCapacity`
     * (3.3). Only `resource-groups:ListGroupResources` is added: ParallelCluster's statement also lists RunInstances and
     * CreateFleet on the group, which the head node already has on `*`.
     */
    readonly capacityReservationResourceGroupArns?: readonly string[];
}

/** Throws unless `scheduler` is one of `allowed`. */
export function validateScheduler<T extends string>(field: string, value: unknown, allowed: readonly T[]): T {
    if (typeof value !== "string" || !(allowed as readonly string[]).includes(value)) {
        throw new Error(`${field}: '${String(value)}' is not a supported scheduler; allowed: ${allowed.join(", ")}`);
    }
    return value as T;
}

/** Validates an optional list of secret ARNs in the context's partition. */
export function validateSecretArns(ctx: PolicyContext, field: string, values: readonly string[] | undefined): string[] {
    if (values === undefined) return [];
    if (!Array.isArray(values)) throw new Error(`${field}: '${String(values)}' is not a list; expected a list of Secrets Manager secret ARNs`);
    values.forEach((v, i) => validateArn(ctx, `${field}[${i}]`, v, "secret"));
    validateUnique(field, values);
    return [...values];
}

// iam:PassRole only works on roles of the caller's account, so a foreign account is always a mistake.
function validatePassRoleArns(ctx: PolicyContext, field: string, values: readonly string[] | undefined): string[] {
    if (values === undefined) return [];
    if (!Array.isArray(values)) throw new Error(`${field}: '${String(values)}' is not a list; expected a list of role or instance-profile ARNs`);
    values.forEach((v, i) => {
        const at = `${field}[${i}]`;
        const type = parseArn(v)?.resource.split("/")[0];
        try {
            validateArn(ctx, at, v, type === "instance-profile" ? "instance-profile" : "role");
        } catch (e) {
            throw new Error(`${(e as Error).message} (or an instance-profile ARN: only roles and instance profiles can be passed)`, { cause: e });
        }
        if (parseArn(v)?.account !== ctx.accountId) {
            throw new Error(`${at}: '${v}' is not in account ${ctx.accountId}; iam:PassRole only applies to roles of the same account`);
        }
    });
    validateUnique(field, values);
    return [...values];
}

const QUEUE_RE = /^[a-z][a-z0-9-]{0,24}$/;

function validateConsoleOutputQueues(values: readonly string[] | undefined, cluster: string | undefined): string[] {
    if (values === undefined) return [];
    if (!Array.isArray(values)) throw new Error(`consoleOutputQueues: '${String(values)}' is not a list; expected Slurm queue names`);
    values.forEach((q, i) => {
        if (typeof q !== "string" || !QUEUE_RE.test(q)) throw new Error(`consoleOutputQueues[${i}]: '${String(q)}' is not a valid queue name; expected a lowercase letter, then lowercase letters, digits and '-', at most 25 characters`);
    });
    validateUnique("consoleOutputQueues", values);
    if (values.length > 0 && cluster === undefined) throw new Error(`consoleOutputQueues: given without clusterName; the grant is limited to the cluster's own compute nodes`);
    return [...values];
}

/** CloudWatchAgentServerPolicy only with CloudWatch logging (as ParallelCluster's `_add_node_role`); SSM per the guide. */
export function nodeManagedPolicyArns(ctx: PolicyContext, cloudWatchLogs: boolean | undefined, field: string): string[] {
    if (cloudWatchLogs !== undefined && typeof cloudWatchLogs !== "boolean") {
        throw new Error(`${field}: '${String(cloudWatchLogs)}' is not a boolean; expected true or false`);
    }
    return [
        ...(cloudWatchLogs === false ? [] : [awsManagedPolicyArn(ctx.partition, "CloudWatchAgentServerPolicy")]),
        awsManagedPolicyArn(ctx.partition, "AmazonSSMManagedInstanceCore"),
    ];
}

/** The head node's managed policies and inline document. */
export function headNodePolicy(ctx: PolicyContext, opts: HeadNodeOptions): RolePolicySet {
    checkContext(ctx);
    if (opts === null || typeof opts !== "object") throw new Error(`opts: '${String(opts)}' is not an options object; expected { scheduler, ... }`);
    const scheduler = validateScheduler("scheduler", opts.scheduler, SCHEDULERS);
    const cluster = validateClusterName(opts.clusterName);
    const version = validateParallelClusterVersion(opts.parallelClusterVersion);
    const secrets = validateSecretArns(ctx, "secretArns", opts.secretArns);
    const passRoles = validatePassRoleArns(ctx, "passRoleArns", opts.passRoleArns);
    if (scheduler === "awsbatch" && passRoles.length > 0) {
        // The AWS Batch head node launches no instances; passing extra roles to Batch would only widen it.
        throw new Error(`passRoleArns: '${passRoles.join(", ")}' is only supported with scheduler 'slurm'; the awsbatch head node launches no instances`);
    }
    const managedPolicyArns = nodeManagedPolicyArns(ctx, opts.cloudWatchLogs, "cloudWatchLogs");
    const r = ctx.region;
    const pcPassRole = [iamArn(ctx, "role/parallelcluster/*"), iamArn(ctx, "instance-profile/parallelcluster/*")];
    const computeRoles = validatePassRoleArns(ctx, "computeRoleArns", opts.computeRoleArns);
    if (scheduler === "awsbatch" && computeRoles.length > 0) {
        throw new Error(`computeRoleArns: '${computeRoles.join(", ")}' is only supported with scheduler 'slurm'; AWS Batch creates its compute roles`);
    }
    const describeActions = ["ec2:DescribeInstances", "ec2:DescribeInstanceStatus", "ec2:DescribeVolumes", "ec2:DescribeInstanceAttribute"];
    // DetachVolume (3.3): manageVolume.py detaches a shared EBS volume that update-cluster removes.
    const tagAttach: PolicyStatement = {
        Effect: "Allow",
        Action: ["ec2:CreateTags", "ec2:AttachVolume", "ec2:DetachVolume"],
        Resource: [regionalArn(ctx, "ec2", "instance/*"), regionalArn(ctx, "ec2", "volume/*")],
    };
    // The cluster's artifacts (fetch_config.rb reads its configuration with get-object --version-id), or the guide's
    // every object of every default bucket.
    const artifacts = cluster === undefined ? s3Arn(ctx, "parallelcluster-*-v1-do-not-delete/*") : clusterArtifactsArn(ctx, cluster, version);
    // The cluster's stack (cfn-hup, custom actions, awsbatch-cli), or the guide's any stack.
    const stack = cluster === undefined ? "*" : clusterStackArn(ctx, cluster);
    // 3.9: check_cluster_ready.py reads every node's config version with BatchGetItem (ddb_utils.py); 3.5: clustermgtd
    // maps instances with BatchGetItem on the Slurm table (instance_manager.py).
    const dynamodb: PolicyStatement[] = cluster === undefined
        ? [{
            Effect: "Allow",
            Action: ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:BatchWriteItem", "dynamodb:BatchGetItem"],
            Resource: regionalArn(ctx, "dynamodb", "table/parallelcluster-*"),
        }]
        : [
            {
                Sid: "DynamoDBTable",
                Effect: "Allow",
                Action: ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:BatchGetItem"],
                Resource: clusterTableArn(ctx, cluster),
            },
            {
                Sid: "SlurmDynamoDBTable",
                Effect: "Allow",
                Action: ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:BatchWriteItem", "dynamodb:BatchGetItem"],
                Resource: slurmTableArn(ctx, cluster),
            },
        ];
    // Compute nodes only (the guide), and with the cluster only this cluster's (ParallelCluster's EC2Terminate condition).
    const terminate: Record<string, string> = { "ec2:ResourceTag/parallelcluster:node-type": "Compute" };
    if (cluster !== undefined) terminate["ec2:ResourceTag/parallelcluster:cluster-name"] = cluster;
    let statements: PolicyStatement[];
    if (scheduler === "slurm") {
        statements = [
            {
                Effect: "Allow",
                Action: ["s3:GetObject", "s3:GetObjectVersion"],
                Resource: [s3Arn(ctx, `${r}-aws-parallelcluster/*`), s3Arn(ctx, `dcv-license.${r}/*`), artifacts],
            },
            ...dynamodb,
            {
                Effect: "Allow",
                Action: "ec2:TerminateInstances",
                Resource: "*",
                Condition: { StringEquals: terminate },
            },
            // D16: ParallelCluster launches compute nodes with RunInstances or CreateFleet (one statement, same resources:
            // cdk_builder_utils.py `EC2RunInstancesCreateFleet`; the current guide grants both on "*").
            { Effect: "Allow", Action: ["ec2:RunInstances", "ec2:CreateFleet"], Resource: "*" },
            {
                Effect: "Allow",
                Action: ["iam:PassRole"],
                Resource: [...(computeRoles.length > 0 ? computeRoles : pcPassRole), ...passRoles],
                Condition: { StringEquals: { "iam:PassedToService": ec2PassedToService(ctx.partition) } },
            },
            // D16: capacity reservations are read for every Slurm cluster (`EC2DescribeCapacityReservations`, on "*").
            { Effect: "Allow", Action: [...describeActions, "ec2:DescribeCapacityReservations"], Resource: "*" },
            tagAttach,
            // D16: DescribeStacks as well (`CloudFormation` statement of cdk_builder_utils.py; the current guide).
            {
                Effect: "Allow",
                Action: ["cloudformation:DescribeStacks", "cloudformation:DescribeStackResource", "cloudformation:SignalResource"],
                Resource: stack,
            },
            // The cluster's private hosted zone gets a generated ID: any hosted zone (Route 53 ARNs have no region or account).
            { Effect: "Allow", Action: ["route53:ChangeResourceRecordSets"], Resource: cluster === undefined ? "*" : `${arn(ctx)}:route53:::hostedzone/*` },
        ];
    } else {
        statements = [
            cluster === undefined
                ? { Effect: "Allow", Action: ["s3:GetObject", "s3:PutObject", "s3:GetObjectVersion"], Resource: [artifacts] }
                : { Effect: "Allow", Action: ["s3:GetObject", "s3:GetObjectVersion"], Resource: [artifacts] },
            // awsbsub uploads job scripts below the artifact directory's batch/ (BatchCliWritePermissions).
            ...(cluster === undefined ? [] : [{ Sid: "BatchJobScripts", Effect: "Allow" as const, Action: "s3:PutObject", Resource: clusterArtifactsArn(ctx, cluster, version, "batch/*") }]),
            { Effect: "Allow", Action: "s3:GetObject", Resource: [s3Arn(ctx, `dcv-license.${r}/*`), s3Arn(ctx, `${r}-aws-parallelcluster/*`)] },
            {
                Effect: "Allow",
                Action: ["iam:PassRole"],
                Resource: pcPassRole,
                Condition: { StringEquals: { "iam:PassedToService": ["batch.amazonaws.com"] } },
            },
            {
                Effect: "Allow",
                Action: ["batch:DescribeJobQueues", "batch:DescribeJobs", "batch:ListJobs", "batch:DescribeComputeEnvironments"],
                Resource: "*",
            },
            {
                // The guide's grouping: each action over every resource (only the matching types take effect).
                Effect: "Allow",
                Action: ["batch:SubmitJob", "batch:TerminateJob", "logs:GetLogEvents", "ecs:ListContainerInstances", "ecs:DescribeContainerInstances"],
                Resource: [
                    regionalArn(ctx, "logs", "log-group:/aws/batch/job:log-stream:PclusterJobDefinition*"),
                    regionalArn(ctx, "ecs", "container-instance/AWSBatch-PclusterComputeEnviron*"),
                    regionalArn(ctx, "ecs", "cluster/AWSBatch-Pcluster*"),
                    regionalArn(ctx, "batch", "job-queue/PclusterJobQueue*"),
                    regionalArn(ctx, "batch", "job-definition/PclusterJobDefinition*:*"),
                    regionalArn(ctx, "batch", "job/*"),
                ],
            },
            { Effect: "Allow", Action: describeActions, Resource: "*" },
            tagAttach,
            {
                Effect: "Allow",
                Action: ["cloudformation:DescribeStackResource", "cloudformation:DescribeStacks", "cloudformation:SignalResource"],
                Resource: stack,
            },
        ];
    }
    if (secrets.length > 0) {
        statements.push({ Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: secrets.length === 1 ? secrets[0] : secrets });
    }
    statements.push(...featureStatements(ctx, scheduler, opts));
    if (scheduler === "slurm") {
        statements.push(...efsClientStatements(ctx, opts));
        const queues = validateConsoleOutputQueues(opts.consoleOutputQueues, cluster);
        if (queues.length > 0) {
            statements.push({
                Sid: "EC2GetComputeConsoleOutput",
                Effect: "Allow",
                Action: "ec2:GetConsoleOutput",
                Resource: regionalArn(ctx, "ec2", "instance/*"),
                Condition: {
                    StringEquals: {
                        "aws:ResourceTag/parallelcluster:queue-name": queues,
                        "aws:ResourceTag/parallelcluster:node-type": "Compute",
                        "aws:ResourceTag/parallelcluster:cluster-name": cluster as string,
                    },
                },
            });
        }
    } else if (opts.efsFileSystemIds?.length || opts.consoleOutputQueues?.length) {
        throw new Error(`scheduler: 'awsbatch' takes no efsFileSystemIds or consoleOutputQueues; ParallelCluster grants them to Slurm head nodes only`);
    }
    statements.push(...customCookbookStatements(ctx, opts));
    statements.push(...s3AccessStatements(ctx, opts.s3Access ?? [], "s3Access"));
    return { managedPolicyArns, inlinePolicy: policyDocument(statements) };
}

/** The head node's opt-in feature statements, in ParallelCluster's order, with its Sids (HeadNodeIamResources._build_policy). */
function featureStatements(ctx: PolicyContext, scheduler: Scheduler, opts: HeadNodeOptions): PolicyStatement[] {
    const out: PolicyStatement[] = [];
    if (opts.loginNodes !== undefined && typeof opts.loginNodes !== "boolean") throw new Error(`loginNodes: '${String(opts.loginNodes)}' is not a boolean; expected true or false`);
    const slurmOnly = { mungeKeySecretArn: opts.mungeKeySecretArn, slurmdbdPasswordSecretArn: opts.slurmdbdPasswordSecretArn, capacityReservationResourceGroupArns: opts.capacityReservationResourceGroupArns, loginNodes: opts.loginNodes || undefined };
    if (scheduler === "awsbatch") {
        const given = Object.entries(slurmOnly).filter(([, v]) => v !== undefined).map(([k]) => k);
        if (given.length > 0) throw new Error(`${given[0]}: set with scheduler 'awsbatch'; ParallelCluster uses it with Slurm only`);
    }
    if (opts.mungeKeySecretArn !== undefined) {
        out.push({ Sid: "SecretsManager", Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: validateArn(ctx, "mungeKeySecretArn", opts.mungeKeySecretArn, "secret") });
        // update_munge_key.sh waits for the login pools to stop (check_login_nodes_stopped.sh: elbv2 describe-target-groups,
        // describe-target-health); neither action takes a resource ARN.
        if (opts.loginNodes) {
            out.push({ Sid: "TargetGroupDescribe", Effect: "Allow", Action: ["elasticloadbalancing:DescribeTargetGroups", "elasticloadbalancing:DescribeTargetHealth"], Resource: "*" });
        }
    }
    const groups = validateResourceGroupArns(ctx, "capacityReservationResourceGroupArns", opts.capacityReservationResourceGroupArns);
    if (groups.length > 0) {
        out.push({ Sid: "AllowManagingReservedCapacity", Effect: "Allow", Action: "resource-groups:ListGroupResources", Resource: groups.length === 1 ? groups[0] : groups });
    }
    if (opts.directoryServicePasswordArn !== undefined) {
        const { arn: password, action } = validateDirectoryPasswordArn(ctx, "directoryServicePasswordArn", opts.directoryServicePasswordArn);
        out.push({ Sid: "AllowGettingDirectorySecretValue", Effect: "Allow", Action: action, Resource: password });
    }
    if (opts.slurmdbdPasswordSecretArn !== undefined) {
        out.push({ Sid: "AllowGettingSlurmDbSecretValue", Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: validateArn(ctx, "slurmdbdPasswordSecretArn", opts.slurmdbdPasswordSecretArn, "secret") });
    }
    return out;
}
