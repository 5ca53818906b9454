import * as pulumi from "@pulumi/pulumi";
import { stringify } from "yaml";
import * as aws from "@pulumi/aws";
import {
    ContextArgs, PolicyEntry, PolicyRef, Problems, Purpose, contextOutput, hasExplicitProvider, inputPropertiesError, knownNow, policyEntries,
    syncContext, SyncContext, templateContext, validateTags,
} from "./common";
import { INLINE_POLICY_NAMES, TYPE_TOKENS } from "./vocabulary";
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
    /** Managed policies for this queue's compute role (`SlurmQueues/Iam/AdditionalIamPolicies`), on the allow-list. Plain ARNs, or an AdditionalPolicy's `arn`; other Outputs go in `additionalIamPolicyRefs`. */
    readonly additionalIamPolicies?: pulumi.Input<string>[];
    /** More such policies as `{ id, arn }`: `arn` may be any Output, `id` names the attachment stably. */
    readonly additionalIamPolicyRefs?: PolicyRef[];
    /** S3 access for this queue's compute role (`SlurmQueues/Iam/S3Access`). */
    readonly s3Access?: S3AccessEntry[];
}

/** One login-node pool's role (`LoginNodes/Pools`, 3.7+; Slurm only). */
export interface LoginNodePoolArgs {
    /** Pool name as in `LoginNodes/Pools/Name`: a lowercase letter, then lowercase letters, digits and '-', at most 25 characters, not `default`. */
    readonly name: string;
    /** Managed policies for this pool's role (`LoginNodes/Pools/Iam/AdditionalIamPolicies`), on the allow-list. Plain ARNs, or an AdditionalPolicy's `arn`; other Outputs go in `additionalIamPolicyRefs`. */
    readonly additionalIamPolicies?: pulumi.Input<string>[];
    /** More such policies as `{ id, arn }`: `arn` may be any Output, `id` names the attachment stably. */
    readonly additionalIamPolicyRefs?: PolicyRef[];
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
    readonly scheduler?: string;
    /** The ParallelCluster release the cluster runs (`SUPPORTED_PARALLELCLUSTER_VERSIONS`). Default "3.12". */
    readonly parallelClusterVersion?: string;
    /** Slurm queues, each getting a compute-node role and instance profile. At least one for Slurm; none for AWS Batch. */
    readonly queues?: QueueArgs[];
    /** Login-node pools (Slurm only), each getting a role and instance profile. At most 10. */
    readonly loginNodePools?: LoginNodePoolArgs[];
    /** Secrets Manager secret ARNs the head node reads (`secretsmanager:GetSecretValue`), for secrets no option below names. */
    readonly secretArns?: pulumi.Input<string>[];
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
    /** Managed policies for the head node role (`HeadNode/Iam/AdditionalIamPolicies`), on the allow-list. Plain ARNs, or an AdditionalPolicy's `arn`; other Outputs go in `additionalIamPolicyRefs`. */
    readonly additionalIamPolicies?: pulumi.Input<string>[];
    /** More such policies as `{ id, arn }`: `arn` may be any Output, `id` names the attachment stably. */
    readonly additionalIamPolicyRefs?: PolicyRef[];
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
const SCHEDULERS: readonly string[] = ["slurm", "awsbatch"] satisfies Scheduler[];

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
    readonly additionalPolicies: PolicyEntry[];
    readonly inlinePolicyName: string;
    readonly instanceProfile: boolean;
    readonly description: string;
}

/** The roles for these args, in registration order: compute per queue, login per pool, head node, Lambda functions. */
export function planClusterNodeRoles(name: string, args: ClusterNodeRolesArgs, problems: Problems = new Problems()): NodeRolePlan[] {
    const entries = (field: string, x: { additionalIamPolicies?: pulumi.Input<string>[]; additionalIamPolicyRefs?: PolicyRef[] }) =>
        policyEntries(problems, `${field}additionalIamPolicies`, x.additionalIamPolicies, `${field}additionalIamPolicyRefs`, x.additionalIamPolicyRefs);
    const scheduler = (args.scheduler ?? "slurm") as Scheduler; // checked by validation
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
        additionalPolicies: entries(`queues[${i}].`, q),
        inlinePolicyName: INLINE_POLICY_NAMES["compute-node"],
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
        additionalPolicies: entries(`loginNodePools[${i}].`, p),
        inlinePolicyName: INLINE_POLICY_NAMES["login-node"],
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
        additionalPolicies: entries("", args),
        inlinePolicyName: INLINE_POLICY_NAMES["head-node"],
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
        additionalPolicies: [],
        inlinePolicyName: INLINE_POLICY_NAMES["lambda-functions"],
        instanceProfile: false,
        description: `ParallelCluster Lambda functions of cluster ${cluster}`,
    };
    return [...compute, ...login, head, lambda];
}

