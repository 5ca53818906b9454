import * as pulumi from "@pulumi/pulumi";
import { stringify } from "yaml";
import { ContextArgs, contextOutput, syncContext, SyncContext, templateContext, validateTags } from "./common";
import { NodeRole, createNodeRole, validateAdditionalPolicies, validateRolePlan, validateRoleSettings } from "./nodeCommon";
import { validateExtraPolicyArns } from "./policies/allowlist";
import { PolicyContext, validateArn } from "./policies/context";
import { assertInlinePoliciesSize } from "./policies/limits";
import { ComputeNodeOptions, computeNodePolicy } from "./policies/computeNode";
import { HeadNodeOptions, Scheduler, headNodePolicy } from "./policies/headNode";
import { lambdaFunctionsPolicy } from "./policies/lambdaFunctions";
import { S3AccessEntry, s3AccessStatements } from "./policies/s3Access";
import { ec2TrustPolicy, lambdaTrustPolicy } from "./policies/trust";
import { validateParallelClusterVersion } from "./policies/version";

/** One Slurm queue's compute-node role. */
export interface QueueArgs {
    /** Queue name as in `SlurmQueues/Name`: a lowercase letter, then lowercase letters, digits and '-', at most 25 characters. */
    readonly name: string;
    /** Managed policies for this queue's compute role (`SlurmQueues/Iam/AdditionalIamPolicies`), on the allow-list. */
    readonly additionalIamPolicies?: string[];
    /** S3 access for this queue's compute role (`SlurmQueues/Iam/S3Access`). */
    readonly s3Access?: S3AccessEntry[];
}

export interface ClusterNodeRolesArgs extends ContextArgs {
    /** Cluster name as ParallelCluster accepts it: a letter, then letters, digits and '-', at most 60 characters. */
    readonly clusterName: string;
    /** `slurm` (default) or `awsbatch`. */
    readonly scheduler?: Scheduler;
    /** The ParallelCluster release the cluster runs (`SUPPORTED_PARALLELCLUSTER_VERSIONS`). Default "3.12". */
    readonly parallelClusterVersion?: string;
    /** Slurm queues, each getting a compute-node role and instance profile. At least one for Slurm; none for AWS Batch. */
    readonly queues?: QueueArgs[];
    /** Secrets Manager secret ARNs the head node reads (`secretsmanager:GetSecretValue`), e.g. the DirectoryService password. */
    readonly secretArns?: string[];
    /** S3 access for the head node (`HeadNode/Iam/S3Access`). */
    readonly s3Access?: S3AccessEntry[];
    /** Managed policies for the head node role (`HeadNode/Iam/AdditionalIamPolicies`), on the allow-list. */
    readonly additionalIamPolicies?: string[];
    /** Extra managed policy ARNs accepted in `additionalIamPolicies` beyond the allow-list. */
    readonly extraAllowedPolicyArns?: string[];
    /** CloudWatch logging (`Monitoring/Logs/CloudWatch/Enabled`). Default true. */
    readonly cloudWatchLogs?: boolean;
    /** The cluster's Lambda functions run in a VPC: attach `service-role/AWSLambdaVPCAccessExecutionRole`. Default false. */
    readonly lambdaFunctionsInVpc?: boolean;
    /** Permissions boundary policy ARN applied to every role created. */
    readonly permissionsBoundaryArn?: pulumi.Input<string>;
    /** IAM path of roles and profiles: `/parallelcluster/` (default) or `/parallelcluster/<something>/`. */
    readonly iamPath?: string;
    /** Physical-name prefix: roles and profiles are named `<prefix>-<cluster>-head-node` etc. Default: autonamed. */
    readonly namePrefix?: string;
    /** Tags for every role and instance profile. */
    readonly tags?: Record<string, string>;
}

const CLUSTER_RE = /^[a-zA-Z][a-zA-Z0-9-]{0,59}$/;
const QUEUE_RE = /^[a-z][a-z0-9-]{0,24}$/;
const MAX_QUEUES = 50;
const SCHEDULERS: readonly Scheduler[] = ["slurm", "awsbatch"];

