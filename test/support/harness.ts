/** Runs component code under the SDK's mock monitor and records every registered resource. */
import * as crypto from "node:crypto";
import * as pulumi from "@pulumi/pulumi";
import { partitionOfRegion } from "../../components/policies/partition";

export interface Recorded {
    type: string;
    name: string;
    urn: string;
    inputs: Record<string, unknown>;
    state: Record<string, unknown>;
    custom: boolean;
}

export interface HarnessOptions {
    region?: string;
    accountId?: string;
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
const settings = require("@pulumi/pulumi/runtime/settings") as { waitForRPCs(): Promise<void> };

function autoname(name: string): string {
    return `${name}-${crypto.createHash("sha256").update(name).digest("hex").slice(0, 7)}`;
}

/** AWS-like state for the IAM resources the components create. */
function awsState(type: string, name: string, inputs: Record<string, unknown>, partition: string, account: string): Record<string, unknown> {
    const iam = (kind: string, n: string, path = "/") => `arn:${partition}:iam::${account}:${kind}${path}${n}`;
    const physical = (inputs.name as string | undefined) ?? (inputs.namePrefix ? `${inputs.namePrefix as string}${"0".repeat(26)}` : autoname(name));
    switch (type) {
        case "aws:iam/role:Role":
            return { ...inputs, name: physical, arn: iam("role", physical, (inputs.path as string) ?? "/"), uniqueId: "AROA" + physical.length };
        case "aws:iam/policy:Policy":
            return { ...inputs, name: physical, arn: iam("policy", physical, (inputs.path as string) ?? "/"), policyId: "ANPA" + physical.length };
        case "aws:iam/instanceProfile:InstanceProfile":
            return { ...inputs, name: physical, arn: iam("instance-profile", physical, (inputs.path as string) ?? "/") };
        case "aws:iam/rolePolicy:RolePolicy":
            return { ...inputs, name: (inputs.name as string) ?? autoname(name) };
        default:
            return { ...inputs };
    }
}

/** Runs `fn` (which creates resources) and returns the recorded resources, or the error it threw. */
export async function record(fn: () => unknown, opts: HarnessOptions = {}): Promise<{ resources: Recorded[]; error?: Error; result?: unknown }> {
    const region = opts.region ?? "us-east-1";
    const account = opts.accountId ?? "123456789012";
    const partition = partitionOfRegion(region);
    const resources: Recorded[] = [];
    pulumi.runtime.setAllConfig({ "aws:region": region });
    await pulumi.runtime.setMocks(
        {
            newResource(args: pulumi.runtime.MockResourceArgs) {
                const state = awsState(args.type, args.name, args.inputs, partition, account);
                resources.push({ type: args.type, name: args.name, urn: "", inputs: args.inputs, state, custom: args.custom ?? true });
                return { id: `${args.name}-id`, state };
            },
            call(args: pulumi.runtime.MockCallArgs) {
                switch (args.token) {
                    case "aws:index/getCallerIdentity:getCallerIdentity":
                        return { accountId: account, arn: `arn:${partition}:iam::${account}:user/test`, userId: "AIDATEST", id: account };
                    case "aws:index/getPartition:getPartition":
                        return { partition, dnsSuffix: partition === "aws-cn" ? "amazonaws.com.cn" : "amazonaws.com", id: partition };
                    case "aws:index/getRegion:getRegion":
                        return { region, name: region, id: region };
                    case "aws:iam/getRole:getRole":
                        return { name: args.inputs.name, arn: `arn:${partition}:iam::${account}:role/${args.inputs.name}` };
                    default:
                        throw new Error(`unexpected call ${args.token}`);
                }
            },
        },
        "parallelcluster-iam",
        "test",
        false,
    );
    let error: Error | undefined;
    let result: unknown;
    try {
        result = fn();
    } catch (e) {
        error = e as Error;
    }
    await settings.waitForRPCs();
    // The mock monitor keeps registered resources by URN; match them to the records by type and name.
    const monitor = pulumi.runtime.getMonitor() as unknown as { resources: Map<string, { urn: string }> };
    for (const urn of monitor.resources.keys()) {
        const parts = urn.split("::");
        const type = parts[2].split("$").pop()!;
        const rec = resources.find((r) => r.type === type && r.name === parts[3]);
        if (rec) rec.urn = urn;
    }
    return { resources, error, result };
}

/** The value of an Output (mocks run in update mode, so values are known). */
export function valueOf<T>(o: pulumi.Output<T>): Promise<T> {
    return new Promise((resolve) => o.apply((v) => { resolve(v); return v; }));
}

/** Parses a document given as a JSON string input. */
export function doc(v: unknown): unknown {
    return typeof v === "string" ? JSON.parse(v) : v;
}
