import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import { RecordedResource } from "../../components/testing/mocks";
import { DEFAULT_DRIVER, runPolicyPack, toAnalyzerResource } from "../../tools/pack";
import { STUB_PACK } from "./helpers";

const CTX = { project: "proj", stack: "dev", region: "cn-north-1", preview: true };

function role(inputs: Record<string, unknown>): RecordedResource {
    return {
        type: "aws:iam/role:Role", name: "r", urn: "urn:pulumi:dev::proj::aws:iam/role:Role::r", parentUrn: "urn:pulumi:dev::proj::pulumi:pulumi:Stack::proj-dev",
        custom: true, id: "r-1234567", inputs, state: { ...inputs, name: "r-1234567", arn: "arn:aws-cn:iam::123456789012:role/r-1234567" },
    };
}

/** Runs `fn` with ENGINE_POLICY_PACK_DRIVER set, restoring it after. */
async function withDriver<T>(driver: string | undefined, fn: () => Promise<T>): Promise<T> {
    const saved = process.env.ENGINE_POLICY_PACK_DRIVER;
    if (driver === undefined) delete process.env.ENGINE_POLICY_PACK_DRIVER;
    else process.env.ENGINE_POLICY_PACK_DRIVER = driver;
    try {
        return await fn();
    } finally {
        if (saved === undefined) delete process.env.ENGINE_POLICY_PACK_DRIVER;
        else process.env.ENGINE_POLICY_PACK_DRIVER = saved;
    }
}

describe("engine policy-pack hook", function () {
    this.timeout(120_000);

    it("hands the pack inputs as the provider's Check leaves them: autoname and default path, no outputs", () => {
        const a = toAnalyzerResource(role({ assumeRolePolicy: "{}" }), CTX);
        assert.deepEqual(a, {
            type: "aws:iam/role:Role",
            name: "r",
            urn: "urn:pulumi:dev::proj::aws:iam/role:Role::r",
            properties: { assumeRolePolicy: "{}", name: "r-1234567", path: "/" },
            parent: "urn:pulumi:dev::proj::pulumi:pulumi:Stack::proj-dev",
            provider: { type: "pulumi:providers:aws", name: "default", urn: "urn:pulumi:dev::proj::pulumi:providers:aws::default", properties: { region: "cn-north-1" } },
        });
        assert.equal(toAnalyzerResource(role({ name: "given", path: "/parallelcluster/" })).properties.path, "/parallelcluster/");
    });

    it("is off with 'none', and a named driver that does not exist is a usage error", async () => {
        assert.deepEqual(await withDriver("none", () => runPolicyPack([role({})])), { available: false, violations: [] });
        await assert.rejects(withDriver("/nonexistent/driver.ts", () => runPolicyPack([role({})])), /ENGINE_POLICY_PACK_DRIVER: '\/nonexistent\/driver\.ts' does not exist/);
    });

    it("normalizes the driver's findings into manifest violations", async () => {
        const out = await withDriver(STUB_PACK, () => runPolicyPack([role({ path: "/" })], undefined, CTX));
        assert.deepEqual(out.violations, [
            { policy: "roles-have-boundary", level: "mandatory", message: "role r-1234567 has no permissions boundary", urn: "urn:pulumi:dev::proj::aws:iam/role:Role::r" },
        ]);
    });

    it("drives the project's pack when its driver exists (tools/analyzer.ts)", async function () {
        if (!fs.existsSync(DEFAULT_DRIVER)) this.skip();
        const tagged = role({ assumeRolePolicy: JSON.stringify({ Version: "2012-10-17", Statement: [] }), tags: { "parallelcluster-iam:purpose": "head-node" } });
        const out = await withDriver(undefined, () => runPolicyPack([tagged], undefined, CTX));
        assert.ok(out.available);
        assert.ok(
            out.violations.some((v) => v.level === "mandatory" && v.urn === tagged.urn && /path '\/'/.test(v.message)),
            `a role tagged for ParallelCluster at path '/' is refused: ${JSON.stringify(out.violations)}`,
        );
    });
});
