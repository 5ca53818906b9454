/**
 * Test helper: ParallelCluster 3.12's own policy documents (test/fixtures/parallelcluster-3.12, see its NOTES.md),
 * turned into the concrete requests they grant and evaluated with the IAM simulator against a project principal.
 */
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { PolicyContext } from "../../components/policies/context";
import { Partition } from "../../components/policies/partition";
import { PolicyDocument } from "../../components/policies/types";
import { ConcreteRequest, concreteRequests, simulate } from "../support/simulate";

export const PC_ACCOUNT = "123456789012";
export const PC_CLUSTER = "hpc";
export const PC_REGION: Record<Partition, string> = { aws: "us-east-1", "aws-cn": "cn-north-1", "aws-us-gov": "us-gov-west-1" };
const ROOT = path.join(__dirname, "..", "fixtures", "parallelcluster-3.12");

/**
 * A fixture document, resolved for `aws` / us-east-1, moved to another partition's test region (the documents use
 * only the partition and region as pseudo parameters; bucket hashes and random suffixes stay examples).
 */
export function pcDocument(rel: string, partition: Partition = "aws"): PolicyDocument {
    const text = readFileSync(path.join(ROOT, rel), "utf8");
    return JSON.parse(text.replace(/arn:aws:/g, `arn:${partition}:`).replace(/us-east-1/g, PC_REGION[partition])) as PolicyDocument;
}

/** A pinned exception: a request ParallelCluster's document grants that the project's principal does not, and why. */
export interface PinnedException {
    action: string;
    /** A substring of the resource, or "*" for any resource of the action. */
    resource: string;
    why: string;
}

/**
 * Context a real request carries that the fixture's statement does not state (ParallelCluster's statement has no
 * condition, the project's has one the caller always satisfies), with the reason.
 */
export interface RequestContext {
    /** The action, or "*" for every request. */
    action: string;
    context: Record<string, string | string[]>;
    why: string;
}

export interface FixtureOutcome {
    requests: number;
    /** `action resource` of every request that was not allowed and is not pinned. */
    unexpected: string[];
    /** Pinned exceptions that no request hit (stale pins). */
    unusedPins: string[];
    /**
     * `action in resources` of grants that name no resource the action takes, so IAM never applies them (e.g. a
     * resource-less action on a stack ARN): ParallelCluster cannot rely on them.
     */
    ineffective: string[];
}

/** Evaluates every request `fixture` grants against `identityPolicies` (+ `boundary`). */
export async function checkFixture(
    fixture: PolicyDocument,
    ctx: PolicyContext,
    identityPolicies: PolicyDocument[],
    pins: readonly PinnedException[] = [],
    contexts: readonly RequestContext[] = [],
    boundary?: PolicyDocument,
): Promise<FixtureOutcome> {
    const o = { partition: ctx.partition, accountId: PC_ACCOUNT, region: ctx.region };
    const requests: ConcreteRequest[] = [];
    const ineffective: string[] = [];
    for (const st of fixture.Statement) {
        for (const action of Array.isArray(st.Action) ? st.Action : [st.Action as string]) {
            try {
                requests.push(...(await concreteRequests({ ...st, Action: action }, o)));
            } catch (e) {
                if (!/^no concrete resource|^no expansion/.test((e as Error).message)) throw e;
                ineffective.push(`${action} in ${JSON.stringify(st.Resource)}`);
            }
        }
    }
    const unexpected: string[] = [];
    const used = new Set<number>();
    for (const r of requests) {
        const extra = contexts.filter((c) => c.action === "*" || c.action.toLowerCase() === r.action.toLowerCase()).reduce((acc, c) => ({ ...acc, ...c.context }), {});
        const decision = await simulate({ identityPolicies, boundary, action: r.action, resource: r.resource, context: { ...r.context, ...extra }, resourcePolicy: r.resourcePolicy });
        if (decision === "Allowed") continue;
        const pin = pins.findIndex((p) => p.action.toLowerCase() === r.action.toLowerCase() && (p.resource === "*" || r.resource.includes(p.resource)));
        if (pin >= 0) used.add(pin);
        else unexpected.push(`${r.action} ${r.resource} ${JSON.stringify(r.context)}: ${decision}`);
    }
    return { requests: requests.length, unexpected, unusedPins: pins.filter((_, i) => !used.has(i)).map((p) => `${p.action} ${p.resource}`), ineffective };
}
