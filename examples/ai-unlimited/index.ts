/**
 * Teradata AI Unlimited (it deploys "engine" clusters on EC2), least privilege. The published policies grant
 * iam:PassRole and iam:PutRolePolicy on "*", which lets the service hand any role in the account, an
 * administrator's included, to an instance, and put any policy on any role. Here:
 * - the engine role AI Unlimited passes to its instances reads only its own secrets (secret:compute-engine/*);
 * - without IAM-create permissions the manager passes exactly that role, to EC2 only;
 * - with them, it creates and changes roles only under /ai-unlimited/ and only with the engine boundary, and
 *   passes only the roles of the engine clusters named in the config (role/ai-unlimited/<cluster>-engine);
 * - Session Manager reaches only instances tagged as AI Unlimited engines;
 * - every ARN follows the partition, region and account.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

const config = new pulumi.Config();
const createsEngineRoles = config.getBoolean("createsEngineRoles") ?? false;
const engineClusters = config.getObject<string[]>("engineClusters") ?? [];
const managerRole = config.require("managerRole");
const sessionManager = config.getBoolean("sessionManager") ?? true;
if (createsEngineRoles && engineClusters.length === 0) throw new pulumi.RunError("ai-unlimited-iam:engineClusters: empty; createsEngineRoles needs the engine cluster names it may create roles for");

const PATH = "/ai-unlimited/";
const TAG = "ai-unlimited:engine";
const env = pulumi.all([aws.getPartitionOutput().partition, aws.getRegionOutput().region, aws.getCallerIdentityOutput().accountId, aws.getPartitionOutput().dnsSuffix]);
const doc = (build: (p: string, region: string, account: string, dns: string) => unknown[]) =>
    env.apply(([p, region, account, dns]) => JSON.stringify({ Version: "2012-10-17", Statement: build(p, region, account, dns) }));

const secretsArn = (p: string, region: string, account: string) => `arn:${p}:secretsmanager:${region}:${account}:secret:compute-engine/*`;

// What every engine may do: read its cluster's secrets. A boundary for the roles AI Unlimited creates, too.
const engineDocument = doc((p, region, account) => [
    { Sid: "EngineSecrets", Effect: "Allow", Action: ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"], Resource: secretsArn(p, region, account) },
]);
const engineRole = new aws.iam.Role("engine", {
    path: PATH,
    description: "AI Unlimited engine instances",
    assumeRolePolicy: env.apply(([, , , dns]) => JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: `ec2.${dns}` }, Action: "sts:AssumeRole" }] })),
    tags: { [TAG]: "true" },
});
new aws.iam.RolePolicy("engine-secrets", { role: engineRole.name, name: "engine-secrets", policy: engineDocument });
const engineProfile = new aws.iam.InstanceProfile("engine", { path: PATH, role: engineRole.name });
const boundary = new aws.iam.Policy("engine-boundary", { path: PATH, description: "Boundary of every role AI Unlimited creates", policy: engineDocument });

// The manager: launch and end engine instances, tagged as such.
const instances = (p: string, region: string, account: string) => `arn:${p}:ec2:${region}:${account}:instance/*`;
const ec2Statements = (p: string, region: string, account: string) => [
    { Sid: "Describe", Effect: "Allow", Action: ["ec2:DescribeInstances", "ec2:DescribeImages", "ec2:DescribeSubnets", "ec2:DescribeSecurityGroups", "ec2:DescribeVpcs"], Resource: "*" },
    { Sid: "RunTaggedEngines", Effect: "Allow", Action: "ec2:RunInstances", Resource: instances(p, region, account), Condition: { StringEquals: { [`aws:RequestTag/${TAG}`]: "true" } } },
    {
        Sid: "RunWith", Effect: "Allow", Action: "ec2:RunInstances",
        Resource: ["volume", "network-interface", "subnet", "security-group", "key-pair"].map((t) => `arn:${p}:ec2:${region}:${account}:${t}/*`).concat(`arn:${p}:ec2:${region}::image/*`),
    },
    { Sid: "TagAtLaunch", Effect: "Allow", Action: "ec2:CreateTags", Resource: `arn:${p}:ec2:${region}:${account}:*/*`, Condition: { StringEquals: { "ec2:CreateAction": "RunInstances" } } },
    { Sid: "ManageEngines", Effect: "Allow", Action: ["ec2:StartInstances", "ec2:StopInstances", "ec2:TerminateInstances"], Resource: instances(p, region, account), Condition: { StringEquals: { [`ec2:ResourceTag/${TAG}`]: "true" } } },
];
const passStatement = (arns: string[]) => ({ Sid: "PassEngineRoles", Effect: "Allow", Action: "iam:PassRole", Resource: arns, Condition: { StringEquals: { "iam:PassedToService": "ec2.amazonaws.com" } } });

const managerDocument = createsEngineRoles
    ? pulumi.all([env, boundary.arn]).apply(([[p, region, account], boundaryArn]) => {
        const roles = engineClusters.map((c) => `arn:${p}:iam::${account}:role${PATH}${c}-engine`);
        const profiles = engineClusters.map((c) => `arn:${p}:iam::${account}:instance-profile${PATH}${c}-engine`);
        return JSON.stringify({
            Version: "2012-10-17",
            Statement: [
                ...ec2Statements(p, region, account),
                { Sid: "CreateBoundedEngineRoles", Effect: "Allow", Action: ["iam:CreateRole", "iam:PutRolePolicy", "iam:DeleteRolePolicy"], Resource: roles, Condition: { StringEquals: { "iam:PermissionsBoundary": boundaryArn } } },
                { Sid: "DeleteEngineRoles", Effect: "Allow", Action: ["iam:DeleteRole", "iam:GetRole", "iam:GetRolePolicy", "iam:TagRole"], Resource: roles },
                { Sid: "EngineProfiles", Effect: "Allow", Action: ["iam:CreateInstanceProfile", "iam:DeleteInstanceProfile", "iam:AddRoleToInstanceProfile", "iam:RemoveRoleFromInstanceProfile", "iam:GetInstanceProfile"], Resource: profiles },
                passStatement(roles),
            ],
        });
    })
    : pulumi.all([env, engineRole.arn]).apply(([[p, region, account], roleArn]) => JSON.stringify({ Version: "2012-10-17", Statement: [...ec2Statements(p, region, account), passStatement([roleArn])] }));

const manager = new aws.iam.Policy("manager", {
    path: PATH,
    description: createsEngineRoles ? "AI Unlimited: engines, with bounded engine roles it creates" : "AI Unlimited: engines with the pre-created engine role",
    policy: managerDocument,
});
new aws.iam.RolePolicyAttachment("manager", { role: managerRole, policyArn: manager.arn });

if (sessionManager) {
    const ssm = new aws.iam.Policy("session-manager", {
        path: PATH,
        description: "AI Unlimited: Session Manager to engine instances only",
        policy: doc((p, region, account) => [
            { Sid: "StartToEngines", Effect: "Allow", Action: "ssm:StartSession", Resource: instances(p, region, account), Condition: { StringEquals: { [`ssm:resourceTag/${TAG}`]: "true" } } },
            { Sid: "ShellDocument", Effect: "Allow", Action: "ssm:StartSession", Resource: `arn:${p}:ssm:${region}::document/SSM-SessionManagerRunShell` },
            { Sid: "OwnSessions", Effect: "Allow", Action: ["ssm:TerminateSession", "ssm:ResumeSession"], Resource: `arn:${p}:ssm:${region}:${account}:session/\${aws:userid}-*` },
        ]),
    });
    new aws.iam.RolePolicyAttachment("session-manager", { role: managerRole, policyArn: ssm.arn });
}

export const engineRoleArn = engineRole.arn;
export const engineInstanceProfileArn = engineProfile.arn;
export const engineBoundaryArn = boundary.arn;
export const managerPolicyArn = manager.arn;
