import * as assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { allowedPolicyArnPatterns, isAllowListedCustomerPolicy, operatorProtectionStatements } from "../../components/policies/allowlist";
import { apiFunctionAccessPolicy } from "../../components/policies/apiFunctionAccess";
import { PolicyContext, makeContext } from "../../components/policies/context";
import { MANAGED_POLICY_MAX_CHARS, policySize } from "../../components/policies/limits";
import { checkDocumentReference } from "../../components/policies/reference";
import { SSM_ACCESS_POLICY_NAME, ssmAccessPolicy } from "../../components/policies/ssmAccess";
import { ec2TrustPolicy, lambdaTrustPolicy, userTrustPolicy } from "../../components/policies/trust";
import { PolicyDocument } from "../../components/policies/types";
import { semanticDiff, tuplesOf } from "../support/semantic";

const ACCOUNT = "123456789012";
const ctx = makeContext({ partition: "aws", accountId: ACCOUNT, region: "us-east-1" });

function fixture(name: string): PolicyDocument {
    return JSON.parse(readFileSync(path.join(__dirname, "..", "fixtures", "guide", `${name}.json`), "utf8")) as PolicyDocument;
}

const CONTEXTS: PolicyContext[] = [
    makeContext({ accountId: ACCOUNT, region: "us-east-1" }),
    makeContext({ accountId: ACCOUNT, region: "cn-northwest-1" }),
    makeContext({ accountId: ACCOUNT, region: "us-gov-east-1" }),
    makeContext({ partition: "aws", accountId: ACCOUNT, region: "*" }),
    makeContext({ partition: "aws-cn", accountId: ACCOUNT, region: "*" }),
    makeContext({ partition: "aws-us-gov", accountId: ACCOUNT, region: "*" }),
];

/** Every document of this module's builders and option combinations, for one context. */
function allDocuments(c: PolicyContext): { name: string; doc: PolicyDocument }[] {
    const P = c.partition;
    return [
        { name: "ec2 trust", doc: ec2TrustPolicy(c) },
        { name: "lambda trust", doc: lambdaTrustPolicy(c) },
        { name: "user trust", doc: userTrustPolicy(c, { principalArns: [`arn:${P}:iam::${ACCOUNT}:role/ci`] }) },
        { name: "user trust mfa", doc: userTrustPolicy(c, { principalArns: [`arn:${P}:iam::${ACCOUNT}:root`, `arn:${P}:iam::210987654321:user/alice`], requireMfa: true }) },
        { name: "api default", doc: apiFunctionAccessPolicy(c) },
        { name: "api vpc", doc: apiFunctionAccessPolicy(c, { lambdaVpcAccess: true }) },
        { name: "api extra", doc: apiFunctionAccessPolicy(c, { lambdaVpcAccess: false, extraPolicyArns: [`arn:${P}:iam::${ACCOUNT}:policy/team/hpc-extra`] }) },
        { name: "ssm", doc: ssmAccessPolicy(c, { bucket: "pcluster-data" }) },
    ];
}

