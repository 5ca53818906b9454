/** Runs component code under the offline engine's AWS-like mocks and records every registered resource. */
import * as pulumi from "@pulumi/pulumi";
import { AwsMocks } from "../../components/testing/mocks";

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
    /** The stack name the program sees (default "test"). */
    stack?: string;
    /** The whole config map (`<namespace>:<key>` -> string), instead of just `aws:region`. */
    config?: Record<string, string>;
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
const settings = require("@pulumi/pulumi/runtime/settings") as { waitForRPCs(): Promise<void> };

/** Runs `fn` (which creates resources); returns what was registered, or the error it threw. */
export async function record(fn: () => unknown, opts: HarnessOptions = {}): Promise<{ resources: Recorded[]; error?: Error; result?: unknown }> {
    const region = opts.region ?? "us-east-1";
    const mocks = new AwsMocks({ region, accountId: opts.accountId ?? "123456789012" });
    pulumi.runtime.setAllConfig(opts.config ?? { "aws:region": region });
    await pulumi.runtime.setMocks(mocks, "parallelcluster-iam", opts.stack ?? "test", false);
    let error: Error | undefined;
    let result: unknown;
    try {
        result = await fn();
    } catch (e) {
        error = e as Error;
    }
    await settings.waitForRPCs();
    // The SDK's mock monitor keeps registered resources by URN (with the parent's type); match them by type and name.
    const monitor = pulumi.runtime.getMonitor() as unknown as { resources: Map<string, { urn: string }> };
    const urns = [...monitor.resources.keys()];
    const resources = mocks.resources.map((r) => ({
        type: r.type,
        name: r.name,
        urn: urns.find((u) => u.endsWith(`${r.type}::${r.name}`)) ?? "",
        inputs: r.inputs,
        state: r.state,
        custom: r.custom,
    }));
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
