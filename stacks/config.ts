/** Reads the project's stack configuration (Pulumi.<stack>.yaml), with the errors a user can act on. */
import * as pulumi from "@pulumi/pulumi";

export interface StackConfig {
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

export function readConfig(): StackConfig {
    const c = new pulumi.Config();
    return {
        trustedPrincipalArns: c.requireObject<string[]>("trustedPrincipalArns"),
        requireMfa: c.getBoolean("requireMfa") ?? true,
        regionScope: c.get("regionScope") ?? "*",
        secretArns: c.getObject<string[]>("secretArns") ?? [],
        fsxBuckets: c.getObject<string[]>("fsxBuckets") ?? [],
        ssmBucket: c.get("ssmBucket") ?? "",
        clusterName: c.get("clusterName") ?? "",
        queues: c.getObject<string[]>("queues") ?? [],
        dataBucket: c.get("dataBucket") ?? "",
        dataWritePrefix: c.get("dataWritePrefix") ?? "",
    };
}

/** Throws naming the config key when an environment needs a value the stack file leaves empty. */
export function requireSet<K extends keyof StackConfig>(cfg: StackConfig, key: K, stack: string, what: string): StackConfig[K] {
    const v = cfg[key];
    if (v === "" || (Array.isArray(v) && v.length === 0)) {
        throw new Error(`parallelcluster-iam:${key}: empty in Pulumi.${stack}.yaml; the ${stack} stack needs ${what}`);
    }
    return v;
}
