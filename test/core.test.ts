import * as assert from "node:assert/strict";
import { makeContext, validateArn, validateBucketName } from "../components/policies/context";
import { ec2Principal, partitionOfRegion } from "../components/policies/partition";
import { allowedPolicyArnPatterns, arnLike, isAllowListedCustomerPolicy, isAllowedPolicyArn } from "../components/policies/allowlist";
import { MANAGED_POLICY_MAX_CHARS, policySize, validatePath } from "../components/policies/limits";
import { packPolicy } from "../components/policies/packing";
import { PolicyStatement, policyDocument } from "../components/policies/types";

describe("partitions", () => {
    it("maps regions to partitions and the EC2 principal", () => {
        assert.equal(partitionOfRegion("us-east-1"), "aws");
        assert.equal(partitionOfRegion("cn-northwest-1"), "aws-cn");
        assert.equal(partitionOfRegion("us-gov-west-1"), "aws-us-gov");
        assert.equal(ec2Principal("aws-cn"), "ec2.amazonaws.com.cn");
        assert.equal(ec2Principal("aws-us-gov"), "ec2.amazonaws.com");
        assert.throws(() => partitionOfRegion("mars-1"), /region: 'mars-1' is not a region.*us-east-1/);
    });
    it("rejects malformed contexts naming the option", () => {
        assert.throws(() => makeContext({ accountId: "12345", region: "us-east-1" }), /accountId: '12345'.*12 digits/);
        assert.throws(() => makeContext({ accountId: "123456789012", region: "*", partition: "aws-iso" }), /partition: 'aws-iso'.*aws, aws-cn, aws-us-gov/);
        assert.throws(() => makeContext({ accountId: "123456789012", region: "cn-north-1", partition: "aws" }), /partition: 'aws' does not match region 'cn-north-1'/);
        assert.deepEqual(makeContext({ accountId: "123456789012", region: "cn-north-1" }), { partition: "aws-cn", accountId: "123456789012", region: "cn-north-1" });
    });
    it("validates ARNs by type and partition", () => {
        const ctx = makeContext({ accountId: "123456789012", region: "us-east-1" });
        assert.equal(validateArn(ctx, "f", "arn:aws:iam::123456789012:role/parallelcluster/x", "role"), "arn:aws:iam::123456789012:role/parallelcluster/x");
        assert.throws(() => validateArn(ctx, "boundaryArn", "arn:aws:iam::123456789012:role/x", "policy"), /boundaryArn: 'arn:aws:iam::123456789012:role\/x' is not an IAM policy ARN; expected arn:aws:iam::/);
        assert.throws(() => validateArn(ctx, "f", "arn:aws-cn:iam::123456789012:role/x", "role"), /is in partition 'aws-cn', not 'aws'/);
        assert.throws(() => validateArn(ctx, "f", "arn:aws:secretsmanager:cn-north-1:123456789012:secret:x", "secret"), /outside partition 'aws'/);
        assert.throws(() => validateBucketName("bucket", ""), /bucket: '' is empty/);
        assert.throws(() => validateBucketName("bucket", "Bad_Bucket"), /bucket: 'Bad_Bucket' is not a valid S3 bucket name/);
        assert.throws(() => validatePath("path", "parallelcluster/"), /path: 'parallelcluster\/' is not a valid IAM path/);
    });
});

describe("allow-list", () => {
    it("has the 12 entries, partition-aware, plus opt-ins", () => {
        const p = allowedPolicyArnPatterns("aws-cn", "123456789012");
        assert.equal(p.length, 12);
        assert.ok(p.every((a) => a.startsWith("arn:aws-cn:iam::")));
        assert.equal(allowedPolicyArnPatterns("aws", "123456789012", { lambdaVpcAccess: true }).length, 13);
    });
    it("matches like IAM's ArnLike", () => {
        assert.ok(arnLike("arn:aws:iam::1:policy/parallelcluster*", "arn:aws:iam::1:policy/parallelcluster/x"));
        assert.ok(!arnLike("arn:aws:iam::1:policy/parallelcluster*", "arn:aws:iam::1:policy/other/parallelclusterx"));
        assert.ok(isAllowedPolicyArn("arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore", "aws", "123456789012"));
        assert.ok(!isAllowedPolicyArn("arn:aws:iam::aws:policy/AdministratorAccess", "aws", "123456789012"));
        assert.ok(!isAllowedPolicyArn("arn:aws:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole", "aws", "123456789012"));
        assert.ok(isAllowListedCustomerPolicy("anything", "/parallelcluster/"));
        assert.ok(isAllowListedCustomerPolicy("parallelcluster-ssm", "/"));
        assert.ok(!isAllowListedCustomerPolicy("pclusterSSM2", "/"));
        assert.ok(!isAllowListedCustomerPolicy("parallelcluster-ssm", "/team/"));
    });
});

