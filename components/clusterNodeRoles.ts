import * as pulumi from "@pulumi/pulumi";
import { stringify } from "yaml";
import { ContextArgs, Purpose, contextOutput, syncContext, SyncContext, templateContext, validateTags } from "./common";
import { NodeRole, createNodeRole, validateAdditionalPolicies, validateRolePlan, validateRoleSettings } from "./nodeCommon";
import { validateExtraPolicyArns } from "./policies/allowlist";
import { PolicyContext, validateArn } from "./policies/context";
import { assertInlinePoliciesSize } from "./policies/limits";
import { ComputeNodeOptions, computeNodePolicy } from "./policies/computeNode";
import { HeadNodeOptions, Scheduler, headNodePolicy } from "./policies/headNode";
import { lambdaFunctionsPolicy } from "./policies/lambdaFunctions";
import { LoginNodeOptions, loginNodePolicy, validatePoolName } from "./policies/loginNode";
import { RolePolicySet } from "./policies/types";
import { S3AccessEntry, s3AccessStatements } from "./policies/s3Access";
import { ec2TrustPolicy, lambdaTrustPolicy } from "./policies/trust";
import { validateParallelClusterVersion } from "./policies/version";

/** One Slurm queue's compute-node role. */
export interface QueueArgs {
    /** Queue name as in `SlurmQueues/Name`: a lowercase letter, then lowercase letters, digits and '-', at most 25 characters, not `default`. */
    readonly name: string;
    /** Managed policies for this queue's compute role (`SlurmQueues/Iam/AdditionalIamPolicies`), on the allow-list. */
    readonly additionalIamPolicies?: string[];
    /** S3 access for this queue's compute role (`SlurmQueues/Iam/S3Access`). */
    readonly s3Access?: S3AccessEntry[];
}

