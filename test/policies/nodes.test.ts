import * as assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { isAllowedPolicyArn } from "../../components/policies/allowlist";
import { PolicyContext, makeContext } from "../../components/policies/context";
import { computeNodePolicy } from "../../components/policies/computeNode";
import { HeadNodeOptions, Scheduler, headNodePolicy } from "../../components/policies/headNode";
import { imageBuilderInstancePolicy } from "../../components/policies/imageBuilderInstance";
import { imageCleanupLambdaPolicy } from "../../components/policies/imageCleanupLambda";
import { lambdaFunctionsPolicy } from "../../components/policies/lambdaFunctions";
import { MANAGED_POLICY_MAX_CHARS, ROLE_INLINE_POLICIES_MAX_CHARS, policySize } from "../../components/policies/limits";
import { checkDocumentReference } from "../../components/policies/reference";
import { S3AccessEntry, s3AccessStatements } from "../../components/policies/s3Access";
import { PolicyDocument, PolicyStatement, RolePolicySet } from "../../components/policies/types";
import { semanticDiff, tuplesOf } from "../support/semantic";

const ACCOUNT = "123456789012";
const ctx = makeContext({ partition: "aws", accountId: ACCOUNT, region: "us-east-1" });
const SECRET = `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:ad-password-AbCdEf`;
const SECRET2 = `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:slurmdbd-password-XyZ123`;

function fixture(name: string): PolicyDocument {
    return JSON.parse(readFileSync(path.join(__dirname, "..", "fixtures", "guide", `${name}.json`), "utf8")) as PolicyDocument;
}

const noDiff = { added: [], removed: [] };

/** Every partition, with a concrete region and with "*". */
const CONTEXTS: PolicyContext[] = [
    makeContext({ accountId: ACCOUNT, region: "us-east-1" }),
    makeContext({ accountId: ACCOUNT, region: "cn-north-1" }),
    makeContext({ accountId: ACCOUNT, region: "us-gov-west-1" }),
    makeContext({ partition: "aws", accountId: ACCOUNT, region: "*" }),
    makeContext({ partition: "aws-cn", accountId: ACCOUNT, region: "*" }),
    makeContext({ partition: "aws-us-gov", accountId: ACCOUNT, region: "*" }),
];

const S3_MIXED: S3AccessEntry[] = [
    { bucketName: "team-data" },
    { bucketName: "team-results", keyName: "out/*", enableWriteAccess: true },
    { bucketName: "team-inputs", keyName: "in/*" },
];

function secretFor(c: PolicyContext): string {
    const region = c.region === "*" ? { aws: "us-east-1", "aws-cn": "cn-north-1", "aws-us-gov": "us-gov-west-1" }[c.partition] : c.region;
    return `arn:${c.partition}:secretsmanager:${region}:${ACCOUNT}:secret:ad-password-AbCdEf`;
}

/** Every builder in this module and every option combination, for one context. */
function allRoleSets(c: PolicyContext): { name: string; set: RolePolicySet }[] {
    const out: { name: string; set: RolePolicySet }[] = [];
    const secrets = [undefined, [secretFor(c)]];
    for (const scheduler of ["slurm", "awsbatch"] as Scheduler[]) {
        for (const secretArns of secrets) {
            for (const s3Access of [undefined, S3_MIXED]) {
                for (const cloudWatchLogs of [undefined, true, false]) {
                    const passRoles = scheduler === "slurm" ? [undefined, [`arn:${c.partition}:iam::${ACCOUNT}:role/custom/compute-role`]] : [undefined];
                    for (const passRoleArns of passRoles) {
                        const opts: HeadNodeOptions = { scheduler, secretArns, s3Access, cloudWatchLogs, passRoleArns };
                        out.push({ name: `head ${JSON.stringify(opts)}`, set: headNodePolicy(c, opts) });
                    }
                }
            }
        }
    }
    for (const s3Access of [undefined, S3_MIXED]) {
        for (const cloudWatchLogs of [undefined, true, false]) out.push({ name: `compute ${String(cloudWatchLogs)} ${String(!!s3Access)}`, set: computeNodePolicy(c, { s3Access, cloudWatchLogs }) });
    }
    out.push({ name: "compute default", set: computeNodePolicy(c) });
    for (const vpc of [undefined, false, true]) out.push({ name: `lambda vpc=${String(vpc)}`, set: lambdaFunctionsPolicy(c, { vpc }) });
    out.push({ name: "lambda default", set: lambdaFunctionsPolicy(c) });
    out.push({ name: "imagebuilder", set: imageBuilderInstancePolicy(c) });
    out.push({ name: "cleanup", set: imageCleanupLambdaPolicy(c) });
    return out;
}

