/** Internal: validation and role construction shared by ClusterNodeRoles and ImageBuildRoles. */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { PolicyEntry, Problems, after, gated, purposeTags, Purpose, shortHash, UNKNOWN_ACCOUNT, validateRoleLogicalName } from "./common";
import { AllowListOptions, validateAllowedPolicyArn, validateBoundaryArn } from "./policies/allowlist";
import { PolicyContext, validateArn } from "./policies/context";
import {
    MANAGED_POLICIES_PER_ROLE_DEFAULT,
    ROLE_NAME_MAX,
    assertInlinePoliciesSize,
    validateIamName,
    validateParallelClusterPath,
} from "./policies/limits";
import { RolePolicySet } from "./policies/types";

/** Validates additional policies against the allow-list: plain ARNs now, the others (`resolved`) once known. */
export function validateAdditionalPolicies(problems: Problems, entries: readonly PolicyEntry[], v: PolicyContext, allow: AllowListOptions, resolved?: readonly string[]): void {
    const seen = new Map<string, string>();
    entries.forEach((e, i) => {
        const a = resolved ? resolved[i] : typeof e.arn === "string" ? e.arn : undefined;
        if (a === undefined) return;
        problems.check(() => {
            validateArn(v, e.field, a, "policy");
            // The account is checked only when known; "*" otherwise.
            validateAllowedPolicyArn(e.field, a, v.partition, v.accountId === UNKNOWN_ACCOUNT ? "*" : v.accountId, allow);
            const other = seen.get(a);
            if (other !== undefined) throw new Error(`${e.field}: '${a}' is also ${other}; each policy is attached once`);
            seen.set(a, e.field);
        });
    });
}

/** Validates the IAM path, boundary and name prefix args common to node-role components. */
export function validateRoleSettings(
    v: PolicyContext,
    args: { iamPath?: string; permissionsBoundaryArn?: pulumi.Input<string>; namePrefix?: string },
): string {
    const path = args.iamPath ?? "/parallelcluster/";
    validateParallelClusterPath("iamPath", path);
    if (typeof args.permissionsBoundaryArn === "string") validateBoundaryArn(v, "permissionsBoundaryArn", args.permissionsBoundaryArn);
    if (args.namePrefix !== undefined) validateIamName("namePrefix", args.namePrefix, ROLE_NAME_MAX - 20);
    return path;
}

/** Checks a role's name and its managed-policy count before anything is registered. */
export function validateRolePlan(field: string, logicalName: string, physicalName: string | undefined, managedCount: number, quota = MANAGED_POLICIES_PER_ROLE_DEFAULT): void {
    if (physicalName !== undefined) validateIamName(field, physicalName, ROLE_NAME_MAX);
    else validateRoleLogicalName(field, logicalName);
    if (managedCount > quota) {
        throw new Error(`${field}: the role would carry ${managedCount} managed policies; IAM's default quota is ${quota} per role (drop additional policies)`);
    }
}

export interface NodeRoleSpec {
    logicalName: string;
    physicalName?: string;
    purpose: Purpose;
    labels: { cluster?: string; queue?: string; pool?: string; scheduler?: string };
    trust: pulumi.Input<string>;
    policies: pulumi.Output<RolePolicySet>;
    /** AWS-managed ARNs known now (attachment names hash them). */
    managedPolicyArns: string[];
    /** Additional policies, each with its stable key (attachment names hash it). */
    additionalPolicies: readonly PolicyEntry[];
    inlinePolicyName: string;
    instanceProfile: boolean;
    description: string;
}

export interface NodeRole {
    role: aws.iam.Role;
    instanceProfile?: aws.iam.InstanceProfile;
    /** The role's ARN, resolved once its inline policy and attachments exist (pulumi-eks resolvedRole). */
    roleArn: pulumi.Output<string>;
    /** The profile's ARN, resolved once the role is ready. */
    instanceProfileArn?: pulumi.Output<string>;
}

/** Creates a role with its inline policy, managed attachments and (for EC2) its instance profile. */
export function createNodeRole(
    spec: NodeRoleSpec,
    path: string,
    boundary: pulumi.Input<string> | undefined,
    userTags: Record<string, string>,
    parent: pulumi.Resource,
    ctx: pulumi.Output<PolicyContext>,
): NodeRole {
    const opts = { parent };
    const tags = gated(ctx, purposeTags(spec.purpose, spec.labels, userTags));
    const role = new aws.iam.Role(
        spec.logicalName,
        {
            name: spec.physicalName,
            path,
            description: spec.description,
            assumeRolePolicy: spec.trust,
            // A boundary from another resource is checked once known, as a plain one was before registration.
            permissionsBoundary: boundary === undefined ? undefined : pulumi.all([ctx, boundary]).apply(([c, b]) => validateBoundaryArn(c, "permissionsBoundaryArn", b)),
            tags,
        },
        opts,
    );
    const inline = new aws.iam.RolePolicy(
        `${spec.logicalName}-policy`,
        {
            role: role.name,
            name: spec.inlinePolicyName,
            policy: spec.policies.apply((p) => {
                assertInlinePoliciesSize(spec.logicalName, [p.inlinePolicy]);
                return JSON.stringify(p.inlinePolicy);
            }),
        },
        opts,
    );
    // Attachments are named by the hash of the AWS-managed ARN, or of the additional policy's stable key
    // (its plain ARN, as before, or `ref:<id>`), never by position.
    const entries = [...new Set(spec.managedPolicyArns)].map((a) => ({ key: a, arn: a as pulumi.Input<string> })).concat(spec.additionalPolicies.map((e) => ({ key: e.key, arn: e.arn })));
    const attachments = entries.map((e) => new aws.iam.RolePolicyAttachment(`${spec.logicalName}-${shortHash(e.key)}`, { role: role.name, policyArn: gated(ctx, e.arn) }, opts));
    const instanceProfile = spec.instanceProfile
        ? new aws.iam.InstanceProfile(spec.logicalName, { name: spec.physicalName, path, role: role.name, tags }, opts)
        : undefined;
    const ready = [inline, ...attachments];
    return {
        role,
        instanceProfile,
        roleArn: after(role.arn, ready),
        instanceProfileArn: instanceProfile ? after(instanceProfile.arn, ready) : undefined,
    };
}