/** Field checks that need the context: plain values now, the values other resources give (`resolved`) in apply. */
function nodeProblems(p: Problems, args: ClusterNodeRolesArgs, v: PolicyContext, plans: NodeRolePlan[], resolved?: { secrets: string[]; policies: string[][] }): void {
    p.check(() => validateRoleSettings(v, args));
    const allow = { extraPolicyArns: args.extraAllowedPolicyArns, lambdaVpcAccess: args.lambdaFunctionsInVpc };
    p.check(() => validateExtraPolicyArns(v, "extraAllowedPolicyArns", args.extraAllowedPolicyArns));
    plans.forEach((plan, i) => validateAdditionalPolicies(p, plan.additionalPolicies, v, allow, resolved?.policies[i]));
    const secrets = resolved ? resolved.secrets : knownNow(args.secretArns) ?? [];
    secrets.forEach((s, i) => s !== undefined && p.check(() => validateArn(v, `secretArns[${i}]`, s, "secret")));
    p.check(() => validateS3Access("s3Access", v, args.s3Access));
    (Array.isArray(args.queues) ? args.queues : []).forEach((q, i) => p.check(() => validateS3Access(`queues[${i}].s3Access`, v, q?.s3Access)));
    (Array.isArray(args.loginNodePools) ? args.loginNodePools : []).forEach((x, i) => p.check(() => validateS3Access(`loginNodePools[${i}].s3Access`, v, x?.s3Access)));
}

/** Args with the values other resources give replaced (secrets: by stand-ins as long as a real secret ARN). */
function withSecrets(args: ClusterNodeRolesArgs, secrets: readonly (string | undefined)[] | undefined, v: PolicyContext): ClusterNodeRolesArgs {
    if (secrets === undefined) return args;
    const region = v.region === "*" ? { aws: "ap-southeast-1", "aws-cn": "cn-northwest-1", "aws-us-gov": "us-gov-west-1" }[v.partition] : v.region;
    return { ...args, secretArns: secrets.map((s, i) => s ?? `arn:${v.partition}:secretsmanager:${region}:${v.accountId}:secret:${i}-${"x".repeat(120)}`) };
}

