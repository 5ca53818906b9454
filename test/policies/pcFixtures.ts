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

/** The context the matching entries give one request (`*` entries apply to every request). */
export function contextFor(contexts: readonly RequestContext[], action: string): Record<string, string | string[]> {
    return contexts.filter((c) => c.action === "*" || c.action.toLowerCase() === action.toLowerCase()).reduce((acc, c) => ({ ...acc, ...c.context }), {});
}

export interface RealContextOptions {
    cluster: string;
    scheduler?: "slurm" | "awsbatch";
    /** build-image's requests (its stack carries the image tags). */
    image?: boolean;
    /** PermissionsBoundary mode: CloudFormation creates the cluster's roles with this boundary. */
    boundaryArn?: string;
}

/**
 * What the real callers' requests carry that ParallelCluster's statements do not state (its statement has no
 * condition, the project's has one the caller always satisfies). One table for the fixture tests and the access matrix.
 */
export function realRequestContext(principal: string, o: RealContextOptions): RequestContext[] {
    const createTags: RequestContext = {
        action: "ec2:CreateTags",
        context: { "ec2:CreateAction": "RunInstances" },
        why: "D32: what launches an instance tags it in the launch request (TagSpecifications: CloudFormation, the head node's launch templates, fleet_manager.py); no node calls CreateTags",
    };
    switch (principal) {
        case "cluster-user":
            return [
                o.image
                    ? { action: "cloudformation:CreateStack", context: { "aws:TagKeys": ["parallelcluster:image_id", "parallelcluster:version"] }, why: "build-image tags its stack (models/imagebuilder.py _get_cfn_tags)" }
                    : {
                          action: "cloudformation:CreateStack",
                          context: { "aws:TagKeys": ["parallelcluster:cluster-name", "parallelcluster:version"] },
                          why: "pcluster tags every cluster stack (models/cluster.py _add_tags); nested stacks inherit the tags",
                      },
                {
                    action: "elasticloadbalancing:CreateListener",
                    context: { "aws:TagKeys": ["parallelcluster:cluster-name"], "aws:RequestTag/parallelcluster:cluster-name": o.cluster },
                    why: "issue #7491: CloudFormation sends the stack tags with CreateListener",
                },
                {
                    action: "ec2:TerminateInstances",
                    context: { "ec2:ResourceTag/parallelcluster:cluster-name": o.cluster },
                    why: "D30: pcluster (delete-cluster, update-compute-fleet) and CloudFormation terminate only the cluster's instances, which carry its stack tags and its launch templates' parallelcluster:cluster-name",
                },
                {
                    action: "cloudformation:UpdateStack",
                    context: { "aws:TagKeys": ["parallelcluster:cluster-name", "parallelcluster:version"], "aws:ResourceTag/parallelcluster:cluster-name": o.cluster },
                    why: "D31: update-cluster updates the cluster stack, tagged by create-cluster (models/cluster.py _add_tags), with the same tags",
                },
                {
                    action: "cloudformation:DeleteStack",
                    context: { "aws:ResourceTag/parallelcluster:version": "3.12.0" },
                    why: "D31: delete-cluster and delete-image delete stacks pcluster tagged with its version (_add_tags, _get_cfn_tags)",
                },
                createTags,
                ...(o.boundaryArn === undefined
                    ? []
                    : ["iam:CreateRole", "iam:PutRolePolicy", "iam:AttachRolePolicy"].map((action) => ({
                          action,
                          context: { "iam:PermissionsBoundary": o.boundaryArn as string },
                          why: "PermissionsBoundary mode: CloudFormation creates and grows the cluster's roles with Iam/PermissionsBoundary",
                      }))),
            ];
        case "head-node":
            return [
                o.scheduler === "awsbatch"
                    ? { action: "iam:PassRole", context: { "iam:PassedToService": "batch.amazonaws.com" }, why: "BatchJobPassRole: job roles are passed to AWS Batch only" }
                    : { action: "iam:PassRole", context: { "iam:PassedToService": "ec2.amazonaws.com" }, why: "the head node passes the queue roles to EC2 only (fleet_manager.py run_instances / create_fleet)" },
                {
                    action: "ec2:TerminateInstances",
                    context: { "ec2:ResourceTag/parallelcluster:node-type": "Compute", "ec2:ResourceTag/parallelcluster:cluster-name": o.cluster },
                    why: "clustermgtd and the suspend program terminate the cluster's compute nodes only (instance_manager.py delete_instances); compute launch templates tag node-type Compute and the cluster name",
                },
                createTags,
            ];
        case "lambda-functions":
            return [{
                action: "ec2:TerminateInstances",
                context: { "ec2:ResourceTag/parallelcluster:node-type": "Compute" },
                why: "at TERMINATE_EC2_INSTANCES the head node and login pools are already deleted: only compute nodes remain",
            }];
        default:
            return [];
    }
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
        const extra = contextFor(contexts, r.action);
        const decision = await simulate({ identityPolicies, boundary, action: r.action, resource: r.resource, context: { ...r.context, ...extra }, resourcePolicy: r.resourcePolicy });
        if (decision === "Allowed") continue;
        const pin = pins.findIndex((p) => p.action.toLowerCase() === r.action.toLowerCase() && (p.resource === "*" || r.resource.includes(p.resource)));
        if (pin >= 0) used.add(pin);
        else unexpected.push(`${r.action} ${r.resource} ${JSON.stringify(r.context)}: ${decision}`);
    }
    return { requests: requests.length, unexpected, unusedPins: pins.filter((_, i) => !used.has(i)).map((p) => `${p.action} ${p.resource}`), ineffective };
}
