/** Each policy over Analyze (one resource's inputs), passing and violating, with and without config. */
import * as assert from "node:assert/strict";
import { Diagnostic, PolicyPackConfig, PolicyPackProcess, ResourceInput, UNKNOWN, startPolicyPack } from "../../tools/analyzer";
import {
    ACCOUNT, accountTrust, attachment, aws, customer, doc, exclusive, groupPolicy, instanceProfile, of, otherRole, policy, policyAttachment, provider, role, rolePolicy, userPolicy,
} from "./fixtures";

const ALLOWED = "parallelcluster-allowed-managed-policies";
const EXCLUSIVE = "parallelcluster-no-exclusive-policy-attachment";
const PATH = "parallelcluster-iam-path";
const BOUNDARY = "parallelcluster-permissions-boundary";
const PASSROLE = "parallelcluster-passrole-scoped";
const ADMIN = "parallelcluster-no-admin-wildcards";
const SIZE = "parallelcluster-policy-size";
const ACTIONS = "parallelcluster-valid-actions";

describe("policy pack over Analyze", function () {
    let pack: PolicyPackProcess;
    before(async function () {
        this.timeout(120_000);
        pack = await startPolicyPack();
    });
    after(async () => pack?.close());

    async function analyze(r: ResourceInput, name: string, config: PolicyPackConfig = {}): Promise<Diagnostic[]> {
        await pack.configure(config);
        return of(await pack.analyze(r), name);
    }

    describe(ALLOWED, () => {
        it("passes a ParallelCluster role with allow-listed AWS and customer policies", async () => {
            const r = role("pcluster-head", {
                managedPolicyArns: [aws("CloudWatchAgentServerPolicy"), aws("AmazonSSMManagedInstanceCore"), customer("parallelcluster/ssm"), customer("parallelcluster-fsx")],
            });
            assert.deepEqual(await analyze(r, ALLOWED), []);
        });

        it("refuses an AWS policy off the allow-list, naming the resource, the ARN and the fix", async () => {
            const [d, ...rest] = await analyze(role("head", { managedPolicyArns: [aws("CloudWatchAgentServerPolicy"), aws("AdministratorAccess")] }), ALLOWED);
            assert.equal(rest.length, 0);
            assert.equal(d.enforcementLevel, "mandatory");
            assert.match(d.message, /aws:iam\/role:Role 'head'.*'arn:aws:iam::aws:policy\/AdministratorAccess' is not on ParallelCluster's managed-policy allow-list/);
            assert.match(d.message, /Fix: .*'extraAllowedPolicyArns'/);
        });

        it("refuses seed 003's customer policy pclusterSSM2 at path / (neither parallelcluster* nor /parallelcluster/)", async () => {
            const d = await analyze(role("head", { managedPolicyArns: [customer("pclusterSSM2")] }), ALLOWED);
            assert.equal(d.length, 1);
            assert.match(d[0].message, /pclusterSSM2' is not on/);
        });

        it("leaves roles that are not ParallelCluster's alone", async () => {
            assert.deepEqual(await analyze(otherRole("web", { managedPolicyArns: [aws("AdministratorAccess")] }), ALLOWED), []);
        });

        it("sees attachments whose role name says ParallelCluster: RolePolicyAttachment, PolicyAttachment, RolePolicyAttachmentsExclusive", async () => {
            assert.equal((await analyze(attachment("a", "parallelcluster-head", aws("AdministratorAccess")), ALLOWED)).length, 1);
            assert.deepEqual(await analyze(attachment("a", "parallelcluster-head", aws("AmazonS3ReadOnlyAccess")), ALLOWED), []);
            assert.equal((await analyze(policyAttachment("pa", ["web", "pcluster-compute"], aws("PowerUserAccess")), ALLOWED)).length, 1);
            const ex = await analyze(exclusive("ex", "pcluster-head", [aws("CloudWatchAgentServerPolicy"), aws("IAMFullAccess"), customer("other")]), ALLOWED);
            assert.equal(ex.length, 2);
            assert.match(ex.map((d) => d.message).join("\n"), /IAMFullAccess[\s\S]*policy\/other/);
        });

        it("defers an attachment whose policy ARN is unknown during preview to the stack check", async () => {
            assert.deepEqual(await analyze(attachment("a", "parallelcluster-head", UNKNOWN), ALLOWED), []);
        });

        it("is partition-aware from the ARN: aws-cn and aws-us-gov allow-list entries", async () => {
            const cn = (n: string) => `arn:aws-cn:iam::aws:policy/${n}`;
            assert.deepEqual(await analyze(role("head", { managedPolicyArns: [cn("AmazonS3ReadOnlyAccess"), cn("service-role/AWSBatchServiceRole"), customer("parallelcluster/x", "aws-cn")] }), ALLOWED), []);
            const d = await analyze(role("head", { managedPolicyArns: [cn("AdministratorAccess")] }), ALLOWED);
            assert.equal(d.length, 1);
            // The message lists the allow-list of the ARN's own partition.
            assert.match(d[0].message, /arn:aws-cn:iam::aws:policy\/CloudWatchAgentServerPolicy/);
            assert.doesNotMatch(d[0].message, /arn:aws:iam::aws:policy\/CloudWatchAgentServerPolicy/);
            assert.deepEqual(await analyze(role("head", { managedPolicyArns: ["arn:aws-us-gov:iam::aws:policy/AmazonSSMManagedInstanceCore"] }), ALLOWED), []);
        });

        it("refuses an ARN of another partition than the provider's region", async () => {
            const r = role("head", { managedPolicyArns: [aws("CloudWatchAgentServerPolicy")] }, { provider: provider("cn-north-1") });
            const d = await analyze(r, ALLOWED);
            assert.equal(d.length, 1);
            assert.match(d[0].message, /is in partition 'aws', but the resource's provider region is in 'aws-cn'/);
            const ok = role("head", { managedPolicyArns: ["arn:aws-cn:iam::aws:policy/CloudWatchAgentServerPolicy"] }, { provider: provider("cn-north-1") });
            assert.deepEqual(await analyze(ok, ALLOWED), []);
        });

        it("refuses the operator's policies on cluster roles and leaves the operator's own role alone", async () => {
            const operatorPolicy = customer("parallelcluster/operator/ops-iam");
            const refused = await analyze(role("head", { managedPolicyArns: [operatorPolicy] }), ALLOWED);
            assert.equal(refused.length, 1);
            assert.match(refused[0].message, /operator\/ops-iam' is not on ParallelCluster's managed-policy allow-list/);
            // The operator's role is exempt only while nothing hands it to EC2 or Lambda (fixtures' role() trusts EC2).
            assert.deepEqual(await analyze(role("ops", { path: "/parallelcluster/operator/", assumeRolePolicy: accountTrust, managedPolicyArns: [operatorPolicy] }), ALLOWED), []);
            assert.equal((await analyze(role("ops", { path: "/parallelcluster/operator/", managedPolicyArns: [operatorPolicy] }), ALLOWED)).length, 1);
        });
        it("config: extraAllowedPolicyArns (concrete, non-admin ARNs only) and allowLambdaVpcAccess widen the allow-list", async () => {
            // Wildcards and admin policies are refused at Configure (they once widened the list to anything).
            await assert.rejects(analyze(role("head"), ALLOWED, { [ALLOWED]: { extraAllowedPolicyArns: [aws("AdministratorAccess")] } }), /extraAllowedPolicyArns\[0\]/);
            await assert.rejects(analyze(role("head"), ALLOWED, { [ALLOWED]: { extraAllowedPolicyArns: [customer("team/*")] } }), /extraAllowedPolicyArns\[0\]/);
            assert.deepEqual(await analyze(role("head", { managedPolicyArns: [customer("team/x")] }), ALLOWED, { [ALLOWED]: { extraAllowedPolicyArns: [customer("team/x")] } }), []);
            const vpc = role("lambda", { managedPolicyArns: [aws("service-role/AWSLambdaVPCAccessExecutionRole")] });
            assert.equal((await analyze(vpc, ALLOWED)).length, 1);
            assert.deepEqual(await analyze(vpc, ALLOWED, { [ALLOWED]: { allowLambdaVpcAccess: true } }), []);
        });
    });

    describe(EXCLUSIVE, () => {
        it("refuses aws.iam.PolicyAttachment and points to aws.iam.RolePolicyAttachment", async () => {
            const d = await analyze(policyAttachment("legacy", ["web"], aws("ReadOnlyAccess")), EXCLUSIVE);
            assert.equal(d.length, 1);
            assert.equal(d[0].enforcementLevel, "mandatory");
            assert.match(d[0].message, /aws:iam\/policyAttachment:PolicyAttachment 'legacy'.*detaches 'arn:aws:iam::aws:policy\/ReadOnlyAccess' from every/);
            assert.match(d[0].message, /Fix: replace it with one aws\.iam\.RolePolicyAttachment per role/);
        });
        it("accepts aws.iam.RolePolicyAttachment", async () => {
            assert.deepEqual(await analyze(attachment("a", "web", aws("ReadOnlyAccess")), EXCLUSIVE), []);
        });
    });

    describe(PATH, () => {
        it("refuses ParallelCluster roles, instance profiles and policies off /parallelcluster/", async () => {
            const d = await analyze(role("head", { path: "/" }), PATH);
            assert.equal(d.length, 1);
            assert.match(d[0].message, /aws:iam\/role:Role 'head' is meant for ParallelCluster \(it is tagged 'parallelcluster-iam:purpose'\) but is on path '\/'. Fix: set its path to '\/parallelcluster\/'/);
            // No path at all is IAM's "/".
            assert.equal((await analyze(instanceProfile("pcluster-profile", { path: undefined }), PATH)).length, 1);
            assert.equal((await analyze(policy("parallelcluster-ssm", { path: "/" }), PATH)).length, 1);
            assert.match((await analyze(policy("pclusterSSM2", { path: "/" }), PATH))[0].message, /its name 'pclusterSSM2' mentions ParallelCluster/);
        });
        it("accepts the path and paths below it, and ignores unrelated resources", async () => {
            assert.deepEqual(await analyze(role("head"), PATH), []);
            assert.deepEqual(await analyze(role("head", { path: "/parallelcluster/hpc/" }), PATH), []);
            assert.deepEqual(await analyze(otherRole("web"), PATH), []);
            assert.deepEqual(await analyze(policy("s3-read", { path: "/" }), PATH), []);
        });
        it("config: path", async () => {
            const cfg = { [PATH]: { path: "/hpc/" } };
            assert.deepEqual(await analyze(role("head", { path: "/hpc/pcluster/" }), PATH, cfg), []);
            const d = await analyze(role("head"), PATH, cfg);
            assert.equal(d.length, 1);
            assert.match(d[0].message, /on path '\/parallelcluster\/'. Fix: set its path to '\/hpc\/'/);
        });
    });

    describe(BOUNDARY, () => {
        const boundary = `arn:aws:iam::${ACCOUNT}:policy/parallelcluster/boundary`;
        it("checks nothing without boundaryArn", async () => {
            assert.deepEqual(await analyze(role("head"), BOUNDARY), []);
        });
        it("with boundaryArn: a missing or different boundary is advisory by default; the exact one passes", async () => {
            const cfg = { [BOUNDARY]: { boundaryArn: boundary } };
            const missing = await analyze(role("head"), BOUNDARY, cfg);
            assert.equal(missing.length, 1);
            assert.equal(missing[0].enforcementLevel, "advisory");
            assert.match(missing[0].message, /has no permissions boundary. Fix: set the role's permissionsBoundary to 'arn:aws:iam::123456789012:policy\/parallelcluster\/boundary'/);
            const other = await analyze(role("head", { permissionsBoundary: customer("other") }), BOUNDARY, cfg);
            assert.match(other[0].message, /its permissions boundary is 'arn:aws:iam::123456789012:policy\/other', not/);
            assert.deepEqual(await analyze(role("head", { permissionsBoundary: boundary }), BOUNDARY, cfg), []);
            assert.deepEqual(await analyze(otherRole("web"), BOUNDARY, cfg), []);
        });
        it("can be made mandatory", async () => {
            const d = await analyze(role("head"), BOUNDARY, { [BOUNDARY]: { boundaryArn: boundary, enforcementLevel: "mandatory" } });
            assert.deepEqual(d.map((x) => x.enforcementLevel), ["mandatory"]);
        });
        it("exempts the operator's roles (below /parallelcluster/operator/), not a role that only claims to be the user role", async () => {
            const cfg = { [BOUNDARY]: { boundaryArn: boundary, enforcementLevel: "mandatory" as const } };
            const userTag = { tags: { "parallelcluster-iam:purpose": "cluster-user" } };
            assert.deepEqual(await analyze(role("ops", { ...userTag, path: "/parallelcluster/operator/", assumeRolePolicy: accountTrust }), BOUNDARY, cfg), []);
            // ... but not when its trust policy hands it to EC2.
            assert.equal((await analyze(role("ops", { ...userTag, path: "/parallelcluster/operator/" }), BOUNDARY, cfg)).length, 1);
            assert.equal((await analyze(role("ops", userTag), BOUNDARY, cfg)).length, 1);
        });
    });

    describe(PASSROLE, () => {
        const scoped = { Effect: "Allow", Action: "iam:PassRole", Resource: `arn:aws:iam::${ACCOUNT}:role/parallelcluster/*`, Condition: { StringEquals: { "iam:PassedToService": ["ec2.amazonaws.com"] } } };
        it("accepts PassRole on the ParallelCluster path or named roles with iam:PassedToService", async () => {
            assert.deepEqual(await analyze(rolePolicy("pass", "pcluster-user", doc(scoped)), PASSROLE), []);
            const named = { ...scoped, Resource: [`arn:aws:iam::${ACCOUNT}:role/hpc-head`, `arn:aws-cn:iam::${ACCOUNT}:instance-profile/parallelcluster/*`] };
            assert.deepEqual(await analyze(policy("user", { policy: doc(named) }), PASSROLE), []);
            // A document given as an object, not a string.
            assert.deepEqual(await analyze(userPolicy("u", { Version: "2012-10-17", Statement: scoped }), PASSROLE), []);
        });
        it("refuses PassRole on '*' or role/* and without the condition, also through wildcards and NotAction", async () => {
            const star = await analyze(rolePolicy("pass", "pcluster-user", doc({ Effect: "Allow", Action: ["ec2:RunInstances", "iam:PassRole"], Resource: "*" })), PASSROLE);
            assert.equal(star.length, 1);
            assert.match(star[0].message, /inline policy 'pass' statement #1 grants iam:PassRole and allows it on '\*' \(every role in the account\); has no iam:PassedToService condition. Fix:/);
            const wide = await analyze(policy("user", { policy: doc({ ...scoped, Sid: "Pass", Action: "iam:Pass*", Resource: `arn:aws:iam::${ACCOUNT}:role/*` }) }), PASSROLE);
            assert.match(wide[0].message, /statement 'Pass' grants iam:PassRole through 'iam:Pass\*' and allows it on '.*role\/\*' \(a wildcard outside the ParallelCluster path\)/);
            const iamAll = await analyze(groupPolicy("g", doc({ Effect: "Allow", Action: "IAM:*", Resource: `arn:aws:iam::${ACCOUNT}:role/parallelcluster/*` })), PASSROLE);
            assert.match(iamAll[0].message, /through 'IAM:\*' and has no iam:PassedToService condition/);
            const notAction = await analyze(userPolicy("u", doc({ Effect: "Allow", NotAction: "s3:*", Resource: "*" })), PASSROLE);
            assert.match(notAction[0].message, /through NotAction/);
            const anyService = await analyze(role("head", { inlinePolicies: [{ name: "p", policy: doc({ ...scoped, Condition: { StringLike: { "iam:PassedToService": "*" } } }) }] }), PASSROLE);
            assert.match(anyService[0].message, /aws:iam\/role:Role 'head' inline policy 'p'.*allows every service/);
        });
        it("ignores Deny statements and statements that do not grant PassRole", async () => {
            const d = doc({ Effect: "Deny", Action: "iam:PassRole", Resource: "*" }, { Effect: "Allow", NotAction: "iam:*", Resource: "*" }, { Effect: "Allow", Action: "iam:GetRole", Resource: "*" });
            assert.deepEqual(await analyze(rolePolicy("p", "r", d), PASSROLE), []);
        });
    });

    describe(ADMIN, () => {
        it("refuses '*', 'iam:*', 'sts:*' and NotAction on Resource '*'", async () => {
            for (const action of ["*", "iam:*", "sts:*", "IAM:*"]) {
                const d = await analyze(policy("p", { policy: doc({ Effect: "Allow", Action: ["s3:GetObject", action], Resource: "*" }) }), ADMIN);
                assert.equal(d.length, 1, action);
                assert.match(d[0].message, new RegExp(`allows '${action.replace("*", "\\*")}' .* on Resource '\\*': administrator access. Fix:`));
            }
            const na = await analyze(rolePolicy("rp", "r", doc({ Effect: "Allow", NotAction: "ec2:TerminateInstances", Resource: "*" })), ADMIN);
            assert.match(na[0].message, /allows NotAction on Resource '\*'/);
        });
        it("accepts service wildcards other than IAM/STS, scoped admin actions and Deny", async () => {
            const d = doc(
                { Effect: "Allow", Action: ["s3:*", "ec2:Describe*"], Resource: "*" },
                { Effect: "Allow", Action: "iam:*", Resource: `arn:aws:iam::${ACCOUNT}:role/parallelcluster/*` },
                { Effect: "Deny", Action: "*", Resource: "*" },
            );
            assert.deepEqual(await analyze(policy("p", { policy: d }), ADMIN), []);
        });
    });

    describe(SIZE, () => {
        const big = (n: number) => doc({ Effect: "Allow", Action: "s3:GetObject", Resource: Array.from({ length: n }, (_, i) => `arn:aws:s3:::bucket-${String(i).padStart(4, "0")}/*`) });
        it("refuses a customer policy over 6,144 non-whitespace characters and accepts one under", async () => {
            const d = await analyze(policy("p", { policy: big(250) }), SIZE);
            assert.equal(d.length, 1);
            assert.match(d[0].message, /the document has \d{4,} non-whitespace characters; a managed policy holds at most 6144. Fix: split it/);
            assert.deepEqual(await analyze(policy("p", { policy: big(100) }), SIZE), []);
        });
        it("refuses a role whose inline policies exceed 10,240 together, and a single RolePolicy over it", async () => {
            const d = await analyze(role("head", { inlinePolicies: [{ name: "a", policy: big(200) }, { name: "b", policy: big(200) }] }), SIZE);
            assert.match(d[0].message, /its inline policies have \d+ non-whitespace characters together; at most 10240/);
            assert.deepEqual(await analyze(role("head", { inlinePolicies: [{ name: "a", policy: big(200) }] }), SIZE), []);
            assert.equal((await analyze(rolePolicy("rp", "head", big(420)), SIZE)).length, 1);
        });
    });

    describe(ACTIONS, () => {
        it("flags actions and condition keys missing from the service authorization reference (advisory)", async () => {
            const d = await analyze(policy("p", { policy: doc({ Sid: "Efs", Effect: "Allow", Action: ["efs:DescribeFileSystems", "ec2:DescribeInstances"], Resource: "*", Condition: { StringEquals: { "ec2:NoSuchKey": "x" } } }) }), ACTIONS);
            assert.deepEqual(d.map((x) => x.enforcementLevel), ["advisory", "advisory"]);
            assert.match(d[0].message, /statement Efs: action 'efs:DescribeFileSystems' is not in the service authorization reference/);
            assert.match(d[1].message, /condition key 'ec2:NoSuchKey'/);
        });
        it("accepts real actions and keys, and reports a document that is not JSON", async () => {
            const ok = doc({ Effect: "Allow", Action: "elasticfilesystem:DescribeFileSystems", Resource: "*", Condition: { StringEquals: { "aws:RequestedRegion": "us-east-1" } } });
            assert.deepEqual(await analyze(policy("p", { policy: ok }), ACTIONS), []);
            const bad = await analyze(rolePolicy("rp", "r", '{"Version": "2012-10-17", "Statement": [{'), ACTIONS);
            assert.match(bad[0].message, /inline policy 'rp' is not valid JSON/);
        });
    });

    describe("unknown values during preview", () => {
        it("a document unknown during preview gives advisory 'can't run ... during preview' messages, never a mandatory violation", async () => {
            await pack.configure({});
            const d = await pack.analyze(policy("p", { policy: UNKNOWN }));
            assert.ok(d.length > 0);
            for (const x of d) {
                assert.equal(x.enforcementLevel, "advisory", x.policyName);
                assert.match(x.message, /can't run policy '.*' from policy pack 'parallelcluster-iam@v0.1.0' during preview: the policy document of aws:iam\/policy:Policy 'p' is unknown during preview/);
            }
            assert.deepEqual(d.map((x) => x.policyName).sort(), [ADMIN, PASSROLE, SIZE, ACTIONS]);
        });
        it("judges what is known next to an unknown: a known admin statement is still refused", async () => {
            const d = await pack.analyze(role("head", { inlinePolicies: [{ name: "a", policy: UNKNOWN }, { name: "b", policy: doc({ Effect: "Allow", Action: "*", Resource: "*" }) }] }));
            assert.deepEqual(of(d, ADMIN).map((x) => x.enforcementLevel).sort(), ["advisory", "mandatory"]);
        });
    });
});
