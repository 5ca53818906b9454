import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ContextArgs, Problems, contextOutput, gated, hasExplicitProvider, purposeTags, stackSuffix, syncContext, SyncContext, templateContext, validateTags, withStableId, knownValue, inputPropertiesError } from "./common";
import { TYPE_TOKENS } from "./vocabulary";
import { adminWildcardFindings } from "./policies/adminWildcards";
import { isAllowListedCustomerPolicy } from "./policies/allowlist";
import { validateBucketName } from "./policies/context";
import { MANAGED_POLICY_MAX_CHARS, POLICY_NAME_MAX, policySize, validateIamName, validatePath } from "./policies/limits";
import { SSM_ACCESS_POLICY_NAME, ssmAccessPolicy } from "./policies/ssmAccess";
import { PolicyDocument } from "./policies/types";

export type AdditionalPolicyPreset = "ssmAccess";
const PRESETS: readonly string[] = ["ssmAccess"] satisfies AdditionalPolicyPreset[];

export interface AdditionalPolicyArgs extends ContextArgs {
    /** The policy document as JSON text (as `aws.iam.Policy`'s `policy` takes it; `JSON.stringify` an object). Give either this or `preset`. */
    readonly document?: pulumi.Input<string>;
    /** A ready-made document: `ssmAccess` (SSM, ssmmessages, ec2messages, and one S3 bucket — needs `bucket`). */
    readonly preset?: string;
    /** The S3 bucket of the `ssmAccess` preset (may be an Output, e.g. a bucket's `bucket`). */
    readonly bucket?: pulumi.Input<string>;
    /** Physical policy name. Default: autonamed from the component name (`ssmAccess`: `parallelcluster-ssm-access-<name>-<8 hex>`, the suffix a hash of project and stack). */
    readonly policyName?: string;
    /** Policy path: `/parallelcluster/` (default) or below it; `/` only with a name starting `parallelcluster`. */
    readonly path?: string;
    /** Description. */
    readonly description?: string;
    /** Tags for the policy. */
    readonly tags?: Record<string, string>;
}

/**
 * Any cluster may attach this policy (it is where the allow-list accepts it), so it must fit a managed policy
 * and must not be administrator access.
 */
function checkDocument(doc: PolicyDocument): PolicyDocument {
    const n = policySize(doc);
    if (n > MANAGED_POLICY_MAX_CHARS) throw new Error(`document: ${n} non-whitespace characters; a managed policy holds at most ${MANAGED_POLICY_MAX_CHARS}`);
    const admin = adminWildcardFindings(doc);
    if (admin.length > 0) {
        throw new Error(`document: ${admin.join("; ")}: administrator access that every cluster could attach; expected specific actions on specific resources`);
    }
    return doc;
}

/** Validates the args; returns the synchronous context. */
export function ssmPolicyName(name: string): string {
    return `${SSM_ACCESS_POLICY_NAME}-${name}-${stackSuffix()}`;
}

export function validateAdditionalPolicyArgs(name: string, args: AdditionalPolicyArgs, opts?: pulumi.ComponentResourceOptions): SyncContext {
    const p = new Problems();
    const sync = syncContext(args ?? {}, p, hasExplicitProvider(opts));
    p.throwIfAny("AdditionalPolicy", name);
    if ((args.document === undefined) === (args.preset === undefined)) {
        p.add("document", `give exactly one of 'document' or 'preset' (allowed presets: ${PRESETS.join(", ")})`);
    }
    if (args.preset !== undefined && !PRESETS.includes(args.preset)) {
        p.add("preset", `'${String(args.preset)}' is not a preset; allowed: ${PRESETS.join(", ")}`);
    }
    const bucket = knownValue(args.bucket);
    if (args.preset === "ssmAccess") {
        if (args.bucket === undefined || bucket !== undefined) p.check(() => validateBucketName("bucket", bucket as string));
    } else if (args.bucket !== undefined) p.add("bucket", `'${String(bucket)}' is used only with preset 'ssmAccess'`);
    const path = args.path ?? "/parallelcluster/";
    p.check(() => validatePath("path", path));
    if (args.policyName !== undefined) p.check(() => validateIamName("policyName", args.policyName!, POLICY_NAME_MAX));
    const nameForCheck = args.policyName ?? (args.preset ? ssmPolicyName(name) : `${name}-xxxxxxx`);
    if (!isAllowListedCustomerPolicy(nameForCheck, path)) {
        p.add("path",
            `'${path}' with policy name '${nameForCheck}' would be refused by ParallelCluster's allow-list; ` +
                `expected path '/parallelcluster/' (or below), or path '/' with a name starting 'parallelcluster'`,
        );
    }
    if (typeof args.document === "string") {
        const text = args.document;
        p.check(() => checkDocument(parseDocument(text)));
    }
    if (args.preset === "ssmAccess" && p.empty) {
        p.check(() => ssmAccessPolicy(templateContext(sync), { bucket: bucket ?? "x".repeat(63) }));
    }
    p.check(() => validateTags("tags", args.tags));
    p.throwIfAny("AdditionalPolicy", name);
    return sync;
}

