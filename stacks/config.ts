/**
 * Reads the project's stack configuration (Pulumi.<stack>.yaml) and resolves it against the AWS account,
 * partition and region the provider reports, so one stack file works in every partition.
 *
 * Everything is checked before the program registers its first resource. A problem is reported as one line
 * naming the key as the stack file spells it (`parallelcluster-iam:clusters[0].queues[1]`), the value and what is
 * allowed, as a `pulumi.RunError` so that the SDK prints the message alone.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { parseArn, validateArn, validateBucketName } from "../components/policies/context";
import { ROLE_NAME_MAX, validateIamName } from "../components/policies/limits";
import { Partition } from "../components/policies/partition";
import { DEFAULT_PARALLELCLUSTER_VERSION, validateParallelClusterVersion } from "../components/policies/version";

export const PROJECT = "parallelcluster-iam";

/** The environments this program deploys; the stack name chooses one. */
export const ENVIRONMENTS = ["dev", "staging", "prod"] as const;
export type Environment = (typeof ENVIRONMENTS)[number];

/** Every project key and its Pulumi.yaml default (a test checks they match). */
export const DEFAULTS = {
    environment: "",
    parallelClusterVersion: DEFAULT_PARALLELCLUSTER_VERSION as string,
    trustedPrincipals: undefined as string[] | undefined,
    pipelinePrincipals: [] as string[],
    requireMfa: true,
    scopeToRegion: false,
    secrets: [] as string[],
    fsxBuckets: [] as string[],
    ssmBucket: "",
    clusters: [] as Array<Record<string, unknown>>,
};
export type ConfigKey = keyof typeof DEFAULTS;

/** The keys each environment's program reads; setting any other project key is an error. */
const COMMON_KEYS: readonly ConfigKey[] = ["environment", "parallelClusterVersion", "trustedPrincipals", "pipelinePrincipals", "requireMfa", "scopeToRegion", "secrets"];
export const PROGRAM_KEYS: Record<Environment, readonly ConfigKey[]> = {
    dev: [...COMMON_KEYS, "fsxBuckets", "ssmBucket"],
    staging: [...COMMON_KEYS, "clusters"],
    prod: [...COMMON_KEYS, "clusters"],
};

/** One entry of `clusters`, checked. */
export interface ClusterConfig {
    name: string;
    scheduler: "slurm" | "awsbatch";
    queues: string[];
    loginPools: string[];
    dataBucket: string;
    dataWritePrefix: string;
}
const CLUSTER_FIELDS = ["name", "scheduler", "queues", "loginPools", "dataBucket", "dataWritePrefix"] as const;

export interface StackConfig {
    environment: Environment;
    /** The ParallelCluster release the roles are made for. */
    parallelClusterVersion: string;
    accountId: string;
    partition: Partition;
    region: string;
    trustedPrincipalArns: string[];
    /** Pipelines: assume the user role without MFA. */
    pipelinePrincipalArns: string[];
    requireMfa: boolean;
    regionScope: string;
    secretArns: string[];
    fsxBuckets: string[];
    ssmBucket: string;
    clusters: ClusterConfig[];
}

/** A configuration mistake: the SDK reports a RunError's message alone (no stack, no object dump). */
export class ConfigError extends pulumi.RunError {
    constructor(readonly problems: string[]) {
        super(problems.join("; "));
        this.name = "ConfigError";
        // The message says it all. A stack trace would be formatted through every source map on the way
        // (ts-node's source-map-support), which on some Node 20 releases stalls for seconds and grows the heap.
        Object.defineProperty(this, "stack", { value: `${this.name}: ${this.message}`, configurable: true, writable: true });
    }
}

/**
 * Collects problems with their keys. `check` runs a validator that throws `<field>: <detail>` and reports the
 * detail under the stack-file key that `key` maps the validator's field to.
 */
export class Problems {
    readonly list: string[] = [];

    add(key: string, detail: string): void {
        this.list.push(`${key.includes(":") ? key : `${PROJECT}:${key}`}: ${detail}`);
    }

    check<T>(key: string | ((field: string) => string), fn: () => T): T | undefined {
        try {
            return fn();
        } catch (e) {
            // The components report every problem at once, each with its property path.
            if (pulumi.InputPropertiesError.isInstance(e)) {
                for (const d of e.errors) this.add(typeof key === "string" ? key : key(d.propertyPath), d.reason);
                return undefined;
            }
            const message = e instanceof Error ? e.message : String(e);
            const m = /^([\w.[\]-]+): ([\s\S]*)$/.exec(message);
            const field = m ? m[1] : "";
            this.add(typeof key === "string" ? key : key(field), m ? m[2] : message);
            return undefined;
        }
    }