function validateS3Access(field: string, v: PolicyContext, entries: readonly S3AccessEntry[] | undefined): void {
    if (entries === undefined) return;
    if (!Array.isArray(entries)) throw new Error(`${field}: '${JSON.stringify(entries)}' is not a list; expected [{ bucketName, keyName?, enableWriteAccess? }]`);
    s3AccessStatements(v, entries, field); // validates bucket and key names
}

/** Validates the args; returns the synchronous context. Throws naming the field, value and what is allowed. */
export function validateClusterNodeRolesArgs(name: string, args: ClusterNodeRolesArgs): SyncContext {
    if (!args || typeof args.clusterName !== "string" || !CLUSTER_RE.test(args.clusterName)) {
        throw new Error(`clusterName: '${String(args?.clusterName)}' is not a valid cluster name; expected a letter, then letters, digits and '-', at most 60 characters`);
    }
    const scheduler = args.scheduler ?? "slurm";
    if (!SCHEDULERS.includes(scheduler)) throw new Error(`scheduler: '${String(scheduler)}' is not supported; allowed: ${SCHEDULERS.join(", ")}`);
    validateParallelClusterVersion(args.parallelClusterVersion);
    const sync = syncContext(args);
    const v = templateContext(sync);
    validateRoleSettings(v, args);
    const allow = { extraPolicyArns: args.extraAllowedPolicyArns, lambdaVpcAccess: args.lambdaFunctionsInVpc };
    validateExtraPolicyArns(v, "extraAllowedPolicyArns", args.extraAllowedPolicyArns);
    validateAdditionalPolicies("additionalIamPolicies", args.additionalIamPolicies, v, allow);
    (args.secretArns ?? []).forEach((s, i) => validateArn(v, `secretArns[${i}]`, s, "secret"));
    validateS3Access("s3Access", v, args.s3Access);
    const queues = args.queues ?? [];
    if (!Array.isArray(queues)) throw new Error(`queues: '${JSON.stringify(queues)}' is not a list of { name, ... }`);
    if (scheduler === "awsbatch" && queues.length > 0) {
        throw new Error(`queues: '${queues.map((q) => q?.name).join(",")}' given with scheduler 'awsbatch'; AWS Batch compute roles are created by ParallelCluster, so queues are for 'slurm' only`);
    }
    if (scheduler === "slurm" && queues.length === 0) throw new Error(`queues: '[]' is empty; a Slurm cluster needs at least one queue`);
    if (queues.length > MAX_QUEUES) throw new Error(`queues: ${queues.length} queues given; ParallelCluster allows at most ${MAX_QUEUES}`);
    const seen = new Set<string>();
    queues.forEach((q, i) => {
        if (!q || typeof q.name !== "string" || !QUEUE_RE.test(q.name)) {
            throw new Error(`queues[${i}].name: '${String(q?.name)}' is not a valid queue name; expected a lowercase letter, then lowercase letters, digits and '-', at most 25 characters`);
        }
        if (seen.has(q.name)) throw new Error(`queues[${i}].name: '${q.name}' appears more than once; queue names must be unique`);
        seen.add(q.name);
        validateAdditionalPolicies(`queues[${i}].additionalIamPolicies`, q.additionalIamPolicies, v, allow);
        validateS3Access(`queues[${i}].s3Access`, v, q.s3Access);
    });
    validateTags("tags", args.tags);
    // Build every document once now (the real account only changes digits), so builder errors and IAM's inline
    // size limit surface before anything is registered.
    assertInlinePoliciesSize("clusterName", [headNodePolicy(v, headNodeOptions(args)).inlinePolicy]);
    assertInlinePoliciesSize("clusterName", [lambdaFunctionsPolicy(v, { vpc: args.lambdaFunctionsInVpc, scheduler }).inlinePolicy]);
    queues.forEach((q, i) => assertInlinePoliciesSize(`queues[${i}]`, [computeNodePolicy(v, computeNodeOptions(args, q)).inlinePolicy]));
    const managedHead = 2 + (args.additionalIamPolicies?.length ?? 0);
    validateRolePlan("clusterName", `${name}-head-node`, physical(args, "head-node"), managedHead);
    validateRolePlan("clusterName", `${name}-lambda-functions`, physical(args, "lambda"), 1 + (args.lambdaFunctionsInVpc ? 1 : 0));
    queues.forEach((q, i) => validateRolePlan(`queues[${i}].name`, `${name}-compute-${q.name}`, physical(args, `compute-${q.name}`), 2 + (q.additionalIamPolicies?.length ?? 0)));
    return sync;
}