/** Parses `document` (JSON text of a policy document), naming the field when it is not one. */
function parseDocument(text: string): PolicyDocument {
    let doc: unknown;
    try {
        doc = JSON.parse(text);
    } catch {
        throw new Error(`document: '${text.slice(0, 60)}' is not JSON; expected a policy document as JSON text`);
    }
    if (!doc || typeof doc !== "object" || !Array.isArray((doc as PolicyDocument).Statement)) {
        throw new Error(`document: '${text.slice(0, 60)}' is not a policy document; expected { "Version": "2012-10-17", "Statement": [...] }`);
    }
    return doc as PolicyDocument;
}

/**
 * A customer-managed policy for `AdditionalIamPolicies`, created where ParallelCluster's allow-list
 * accepts it (path `/parallelcluster/`, or a `parallelcluster*` name).
 */
export class AdditionalPolicy extends pulumi.ComponentResource {
    /**
     * ARN of the policy. Carries a stable id (the component's name), so `additionalIamPolicies: [policy.arn]` of the
     * node-role components names its attachment stably; elsewhere pass `{ id, arn }` in `additionalIamPolicyRefs`.
     */
    public readonly arn: pulumi.Output<string>;
    /** Name of the policy. */
    public readonly policyName: pulumi.Output<string>;
    /** The policy created. */
    public readonly policy: aws.iam.Policy;

    constructor(name: string, args: AdditionalPolicyArgs, opts?: pulumi.ComponentResourceOptions) {
        const sync = validateAdditionalPolicyArgs(name, args, opts);
        super(TYPE_TOKENS.AdditionalPolicy, name, {}, opts);
        const ctx = contextOutput("AdditionalPolicy", name, sync, this);
        const document: pulumi.Input<PolicyDocument | string> =
            args.preset === "ssmAccess"
                ? pulumi.all([ctx, args.bucket]).apply(([c, bucket]) => {
                    const p = new Problems();
                    const d = p.check(() => ssmAccessPolicy(c, { bucket: validateBucketName("bucket", bucket as string) }));
                    if (d === undefined) throw inputPropertiesError("AdditionalPolicy", name, p.list);
                    return d;
                })
                : (args.document as pulumi.Input<string>);
        const policy = new aws.iam.Policy(
            `${name}-policy`,
            {
                name: args.policyName ?? (args.preset === "ssmAccess" ? ssmPolicyName(name) : undefined),
                path: args.path ?? "/parallelcluster/",
                description: args.description ?? (args.preset === "ssmAccess" ? "SSM and S3 access for ParallelCluster instances" : "ParallelCluster additional IAM policy"),
                policy: pulumi.all([ctx, document]).apply(([, d]) => {
                    const p = new Problems();
                    const checked = p.check(() => checkDocument(typeof d === "string" ? parseDocument(d) : (d as PolicyDocument)));
                    if (checked === undefined) throw inputPropertiesError("AdditionalPolicy", name, p.list);
                    return JSON.stringify(checked);
                }),
                tags: gated(ctx, purposeTags("additional-policy", {}, args.tags ?? {})),
            },
            { parent: this },
        );
        this.policy = policy;
        this.arn = withStableId(policy.arn, name);
        this.policyName = policy.name;
        this.registerOutputs({ arn: this.arn, policyName: this.policyName });
    }
}
