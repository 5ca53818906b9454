/** Resource builders for the policy pack tests: properties shaped as the engine sends them. */
import { Diagnostic, ResourceInput } from "../../tools/analyzer";

export const ACCOUNT = "123456789012";
export const PURPOSE = "parallelcluster-iam:purpose";

export function urn(type: string, name: string): string {
    return `urn:pulumi:dev::parallelcluster-iam::${type}::${name}`;
}

/** A document as Pulumi serialises it: a JSON string. */
export function doc(...statements: object[]): string {
    return JSON.stringify({ Version: "2012-10-17", Statement: statements });
}

export const ec2Trust = doc({ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" });
/** A trust policy for people (the operator's roles): the account's principals, no service. */
export const accountTrust = doc({ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: "sts:AssumeRole" });

function res(type: string, name: string, properties: Record<string, unknown>, extra: Partial<ResourceInput> = {}): ResourceInput {
    return { type, name, urn: urn(type, name), properties, ...extra };
}

/** A ParallelCluster role as our components make it (tagged, on /parallelcluster/), unless overridden. */
export function role(name: string, props: Record<string, unknown> = {}, extra: Partial<ResourceInput> = {}): ResourceInput {
    return res("aws:iam/role:Role", name, { name, path: "/parallelcluster/", assumeRolePolicy: ec2Trust, tags: { [PURPOSE]: "head-node" }, ...props }, extra);
}

/** A role of some other application: no tag, name without ParallelCluster, path "/". */
export function otherRole(name: string, props: Record<string, unknown> = {}): ResourceInput {
    return res("aws:iam/role:Role", name, { name, path: "/", assumeRolePolicy: ec2Trust, ...props });
}

export function rolePolicy(name: string, roleName: unknown, policy: unknown, extra: Partial<ResourceInput> = {}): ResourceInput {
    return res("aws:iam/rolePolicy:RolePolicy", name, { name, role: roleName, policy }, extra);
}

export function policy(name: string, props: Record<string, unknown>, extra: Partial<ResourceInput> = {}): ResourceInput {
    return res("aws:iam/policy:Policy", name, { name, path: "/parallelcluster/", policy: doc({ Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::b/*" }), ...props }, extra);
}

export function attachment(name: string, roleName: unknown, policyArn: unknown, extra: Partial<ResourceInput> = {}): ResourceInput {
    return res("aws:iam/rolePolicyAttachment:RolePolicyAttachment", name, { role: roleName, policyArn }, extra);
}

export function policyAttachment(name: string, roles: unknown[], policyArn: string): ResourceInput {
    return res("aws:iam/policyAttachment:PolicyAttachment", name, { name, roles, policyArn });
}

export function exclusive(name: string, roleName: string, policyArns: unknown[]): ResourceInput {
    return res("aws:iam/rolePolicyAttachmentsExclusive:RolePolicyAttachmentsExclusive", name, { roleName, policyArns });
}

export function instanceProfile(name: string, props: Record<string, unknown>): ResourceInput {
    return res("aws:iam/instanceProfile:InstanceProfile", name, { name, path: "/parallelcluster/", ...props });
}

export function userPolicy(name: string, policyDoc: unknown): ResourceInput {
    return res("aws:iam/userPolicy:UserPolicy", name, { name, user: "alice", policy: policyDoc });
}

export function groupPolicy(name: string, policyDoc: unknown): ResourceInput {
    return res("aws:iam/groupPolicy:GroupPolicy", name, { name, group: "hpc-admins", policy: policyDoc });
}

export const aws = (n: string) => `arn:aws:iam::aws:policy/${n}`;
export const customer = (n: string, partition = "aws") => `arn:${partition}:iam::${ACCOUNT}:policy/${n}`;

/** Diagnostics of one policy. */
export function of(diags: Diagnostic[], policyName: string): Diagnostic[] {
    return diags.filter((d) => d.policyName === policyName);
}

/** A provider resource in a region, as the engine attaches to each request. */
export function provider(region: string): ResourceInput["provider"] {
    return { type: "pulumi:providers:aws", name: "default", urn: urn("pulumi:providers:aws", `default-${region}`), properties: { region } };
}
