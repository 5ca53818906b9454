/**
 * The pack as a library and as a self-contained, publishable folder (issue 12.1): its shared modules
 * are the components' modules, byte for byte; nothing in policypack/ reaches outside it; its
 * package.json declares what it imports at the root lockfile's versions; parallelClusterIamPolicies
 * applies typed configuration; the folder copied alone runs through run-policy-pack; an organisation's
 * pack includes our policies next to its own and is driven over gRPC.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { ResourceValidationArgs } from "@pulumi/policy";
import { PolicyPackProcess } from "../../tools/analyzer";
import { parallelClusterIamPolicies, POLICY_NAMES } from "../../policypack/library";
import { aws, of, ec2Trust, PURPOSE, role } from "./fixtures";

const ROOT = path.join(__dirname, "..", "..");
const PACK = path.join(ROOT, "policypack");
const SHARED = ["allowlist", "context", "limits", "partition", "reference", "types", "vocabulary"];

function tsFiles(dir: string): string[] {
    return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
        e.name === "node_modules" ? [] : e.isDirectory() ? tsFiles(path.join(dir, e.name)) : e.name.endsWith(".ts") ? [path.join(dir, e.name)] : []);
}

function imports(file: string): string[] {
    return [...fs.readFileSync(file, "utf8").matchAll(/^\s*(?:import|export)\s[^;]*?from\s+"([^"]+)"/gm)].map((m) => m[1]);
}

/** policypack/ copied alone to `<tmp>/<name>`, with `node_modules` linked to the root's (as `npm install` of its package.json would provide). */
function copyPack(tmp: string, name: string): string {
    const dir = path.join(tmp, name);
    fs.cpSync(PACK, dir, { recursive: true, filter: (src) => path.basename(src) !== "node_modules" });
    fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(dir, "node_modules"), "dir");
    return dir;
}