    throwIfAny(): void {
        if (this.list.length > 0) throw new ConfigError(this.list);
    }
}

function typeName(v: unknown): string {
    return Array.isArray(v) ? "list" : v === null ? "null" : typeof v;
}

/** The environment the stack runs: `environment` from its config, else its name. */
export function environmentOf(stack: string): Environment {
    const configured = pulumi.runtime.allConfig()[`${PROJECT}:environment`] ?? "";
    const env = ENVIRONMENTS.find((e) => e === (configured || stack));
    if (env) return env;
    throw new ConfigError([configured
        ? `${PROJECT}:environment: '${configured}' is not an environment; allowed: ${ENVIRONMENTS.join(", ")}`
        : `${PROJECT}:environment: not set, and the stack's name '${stack}' is not an environment; set it to one of ${ENVIRONMENTS.join(", ")}`]);
}

/** Raw values of every project key, typed, with the Pulumi.yaml defaults; type errors are problems. */
function readRaw(problems: Problems): { [K in ConfigKey]: (typeof DEFAULTS)[K] } {
    const c = new pulumi.Config(PROJECT);
    const all = pulumi.runtime.allConfig();
    const out = { ...DEFAULTS };
    const set = <K extends ConfigKey>(key: K, v: (typeof DEFAULTS)[K]): void => {
        out[key] = v;
    };
    for (const key of Object.keys(DEFAULTS) as ConfigKey[]) {
        const text = all[`${PROJECT}:${key}`];
        if (text === undefined) continue;
        const expected = DEFAULTS[key];
        if (typeof expected === "boolean") {
            if (text !== "true" && text !== "false") problems.add(key, `'${text}' is not a boolean; expected true or false`);
            else set(key, (text === "true") as never);
        } else if (typeof expected === "string") {
            set(key, text as never);
        } else {
            let v: unknown;
            try {
                v = c.getObject<unknown>(key);
            } catch {
                v = text;
            }
            if (!Array.isArray(v)) problems.add(key, `'${text}' is a ${typeName(v)}; expected a list`);
            else if (key === "clusters") {
                const bad = v.findIndex((x) => typeName(x) !== "object");
                if (bad >= 0) problems.add(`${key}[${bad}]`, `'${JSON.stringify(v[bad])}' is not a mapping; expected { name, scheduler, queues, loginPools, dataBucket, dataWritePrefix }`);
                else set(key, v as never);
            } else {
                const bad = v.findIndex((x) => typeof x !== "string" || x === "");
                if (bad >= 0) problems.add(`${key}[${bad}]`, `'${JSON.stringify(v[bad])}' is not a non-empty string`);
                else set(key, v as never);
            }
        }
    }
    return out;
}

/** A role name in this account, or a full principal ARN. */
function principalArn(value: string, partition: Partition, accountId: string, field: string): string {
    const ctx = { partition, accountId, region: "*" };
    if (value.startsWith("arn:")) return validateArn(ctx, field, value, "principal");
    validateIamName(field, value, ROLE_NAME_MAX);
    return `arn:${partition}:iam::${accountId}:role/${value}`;
}

const SECRET_NAME_RE = /^[A-Za-z0-9/_+=.@-]{1,512}$/;

/** A secret name in this account and region (any 6-character suffix Secrets Manager adds), or a full ARN. */
function secretArn(value: string, partition: Partition, region: string, accountId: string, field: string): string {
    if (parseArn(value)) return validateArn({ partition, accountId, region }, field, value, "secret");
    if (!SECRET_NAME_RE.test(value)) {
        throw new Error(`${field}: '${value}' is not a Secrets Manager secret name or ARN; expected 1-512 letters, digits and /_+=.@- or arn:${partition}:secretsmanager:...`);
    }
    return `arn:${partition}:secretsmanager:${region}:${accountId}:secret:${value}-??????`;
}

/**
 * Reads and checks the whole configuration of `environment` before anything is registered: types, keys the
 * program does not use, values the environment needs, names and ARNs. Throws one ConfigError listing every
 * problem.
 */
