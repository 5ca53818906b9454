import * as pulumi from "@pulumi/pulumi";
import { stringify } from "yaml";
import * as aws from "@pulumi/aws";
import { ContextArgs, PolicyEntry, PolicyRef, Problems, contextOutput, hasExplicitProvider, inputPropertiesError, policyEntries, syncContext, SyncContext, templateContext, validateTags } from "./common";
import { INLINE_POLICY_NAMES, TYPE_TOKENS } from "./vocabulary";
import { createNodeRole, validateAdditionalPolicies, validateRolePlan, validateRoleSettings } from "./nodeCommon";
import { validateExtraPolicyArns } from "./policies/allowlist";
import { PolicyContext } from "./policies/context";
import { imageBuilderInstancePolicy } from "./policies/imageBuilderInstance";
import { imageCleanupLambdaPolicy } from "./policies/imageCleanupLambda";
import { ec2TrustPolicy, lambdaTrustPolicy } from "./policies/trust";
import { validateParallelClusterVersion } from "./policies/version";

export interface ImageBuildRolesArgs extends ContextArgs {
    /**
     * The ParallelCluster release that runs `pcluster build-image` (`SUPPORTED_PARALLELCLUSTER_VERSIONS`). Default "3.12".
     * The 3.12 image roles are the same as the guide's (docs/parallelcluster-grants.md); another release is refused.
     */
    readonly parallelClusterVersion?: string;
    /**
     * Managed policies for the Image Builder instance role (`Build/Iam/AdditionalIamPolicies`), on the allow-list:
     * plain ARNs, or an AdditionalPolicy's `arn`. Other Outputs go in `additionalIamPolicyRefs`.
     */
    readonly additionalIamPolicies?: pulumi.Input<string>[];
    /** More such policies as `{ id, arn }`: `arn` may be any Output, `id` names the attachment stably. */
    readonly additionalIamPolicyRefs?: PolicyRef[];
    /** Extra managed policy ARNs accepted in `additionalIamPolicies` beyond the allow-list. */
    readonly extraAllowedPolicyArns?: string[];
    /** The build's Lambda functions run in a VPC (`DeploymentSettings/LambdaFunctionsVpcConfig`): the cleanup role gets `service-role/AWSLambdaVPCAccessExecutionRole`. Default false. */
    readonly lambdaFunctionsInVpc?: boolean;
    /** Permissions boundary policy ARN applied to both roles. */
    readonly permissionsBoundaryArn?: pulumi.Input<string>;
    /** IAM path: `/parallelcluster/` (default) or `/parallelcluster/<something>/`. */
    readonly iamPath?: string;
    /** Physical-name prefix: `<prefix>-image-builder`, `<prefix>-image-cleanup`. Default: autonamed. */
    readonly namePrefix?: string;
    /** Tags for both roles and the instance profile. */
    readonly tags?: Record<string, string>;
}

/** Validates the args; returns the synchronous context. */
function imageProblems(p: Problems, args: ImageBuildRolesArgs, v: PolicyContext, entries: PolicyEntry[], resolved?: string[]): void {
    p.check(() => validateRoleSettings(v, args));
    p.check(() => validateExtraPolicyArns(v, "extraAllowedPolicyArns", args.extraAllowedPolicyArns));
    validateAdditionalPolicies(p, entries, v, { extraPolicyArns: args.extraAllowedPolicyArns }, resolved);
}

/** Validates the args (every problem at once, as `pulumi.InputPropertiesError`); returns the synchronous context. */
export function validateImageBuildRolesArgs(name: string, args: ImageBuildRolesArgs, opts?: pulumi.ComponentResourceOptions): SyncContext {
    const p = new Problems();
    p.check(() => validateParallelClusterVersion(args?.parallelClusterVersion));
    const sync = syncContext(args ?? {}, p, hasExplicitProvider(opts));
    p.throwIfAny("ImageBuildRoles", name);
    const v = templateContext(sync);
    const entries = policyEntries(p, "additionalIamPolicies", args.additionalIamPolicies, "additionalIamPolicyRefs", args.additionalIamPolicyRefs);
    imageProblems(p, args, v, entries);
    p.check(() => validateTags("tags", args.tags));
    const phys = (s: string) => (args.namePrefix === undefined ? undefined : `${args.namePrefix}-${s}`);
    p.check(() => validateRolePlan("name", `${name}-image-builder`, phys("image-builder"), 2 + entries.length));
    p.check(() => validateRolePlan("name", `${name}-image-cleanup`, phys("image-cleanup"), args.lambdaFunctionsInVpc ? 2 : 1));
    p.throwIfAny("ImageBuildRoles", name);
    return sync;
}

/** The `Build/Iam` fragment of a ParallelCluster 3 image configuration. */
export interface ImageBuildIamConfig {
    /** `Build` of the image configuration. */
    Build: ImageBuildSection;
}

/** `Build` with its `Iam` part. */
export interface ImageBuildSection {
    /** `Build/Iam`. */
    Iam: ImageBuildIam;
}

/** `Build/Iam`: the pre-created instance profile, cleanup role and boundary. */
export interface ImageBuildIam {
    /** The Image Builder instance profile ARN. */
    InstanceProfile: string;
    /** The cleanup Lambda role ARN. */
    CleanupLambdaRole: string;
    /** The permissions boundary ARN, when the roles are bound. */
    PermissionsBoundary?: string;
}