describe("policy pack as a self-contained folder and a library", function () {
    it("shared modules are the components' modules: the components re-export the pack's (one source of truth)", async () => {
        for (const m of SHARED) {
            // The vocabulary sits beside the components; the rest beside the builders.
            const [file, from] = m === "vocabulary" ? [path.join(ROOT, "components", "vocabulary.ts"), "../policypack/shared/vocabulary"] : [path.join(ROOT, "components", "policies", `${m}.ts`), `../../policypack/shared/${m}`];
            const theirs = fs.readFileSync(file, "utf8");
            const code = theirs.split("\n").filter((l) => l.trim() && !l.trim().startsWith("//"));
            assert.deepEqual(code, [`export * from "${from}";`], `${path.relative(ROOT, file)} re-exports policypack/shared/${m}.ts and nothing else`);
            const a = (await import(file)) as Record<string, unknown>;
            const b = (await import(path.join(PACK, "shared", `${m}.ts`))) as Record<string, unknown>;
            for (const k of Object.keys(b)) assert.equal(a[k], b[k], `${m}.${k} is the same object`);
        }
        assert.deepEqual(fs.readdirSync(path.join(PACK, "shared")).sort(), SHARED.map((m) => `${m}.ts`).sort());
    });

    it("no module reaches outside policypack/, and every package it imports is a dependency at the root lockfile's version", () => {
        const pkg = JSON.parse(fs.readFileSync(path.join(PACK, "package.json"), "utf8")) as { dependencies: Record<string, string>; main: string };
        const lock = JSON.parse(fs.readFileSync(path.join(ROOT, "package-lock.json"), "utf8")) as { packages: Record<string, { version: string }> };
        const used = new Set<string>();
        for (const f of tsFiles(PACK)) {
            for (const spec of imports(f)) {
                if (spec.startsWith(".")) {
                    const target = path.resolve(path.dirname(f), spec);
                    assert.ok(target.startsWith(PACK + path.sep), `${path.relative(ROOT, f)} imports '${spec}', outside policypack/`);
                } else if (!spec.startsWith("node:")) {
                    used.add(spec.startsWith("@") ? spec.split("/").slice(0, 2).join("/") : spec.split("/")[0]);
                }
            }
        }
        for (const u of used) assert.ok(pkg.dependencies[u], `policypack imports '${u}' but its package.json does not depend on it`);
        for (const [name, version] of Object.entries(pkg.dependencies)) assert.equal(version, lock.packages[`node_modules/${name}`]?.version, `${name}: policypack/package.json and the root lockfile disagree`);
        assert.equal(pkg.main, "index.ts");
    });

    describe("parallelClusterIamPolicies", () => {
        const args = (type: string, props: Record<string, unknown>, engine: Record<string, unknown> = {}) => ({
            type, name: "r", urn: `urn:pulumi:dev::p::${type}::r`, props, opts: {}, stackTags: new Map(),
            getConfig: () => engine, notApplicable: (reason?: string) => { throw new Error(`n/a ${reason}`); },
            isType: () => false, asType: () => undefined,
        }) as unknown as ResourceValidationArgs;

        it("returns the nine policies at their own levels, unchanged, without configuration", () => {
            const ps = parallelClusterIamPolicies();
            assert.deepEqual(ps.map((p) => p.name), POLICY_NAMES);
            assert.equal(ps.length, 9);
            assert.equal(ps.find((p) => p.name === "parallelcluster-permissions-boundary")?.enforcementLevel, "advisory");
        });

        it("applies levels ('all', then per policy) and properties: schema defaults, getConfig fallback, engine values win", async () => {
            const boundary = "arn:aws:iam::123456789012:policy/parallelcluster/boundary";
            const ps = parallelClusterIamPolicies({ all: "mandatory", "parallelcluster-valid-actions": "disabled", "parallelcluster-permissions-boundary": { boundaryArn: boundary } });
            const b = ps.find((p) => p.name === "parallelcluster-permissions-boundary")!;
            assert.equal(b.enforcementLevel, "mandatory");
            assert.equal(ps.find((p) => p.name === "parallelcluster-valid-actions")?.enforcementLevel, "disabled");
            assert.equal(b.configSchema?.properties.boundaryArn.default, boundary);
            // The single-type marker the server uses to skip other types survives the wrapping.
            const v = (b as { validateResource?: unknown }).validateResource as ((a: ResourceValidationArgs, r: (m: string) => void) => unknown) & { __pulumiType?: string };
            assert.equal(v.__pulumiType, "aws:iam/role:Role");
            const props = { name: "pcluster-head", path: "/parallelcluster/", tags: { [PURPOSE]: "head-node" }, assumeRolePolicy: ec2Trust };
            const found: string[] = [];
            await v(args("aws:iam/role:Role", props), (m) => found.push(m));
            assert.equal(found.length, 1);
            assert.match(found[0], /has no permissions boundary/);
            const other: string[] = [];
            await v(args("aws:iam/role:Role", { ...props, permissionsBoundary: "arn:aws:iam::123456789012:policy/x" }, { boundaryArn: "arn:aws:iam::123456789012:policy/x" }), (m) => other.push(m));
            assert.deepEqual(other, []);
        });

        it("refuses invalid configuration, naming every problem", () => {
            assert.throws(() => parallelClusterIamPolicies({
                all: "strict" as never,
                "parallelcluster-iam-path": { path: "no-slash" },
                "parallelcluster-allowed-managed-policies": { extraAllowedPolicyArns: [aws("AdministratorAccess")], allowLambdaVpcAccess: "yes" as never },
                "parallelcluster-managed-policy-quota": { maxManagedPoliciesPerRole: 50 },
                "parallelcluster-policy-size": { limit: 1 } as never,
                "no-such-policy": "advisory",
            } as never), (e: Error) => {
                for (const p of [/all: 'strict'/, /parallelcluster-iam-path\.path: 'no-slash'/, /extraAllowedPolicyArns\[0\]/, /allowLambdaVpcAccess: expected boolean/,
                    /maxManagedPoliciesPerRole: must be at most 20/, /parallelcluster-policy-size\.limit: no such property/, /no-such-policy: no such policy/]) assert.match(e.message, p);
                return true;
            });
        });
    });

    describe("over gRPC, outside the repository", function () {
        let tmp: string;
        before(() => {
            tmp = fs.mkdtempSync(path.join(os.tmpdir(), "pci-pack-alone-"));
        });
        after(() => fs.rmSync(tmp, { recursive: true, force: true }));

        it("policypack/ copied alone starts through run-policy-pack and analyzes", async function () {
            this.timeout(300_000);
            const dir = copyPack(tmp, "pack");
            const pack = await PolicyPackProcess.start({ packDir: dir });
            try {
                const info = await pack.getAnalyzerInfo();
                assert.equal(info.name, "parallelcluster-iam");
                assert.deepEqual(info.policies.map((p) => p.name), POLICY_NAMES);
                const bad = of(await pack.analyze(role("pcluster-head", { managedPolicyArns: [aws("AdministratorAccess")] })), "parallelcluster-allowed-managed-policies");
                assert.equal(bad.length, 1);
                assert.match(bad[0].message, /AdministratorAccess/);
                assert.deepEqual(await pack.analyze(role("pcluster-head", { managedPolicyArns: [aws("AmazonSSMManagedInstanceCore")] })), []);
            } finally {
                await pack.close();
            }
        });

        it("an organisation's pack includes our policies, configured, next to its own", async function () {
            this.timeout(300_000);
            copyPack(tmp, "pcpack");
            const org = path.join(tmp, "org");
            fs.mkdirSync(org);
            fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(org, "node_modules"), "dir");
            fs.writeFileSync(path.join(org, "PulumiPolicy.yaml"), "runtime: nodejs\ndescription: An organisation's guardrails.\n");
            fs.writeFileSync(path.join(org, "package.json"), JSON.stringify({ name: "org-policies", version: "2.0.0", main: "index.ts" }));
            fs.writeFileSync(path.join(org, "index.ts"), [
                'import { PolicyPack, validateResourceOfType } from "@pulumi/policy";',
                'import * as aws from "@pulumi/aws";',
                'import { parallelClusterIamPolicies } from "../pcpack/library";',
                "",
                'new PolicyPack("org", {',
                "    policies: [",
                "        ...parallelClusterIamPolicies({",
                '            all: "mandatory",',
                '            "parallelcluster-permissions-boundary": { boundaryArn: "arn:aws:iam::123456789012:policy/parallelcluster/boundary" },',
                '            "parallelcluster-valid-actions": "disabled",',
                "        }),",
                "        {",
                '            name: "org-role-description",',
                '            description: "Every role says what it is for.",',
                '            enforcementLevel: "advisory",',
                "            validateResource: validateResourceOfType(aws.iam.Role, (r, _args, report) => {",
                '                if (!r.description) report("the role has no description");',
                "            }),",
                "        },",
                "    ],",
                "});",
                "",
            ].join("\n"));
            const pack = await PolicyPackProcess.start({ packDir: org });
            try {
                const info = await pack.getAnalyzerInfo();
                assert.equal(info.name, "org");
                assert.equal(info.version, "2.0.0");
                assert.deepEqual(info.policies.map((p) => p.name), [...POLICY_NAMES, "org-role-description"]);
                const level = (n: string) => info.policies.find((p) => p.name === n)?.enforcementLevel;
                assert.equal(level("parallelcluster-permissions-boundary"), "mandatory");
                assert.equal(level("parallelcluster-valid-actions"), "disabled");
                assert.equal(info.policies.find((p) => p.name === "parallelcluster-permissions-boundary")?.configSchema?.properties.boundaryArn.default,
                    "arn:aws:iam::123456789012:policy/parallelcluster/boundary");
                const d = await pack.analyze(role("pcluster-compute", {}));
                assert.deepEqual(d.map((x) => [x.policyName, x.enforcementLevel]).sort(), [["org-role-description", "advisory"], ["parallelcluster-permissions-boundary", "mandatory"]]);
                assert.match(of(d, "parallelcluster-permissions-boundary")[0].message, /no permissions boundary/);
                // The organisation's own configuration still overrides what the code gave.
                await pack.configure({ "parallelcluster-permissions-boundary": { boundaryArn: "arn:aws:iam::123456789012:policy/parallelcluster/other" } });
                const again = of(await pack.analyze(role("pcluster-compute", { permissionsBoundary: "arn:aws:iam::123456789012:policy/parallelcluster/boundary", description: "x" })), "parallelcluster-permissions-boundary");
                assert.match(again[0].message, /not 'arn:aws:iam::123456789012:policy\/parallelcluster\/other'/);
            } finally {
                await pack.close();
            }
        });
    });
});