export async function readConfig(environment: Environment): Promise<StackConfig> {
    const problems = new Problems();
    const raw = readRaw(problems);
    const used = PROGRAM_KEYS[environment];
    for (const key of Object.keys(DEFAULTS) as ConfigKey[]) {
        if (used.includes(key)) continue;
        if (JSON.stringify(raw[key]) !== JSON.stringify(DEFAULTS[key])) {
            problems.add(key, `is set, but the ${environment} program does not use it; remove it (keys of ${environment}: ${used.map((k) => `${PROJECT}:${k}`).join(", ")})`);
        }
    }
    problems.check("parallelClusterVersion", () => validateParallelClusterVersion(raw.parallelClusterVersion));
    const region = new pulumi.Config("aws").get("region");
    if (!region) problems.add("aws:region", "is not set; set it in the stack file, e.g. us-east-1");
    problems.throwIfAny();

    const [identity, partitionResult] = await Promise.all([aws.getCallerIdentity(), aws.getPartition()]);
    const accountId = identity.accountId;
    const partition = partitionResult.partition as Partition;
    const required = (key: ConfigKey, what: string): void => {
        const v = raw[key];
        if (v === undefined || v === "" || (Array.isArray(v) && v.length === 0)) {
            problems.add(key, `is not set (or empty); the ${environment} stack needs ${what}`);
        }
    };
    required("trustedPrincipals", "at least one principal that may assume the user role (a role name or a role, user or account-root ARN)");
    const needs: Record<Environment, Array<[ConfigKey, string]>> = {
        dev: [["ssmBucket", "the SSM access policy's S3 bucket"]],
        staging: [["clusters", "at least one cluster whose roles it pre-creates"]],
        prod: [["clusters", "at least one Slurm cluster whose roles it pre-creates"]],
    };
    for (const [key, what] of needs[environment]) required(key, what);

    const list = <T>(key: ConfigKey, values: readonly string[] | undefined, fn: (v: string, field: string) => T): T[] =>
        (values ?? []).flatMap((v, i) => {
            const r = problems.check(`${key}[${i}]`, () => fn(v, `${key}[${i}]`));
            return r === undefined ? [] : [r];
        });
    const trustedPrincipalArns = list("trustedPrincipals", raw.trustedPrincipals, (v, f) => principalArn(v, partition, accountId, f));
    const pipelinePrincipalArns = list("pipelinePrincipals", raw.pipelinePrincipals, (v, f) => principalArn(v, partition, accountId, f));
    const secretArns = list("secrets", raw.secrets, (v, f) => secretArn(v, partition, region!, accountId, f));
    list("fsxBuckets", raw.fsxBuckets, (v, f) => validateBucketName(f, v));
    if (raw.ssmBucket !== "") problems.check("ssmBucket", () => validateBucketName("ssmBucket", raw.ssmBucket));
    const clusters = raw.clusters.map((c, i) => clusterConfig(problems, environment, c, i));
    clusters.forEach((c, i) => {
        if (clusters.findIndex((x) => x.name === c.name) !== i) problems.add(`clusters[${i}].name`, `'${c.name}' appears more than once; cluster names must be unique`);
    });
    (raw.pipelinePrincipals ?? []).forEach((v, i) => {
        if ((raw.trustedPrincipals ?? []).includes(v)) problems.add(`pipelinePrincipals[${i}]`, `'${v}' is also in trustedPrincipals; a principal is either a person (MFA) or a pipeline`);
    });
    for (const key of ["trustedPrincipals", "pipelinePrincipals", "secrets", "fsxBuckets"] as const) {
        const values = raw[key] ?? [];
        values.forEach((v, i) => {
            if (values.indexOf(v) !== i) problems.add(`${key}[${i}]`, `'${v}' appears more than once; each entry must be unique`);
        });
    }
    problems.throwIfAny();
    return {
        environment,
        parallelClusterVersion: raw.parallelClusterVersion,
        accountId,
        partition,
        region: region!,
        trustedPrincipalArns,
        pipelinePrincipalArns,
        requireMfa: raw.requireMfa,
        regionScope: raw.scopeToRegion ? region! : "*",
        secretArns,
        fsxBuckets: raw.fsxBuckets,
        ssmBucket: raw.ssmBucket,
        clusters,
    };
}