/** Validates the args (every problem at once, as `pulumi.InputPropertiesError`); returns the synchronous context. */
export function validateClusterNodeRolesArgs(name: string, args: ClusterNodeRolesArgs, opts?: pulumi.ComponentResourceOptions): SyncContext {
    const p = new Problems();
    if (!args || typeof args.clusterName !== "string" || !CLUSTER_RE.test(args.clusterName)) {
        p.add("clusterName", `'${String(args?.clusterName)}' is not a valid cluster name; expected a letter, then letters, digits and '-', at most 60 characters`);
    }
    const scheduler = (args?.scheduler ?? "slurm") as Scheduler;
    if (!SCHEDULERS.includes(scheduler)) p.add("scheduler", `'${String(scheduler)}' is not supported; allowed: ${SCHEDULERS.join(", ")}`);
    p.check(() => validateParallelClusterVersion(args?.parallelClusterVersion));
    const sync = syncContext(args ?? ({} as ClusterNodeRolesArgs), p, hasExplicitProvider(opts));
    p.throwIfAny("ClusterNodeRoles", name);
    const v = templateContext(sync);
    const queues = p.check(() => validateNamedList<QueueArgs>("queues", args.queues, "queue", MAX_QUEUES)) ?? [];
    if (scheduler === "awsbatch" && queues.length > 0) {
        p.add("queues", `'${queues.map((q) => q?.name).join(",")}' given with scheduler 'awsbatch'; AWS Batch compute roles are created by ParallelCluster, so queues are for 'slurm' only`);
    }
    if (scheduler === "slurm" && Array.isArray(args.queues ?? []) && (args.queues ?? []).length === 0) p.add("queues", `'[]' is empty; a Slurm cluster needs at least one queue`);
    const pools = p.check(() => validateNamedList<LoginNodePoolArgs>("loginNodePools", args.loginNodePools, "pool", MAX_LOGIN_NODE_POOLS)) ?? [];
    if (scheduler === "awsbatch" && pools.length > 0) {
        p.add("loginNodePools", `'${pools.map((x) => x.name).join(",")}' given with scheduler 'awsbatch'; login nodes need Slurm (ParallelCluster's LoginNodesSchedulerValidator)`);
    }
    if (scheduler === "awsbatch") {
        for (const k of ["mungeKeySecretArn", "slurmdbdPasswordSecretArn", "capacityReservationResourceGroupArns", "efsFileSystemIds", "consoleOutput"] as const) {
            const value = args[k];
            if (value !== undefined) p.add(k, `'${typeof value === "string" ? value : JSON.stringify(value)}' set with scheduler 'awsbatch'; ParallelCluster uses it with Slurm only`);
        }
    }
    for (const k of ["consoleOutput", "cloudWatchLogs", "lambdaFunctionsInVpc"] as const) {
        if (args[k] !== undefined && typeof args[k] !== "boolean") p.add(k, `'${String(args[k])}' is not a boolean; expected true or false`);
    }
    p.check(() => validateTags("tags", args.tags));
    p.throwIfAny("ClusterNodeRoles", name);
    const plans = planClusterNodeRoles(name, args, p);
    nodeProblems(p, args, v, plans);
    p.throwIfAny("ClusterNodeRoles", name);
    // Build every document once now (the real account only changes digits), so builder errors, IAM's inline size
    // limit, role names and managed-policy quotas surface before anything is registered.
    const template = withSecrets(args, knownNow(args.secretArns), v);
    for (const plan of planClusterNodeRoles(name, template)) {
        const set = p.check(() => plan.build(v));
        if (!set) continue;
        p.check(() => assertInlinePoliciesSize(plan.sizeField, [set.inlinePolicy]));
        p.check(() => validateRolePlan(plan.field, plan.logicalName, plan.physicalName, set.managedPolicyArns.length + plan.additionalPolicies.length));
    }
    p.throwIfAny("ClusterNodeRoles", name);
    return sync;
}

