/**
 * Reads the project's stack configuration (Pulumi.<stack>.yaml) and resolves it against the AWS account,
 * partition and region the provider reports, so one stack file works in every partition.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { parseArn } from "../components/policies/context";
import { Partition } from "../components/policies/partition";

export interface StackConfig {
    accountId: string;
    partition: Partition;
    region: string;
    trustedPrincipalArns: string[];
    requireMfa: boolean;
    regionScope: string;
    secretArns: string[];
    fsxBuckets: string[];
    ssmBucket: string;
    clusterName: string;
    queues: string[];
    dataBucket: string;
    dataWritePrefix: string;
}

/** A role name in this account, or a full ARN as given. */
function principalArn(value: string, partition: string, accountId: string): string {
    return parseArn(value) ? value : `arn:${partition}:iam::${accountId}:role/${value}`;
}

/** A secret name in this account and region (any 6-character suffix Secrets Manager adds), or a full ARN as given. */
function secretArn(value: string, partition: string, region: string, accountId: string): string {
    return parseArn(value) ? value : `arn:${partition}:secretsmanager:${region}:${accountId}:secret:${value}-??????`;
}

export async function readConfig(): Promise<StackConfig> {
    const c = new pulumi.Config();
    const region = new pulumi.Config("aws").require("region");
    const [identity, partition] = await Promise.all([aws.getCallerIdentity(), aws.getPartition()]);
    const accountId = identity.accountId;
    const p = partition.partition as Partition;
    return {
        accountId,
        partition: p,
        region,
        trustedPrincipalArns: c.requireObject<string[]>("trustedPrincipals").map((v) => principalArn(v, p, accountId)),
        requireMfa: c.getBoolean("requireMfa") ?? true,
        regionScope: c.getBoolean("scopeToRegion") ? region : "*",
        secretArns: (c.getObject<string[]>("secrets") ?? []).map((v) => secretArn(v, p, region, accountId)),
        fsxBuckets: c.getObject<string[]>("fsxBuckets") ?? [],
        ssmBucket: c.get("ssmBucket") ?? "",
        clusterName: c.get("clusterName") ?? "",
        queues: c.getObject<string[]>("queues") ?? [],
        dataBucket: c.get("dataBucket") ?? "",
        dataWritePrefix: c.get("dataWritePrefix") ?? "",
    };
}

/** The context every component of the stack shares: validation happens before anything is registered. */
export function contextOf(cfg: StackConfig) {
    return { accountId: cfg.accountId, partition: cfg.partition, region: cfg.region };
}

/** Throws naming the config key when an environment needs a value the stack file leaves empty. */
export function requireSet<K extends keyof StackConfig>(cfg: StackConfig, key: K, stack: string, what: string): StackConfig[K] {
    const v = cfg[key];
    if (v === "" || (Array.isArray(v) && v.length === 0)) {
        throw new Error(`parallelcluster-iam:${key}: empty in Pulumi.${stack}.yaml; the ${stack} stack needs ${what}`);
    }
    return v;
}
