/**
 * `parallelcluster-iam/testing`: unit-test a Pulumi program that uses the components, with no cloud and no
 * engine. The mocks answer as AWS would (names, ARNs by partition and account, the errors a create would meet)
 * and record every resource.
 *
 *     import * as pulumi from "@pulumi/pulumi";
 *     import { setAwsMocks } from "parallelcluster-iam/testing";
 *     const mocks = await setAwsMocks({ region: "us-west-2" });   // before the program's modules load
 *     // ... create components, await outputs ...
 *     mocks.resources;   // every registration: type, name, inputs, state
 */
import * as pulumi from "@pulumi/pulumi";
import { AwsMocks } from "./mocks";

export { AwsApiError, AwsMocks, AwsMocksOptions, RecordedResource } from "./mocks";

export interface SetAwsMocksOptions {
    /** Default `us-east-1`; also set as the `aws:region` config. */
    readonly region?: string;
    /** Default `123456789012`. */
    readonly accountId?: string;
    readonly project?: string;
    readonly stack?: string;
    /** Run as a preview. Default false. */
    readonly preview?: boolean;
    /** Extra config (`<namespace>:<key>` to string). */
    readonly config?: Record<string, string>;
}

/** Installs `AwsMocks` as the SDK's mocks (`pulumi.runtime.setMocks`) and returns them. */
export async function setAwsMocks(opts: SetAwsMocksOptions = {}): Promise<AwsMocks> {
    const region = opts.region ?? "us-east-1";
    const mocks = new AwsMocks({ region, accountId: opts.accountId ?? "123456789012" });
    pulumi.runtime.setAllConfig({ "aws:region": region, ...(opts.config ?? {}) });
    await pulumi.runtime.setMocks(mocks, opts.project ?? "project", opts.stack ?? "stack", opts.preview ?? false);
    return mocks;
}
