import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ContextArgs, contextOutput, purposeTags, syncContext, SyncContext, templateContext, validateTags } from "./common";
import { adminWildcardFindings } from "./policies/adminWildcards";
import { isAllowListedCustomerPolicy } from "./policies/allowlist";
import { validateBucketName } from "./policies/context";
import { MANAGED_POLICY_MAX_CHARS, POLICY_NAME_MAX, policySize, validateIamName, validatePath } from "./policies/limits";
import { SSM_ACCESS_POLICY_NAME, ssmAccessPolicy } from "./policies/ssmAccess";
import { PolicyDocument } from "./policies/types";

export type AdditionalPolicyPreset = "ssmAccess";
const PRESETS: readonly AdditionalPolicyPreset[] = ["ssmAccess"];

export interface AdditionalPolicyArgs extends ContextArgs {
    /** The policy document (an object). Give either this or `preset`. */
    readonly document?: pulumi.Input<PolicyDocument>;
    /** A ready-made document: `ssmAccess` (SSM, ssmmessages, ec2messages, and one S3 bucket — needs `bucket`). */
    readonly preset?: AdditionalPolicyPreset;
    /** The S3 bucket of the `ssmAccess` preset. */
    readonly bucket?: string;
    /** Physical policy name. Default: autonamed from the component name (`ssmAccess`: `parallelcluster-ssm-access-<name>`). */
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
export function validateAdditionalPolicyArgs(name: string, args: AdditionalPolicyArgs): SyncContext {
    const sync = syncContext(args ?? {});
    if ((args.document === undefined) === (args.preset === undefined)) {
        throw new Error(`document: give exactly one of 'document' or 'preset' (allowed presets: ${PRESETS.join(", ")})`);
    }
    if (args.preset !== undefined && !PRESETS.includes(args.preset)) {
        throw new Error(`preset: '${String(args.preset)}' is not a preset; allowed: ${PRESETS.join(", ")}`);
    }
    if (args.preset === "ssmAccess") validateBucketName("bucket", args.bucket as string);
    else if (args.bucket !== undefined) throw new Error(`bucket: '${args.bucket}' is used only with preset 'ssmAccess'`);
    const path = args.path ?? "/parallelcluster/";
    validatePath("path", path);
    if (args.policyName !== undefined) validateIamName("policyName", args.policyName, POLICY_NAME_MAX);
    const nameForCheck = args.policyName ?? (args.preset ? `${SSM_ACCESS_POLICY_NAME}-${name}` : `${name}-xxxxxxx`);
    if (!isAllowListedCustomerPolicy(nameForCheck, path)) {
        throw new Error(
            `path: '${path}' with policy name '${nameForCheck}' would be refused by ParallelCluster's allow-list; ` +
                `expected path '/parallelcluster/' (or below), or path '/' with a name starting 'parallelcluster'`,
        );
    }
    if (args.document !== undefined && typeof args.document === "object" && !pulumi.Output.isInstance(args.document)) {
        checkDocument(args.document as PolicyDocument);
    }
    if (args.preset === "ssmAccess") {
        ssmAccessPolicy(templateContext(sync), { bucket: args.bucket as string });
    }
    validateTags("tags", args.tags);
    return sync;
}

/**
 * A customer-managed policy for `AdditionalIamPolicies`, created where ParallelCluster's allow-list
 * accepts it (path `/parallelcluster/`, or a `parallelcluster*` name).
 */
export class AdditionalPolicy extends pulumi.ComponentResource {
    public readonly arn: pulumi.Output<string>;
    public readonly policyName: pulumi.Output<string>;

    constructor(name: string, args: AdditionalPolicyArgs, opts?: pulumi.ComponentResourceOptions) {
        const sync = validateAdditionalPolicyArgs(name, args);
        super("parallelcluster-iam:index:AdditionalPolicy", name, {}, opts);
        const ctx = contextOutput(sync, this);
        const document: pulumi.Input<PolicyDocument> =
            args.preset === "ssmAccess" ? ctx.apply((c) => ssmAccessPolicy(c, { bucket: args.bucket as string })) : (args.document as pulumi.Input<PolicyDocument>);
        const policy = new aws.iam.Policy(
            `${name}-policy`,
            {
                name: args.policyName ?? (args.preset === "ssmAccess" ? `${SSM_ACCESS_POLICY_NAME}-${name}` : undefined),
                path: args.path ?? "/parallelcluster/",
                description: args.description ?? (args.preset === "ssmAccess" ? "SSM and S3 access for ParallelCluster instances" : "ParallelCluster additional IAM policy"),
                policy: pulumi.output(document).apply((d) => JSON.stringify(checkDocument(d as PolicyDocument))),
                tags: purposeTags("additional-policy", {}, args.tags ?? {}),
            },
            { parent: this },
        );
        this.arn = policy.arn;
        this.policyName = policy.name;
        this.registerOutputs({ arn: this.arn, policyName: this.policyName });
    }
}