describe("node policies: the guide's documents", () => {
    it("head node (Slurm) with a secret reproduces the guide exactly", () => {
        const set = headNodePolicy(ctx, { scheduler: "slurm", secretArns: [SECRET] });
        assert.deepEqual(semanticDiff(set.inlinePolicy, fixture("node-head-slurm")), noDiff);
        assert.deepEqual(set.managedPolicyArns, ["arn:aws:iam::aws:policy/CloudWatchAgentServerPolicy", "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore"]);
    });
    it("head node (AWS Batch) with a secret reproduces the guide exactly (errata fixed in the fixture)", () => {
        const doc = fixture("node-head-awsbatch");
        // The fixture carries the fixed object: the guide's snippet had lost its opening '{'.
        assert.ok(doc.Statement.some((s) => JSON.stringify(s.Action) === JSON.stringify(["batch:DescribeJobQueues", "batch:DescribeJobs", "batch:ListJobs", "batch:DescribeComputeEnvironments"])));
        const set = headNodePolicy(ctx, { scheduler: "awsbatch", secretArns: [SECRET] });
        assert.deepEqual(semanticDiff(set.inlinePolicy, doc), noDiff);
        assert.deepEqual(set.managedPolicyArns, ["arn:aws:iam::aws:policy/CloudWatchAgentServerPolicy", "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore"]);
    });
    it("compute node reproduces the guide exactly", () => {
        const set = computeNodePolicy(ctx);
        assert.deepEqual(semanticDiff(set.inlinePolicy, fixture("node-compute")), noDiff);
        assert.deepEqual(set.managedPolicyArns, ["arn:aws:iam::aws:policy/CloudWatchAgentServerPolicy", "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore"]);
    });
    it("Lambda functions role reproduces the guide exactly, with no managed policy by default", () => {
        const set = lambdaFunctionsPolicy(ctx);
        assert.deepEqual(semanticDiff(set.inlinePolicy, fixture("node-lambda")), noDiff);
        assert.deepEqual(set.managedPolicyArns, []);
    });
    it("Image Builder instance role reproduces the guide exactly", () => {
        const set = imageBuilderInstancePolicy(ctx);
        assert.deepEqual(semanticDiff(set.inlinePolicy, fixture("node-imagebuilder")), noDiff);
        assert.deepEqual(set.managedPolicyArns, ["arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore", "arn:aws:iam::aws:policy/EC2InstanceProfileForImageBuilder"]);
    });
    it("image cleanup Lambda role reproduces the guide exactly", () => {
        const set = imageCleanupLambdaPolicy(ctx);
        assert.deepEqual(semanticDiff(set.inlinePolicy, fixture("node-cleanup")), noDiff);
        assert.deepEqual(set.managedPolicyArns, ["arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"]);
    });
});

