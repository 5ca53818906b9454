import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { listStacks, loadProject, loadStack, UsageError, validateConfigValue } from "../../tools/config";
import { FIXTURE } from "./helpers";

const made: string[] = [];

/** A throwaway project directory (config checks need no program). */
function project(pulumiYaml: string, stacks: Record<string, string>): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "engine-config-"));
    made.push(dir);
    fs.writeFileSync(path.join(dir, "Pulumi.yaml"), pulumiYaml);
    for (const [name, text] of Object.entries(stacks)) fs.writeFileSync(path.join(dir, `Pulumi.${name}.yaml`), text);
    return dir;
}

const BASE = "name: proj\nruntime: nodejs\nmain: program/\n";

describe("engine config: Pulumi.yaml and Pulumi.<stack>.yaml as the Pulumi CLI reads them", () => {
    after(() => made.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

    it("reads the fixture: main, stacks, defaults applied, non-strings handed over as JSON text", () => {
        const p = loadProject(FIXTURE);
        assert.equal(p.name, "engine-fixture");
        assert.equal(p.main, path.join(FIXTURE, "program", "index.ts"));
        assert.deepEqual(listStacks(p), ["longname", "missing", "plain", "quota", "test", "unknownkey", "wrongtype"]);
        const s = loadStack({ stack: "test", projectDir: FIXTURE });
        assert.deepEqual(s.config, {
            "aws:region": "us-east-1",
            "engine-fixture:apiFunctionRoleName": "ParallelClusterApiFunctionRole",
            "engine-fixture:clusterName": "hpc",
            "engine-fixture:extraManagedPolicies": "0",
            "engine-fixture:headNodeRoleName": "",
            "engine-fixture:queues": '["cpu","gpu"]',
            "engine-fixture:tags": '{"team":"research"}',
            "engine-fixture:useBoundary": "true",
        });
        assert.deepEqual([s.region, s.partition, s.accountId], ["us-east-1", "aws", "123456789012"]);
    });

    it("--region overrides aws:region and the partition follows; --account is used", () => {
        const cn = loadStack({ stack: "test", projectDir: FIXTURE, region: "cn-north-1", account: "210987654321" });
        assert.deepEqual([cn.config["aws:region"], cn.partition, cn.accountId], ["cn-north-1", "aws-cn", "210987654321"]);
        assert.equal(loadStack({ stack: "test", projectDir: FIXTURE, region: "us-gov-west-1" }).partition, "aws-us-gov");
    });

    it("rejects an unknown stack, naming the valid ones", () => {
        assert.throws(() => loadStack({ stack: "prod", projectDir: FIXTURE }), (e: Error) => {
            assert.ok(e instanceof UsageError);
            assert.match(e.message, /^unknown stack 'prod': no Pulumi\.prod\.yaml in .*; valid stacks: longname, missing, plain, quota, test, unknownkey, wrongtype$/);
            return true;
        });
    });

    it("rejects an undeclared key in the project namespace, suggesting the declared one", () => {
        assert.throws(
            () => loadStack({ stack: "unknownkey", projectDir: FIXTURE }),
            /^UsageError: Stack 'unknownkey' sets configuration key 'engine-fixture:clusterNmae', which Pulumi\.yaml does not declare \(did you mean 'engine-fixture:clusterName'\?\); declared keys: engine-fixture:apiFunctionRoleName, .*engine-fixture:useBoundary$/,
        );
    });

    it("rejects a missing required key and a wrongly typed one with the CLI's wording", () => {
        assert.throws(() => loadStack({ stack: "missing", projectDir: FIXTURE }), /^UsageError: Stack 'missing' is missing configuration value 'engine-fixture:clusterName'; set it in Pulumi\.missing\.yaml/);
        assert.throws(() => loadStack({ stack: "wrongtype", projectDir: FIXTURE }), /^UsageError: Stack 'wrongtype' with configuration key 'engine-fixture:useBoundary' must be of type 'boolean'; got "sometimes"$/);
    });

    it("rejects a bad --region or --account naming the allowed forms", () => {
        assert.throws(() => loadStack({ stack: "test", projectDir: FIXTURE, region: "mars-1" }), /^UsageError: --region: 'mars-1' is not a region .* us-east-1 \(aws\), cn-north-1 \(aws-cn\) or us-gov-west-1 \(aws-us-gov\)$/);
        assert.throws(() => loadStack({ stack: "test", projectDir: FIXTURE, account: "1234" }), /^UsageError: --account: '1234' is not an AWS account ID; expected 12 digits/);
    });

    it("types values as the CLI does: YAML scalars are text, integers and booleans may be strings", () => {
        assert.ok(validateConfigValue("integer", undefined, "42"));
        assert.ok(!validateConfigValue("integer", undefined, "4.2"));
        assert.ok(validateConfigValue("boolean", undefined, "false"));
        assert.ok(!validateConfigValue("boolean", undefined, "yes"));
        assert.ok(validateConfigValue("array", { type: "integer" }, ["1", 2]));
        assert.ok(!validateConfigValue("array", { type: "string" }, "a,b"));
        assert.ok(!validateConfigValue("object", undefined, ["x"]));
        const dir = project(`${BASE}config:\n  count:\n    type: integer\n  name: hpc\n  aws:region: us-west-2\n`, { a: "config:\n  proj:count: 3\n" });
        const s = loadStack({ stack: "a", projectDir: dir });
        assert.deepEqual(s.config, { "aws:region": "us-west-2", "proj:count": "3", "proj:name": "hpc" }, "shorthand: a default for project keys, a value for others");
    });

    it("rejects malformed project schemas as the CLI does", () => {
        const cases: Array<[string, RegExp]> = [
            ["config:\n  l:\n    type: array\n", /config 'l' declares an array but does not specify the underlying type via the 'items' attribute/],
            ["config:\n  aws:region:\n    type: string\n", /config 'aws:region' is not namespaced by the project and should not define a type/],
            ["config:\n  n:\n    type: integer\n    default: many\n", /config 'n': the default value is not of the expected type 'integer'/],
            ["config:\n  n:\n    type: number\n", /type 'number' is not one of string, integer, boolean, array, object/],
            ["config:\n  n:\n    default: 1\n    value: 2\n", /cannot have both a 'default' and 'value' attribute/],
        ];
        for (const [yaml, re] of cases) assert.throws(() => loadProject(project(BASE + yaml, {})), re);
        assert.throws(() => loadProject(project("name: p\nruntime: python\n", {})), /runtime 'python' is not supported offline; expected 'nodejs'/);
    });

    it("refuses what cannot be resolved offline: secrets and ESC environments, and keys without a namespace", () => {
        const dir = project(BASE, {
            s: "config:\n  aws:region: us-east-1\n  proj:password:\n    secure: AAABAx==\n",
            e: "environment:\n  - prod-env\nconfig:\n  aws:region: us-east-1\n",
            n: "config:\n  region: us-east-1\n",
            r: "config: {}\n",
        });
        assert.throws(() => loadStack({ stack: "s", projectDir: dir }), /configuration key 'proj:password' is encrypted \('secure'\); secrets cannot be decrypted offline/);
        assert.throws(() => loadStack({ stack: "e", projectDir: dir }), /'environment' \(Pulumi ESC\) cannot be resolved offline/);
        assert.throws(() => loadStack({ stack: "n", projectDir: dir }), /configuration key 'region' must be of the form <namespace>:<name>, e\.g\. proj:region/);
        assert.throws(() => loadStack({ stack: "r", projectDir: dir }), /aws:region is not set; set it in Pulumi\.r\.yaml or pass --region/);
    });
});