/** Pre-created roles for `pcluster build-image`: the Image Builder instance role and profile, and the cleanup Lambda role. */
export class ImageBuildRoles extends pulumi.ComponentResource {
    /** The Image Builder instance role, its instance profile, and the cleanup Lambda role. */
    public readonly instanceRole: aws.iam.Role;
    /** The Image Builder instance profile. */
    public readonly instanceProfile: aws.iam.InstanceProfile;
    /** The cleanup Lambda role. */
    public readonly cleanupLambdaRole: aws.iam.Role;
    /** ARNs, resolved once each role's inline policy and attachments exist. */
    public readonly instanceRoleArn: pulumi.Output<string>;
    /** ARN of the Image Builder instance profile (`Build/Iam/InstanceProfile`), once its role's policies exist. */
    public readonly instanceProfileArn: pulumi.Output<string>;
    /** ARN of the cleanup Lambda role (`Build/Iam/CleanupLambdaRole`), once its policies exist. */
    public readonly cleanupLambdaRoleArn: pulumi.Output<string>;
    /** Both role ARNs, for a restricted-mode user's `passRoleArns` (`passRoleArns: [...images.roleArns]`). */
    public readonly roleArns: pulumi.Output<string>[];
    /** The `Build/Iam` fragment as an object. */
    public readonly buildConfig: pulumi.Output<ImageBuildIamConfig>;
    /** The same fragment as YAML. */
    public readonly buildConfigYaml: pulumi.Output<string>;

    constructor(name: string, args: ImageBuildRolesArgs = {}, opts?: pulumi.ComponentResourceOptions) {
        const sync = validateImageBuildRolesArgs(name, args, opts);
        super(TYPE_TOKENS.ImageBuildRoles, name, {}, opts);
        const entries = policyEntries(new Problems(), "additionalIamPolicies", args.additionalIamPolicies, "additionalIamPolicyRefs", args.additionalIamPolicyRefs);
        // Every check again with the real context and the ARNs other resources give; children wait for it.
        const ctx = pulumi.all([contextOutput("ImageBuildRoles", name, sync, this), pulumi.all(entries.map((e) => e.arn))]).apply(([c, arns]) => {
            const p = new Problems();
            imageProblems(p, args, c, entries, arns);
            if (!p.empty) throw inputPropertiesError("ImageBuildRoles", name, p.list);
            return c;
        });
        const tctx = templateContext(sync);
        const path = args.iamPath ?? "/parallelcluster/";
        const phys = (s: string) => (args.namePrefix === undefined ? undefined : `${args.namePrefix}-${s}`);
        const build = (c: PolicyContext) => imageBuilderInstancePolicy(c);
        const instance = createNodeRole(
            {
                logicalName: `${name}-image-builder`,
                physicalName: phys("image-builder"),
                purpose: "image-builder-instance",
                labels: {},
                trust: ctx.apply((c) => JSON.stringify(ec2TrustPolicy(c))),
                policies: ctx.apply(build),
                managedPolicyArns: build(tctx).managedPolicyArns,
                additionalPolicies: entries,
                inlinePolicyName: INLINE_POLICY_NAMES["image-builder-instance"],
                instanceProfile: true,
                description: "ParallelCluster EC2 Image Builder instance (pcluster build-image)",
            },
            path,
            args.permissionsBoundaryArn,
            args.tags ?? {},
            this,
            ctx,
        );
        const clean = (c: PolicyContext) => imageCleanupLambdaPolicy(c, { vpc: args.lambdaFunctionsInVpc });
        const cleanup = createNodeRole(
            {
                logicalName: `${name}-image-cleanup`,
                physicalName: phys("image-cleanup"),
                purpose: "image-cleanup-lambda",
                labels: {},
                trust: ctx.apply((c) => JSON.stringify(lambdaTrustPolicy(c))),
                policies: ctx.apply(clean),
                managedPolicyArns: clean(tctx).managedPolicyArns,
                additionalPolicies: [],
                inlinePolicyName: INLINE_POLICY_NAMES["image-cleanup-lambda"],
                instanceProfile: false,
                description: "ParallelCluster image build cleanup Lambda",
            },
            path,
            args.permissionsBoundaryArn,
            args.tags ?? {},
            this,
            ctx,
        );
        this.instanceRole = instance.role;
        this.instanceProfile = instance.instanceProfile!;
        this.cleanupLambdaRole = cleanup.role;
        this.instanceRoleArn = instance.roleArn;
        this.instanceProfileArn = instance.instanceProfileArn!;
        this.cleanupLambdaRoleArn = cleanup.roleArn;
        this.roleArns = [this.instanceRoleArn, this.cleanupLambdaRoleArn];
        this.buildConfig = pulumi
            .all([this.instanceProfileArn, this.cleanupLambdaRoleArn, args.permissionsBoundaryArn])
            .apply(([profile, cleanupRole, boundary]) => {
                const iam: ImageBuildIamConfig["Build"]["Iam"] = { InstanceProfile: profile, CleanupLambdaRole: cleanupRole };
                if (boundary !== undefined) iam.PermissionsBoundary = boundary;
                return { Build: { Iam: iam } };
            });
        this.buildConfigYaml = this.buildConfig.apply((c) => stringify(c));
        this.registerOutputs({
            instanceRoleArn: this.instanceRoleArn,
            instanceProfileArn: this.instanceProfileArn,
            cleanupLambdaRoleArn: this.cleanupLambdaRoleArn,
            roleArns: this.roleArns,
            buildConfig: this.buildConfig,
            buildConfigYaml: this.buildConfigYaml,
        });
    }
}