describe("packing", () => {
    const big = (n: number, actionsPer: number): PolicyStatement[] =>
        Array.from({ length: n }, (_, i) => ({
            Sid: `S${i}`,
            Effect: "Allow" as const,
            Action: Array.from({ length: actionsPer }, (_, j) => `ec2:DescribeThing${i}x${j}`),
            Resource: "*",
        }));
    it("packs a 40 KB document into the fewest in-limit policies, deterministically", () => {
        const doc = policyDocument(big(52, 30));
        const size = policySize(doc);
        assert.ok(size > 40_000, `synthetic document is ${size}`);
        const packed = packPolicy(doc);
        const lower = Math.ceil(size / MANAGED_POLICY_MAX_CHARS);
        assert.ok(packed.length >= lower && packed.length <= lower + 1, `${packed.length} policies for ${size} chars`);
        for (const d of packed) assert.ok(policySize(d) <= MANAGED_POLICY_MAX_CHARS);
        assert.deepEqual(packed.flatMap((d) => d.Statement).map((s) => s.Sid).sort(), doc.Statement.map((s) => s.Sid).sort());
        assert.deepEqual(packPolicy(doc), packed);
    });
    it("splits one statement that alone is too big, keeping every action", () => {
        const [one] = big(1, 400);
        const packed = packPolicy(policyDocument([one]));
        assert.ok(packed.length >= 2);
        for (const d of packed) assert.ok(policySize(d) <= MANAGED_POLICY_MAX_CHARS);
        const actions = packed.flatMap((d) => d.Statement.flatMap((s) => s.Action as string[]));
        assert.deepEqual(actions.sort(), (one.Action as string[]).slice().sort());
        const sids = packed.flatMap((d) => d.Statement.map((s) => s.Sid));
        assert.equal(new Set(sids).size, sids.length);
    });
    it("returns a document that fits unchanged", () => {
        const doc = policyDocument(big(2, 3));
        assert.deepEqual(packPolicy(doc), [doc]);
    });
});

describe("packing edge cases", () => {
    it("keeps split parts within the limit after renaming and never reuses a Sid", () => {
        const actions = (prefix: string, n: number) => Array.from({ length: n }, (_, j) => `ec2:Describe${prefix}${j}`);
        // A statement just over the limit, next to statements whose Sids the split would otherwise produce.
        let splits = 0;
        for (let n = 280; n < 640; n += 3) {
            const doc = policyDocument([
                { Sid: "S3", Effect: "Allow", Action: actions("Big", n), Resource: "*" },
                { Sid: "S32", Effect: "Allow", Action: "ec2:DescribeRegions", Resource: "*" },
                { Sid: "S33", Effect: "Allow", Action: "ec2:DescribeImages", Resource: "*" },
            ]);
            const packed = packPolicy(doc);
            for (const d of packed) assert.ok(policySize(d) <= MANAGED_POLICY_MAX_CHARS, `${n}: ${policySize(d)}`);
            const sids = packed.flatMap((d) => d.Statement.map((s) => s.Sid));
            assert.equal(new Set(sids).size, sids.length, `${n}: ${sids.join(",")}`);
            assert.deepEqual(packed.flatMap((d) => d.Statement.flatMap((s) => [s.Action].flat())).sort(), doc.Statement.flatMap((s) => [s.Action].flat()).sort());
            if (sids.length > 3) splits++;
        }
        assert.ok(splits > 50, `only ${splits} cases split`);
    });
});