/** The head-node builder's options for these args. */
export function headNodeOptions(args: ClusterNodeRolesArgs): HeadNodeOptions {
    return {
        scheduler: args.scheduler ?? "slurm",
        clusterName: args.clusterName,
        parallelClusterVersion: args.parallelClusterVersion,
        secretArns: args.secretArns,
        s3Access: args.s3Access,
        cloudWatchLogs: args.cloudWatchLogs ?? true,
    };
}

/** A queue's compute-node builder options for these args. */
export function computeNodeOptions(args: ClusterNodeRolesArgs, q: QueueArgs): ComputeNodeOptions {
    return { clusterName: args.clusterName, s3Access: q.s3Access, cloudWatchLogs: args.cloudWatchLogs ?? true };
}

function physical(args: ClusterNodeRolesArgs, suffix: string): string | undefined {
    return args.namePrefix === undefined ? undefined : `${args.namePrefix}-${args.clusterName}-${suffix}`;
}

/** The `Iam` fragments of a ParallelCluster 3 cluster configuration. */
export interface ClusterIamConfig {
    HeadNode: { Iam: { InstanceProfile: string } };
    Scheduling?: { SlurmQueues: Array<{ Name: string; Iam: { InstanceProfile: string } }> };
    Iam: { Roles: { LambdaFunctionsRole: string }; PermissionsBoundary?: string };
}

/**
 * Pre-created roles and instance profiles for one cluster: the head node (Slurm or AWS Batch), a compute
 * role per Slurm queue, and the Lambda functions role; plus the cluster-configuration fragments that use them.
 */
export class ClusterNodeRoles extends pulumi.ComponentResource {
    public readonly headNodeRoleArn: pulumi.Output<string>;
    public readonly headNodeInstanceProfileArn: pulumi.Output<string>;
    /** Compute-node instance profile ARN by queue name. */
    public readonly computeInstanceProfileArns: pulumi.Output<Record<string, string>>;
    /** Compute-node role ARN by queue name. */
    public readonly computeRoleArns: pulumi.Output<Record<string, string>>;
    public readonly lambdaFunctionsRoleArn: pulumi.Output<string>;
    /** Every role ARN created, for a restricted-mode user's `passRoleArns`. */
    public readonly roleArns: pulumi.Output<string[]>;
    /** The `Iam` fragments of the cluster configuration, as an object. */
    public readonly clusterConfig: pulumi.Output<ClusterIamConfig>;
    /** The same fragments as YAML, ready to paste. */
    public readonly clusterConfigYaml: pulumi.Output<string>;