describe("node policies: pinned deviations (docs/deviations/nodes.md)", () => {
    it("D1: without secretArns there is no GetSecretValue statement, and never a placeholder", () => {
        for (const scheduler of ["slurm", "awsbatch"] as Scheduler[]) {
            const doc = headNodePolicy(ctx, { scheduler }).inlinePolicy;
            assert.deepEqual(semanticDiff(doc, fixture(`node-head-${scheduler}`)), {
                added: [],
                removed: tuplesOf({ Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: SECRET }),
            });
        }
        const two = headNodePolicy(ctx, { scheduler: "slurm", secretArns: [SECRET, SECRET2] }).inlinePolicy;
        assert.deepEqual(semanticDiff(two, fixture("node-head-slurm")), {
            added: tuplesOf({ Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: SECRET2 }),
            removed: [],
        });
    });
    it("D2: cloudWatchLogs false drops CloudWatchAgentServerPolicy, keeps SSM and the document", () => {
        const head = headNodePolicy(ctx, { scheduler: "slurm", secretArns: [SECRET], cloudWatchLogs: false });
        assert.deepEqual(head.managedPolicyArns, ["arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore"]);
        assert.deepEqual(semanticDiff(head.inlinePolicy, fixture("node-head-slurm")), noDiff);
        const compute = computeNodePolicy(ctx, { cloudWatchLogs: false });
        assert.deepEqual(compute.managedPolicyArns, ["arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore"]);
        assert.deepEqual(semanticDiff(compute.inlinePolicy, fixture("node-compute")), noDiff);
    });
    it("D3: in aws-cn the head node may pass roles to EC2 under either principal spelling", () => {
        const cn = makeContext({ accountId: ACCOUNT, region: "cn-north-1" });
        const doc = headNodePolicy(cn, { scheduler: "slurm" }).inlinePolicy;
        const passRole = doc.Statement.find((s) => JSON.stringify(s.Action).includes("iam:PassRole"));
        assert.deepEqual(passRole?.Condition, { StringEquals: { "iam:PassedToService": ["ec2.amazonaws.com", "ec2.amazonaws.com.cn"] } });
        assert.deepEqual(passRole?.Resource, [`arn:aws-cn:iam::${ACCOUNT}:role/parallelcluster/*`, `arn:aws-cn:iam::${ACCOUNT}:instance-profile/parallelcluster/*`]);
    });
    it("D4: S3Access entries add exactly ParallelCluster's S3Read / S3ReadWrite statements", () => {
        const expected: PolicyStatement[] = [
            { Sid: "S3Read", Effect: "Allow", Action: ["s3:Get*", "s3:List*"], Resource: ["arn:aws:s3:::team-data", "arn:aws:s3:::team-data/*", "arn:aws:s3:::team-inputs/in/*"] },
            { Sid: "S3ReadWrite", Effect: "Allow", Action: ["s3:*"], Resource: ["arn:aws:s3:::team-results/out/*"] },
        ];
        assert.deepEqual(s3AccessStatements(ctx, S3_MIXED), expected);
        assert.deepEqual(semanticDiff(headNodePolicy(ctx, { scheduler: "slurm", secretArns: [SECRET], s3Access: S3_MIXED }).inlinePolicy, fixture("node-head-slurm")), {
            added: tuplesOf(...expected),
            removed: [],
        });
        assert.deepEqual(semanticDiff(computeNodePolicy(ctx, { s3Access: S3_MIXED }).inlinePolicy, fixture("node-compute")), {
            added: tuplesOf(...expected),
            removed: [],
        });
        assert.deepEqual(s3AccessStatements(ctx, []), []);
    });
    it("D5: vpc adds AWSLambdaVPCAccessExecutionRole, nothing else", () => {
        const set = lambdaFunctionsPolicy(ctx, { vpc: true });
        assert.deepEqual(set.managedPolicyArns, ["arn:aws:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole"]);
        assert.deepEqual(semanticDiff(set.inlinePolicy, fixture("node-lambda")), noDiff);
    });
});