describe("trust policies", () => {
    it("EC2: ec2.amazonaws.com, ec2.amazonaws.com.cn in China", () => {
        assert.deepEqual(ec2TrustPolicy(ctx), {
            Version: "2012-10-17",
            Statement: [{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }],
        });
        assert.deepEqual(ec2TrustPolicy(makeContext({ accountId: ACCOUNT, region: "cn-north-1" })).Statement[0].Principal, { Service: "ec2.amazonaws.com.cn" });
        assert.deepEqual(ec2TrustPolicy(makeContext({ accountId: ACCOUNT, region: "us-gov-west-1" })).Statement[0].Principal, { Service: "ec2.amazonaws.com" });
    });
    it("Lambda: lambda.amazonaws.com in every partition", () => {
        for (const c of CONTEXTS) {
            assert.deepEqual(lambdaTrustPolicy(c).Statement, [{ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" }]);
        }
    });
    it("cluster user: exactly the named principals, MFA only when asked", () => {
        const one = userTrustPolicy(ctx, { principalArns: [`arn:aws:iam::${ACCOUNT}:role/ci`] });
        assert.deepEqual(one.Statement, [{ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${ACCOUNT}:role/ci` }, Action: "sts:AssumeRole" }]);
        const mfa = userTrustPolicy(ctx, { principalArns: [`arn:aws:iam::${ACCOUNT}:user/alice`, `arn:aws:iam::${ACCOUNT}:root`], requireMfa: true });
        assert.deepEqual(mfa.Statement, [{
            Effect: "Allow",
            Principal: { AWS: [`arn:aws:iam::${ACCOUNT}:user/alice`, `arn:aws:iam::${ACCOUNT}:root`] },
            Action: "sts:AssumeRole",
            Condition: { Bool: { "aws:MultiFactorAuthPresent": "true" } },
        }]);
    });
    it("rejects an empty principal list, foreign-partition, malformed and duplicate principals", () => {
        assert.throws(() => userTrustPolicy(ctx, { principalArns: [] }), /principalArns: '\[\]' is empty; expected at least one IAM role, user or account-root ARN/);
        assert.throws(() => userTrustPolicy(ctx, { principalArns: [`arn:aws-cn:iam::${ACCOUNT}:role/ci`] }), /principalArns\[0\]: 'arn:aws-cn:iam::123456789012:role\/ci' is in partition 'aws-cn', not 'aws'/);
        assert.throws(() => userTrustPolicy(ctx, { principalArns: [`arn:aws:iam::${ACCOUNT}:role/ci`, "*"] }), /principalArns\[1\]: '\*' is not an ARN/);
        assert.throws(() => userTrustPolicy(ctx, { principalArns: [`arn:aws:iam::${ACCOUNT}:policy/p`] }), /principalArns\[0\]: 'arn:aws:iam::123456789012:policy\/p' is not a role, user or account-root ARN/);
        assert.throws(() => userTrustPolicy(ctx, { principalArns: [`arn:aws:iam::${ACCOUNT}:role/ci`, `arn:aws:iam::${ACCOUNT}:role/ci`] }), /principalArns: 'arn:aws:iam::123456789012:role\/ci' appears more than once/);
        assert.throws(() => userTrustPolicy(ctx, { principalArns: [`arn:aws:iam::${ACCOUNT}:role/ci`], requireMfa: "yes" as unknown as boolean }), /requireMfa: 'yes' is not a boolean/);
    });
});

describe("API function access (seed 000)", () => {
    it("D6: attach/detach on role/parallelcluster/* only for allow-listed policies", () => {
        const doc = apiFunctionAccessPolicy(ctx);
        const actions = ["iam:AttachRolePolicy", "iam:DetachRolePolicy"];
        const resource = `arn:aws:iam::${ACCOUNT}:role/parallelcluster/*`;
        const patterns = allowedPolicyArnPatterns("aws", ACCOUNT);
        assert.equal(patterns.length, 12);
        assert.deepEqual(semanticDiff(doc, fixture("other-api-function")), {
            added: tuplesOf({ Effect: "Allow", Action: actions, Resource: resource, Condition: { ArnLike: { "iam:PolicyARN": patterns } } },
                ...operatorProtectionStatements("aws", ACCOUNT)),
            removed: tuplesOf({ Effect: "Allow", Action: actions, Resource: resource }),
        });
    });
    it("adds the Lambda VPC policy and extras to the condition only when asked", () => {
        const cond = (d: PolicyDocument): string[] => d.Statement[0].Condition?.ArnLike["iam:PolicyARN"] as string[];
        const vpc = "arn:aws:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole";
        assert.ok(!cond(apiFunctionAccessPolicy(ctx)).includes(vpc));
        assert.deepEqual(cond(apiFunctionAccessPolicy(ctx, { lambdaVpcAccess: true })), [...allowedPolicyArnPatterns("aws", ACCOUNT), vpc]);
        const extra = `arn:aws:iam::${ACCOUNT}:policy/team/hpc-extra`;
        assert.deepEqual(cond(apiFunctionAccessPolicy(ctx, { extraPolicyArns: [extra] })), [...allowedPolicyArnPatterns("aws", ACCOUNT), extra]);
    });
    it("rejects bad extraPolicyArns naming the option and the value", () => {
        assert.throws(() => apiFunctionAccessPolicy(ctx, { extraPolicyArns: [`arn:aws:iam::${ACCOUNT}:role/x`] }), /extraPolicyArns\[0\]: 'arn:aws:iam::123456789012:role\/x' is not an IAM policy ARN/);
        assert.throws(() => apiFunctionAccessPolicy(ctx, { extraPolicyArns: ["arn:aws-us-gov:iam::aws:policy/X"] }), /extraPolicyArns\[0\]: 'arn:aws-us-gov:iam::aws:policy\/X' is in partition 'aws-us-gov'/);
        assert.throws(() => apiFunctionAccessPolicy(ctx, { lambdaVpcAccess: "true" as unknown as boolean }), /lambdaVpcAccess: 'true' is not a boolean/);
    });
});

describe("SSM access policy (seed 003)", () => {
    it("reproduces the seed's document for its default bucket", () => {
        assert.deepEqual(semanticDiff(ssmAccessPolicy(ctx, { bucket: "pcluster-data" }), fixture("other-ssm")), { added: [], removed: [] });
    });
    it("D7: is named so the AdditionalIamPolicies allow-list accepts it, unlike the seed's pclusterSSM2", () => {
        assert.ok(SSM_ACCESS_POLICY_NAME.startsWith("parallelcluster"));
        assert.ok(isAllowListedCustomerPolicy(SSM_ACCESS_POLICY_NAME, "/"));
        assert.ok(isAllowListedCustomerPolicy(SSM_ACCESS_POLICY_NAME, "/parallelcluster/"));
        assert.ok(!isAllowListedCustomerPolicy("pclusterSSM2", "/"));
    });
    it("scopes S3 to the one bucket's objects", () => {
        const s3 = ssmAccessPolicy(ctx, { bucket: "my-data.bucket" }).Statement.filter((s) => JSON.stringify(s.Action).includes("s3:"));
        assert.deepEqual(s3, [{ Effect: "Allow", Action: ["s3:*"], Resource: "arn:aws:s3:::my-data.bucket/*" }]);
    });
    it("rejects an empty or invalid bucket", () => {
        assert.throws(() => ssmAccessPolicy(ctx, { bucket: "" }), /bucket: '' is empty/);
        assert.throws(() => ssmAccessPolicy(ctx, { bucket: "Serverless_Data" }), /bucket: 'Serverless_Data' is not a valid S3 bucket name/);
        assert.throws(() => ssmAccessPolicy(ctx, { bucket: "data-*" }), /bucket: 'data-\*' is not a valid S3 bucket name/);
    });
});

describe("trust, API function and SSM documents: every partition and option", () => {
    it("pass the reference check, fit a managed policy, carry no placeholder and no foreign partition", async () => {
        let n = 0;
        for (const c of CONTEXTS) {
            for (const { name, doc } of allDocuments(c)) {
                const where = `${c.partition}/${c.region} ${name}`;
                assert.deepEqual(await checkDocumentReference(doc), [], where);
                assert.ok(policySize(doc) <= MANAGED_POLICY_MAX_CHARS, where);
                const text = JSON.stringify(doc);
                assert.ok(!/[<>]/.test(text), where);
                if (c.partition !== "aws") assert.ok(!text.includes("arn:aws:"), where);
                n++;
            }
        }
        assert.equal(n, 6 * 8);
    });
});

describe("README: deviations D1-D34", () => {
    // D1-D5, D16-D20, D24-D26: nodes.test.ts (D19-D20, D24-D26 also pc312Nodes.test.ts, components); D21-D23, D30: user.test.ts, pc312User.test.ts; D6-D7: this file; D8-D15, D27: legacy.test.ts; D28-D29: nodes.test.ts (D29 also clusterNodeRoles.test.ts); D31-D32, D34: user.test.ts; D33: clusterUserRole.test.ts; all three also the access matrix.
    const PINNED = Array.from({ length: 34 }, (_, i) => `D${i + 1}`);
    it("has one table row per pinned deviation, in order, each with all four columns", () => {
        const md = readFileSync(path.join(__dirname, "..", "..", "README.md"), "utf8");
        const rows = md.split("\n").filter((l) => /^\| D\d+ /.test(l));
        assert.deepEqual(rows.map((r) => /^\| (D\d+) /.exec(r)?.[1]), PINNED);
        for (const r of rows) {
            const cells = r.split(/(?<!\\)\|/).slice(1, -1).map((c) => c.trim());
            assert.equal(cells.length, 4, r);
            assert.ok(cells.every((c) => c.length > 0), r);
        }
        assert.ok(md.includes("| document | guide | here | why |"));
    });
});