/** Checks one `clusters` entry: known fields of the right types; names and buckets as the components take them. */
function clusterConfig(problems: Problems, environment: Environment, raw: Record<string, unknown>, i: number): ClusterConfig {
    const at = (field: string) => `clusters[${i}].${field}`;
    for (const k of Object.keys(raw)) {
        if (!(CLUSTER_FIELDS as readonly string[]).includes(k)) problems.add(at(k), `is not a cluster setting; allowed: ${CLUSTER_FIELDS.join(", ")}`);
    }
    const str = (k: string, fallback: string): string => {
        const v = raw[k];
        if (v === undefined) return fallback;
        if (typeof v !== "string") problems.add(at(k), `'${JSON.stringify(v)}' is not a string`);
        return typeof v === "string" ? v : fallback;
    };
    const list = (k: string): string[] => {
        const v = raw[k];
        if (v === undefined) return [];
        if (!Array.isArray(v) || v.some((x) => typeof x !== "string")) {
            problems.add(at(k), `'${JSON.stringify(v)}' is not a list of names`);
            return [];
        }
        return v as string[];
    };
    const name = str("name", "");
    if (name === "") problems.add(at("name"), "is not set; every cluster needs its ParallelCluster name");
    const scheduler = str("scheduler", "slurm");
    const allowed = environment === "prod" ? ["slurm"] : ["slurm", "awsbatch"];
    if (!allowed.includes(scheduler)) {
        problems.add(at("scheduler"), `'${scheduler}' is not available in ${environment}; allowed: ${allowed.join(", ")}${environment === "prod" ? " (restricted mode cannot pass every AWS Batch role ParallelCluster creates)" : ""}`);
    }
    const c: ClusterConfig = { name, scheduler: scheduler === "awsbatch" ? "awsbatch" : "slurm", queues: list("queues"), loginPools: list("loginPools"), dataBucket: str("dataBucket", ""), dataWritePrefix: str("dataWritePrefix", "") };
    if (c.dataBucket !== "") problems.check(at("dataBucket"), () => validateBucketName("dataBucket", c.dataBucket));
    if (c.dataWritePrefix !== "" && c.dataBucket === "") problems.add(at("dataWritePrefix"), "is set without dataBucket; the prefix is a key prefix of that bucket");
    if (c.dataWritePrefix !== "" && !/^[^\s]{1,1024}$/.test(c.dataWritePrefix)) {
        problems.add(at("dataWritePrefix"), `'${c.dataWritePrefix}' is not an S3 key prefix; expected up to 1,024 characters without spaces, e.g. results/*`);
    }
    return c;
}

/** The context every component of the stack shares: validation happens before anything is registered. */
export function contextOf(cfg: StackConfig) {
    return { accountId: cfg.accountId, partition: cfg.partition, region: cfg.region };
}

/** The stack-file key behind a ClusterNodeRoles argument of `clusters[i]`. */
export function clusterKeyOf(i: number): (field: string) => string {
    const rules: Array<[RegExp, (m: RegExpExecArray) => string]> = [
        [/^secretArns\[(\d+)\]/, (m) => `secrets[${m[1]}]`],
        [/^queues\[(\d+)\]/, (m) => `clusters[${i}].queues[${m[1]}]`],
        [/^loginNodePools\[(\d+)\]/, (m) => `clusters[${i}].loginPools[${m[1]}]`],
        [/s3Access.*keyName/, () => `clusters[${i}].dataWritePrefix`],
        [/s3Access/, () => `clusters[${i}].dataBucket`],
        [/^queues/, () => `clusters[${i}].queues`],
        [/^loginNodePools/, () => `clusters[${i}].loginPools`],
        [/^clusterName/, () => `clusters[${i}].name`],
    ];
    return (field) => {
        for (const [re, key] of rules) {
            const m = re.exec(field);
            if (m) return key(m);
        }
        return `clusters[${i}]`;
    };
}

/** The stack-file key behind a component argument, for reporting a component's validation error in the user's words. */
const FIELD_KEYS: Array<[RegExp, (m: RegExpExecArray) => string]> = [
    [/^trustedPrincipalArns\[(\d+)\]/, (m) => `trustedPrincipals[${m[1]}]`],
    [/^trustedPrincipalArns/, () => "trustedPrincipals"],
    [/^pipelinePrincipalArns\[(\d+)\]/, (m) => `pipelinePrincipals[${m[1]}]`],
    [/^pipelinePrincipalArns/, () => "pipelinePrincipals"],
    [/^secretArns\[(\d+)\]/, (m) => `secrets[${m[1]}]`],
    [/^fsxBuckets\[(\d+)\]/, (m) => `fsxBuckets[${m[1]}]`],
    [/^bucket/, () => "ssmBucket"],
    [/^regionScope/, () => "scopeToRegion"],
    [/^requireMfa/, () => "requireMfa"],
];

export function configKeyOf(field: string): string {
    for (const [re, key] of FIELD_KEYS) {
        const m = re.exec(field);
        if (m) return key(m);
    }
    return field || "(program)";
}

/**
 * Runs the components' own validators over the args a stack is about to use (ARNs that only exist after
 * deployment stand in as placeholders), so a value the components refuse stops the program before the
 * first resource, named by its stack-file key.
 */
export function validateComponents(checks: ReadonlyArray<(() => unknown) | [(field: string) => string, () => unknown]>): void {
    const problems = new Problems();
    for (const check of checks) {
        if (Array.isArray(check)) problems.check(check[0], check[1]);
        else problems.check(configKeyOf, check as () => unknown);
    }
    problems.throwIfAny();
}

/** Stand-in ARNs for values other resources of the stack produce. */
export function placeholders(cfg: StackConfig) {
    const iam = `arn:${cfg.partition}:iam::${cfg.accountId}`;
    return { boundaryArn: `${iam}:policy/parallelcluster/operator/boundary`, roleArn: `${iam}:role/parallelcluster/role` };
}