describe("node policies: options", () => {
    it("adds passRoleArns to the head node's PassRole, keeping the /parallelcluster/ defaults", () => {
        const role = `arn:aws:iam::${ACCOUNT}:role/custom/compute-role`;
        const profile = `arn:aws:iam::${ACCOUNT}:instance-profile/custom/compute-profile`;
        const doc = headNodePolicy(ctx, { scheduler: "slurm", secretArns: [SECRET], passRoleArns: [role, profile] }).inlinePolicy;
        const cond = { StringEquals: { "iam:PassedToService": ["ec2.amazonaws.com"] } };
        assert.deepEqual(semanticDiff(doc, fixture("node-head-slurm")), {
            added: tuplesOf({ Effect: "Allow", Action: "iam:PassRole", Resource: [role, profile], Condition: cond }),
            removed: [],
        });
    });
    it("region '*' puts '*' in regional ARNs and the region-named buckets", () => {
        const star = makeContext({ partition: "aws", accountId: ACCOUNT, region: "*" });
        const head = JSON.stringify(headNodePolicy(star, { scheduler: "slurm" }).inlinePolicy);
        for (const r of ["arn:aws:s3:::*-aws-parallelcluster/*", "arn:aws:s3:::dcv-license.*/*", `arn:aws:dynamodb:*:${ACCOUNT}:table/parallelcluster-*`, `arn:aws:ec2:*:${ACCOUNT}:instance/*`]) {
            assert.ok(head.includes(r), r);
        }
        assert.ok(!head.includes("us-east-1"));
        assert.ok(JSON.stringify(computeNodePolicy(star).inlinePolicy).includes("arn:aws:s3:::*-aws-parallelcluster/*"));
        assert.ok(JSON.stringify(imageBuilderInstancePolicy(star).inlinePolicy).includes("arn:aws:ec2:*::image/*"));
        assert.ok(JSON.stringify(imageCleanupLambdaPolicy(star).inlinePolicy).includes(`arn:aws:sns:*:${ACCOUNT}:ParallelClusterImage-*`));
        assert.ok(JSON.stringify(lambdaFunctionsPolicy(star).inlinePolicy).includes(`arn:aws:logs:*:${ACCOUNT}:log-group:/aws/lambda/pcluster-*`));
    });
    it("builds partition-correct ARNs everywhere (no 'arn:aws:' outside aws)", () => {
        for (const c of CONTEXTS.filter((x) => x.partition !== "aws")) {
            for (const { name, set } of allRoleSets(c)) {
                const text = JSON.stringify(set);
                assert.ok(!text.includes("arn:aws:"), `${c.partition} ${name}`);
                assert.ok(text.includes(`arn:${c.partition}:`), `${c.partition} ${name}`);
            }
        }
    });
    it("every managed policy ARN is on the allow-list (the VPC one with lambdaVpcAccess)", () => {
        for (const c of CONTEXTS) {
            for (const { name, set } of allRoleSets(c)) {
                for (const a of set.managedPolicyArns) {
                    const vpc = a.endsWith("/AWSLambdaVPCAccessExecutionRole");
                    assert.ok(isAllowedPolicyArn(a, c.partition, ACCOUNT, { lambdaVpcAccess: vpc }), `${name}: ${a}`);
                    if (vpc) assert.ok(!isAllowedPolicyArn(a, c.partition, ACCOUNT), a);
                }
            }
        }
    });
    it("every document passes the reference check, fits IAM's limits and has no placeholder", async () => {
        let checked = 0;
        for (const c of CONTEXTS) {
            for (const { name, set } of allRoleSets(c)) {
                assert.deepEqual(await checkDocumentReference(set.inlinePolicy), [], `${c.partition}/${c.region} ${name}`);
                const size = policySize(set.inlinePolicy);
                assert.ok(size <= ROLE_INLINE_POLICIES_MAX_CHARS, `${name}: ${size}`);
                // None of these needs the inline allowance: each would also fit a managed policy.
                assert.ok(size <= MANAGED_POLICY_MAX_CHARS, `${name}: ${size}`);
                assert.ok(!/[<>]/.test(JSON.stringify(set)), name);
                assert.ok(set.managedPolicyArns.length <= 10, name);
                checked++;
            }
        }
        assert.equal(checked, 6 * 49);
    });
});