/** One login-node pool's role (`LoginNodes/Pools`, 3.7+; Slurm only). */
export interface LoginNodePoolArgs {
    /** Pool name as in `LoginNodes/Pools/Name`: a lowercase letter, then lowercase letters, digits and '-', at most 25 characters, not `default`. */
    readonly name: string;
    /** Managed policies for this pool's role (`LoginNodes/Pools/Iam/AdditionalIamPolicies`), on the allow-list. */
    readonly additionalIamPolicies?: string[];
    /**
     * S3 access for this pool's role, rendered like `HeadNode/Iam/S3Access`. ParallelCluster 3.12 has no S3Access for
     * pools (README D26); use it for login-node custom-action scripts on S3.
     */
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
    /** Login-node pools (Slurm only), each getting a role and instance profile. At most 10. */
    readonly loginNodePools?: LoginNodePoolArgs[];
    /** Secrets Manager secret ARNs the head node reads (`secretsmanager:GetSecretValue`), for secrets no option below names. */
    readonly secretArns?: string[];
    /**
     * `DirectoryService/PasswordSecretArn`: a Secrets Manager secret or a top-level SSM parameter ARN. The head node
     * reads it (`secretsmanager:GetSecretValue` or `ssm:GetParameter`), nothing else. Default: none.
     */
    readonly directoryServicePasswordArn?: string;
    /** Slurm only. `Scheduling/SlurmSettings/MungeKeySecretArn`: the head node reads the secret (and, with login pools, describes target groups). */
    readonly mungeKeySecretArn?: string;
    /** Slurm only. `Scheduling/SlurmSettings/Database/PasswordSecretArn` (Slurm accounting): the head node reads the secret. */
    readonly slurmdbdPasswordSecretArn?: string;
    /** Slurm only. Every `CapacityReservationResourceGroupArn` of the queues: the head node lists the groups' resources. */
    readonly capacityReservationResourceGroupArns?: string[];
    /** Slurm only. EFS file systems (`fs-…`) with `EfsSettings/IamAuthorization: true`: the head, compute and login nodes mount them with their roles. */
    readonly efsFileSystemIds?: string[];
    /**
     * Slurm only. clustermgtd collects failed compute nodes' console output (`ec2:GetConsoleOutput` on the cluster's
     * compute instances of its queues). Default: `cloudWatchLogs`, as ParallelCluster grants it.
     */
    readonly consoleOutput?: boolean;
    /** `DevSettings/Cookbook/ChefCookbook` when it is `s3://bucket/key`: every node reads that object and the bucket's location. */
    readonly customCookbookS3Url?: string;
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
const MAX_QUEUES = 50;
/** "Allow up to 10 login node pools" (CHANGELOG 3.11.0, aws/aws-parallelcluster#6389); the CLI's schema does not count them. */
export const MAX_LOGIN_NODE_POOLS = 10;
const SCHEDULERS: readonly Scheduler[] = ["slurm", "awsbatch"];

function validateS3Access(field: string, v: PolicyContext, entries: readonly S3AccessEntry[] | undefined): void {
    if (entries === undefined) return;
    if (!Array.isArray(entries)) throw new Error(`${field}: '${JSON.stringify(entries)}' is not a list; expected [{ bucketName, keyName?, enableWriteAccess? }]`);
    s3AccessStatements(v, entries, field); // validates bucket and key names
}

function validateNamedList<T extends { name: string }>(field: string, items: unknown, what: "queue" | "pool", max: number): T[] {
    const list = (items ?? []) as T[];
    if (!Array.isArray(list)) throw new Error(`${field}: '${JSON.stringify(items)}' is not a list of { name, ... }`);
    if (list.length > max) throw new Error(`${field}: ${list.length} ${what}s given; ParallelCluster allows at most ${max}`);
    const seen = new Set<string>();
    list.forEach((x, i) => {
        validatePoolName(`${field}[${i}].name`, (x as { name?: unknown } | null)?.name, what);
        if (seen.has(x.name)) throw new Error(`${field}[${i}].name: '${x.name}' appears more than once; ${what} names must be unique`);
        seen.add(x.name);
    });
    return list;
}

/** One role the component creates: what validation checks and construction registers (one plan for both). */
export interface NodeRolePlan {
    /** Field named by name and quota errors. */
    readonly field: string;
    /** Field named by size errors. */
    readonly sizeField: string;
    readonly logicalName: string;
    readonly physicalName?: string;
    readonly purpose: Purpose;
    readonly labels: { cluster?: string; queue?: string; pool?: string; scheduler?: string };
    readonly trust: "ec2" | "lambda";
    readonly build: (c: PolicyContext) => RolePolicySet;
    readonly additionalPolicyArns: string[];
    readonly inlinePolicyName: string;
    readonly instanceProfile: boolean;
    readonly description: string;
}

/** The roles for these args, in registration order: compute per queue, login per pool, head node, Lambda functions. */
export function planClusterNodeRoles(name: string, args: ClusterNodeRolesArgs): NodeRolePlan[] {
    const scheduler = args.scheduler ?? "slurm";
    const cluster = args.clusterName;
    const compute = (args.queues ?? []).map((q, i): NodeRolePlan => ({
        field: `queues[${i}].name`,
        sizeField: `queues[${i}]`,
        logicalName: `${name}-compute-${q.name}`,
        physicalName: physical(args, `compute-${q.name}`),
        purpose: "compute-node",
        labels: { cluster, queue: q.name },
        trust: "ec2",
        build: (c) => computeNodePolicy(c, computeNodeOptions(args, q)),
        additionalPolicyArns: q.additionalIamPolicies ?? [],
        inlinePolicyName: "parallelcluster-compute-node",
        instanceProfile: true,
        description: `ParallelCluster compute nodes of cluster ${cluster}, queue ${q.name}`,
    }));
    const login = (args.loginNodePools ?? []).map((p, i): NodeRolePlan => ({
        field: `loginNodePools[${i}].name`,
        sizeField: `loginNodePools[${i}]`,
        logicalName: `${name}-login-${p.name}`,
        physicalName: physical(args, `login-${p.name}`),
        purpose: "login-node",
        labels: { cluster, pool: p.name },
        trust: "ec2",
        build: (c) => loginNodePolicy(c, loginNodeOptions(args, p)),
        additionalPolicyArns: p.additionalIamPolicies ?? [],
        inlinePolicyName: "parallelcluster-login-node",
        instanceProfile: true,
        description: `ParallelCluster login nodes of cluster ${cluster}, pool ${p.name}`,
    }));
    const head: NodeRolePlan = {
        field: "clusterName",
        sizeField: "clusterName",
        logicalName: `${name}-head-node`,
        physicalName: physical(args, "head-node"),
        purpose: "head-node",
        labels: { cluster, scheduler },
        trust: "ec2",
        build: (c) => headNodePolicy(c, headNodeOptions(args)),
        additionalPolicyArns: args.additionalIamPolicies ?? [],
        inlinePolicyName: "parallelcluster-head-node",
        instanceProfile: true,
        description: `ParallelCluster head node of cluster ${cluster} (${scheduler})`,
    };
    const lambda: NodeRolePlan = {
        field: "clusterName",
        sizeField: "clusterName",
        logicalName: `${name}-lambda-functions`,
        physicalName: physical(args, "lambda"),
        purpose: "lambda-functions",
        labels: { cluster, scheduler },
        trust: "lambda",
        build: (c) => lambdaFunctionsPolicy(c, { vpc: args.lambdaFunctionsInVpc, scheduler }),
        additionalPolicyArns: [],
        inlinePolicyName: "parallelcluster-lambda-functions",
        instanceProfile: false,
        description: `ParallelCluster Lambda functions of cluster ${cluster}`,
    };
    return [...compute, ...login, head, lambda];
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
    const queues = validateNamedList<QueueArgs>("queues", args.queues, "queue", MAX_QUEUES);
    if (scheduler === "awsbatch" && queues.length > 0) {
        throw new Error(`queues: '${queues.map((q) => q?.name).join(",")}' given with scheduler 'awsbatch'; AWS Batch compute roles are created by ParallelCluster, so queues are for 'slurm' only`);
    }
    if (scheduler === "slurm" && queues.length === 0) throw new Error(`queues: '[]' is empty; a Slurm cluster needs at least one queue`);
    queues.forEach((q, i) => {
        validateAdditionalPolicies(`queues[${i}].additionalIamPolicies`, q.additionalIamPolicies, v, allow);
        validateS3Access(`queues[${i}].s3Access`, v, q.s3Access);
    });
    const pools = validateNamedList<LoginNodePoolArgs>("loginNodePools", args.loginNodePools, "pool", MAX_LOGIN_NODE_POOLS);
    if (scheduler === "awsbatch" && pools.length > 0) {
        throw new Error(`loginNodePools: '${pools.map((p) => p.name).join(",")}' given with scheduler 'awsbatch'; login nodes need Slurm (ParallelCluster's LoginNodesSchedulerValidator)`);
    }
    pools.forEach((p, i) => {
        validateAdditionalPolicies(`loginNodePools[${i}].additionalIamPolicies`, p.additionalIamPolicies, v, allow);
        validateS3Access(`loginNodePools[${i}].s3Access`, v, p.s3Access);
    });
    if (scheduler === "awsbatch") {
        for (const k of ["mungeKeySecretArn", "slurmdbdPasswordSecretArn", "capacityReservationResourceGroupArns", "efsFileSystemIds", "consoleOutput"] as const) {
            const value = args[k];
            if (value !== undefined) throw new Error(`${k}: '${typeof value === "string" ? value : JSON.stringify(value)}' set with scheduler 'awsbatch'; ParallelCluster uses it with Slurm only`);
        }
    }
    for (const k of ["consoleOutput", "cloudWatchLogs", "lambdaFunctionsInVpc"] as const) {
        if (args[k] !== undefined && typeof args[k] !== "boolean") throw new Error(`${k}: '${String(args[k])}' is not a boolean; expected true or false`);
    }
    validateTags("tags", args.tags);
    // Build every document once now (the real account only changes digits), so builder errors, IAM's inline size
    // limit, role names and managed-policy quotas surface before anything is registered.
    for (const plan of planClusterNodeRoles(name, args)) {
        const set = plan.build(v);
        assertInlinePoliciesSize(plan.sizeField, [set.inlinePolicy]);
        validateRolePlan(plan.field, plan.logicalName, plan.physicalName, set.managedPolicyArns.length + plan.additionalPolicyArns.length);
    }
    return sync;
}

/** The head-node builder's options for these args. */
export function headNodeOptions(args: ClusterNodeRolesArgs): HeadNodeOptions {
    const scheduler = args.scheduler ?? "slurm";
    const cloudWatchLogs = args.cloudWatchLogs ?? true;
    const consoleOutput = scheduler === "slurm" && (args.consoleOutput ?? cloudWatchLogs);
    return {
        scheduler,
        clusterName: args.clusterName,
        parallelClusterVersion: args.parallelClusterVersion,
        secretArns: args.secretArns,
        s3Access: args.s3Access,
        cloudWatchLogs,
        efsFileSystemIds: args.efsFileSystemIds,
        consoleOutputQueues: consoleOutput ? (args.queues ?? []).map((q) => q.name) : undefined,
        directoryServicePasswordArn: args.directoryServicePasswordArn,
        mungeKeySecretArn: args.mungeKeySecretArn,
        loginNodes: (args.loginNodePools?.length ?? 0) > 0 ? true : undefined,
        slurmdbdPasswordSecretArn: args.slurmdbdPasswordSecretArn,
        capacityReservationResourceGroupArns: args.capacityReservationResourceGroupArns,
        customCookbookS3Url: args.customCookbookS3Url,
    };
}

/** A queue's compute-node builder options for these args. */
export function computeNodeOptions(args: ClusterNodeRolesArgs, q: QueueArgs): ComputeNodeOptions {
    return {
        clusterName: args.clusterName,
        s3Access: q.s3Access,
        cloudWatchLogs: args.cloudWatchLogs ?? true,
        efsFileSystemIds: args.efsFileSystemIds,
        customCookbookS3Url: args.customCookbookS3Url,
    };
}

/** A login pool's builder options for these args. */
export function loginNodeOptions(args: ClusterNodeRolesArgs, p: LoginNodePoolArgs): LoginNodeOptions {
    return {
        clusterName: args.clusterName,
        poolName: p.name,
        s3Access: p.s3Access,
        cloudWatchLogs: args.cloudWatchLogs ?? true,
        efsFileSystemIds: args.efsFileSystemIds,
        customCookbookS3Url: args.customCookbookS3Url,
    };
}

function physical(args: ClusterNodeRolesArgs, suffix: string): string | undefined {
    return args.namePrefix === undefined ? undefined : `${args.namePrefix}-${args.clusterName}-${suffix}`;
}

/** The `Iam` fragments of a ParallelCluster 3 cluster configuration. */
export interface ClusterIamConfig {
    HeadNode: { Iam: { InstanceProfile: string } };
    Scheduling?: { SlurmQueues: Array<{ Name: string; Iam: { InstanceProfile: string } }> };
    LoginNodes?: { Pools: Array<{ Name: string; Iam: { InstanceProfile: string } }> };
    Iam: { Roles: { LambdaFunctionsRole: string }; PermissionsBoundary?: string };
}

/**
 * Pre-created roles and instance profiles for one cluster: the head node (Slurm or AWS Batch), a compute
 * role per Slurm queue, a role per login-node pool, and the Lambda functions role; plus the cluster-configuration
 * fragments that use them.
 */
export class ClusterNodeRoles extends pulumi.ComponentResource {
    public readonly headNodeRoleArn: pulumi.Output<string>;
    public readonly headNodeInstanceProfileArn: pulumi.Output<string>;
    /** Compute-node instance profile ARN by queue name. */
    public readonly computeInstanceProfileArns: pulumi.Output<Record<string, string>>;
    /** Compute-node role ARN by queue name. */
    public readonly computeRoleArns: pulumi.Output<Record<string, string>>;
    /** Login-node instance profile ARN by pool name ({} without pools). */
    public readonly loginNodeInstanceProfileArns: pulumi.Output<Record<string, string>>;
    /** Login-node role ARN by pool name ({} without pools). */
    public readonly loginNodeRoleArns: pulumi.Output<Record<string, string>>;
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
        const queues = args.queues ?? [];
        const pools = args.loginNodePools ?? [];
        const trust = {
            ec2: ctx.apply((c) => JSON.stringify(ec2TrustPolicy(c))),
            lambda: ctx.apply((c) => JSON.stringify(lambdaTrustPolicy(c))),
        };
        const roles = new Map<string, NodeRole>();
        for (const plan of planClusterNodeRoles(name, args)) {
            roles.set(plan.logicalName, createNodeRole(
                {
                    logicalName: plan.logicalName,
                    physicalName: plan.physicalName,
                    purpose: plan.purpose,
                    labels: plan.labels,
                    trust: trust[plan.trust],
                    policies: ctx.apply(plan.build),
                    managedPolicyArns: plan.build(tctx).managedPolicyArns,
                    additionalPolicyArns: plan.additionalPolicyArns,
                    inlinePolicyName: plan.inlinePolicyName,
                    instanceProfile: plan.instanceProfile,
                    description: plan.description,
                },
                path,
                args.permissionsBoundaryArn,
                userTags,
                this,
                ctx,
            ));
        }
        const role = (logicalName: string): NodeRole => roles.get(logicalName)!;
        const head = role(`${name}-head-node`);
        const lambda = role(`${name}-lambda-functions`);
        const byName = (items: readonly { name: string }[], prefix: string, pick: (r: NodeRole) => pulumi.Output<string>) =>
            pulumi.all(Object.fromEntries(items.map((x) => [x.name, pick(role(`${name}-${prefix}-${x.name}`))]))) as pulumi.Output<Record<string, string>>;
        this.headNodeRoleArn = head.role.arn;
        this.headNodeInstanceProfileArn = head.instanceProfile!.arn;
        this.computeInstanceProfileArns = byName(queues, "compute", (r) => r.instanceProfile!.arn);
        this.computeRoleArns = byName(queues, "compute", (r) => r.role.arn);
        this.loginNodeInstanceProfileArns = byName(pools, "login", (r) => r.instanceProfile!.arn);
        this.loginNodeRoleArns = byName(pools, "login", (r) => r.role.arn);
        this.lambdaFunctionsRoleArn = lambda.role.arn;
        this.roleArns = pulumi.all([
            head.role.arn,
            lambda.role.arn,
            ...queues.map((q) => role(`${name}-compute-${q.name}`).role.arn),
            ...pools.map((p) => role(`${name}-login-${p.name}`).role.arn),
        ]);
        this.clusterConfig = pulumi
            .all([this.headNodeInstanceProfileArn, this.computeInstanceProfileArns, this.loginNodeInstanceProfileArns, this.lambdaFunctionsRoleArn, args.permissionsBoundaryArn])
            .apply(([headProfile, computeProfiles, loginProfiles, lambdaRole, boundary]) => {
                // Key order follows a cluster configuration file: HeadNode, Scheduling, LoginNodes, Iam.
                const iam: ClusterIamConfig["Iam"] = { Roles: { LambdaFunctionsRole: lambdaRole } };
                if (boundary !== undefined) iam.PermissionsBoundary = boundary;
                const config: ClusterIamConfig = { HeadNode: { Iam: { InstanceProfile: headProfile } } } as ClusterIamConfig;
                if (scheduler === "slurm") {
                    config.Scheduling = { SlurmQueues: queues.map((q) => ({ Name: q.name, Iam: { InstanceProfile: computeProfiles[q.name] } })) };
                }
                if (pools.length > 0) {
                    config.LoginNodes = { Pools: pools.map((p) => ({ Name: p.name, Iam: { InstanceProfile: loginProfiles[p.name] } })) };
                }
                config.Iam = iam;
                return config;
            });
        this.clusterConfigYaml = this.clusterConfig.apply((c) => stringify(c));
        this.registerOutputs({
            headNodeRoleArn: this.headNodeRoleArn,
            headNodeInstanceProfileArn: this.headNodeInstanceProfileArn,
            computeInstanceProfileArns: this.computeInstanceProfileArns,
            computeRoleArns: this.computeRoleArns,
            loginNodeInstanceProfileArns: this.loginNodeInstanceProfileArns,
            loginNodeRoleArns: this.loginNodeRoleArns,
            lambdaFunctionsRoleArn: this.lambdaFunctionsRoleArn,
            roleArns: this.roleArns,
            clusterConfig: this.clusterConfig,
            clusterConfigYaml: this.clusterConfigYaml,
        });
    }
}