/** The head-node builder's options for these args. */
export function headNodeOptions(args: ClusterNodeRolesArgs): HeadNodeOptions {
    const scheduler = (args.scheduler ?? "slurm") as Scheduler; // checked by validation
    const cloudWatchLogs = args.cloudWatchLogs ?? true;
    const consoleOutput = scheduler === "slurm" && (args.consoleOutput ?? cloudWatchLogs);
    return {
        scheduler,
        clusterName: args.clusterName,
        parallelClusterVersion: args.parallelClusterVersion,
        secretArns: args.secretArns as string[] | undefined,
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
    /** `HeadNode` of the cluster configuration. */
    HeadNode: NodeIamConfig;
    /** `Scheduling` (Slurm): the queues' instance profiles. */
    Scheduling?: SchedulingIamConfig;
    /** `LoginNodes`: the pools' instance profiles. */
    LoginNodes?: LoginNodesIamConfig;
    /** The cluster-level `Iam` section. */
    Iam: ClusterIamSection;
}

/** A node's `Iam` part. */
export interface NodeIamConfig {
    /** `Iam/InstanceProfile`. */
    Iam: InstanceProfileConfig;
}

/** `Iam` with a pre-created instance profile. */
export interface InstanceProfileConfig {
    /** The instance profile ARN. */
    InstanceProfile: string;
}

/** A named queue or pool with its `Iam` part. */
export interface NamedNodeIamConfig {
    /** The queue or pool name. */
    Name: string;
    /** `Iam/InstanceProfile`. */
    Iam: InstanceProfileConfig;
}

/** `Scheduling` with the Slurm queues. */
export interface SchedulingIamConfig {
    /** `SlurmQueues`, each with its compute instance profile. */
    SlurmQueues: NamedNodeIamConfig[];
}

/** `LoginNodes` with its pools. */
export interface LoginNodesIamConfig {
    /** `Pools`, each with its login-node instance profile. */
    Pools: NamedNodeIamConfig[];
}

/** The cluster-level `Iam` section. */
export interface ClusterIamSection {
    /** `Iam/Roles`. */
    Roles: ClusterIamRoles;
    /** `Iam/PermissionsBoundary`, when the roles are bound. */
    PermissionsBoundary?: string;
}

/** `Iam/Roles`. */
export interface ClusterIamRoles {
    /** The pre-created Lambda functions role ARN. */
    LambdaFunctionsRole: string;
}

/**
 * Pre-created roles and instance profiles for one cluster: the head node (Slurm or AWS Batch), a compute
 * role per Slurm queue, a role per login-node pool, and the Lambda functions role; plus the cluster-configuration
 * fragments that use them.
 */
export class ClusterNodeRoles extends pulumi.ComponentResource {
    /** The head node's role. */
    public readonly headNodeRole: aws.iam.Role;
    /** The head node's instance profile. */
    public readonly headNodeInstanceProfile: aws.iam.InstanceProfile;
    /** The Lambda functions role. */
    public readonly lambdaFunctionsRole: aws.iam.Role;
    /** Compute-node roles and profiles by queue name. */
    public readonly computeRoles: Record<string, aws.iam.Role>;
    /** Compute-node instance profiles by queue name. */
    public readonly computeInstanceProfiles: Record<string, aws.iam.InstanceProfile>;
    /** Login-node roles and profiles by pool name. */
    public readonly loginNodeRoles: Record<string, aws.iam.Role>;
    /** Login-node instance profiles by pool name. */
    public readonly loginNodeInstanceProfiles: Record<string, aws.iam.InstanceProfile>;
    /** ARNs below resolve once each role's inline policy and attachments exist. */
    public readonly headNodeRoleArn: pulumi.Output<string>;
    /** ARN of the head node's instance profile (`HeadNode/Iam/InstanceProfile`), once its role's policies exist. */
    public readonly headNodeInstanceProfileArn: pulumi.Output<string>;
    /** Compute-node instance profile ARN by queue name. */
    public readonly computeInstanceProfileArns: pulumi.Output<Record<string, string>>;
    /** Compute-node role ARN by queue name. */
    public readonly computeRoleArns: pulumi.Output<Record<string, string>>;
    /** Login-node instance profile ARN by pool name ({} without pools). */
    public readonly loginNodeInstanceProfileArns: pulumi.Output<Record<string, string>>;
    /** Login-node role ARN by pool name ({} without pools). */
    public readonly loginNodeRoleArns: pulumi.Output<Record<string, string>>;
    /** ARN of the Lambda functions role (`Iam/Roles/LambdaFunctionsRole`), once its policies exist. */
    public readonly lambdaFunctionsRoleArn: pulumi.Output<string>;
    /** Every role ARN created (head, Lambda, compute by queue, login by pool), ready for a restricted-mode user: `passRoleArns: [...nodes.roleArns]`. */
    public readonly roleArns: pulumi.Output<string>[];
    /** The `Iam` fragments of the cluster configuration, as an object. */
    public readonly clusterConfig: pulumi.Output<ClusterIamConfig>;
    /** The same fragments as YAML, ready to paste. */
    public readonly clusterConfigYaml: pulumi.Output<string>;

    constructor(name: string, args: ClusterNodeRolesArgs, opts?: pulumi.ComponentResourceOptions) {
        const sync = validateClusterNodeRolesArgs(name, args, opts);
        super(TYPE_TOKENS.ClusterNodeRoles, name, {}, opts);
        const scheduler = (args.scheduler ?? "slurm") as Scheduler; // checked by validation
        const path = args.iamPath ?? "/parallelcluster/";
        const userTags = args.tags ?? {};
        const queues = args.queues ?? [];
        const pools = args.loginNodePools ?? [];
        const tctx = templateContext(sync);
        const plans = planClusterNodeRoles(name, withSecrets(args, knownNow(args.secretArns), tctx));
        // Every check again with the real context and the values other resources give; children wait for it.
        const checked = pulumi
            .all([contextOutput("ClusterNodeRoles", name, sync, this), pulumi.all(args.secretArns ?? []), pulumi.all(plans.map((x) => pulumi.all(x.additionalPolicies.map((e) => e.arn))))])
            .apply(([c, secrets, policies]) => {
                const p = new Problems();
                nodeProblems(p, args, c, plans, { secrets: secrets as string[], policies: policies as string[][] });
                const real = withSecrets(args, secrets as string[], c);
                const sets = planClusterNodeRoles(name, real).map((plan) => {
                    const set = p.check(() => plan.build(c));
                    if (set) p.check(() => assertInlinePoliciesSize(plan.sizeField, [set.inlinePolicy]));
                    return set!;
                });
                if (!p.empty) throw inputPropertiesError("ClusterNodeRoles", name, p.list);
                return { c, sets, real };
            });
        const ctx = checked.apply((x) => x.c);
        const trust = {
            ec2: ctx.apply((c) => JSON.stringify(ec2TrustPolicy(c))),
            lambda: ctx.apply((c) => JSON.stringify(lambdaTrustPolicy(c))),
        };
        const roles = new Map<string, NodeRole>();
        // A Slurm head node passes exactly the compute roles created here (D29); they are created first.
        const headPolicies = (i: number): pulumi.Output<RolePolicySet> => {
            const computeArns = queues.map((q) => roles.get(`${name}-compute-${q.name}`)!.role.arn);
            if (scheduler !== "slurm" || computeArns.length === 0) return checked.apply((x) => x.sets[i]);
            return pulumi.all([checked, pulumi.all(computeArns)]).apply(([x, arns]) => headNodePolicy(x.c as PolicyContext, { ...headNodeOptions(x.real), computeRoleArns: arns }));
        };
        plans.forEach((plan, i) => {
            roles.set(plan.logicalName, createNodeRole(
                {
                    logicalName: plan.logicalName,
                    physicalName: plan.physicalName,
                    purpose: plan.purpose,
                    labels: plan.labels,
                    trust: trust[plan.trust],
                    policies: plan.purpose === "head-node" ? headPolicies(i) : checked.apply((x) => x.sets[i]),
                    managedPolicyArns: plan.build(tctx).managedPolicyArns,
                    additionalPolicies: plan.additionalPolicies,
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
        });
        const role = (logicalName: string): NodeRole => roles.get(logicalName)!;
        const head = role(`${name}-head-node`);
        const lambda = role(`${name}-lambda-functions`);
        const pick = <T>(items: readonly { name: string }[], prefix: string, f: (r: NodeRole) => T): Record<string, T> =>
            Object.fromEntries(items.map((x) => [x.name, f(role(`${name}-${prefix}-${x.name}`))]));
        const byName = (items: readonly { name: string }[], prefix: string, f: (r: NodeRole) => pulumi.Output<string>) =>
            pulumi.all(pick(items, prefix, f)) as pulumi.Output<Record<string, string>>;
        this.headNodeRole = head.role;
        this.headNodeInstanceProfile = head.instanceProfile!;
        this.lambdaFunctionsRole = lambda.role;
        this.computeRoles = pick(queues, "compute", (r) => r.role);
        this.computeInstanceProfiles = pick(queues, "compute", (r) => r.instanceProfile!);
        this.loginNodeRoles = pick(pools, "login", (r) => r.role);
        this.loginNodeInstanceProfiles = pick(pools, "login", (r) => r.instanceProfile!);
        this.headNodeRoleArn = head.roleArn;
        this.headNodeInstanceProfileArn = head.instanceProfileArn!;
        this.computeInstanceProfileArns = byName(queues, "compute", (r) => r.instanceProfileArn!);
        this.computeRoleArns = byName(queues, "compute", (r) => r.roleArn);
        this.loginNodeInstanceProfileArns = byName(pools, "login", (r) => r.instanceProfileArn!);
        this.loginNodeRoleArns = byName(pools, "login", (r) => r.roleArn);
        this.lambdaFunctionsRoleArn = lambda.roleArn;
        this.roleArns = [
            head.roleArn,
            lambda.roleArn,
            ...queues.map((q) => role(`${name}-compute-${q.name}`).roleArn),
            ...pools.map((x) => role(`${name}-login-${x.name}`).roleArn),
        ];
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