describe("node policies: bad options name the option and the value", () => {
    it("rejects a malformed secret ARN", () => {
        assert.throws(() => headNodePolicy(ctx, { scheduler: "slurm", secretArns: ["not-an-arn"] }), /secretArns\[0\]: 'not-an-arn' is not an ARN; expected arn:aws:secretsmanager:/);
        assert.throws(() => headNodePolicy(ctx, { scheduler: "slurm", secretArns: [`arn:aws:ssm:us-east-1:${ACCOUNT}:parameter/x`] }), /secretArns\[0\]: 'arn:aws:ssm:.*' is not a Secrets Manager secret ARN/);
        assert.throws(() => headNodePolicy(ctx, { scheduler: "slurm", secretArns: [SECRET, SECRET] }), /secretArns: 'arn:aws:secretsmanager:.*' appears more than once/);
    });
    it("rejects a secret from another partition", () => {
        const cn = `arn:aws-cn:secretsmanager:cn-north-1:${ACCOUNT}:secret:x`;
        assert.throws(() => headNodePolicy(ctx, { scheduler: "awsbatch", secretArns: [cn] }), /secretArns\[0\]: 'arn:aws-cn:secretsmanager:cn-north-1:123456789012:secret:x' is in partition 'aws-cn', not 'aws'/);
    });
    it("rejects bad or empty S3 bucket names and bad key names", () => {
        assert.throws(() => headNodePolicy(ctx, { scheduler: "slurm", s3Access: [{ bucketName: "Bad_Bucket" }] }), /s3Access\[0\]\.bucketName: 'Bad_Bucket' is not a valid S3 bucket name/);
        assert.throws(() => computeNodePolicy(ctx, { s3Access: [{ bucketName: "ok-bucket" }, { bucketName: "" }] }), /s3Access\[1\]\.bucketName: '' is empty/);
        assert.throws(() => computeNodePolicy(ctx, { s3Access: [{ bucketName: "team-*" }] }), /s3Access\[0\]\.bucketName: 'team-\*' is not a valid S3 bucket name/);
        assert.throws(() => computeNodePolicy(ctx, { s3Access: [{ bucketName: "ok-bucket", keyName: "/abs/path" }] }), /s3Access\[0\]\.keyName: '\/abs\/path' is not a valid S3 key name; expected .*not starting with '\/'/);
        assert.throws(() => computeNodePolicy(ctx, { s3Access: [{ bucketName: "ok-bucket", keyName: "" }] }), /s3Access\[0\]\.keyName: '' is not a valid S3 key name/);
        assert.throws(() => s3AccessStatements(ctx, [{ bucketName: "ok-bucket", keyName: "a\nb" }], "SlurmQueues[0].Iam.S3Access"), /SlurmQueues\[0\]\.Iam\.S3Access\[0\]\.keyName: 'a\nb' is not a valid S3 key name/);
    });
    it("rejects an unknown scheduler", () => {
        assert.throws(() => headNodePolicy(ctx, { scheduler: "sge" as Scheduler }), /scheduler: 'sge' is not a supported scheduler; allowed: slurm, awsbatch/);
    });
    it("rejects a passRoleArn that is not a role or instance profile of this account", () => {
        assert.throws(
            () => headNodePolicy(ctx, { scheduler: "slurm", passRoleArns: [`arn:aws:iam::${ACCOUNT}:policy/parallelcluster/x`] }),
            /passRoleArns\[0\]: 'arn:aws:iam::123456789012:policy\/parallelcluster\/x' is not an IAM role ARN; .*instance-profile/,
        );
        assert.throws(() => headNodePolicy(ctx, { scheduler: "slurm", passRoleArns: ["arn:aws:iam::210987654321:role/x"] }), /passRoleArns\[0\]: 'arn:aws:iam::210987654321:role\/x' is not in account 123456789012/);
        assert.throws(() => headNodePolicy(ctx, { scheduler: "awsbatch", passRoleArns: [`arn:aws:iam::${ACCOUNT}:role/x`] }), /passRoleArns: 'arn:aws:iam::123456789012:role\/x' is only supported with scheduler 'slurm'/);
    });
    it("rejects non-boolean switches and malformed contexts", () => {
        assert.throws(() => computeNodePolicy(ctx, { cloudWatchLogs: "no" as unknown as boolean }), /cloudWatchLogs: 'no' is not a boolean/);
        assert.throws(() => lambdaFunctionsPolicy(ctx, { vpc: 1 as unknown as boolean }), /vpc: '1' is not a boolean/);
        assert.throws(() => imageBuilderInstancePolicy({ partition: "aws", accountId: "42", region: "us-east-1" }), /accountId: '42'/);
        assert.throws(() => imageCleanupLambdaPolicy({ partition: "aws", accountId: ACCOUNT, region: "cn-north-1" }), /partition: 'aws' does not match region 'cn-north-1'/);
    });
});
