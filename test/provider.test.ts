/**
 * The components as a Pulumi component plugin (provider/): the SDK's own schema analyzer
 * (@pulumi/pulumi/provider/experimental, what `pulumi package add` runs to generate Python, Go, .NET and YAML
 * SDKs) infers every component, with every input and output described.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { ComponentProvider, getPulumiComponents } from "@pulumi/pulumi/provider/experimental";
import { parse } from "yaml";

const DIR = path.resolve(__dirname, "..", "provider");
const TOKEN = "parallelcluster-iam:index:";
const COMPONENTS = ["ClusterUserRole", "ClusterNodeRoles", "ImageBuildRoles", "PermissionsBoundary", "AdditionalPolicy", "ApiFunctionAccess"];

interface Property { description?: string; type?: string; $ref?: string; items?: Property; additionalProperties?: Property }
interface Schema {
    name: string;
    resources: Record<string, { isComponent?: boolean; description?: string; inputProperties?: Record<string, Property>; properties?: Record<string, Property>; requiredInputs?: string[] }>;
    types?: Record<string, { description?: string; properties?: Record<string, Property> }>;
}

/** The names of an interface's fields in a TypeScript source file, read from its `readonly x?:` lines. */
function interfaceFields(file: string, name: string): string[] {
    const text = fs.readFileSync(file, "utf8");
    const start = text.indexOf(`export interface ${name}`);
    assert.ok(start >= 0, `${name} in ${file}`);
    const body = text.slice(start, text.indexOf("\n}", start));
    return [...body.matchAll(/^\s+readonly (\w+)\??:/gm)].map((m) => m[1]);
}

describe("the component plugin: schema inferred by the SDK's analyzer", function () {
    this.timeout(300_000);
    let schema: Schema;

    before(async () => {
        // eslint-disable-next-line @typescript-eslint/no-require-imports -- the plugin's entry point, as cmd/run-plugin loads it
        const entry = require(DIR) as Record<string, unknown>;
        const provider = new ComponentProvider({ name: "parallelcluster-iam", components: getPulumiComponents(entry), dirname: DIR } as ConstructorParameters<typeof ComponentProvider>[0]);
        schema = JSON.parse(await provider.getSchema()) as Schema;
    });

    it("PulumiPlugin.yaml declares the nodejs runtime; the plugin's package is named as the type tokens", () => {
        assert.deepEqual((parse(fs.readFileSync(path.join(DIR, "PulumiPlugin.yaml"), "utf8")) as { runtime: string }).runtime, "nodejs");
        assert.equal((JSON.parse(fs.readFileSync(path.join(DIR, "package.json"), "utf8")) as { name: string }).name, "parallelcluster-iam");
        assert.equal(schema.name, "parallelcluster-iam");
    });

    for (const component of COMPONENTS) {
        it(`${component}: every Args field an input, every output a property, each described`, () => {
            const r = schema.resources[`${TOKEN}${component}`];
            assert.ok(r, `${component} in the schema: ${Object.keys(schema.resources).join(", ")}`);
            assert.equal(r.isComponent, true);
            const file = path.resolve(__dirname, "..", "components", `${component[0].toLowerCase()}${component.slice(1)}.ts`);
            const args = interfaceFields(file, `${component}Args`).concat(/extends ContextArgs/.test(fs.readFileSync(file, "utf8")) ? ["accountId", "partition", "region"] : []);
            assert.deepEqual(Object.keys(r.inputProperties ?? {}).sort(), [...new Set(args)].sort(), "inputs");
            for (const [name, p] of Object.entries(r.inputProperties ?? {})) assert.ok(p.description && p.description.length > 10, `${component}.${name} input is described`);
            const outputs = Object.entries(r.properties ?? {});
            assert.ok(outputs.length > 0, "outputs");
            for (const [name, p] of outputs) assert.ok(p.description && p.description.length > 5, `${component}.${name} output is described`);
        });
    }

    it("every object type of the inputs is described field by field", () => {
        for (const [name, t] of Object.entries(schema.types ?? {})) {
            for (const [field, p] of Object.entries(t.properties ?? {})) assert.ok(p.description, `${name}.${field} is described`);
        }
    });
});