    constructor(name: string, args: ClusterNodeRolesArgs, opts?: pulumi.ComponentResourceOptions) {
        const sync = validateClusterNodeRolesArgs(name, args);
        super("parallelcluster-iam:index:ClusterNodeRoles", name, {}, opts);
        const ctx = contextOutput(sync, this);
        const tctx = templateContext(sync);
        const scheduler = args.scheduler ?? "slurm";
        const path = args.iamPath ?? "/parallelcluster/";
        const userTags = args.tags ?? {};
        const cluster = args.clusterName;
        const ec2Trust = ctx.apply((c) => JSON.stringify(ec2TrustPolicy(c)));
        const queues = args.queues ?? [];

        const computeRoles: Record<string, NodeRole> = {};
        for (const q of queues) {
            const build = (c: PolicyContext) => computeNodePolicy(c, computeNodeOptions(args, q));
            computeRoles[q.name] = createNodeRole(
                {
                    logicalName: `${name}-compute-${q.name}`,
                    physicalName: physical(args, `compute-${q.name}`),
                    purpose: "compute-node",
                    labels: { cluster, queue: q.name },
                    trust: ec2Trust,
                    policies: ctx.apply(build),
                    managedPolicyArns: build(tctx).managedPolicyArns,
                    additionalPolicyArns: q.additionalIamPolicies ?? [],
                    inlinePolicyName: "parallelcluster-compute-node",
                    instanceProfile: true,
                    description: `ParallelCluster compute nodes of cluster ${cluster}, queue ${q.name}`,
                },
                path,
                args.permissionsBoundaryArn,
                userTags,
                this,
            ctx,
            );
        }

        const headOpts = (c: PolicyContext) => headNodePolicy(c, headNodeOptions(args));
        const head = createNodeRole(
            {
                logicalName: `${name}-head-node`,
                physicalName: physical(args, "head-node"),
                purpose: "head-node",
                labels: { cluster, scheduler },
                trust: ec2Trust,
                policies: ctx.apply(headOpts),
                managedPolicyArns: headOpts(tctx).managedPolicyArns,
                additionalPolicyArns: args.additionalIamPolicies ?? [],
                inlinePolicyName: "parallelcluster-head-node",
                instanceProfile: true,
                description: `ParallelCluster head node of cluster ${cluster} (${scheduler})`,
            },
            path,
            args.permissionsBoundaryArn,
            userTags,
            this,
            ctx,
        );

        const lambdaOpts = (c: PolicyContext) => lambdaFunctionsPolicy(c, { vpc: args.lambdaFunctionsInVpc, scheduler });
        const lambda = createNodeRole(
            {
                logicalName: `${name}-lambda-functions`,
                physicalName: physical(args, "lambda"),
                purpose: "lambda-functions",
                labels: { cluster, scheduler },
                trust: ctx.apply((c) => JSON.stringify(lambdaTrustPolicy(c))),
                policies: ctx.apply(lambdaOpts),
                managedPolicyArns: lambdaOpts(tctx).managedPolicyArns,
                additionalPolicyArns: [],
                inlinePolicyName: "parallelcluster-lambda-functions",
                instanceProfile: false,
                description: `ParallelCluster Lambda functions of cluster ${cluster}`,
            },
            path,
            args.permissionsBoundaryArn,
            userTags,
            this,
            ctx,
        );

        const byQueue = (pick: (r: NodeRole) => pulumi.Output<string>) =>
            pulumi.all(Object.fromEntries(queues.map((q) => [q.name, pick(computeRoles[q.name])]))) as pulumi.Output<Record<string, string>>;
        this.headNodeRoleArn = head.role.arn;
        this.headNodeInstanceProfileArn = head.instanceProfile!.arn;
        this.computeInstanceProfileArns = byQueue((r) => r.instanceProfile!.arn);
        this.computeRoleArns = byQueue((r) => r.role.arn);
        this.lambdaFunctionsRoleArn = lambda.role.arn;
        this.roleArns = pulumi.all([head.role.arn, lambda.role.arn, ...queues.map((q) => computeRoles[q.name].role.arn)]);
        this.clusterConfig = pulumi
            .all([this.headNodeInstanceProfileArn, this.computeInstanceProfileArns, this.lambdaFunctionsRoleArn, args.permissionsBoundaryArn])
            .apply(([headProfile, computeProfiles, lambdaRole, boundary]) => {
                // Key order follows a cluster configuration file: HeadNode, Scheduling, Iam.
                const iam: ClusterIamConfig["Iam"] = { Roles: { LambdaFunctionsRole: lambdaRole } };
                if (boundary !== undefined) iam.PermissionsBoundary = boundary;
                const scheduling = scheduler === "slurm"
                    ? { SlurmQueues: queues.map((q) => ({ Name: q.name, Iam: { InstanceProfile: computeProfiles[q.name] } })) }
                    : undefined;
                return {
                    HeadNode: { Iam: { InstanceProfile: headProfile } },
                    ...(scheduling ? { Scheduling: scheduling } : {}),
                    Iam: iam,
                };
            });
        this.clusterConfigYaml = this.clusterConfig.apply((c) => stringify(c));
        this.registerOutputs({
            headNodeRoleArn: this.headNodeRoleArn,
            headNodeInstanceProfileArn: this.headNodeInstanceProfileArn,
            computeInstanceProfileArns: this.computeInstanceProfileArns,
            computeRoleArns: this.computeRoleArns,
            lambdaFunctionsRoleArn: this.lambdaFunctionsRoleArn,
            roleArns: this.roleArns,
            clusterConfig: this.clusterConfig,
            clusterConfigYaml: this.clusterConfigYaml,
        });
    }
}
