import * as pulumi from "@pulumi/pulumi";
import { stringify } from "yaml";
import { ContextArgs, contextOutput, syncContext, SyncContext, templateContext, validateTags } from "./common";
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
    /** Managed policies for the Image Builder instance role (`Build/Iam/AdditionalIamPolicies`), on the allow-list. */
    readonly additionalIamPolicies?: string[];
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
export function validateImageBuildRolesArgs(name: string, args: ImageBuildRolesArgs): SyncContext {
    validateParallelClusterVersion(args?.parallelClusterVersion);
    const sync = syncContext(args ?? {});
    const v = templateContext(sync);
    validateRoleSettings(v, args);
    validateExtraPolicyArns(v, "extraAllowedPolicyArns", args.extraAllowedPolicyArns);
    validateAdditionalPolicies("additionalIamPolicies", args.additionalIamPolicies, v, { extraPolicyArns: args.extraAllowedPolicyArns });
    validateTags("tags", args.tags);
    const phys = (s: string) => (args.namePrefix === undefined ? undefined : `${args.namePrefix}-${s}`);
    validateRolePlan("name", `${name}-image-builder`, phys("image-builder"), 2 + (args.additionalIamPolicies?.length ?? 0));
    validateRolePlan("name", `${name}-image-cleanup`, phys("image-cleanup"), args.lambdaFunctionsInVpc ? 2 : 1);
    return sync;
}

/** The `Build/Iam` fragment of a ParallelCluster 3 image configuration. */
export interface ImageBuildIamConfig {
    Build: { Iam: { InstanceProfile: string; CleanupLambdaRole: string; PermissionsBoundary?: string } };
}

/** Pre-created roles for `pcluster build-image`: the Image Builder instance role and profile, and the cleanup Lambda role. */
export class ImageBuildRoles extends pulumi.ComponentResource {
    public readonly instanceRoleArn: pulumi.Output<string>;
    public readonly instanceProfileArn: pulumi.Output<string>;
    public readonly cleanupLambdaRoleArn: pulumi.Output<string>;
    /** Both role ARNs, for a restricted-mode user's `passRoleArns`. */
    public readonly roleArns: pulumi.Output<string[]>;
    /** The `Build/Iam` fragment as an object. */
    public readonly buildConfig: pulumi.Output<ImageBuildIamConfig>;
    /** The same fragment as YAML. */
    public readonly buildConfigYaml: pulumi.Output<string>;

    constructor(name: string, args: ImageBuildRolesArgs = {}, opts?: pulumi.ComponentResourceOptions) {
        const sync = validateImageBuildRolesArgs(name, args);
        super("parallelcluster-iam:index:ImageBuildRoles", name, {}, opts);
        const ctx = contextOutput(sync, this);
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
                additionalPolicyArns: args.additionalIamPolicies ?? [],
                inlinePolicyName: "parallelcluster-image-builder",
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
                additionalPolicyArns: [],
                inlinePolicyName: "parallelcluster-image-cleanup",
                instanceProfile: false,
                description: "ParallelCluster image build cleanup Lambda",
            },
            path,
            args.permissionsBoundaryArn,
            args.tags ?? {},
            this,
            ctx,
        );
        this.instanceRoleArn = instance.role.arn;
        this.instanceProfileArn = instance.instanceProfile!.arn;
        this.cleanupLambdaRoleArn = cleanup.role.arn;
        this.roleArns = pulumi.all([instance.role.arn, cleanup.role.arn]);
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
