/**
 * Project and stack configuration, read and checked the way the Pulumi CLI does before it starts a program:
 * Pulumi.yaml's typed `config:` block (project-level schema, v3.44+) against Pulumi.<stack>.yaml's `config:` map.
 *
 * Mirrors sdk/go/common/workspace (project.go `Validate`, `ValidateConfigValue`; config.go `mergeConfig`):
 * shorthand values, defaults applied to the stack, missing required keys, type checks, and non-project keys
 * that carry a `value`. One deliberate addition: a stack key in the project namespace that Pulumi.yaml does not
 * declare is an error here (the CLI accepts it silently), because in this project it is always a typo.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as YAML from "yaml";
import { isRegion, partitionOfRegion, Partition } from "../components/policies/partition";

/** A mistake in how the engine was invoked or configured: the CLI prints one line and exits 2. */
export class UsageError extends Error {
    readonly exitCode = 2;
    constructor(message: string) {
        super(message);
        this.name = "UsageError";
    }
}

export type ConfigTypeName = "string" | "integer" | "boolean" | "array" | "object";
const CONFIG_TYPES: readonly ConfigTypeName[] = ["string", "integer", "boolean", "array", "object"];

export interface ConfigItemsType {
    readonly type: ConfigTypeName;
    readonly items?: ConfigItemsType;
}

/** One entry of Pulumi.yaml's `config:` block, after the CLI's shorthand rewrite. */
export interface ProjectConfigType {
    readonly type?: ConfigTypeName;
    readonly description?: string;
    readonly items?: ConfigItemsType;
    readonly default?: unknown;
    readonly value?: unknown;
    readonly secret?: boolean;
}

export interface ProjectFile {
    readonly name: string;
    /** Absolute path of the program (file or directory), from `main` (default: the project directory). */
    readonly main: string;
    /** `runtime.options` of Pulumi.yaml (typescript, tsconfig, nodeargs, ...), as the language host reads them. */
    readonly runtimeOptions: Readonly<Record<string, unknown>>;
    readonly projectDir: string;
    /** Absolute directory holding the Pulumi.<stack>.yaml files (`stackConfigDir`). */
    readonly stackConfigDir: string;
    /** Keys fully qualified (`<namespace>:<name>`). */
    readonly config: Readonly<Record<string, ProjectConfigType>>;
}

/** Everything a run needs, validated: what the CLI would hand the language host. */
export interface LoadedStack {
    readonly project: ProjectFile;
    readonly stack: string;
    readonly region: string;
    readonly partition: Partition;
    readonly accountId: string;
    /** Flat config map as the SDK receives it: every value a string, non-strings as JSON text. */
    readonly config: Readonly<Record<string, string>>;
}

export const DEFAULT_ACCOUNT = "123456789012";
const STACK_NAME_RE = /^[A-Za-z0-9_.-]+$/;

function readYaml(file: string): unknown {
    const text = fs.readFileSync(file, "utf8");
    const doc = YAML.parseDocument(text);
    if (doc.errors.length > 0) {
        throw new UsageError(`${file}: not valid YAML: ${doc.errors[0].message.split("\n")[0]}`);
    }
    return doc.toJS();
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
    return typeof v === "object" && v !== null && !Array.isArray(v);
}

function findFile(dir: string, base: string): string | undefined {
    for (const ext of [".yaml", ".yml"]) {
        const f = path.join(dir, base + ext);
        if (fs.existsSync(f)) return f;
    }
    return undefined;
}

/** `key` -> `project:key`; namespaced keys unchanged. */
function qualify(projectName: string, key: string): string {
    return key.includes(":") ? key : `${projectName}:${key}`;
}

function typeName(t: ConfigTypeName | undefined, items?: ConfigItemsType): string {
    return items ? `array<${typeName(items.type, items.items)}>` : String(t);
}

/** The CLI's ValidateConfigValue: YAML scalars arrive as strings, so integers and booleans may be strings. */
export function validateConfigValue(t: ConfigTypeName, items: ConfigItemsType | undefined, value: unknown): boolean {
    switch (t) {
        case "string":
            return typeof value === "string";
        case "integer":
            if (typeof value === "number") return Number.isInteger(value);
            return typeof value === "string" && /^[+-]?\d+$/.test(value);
        case "boolean":
            return typeof value === "boolean" || value === "true" || value === "false";
        case "object":
            return isPlainObject(value);
        case "array":
            return Array.isArray(value) && items !== undefined && value.every((v) => validateConfigValue(items.type, items.items, v));
    }
}

function parseItems(where: string, raw: unknown): ConfigItemsType | undefined {
    if (raw === undefined) return undefined;
    if (!isPlainObject(raw) || !CONFIG_TYPES.includes(raw.type as ConfigTypeName)) {
        throw new UsageError(`${where}: 'items' must be an object with a 'type' of ${CONFIG_TYPES.join(", ")}`);
    }
    return { type: raw.type as ConfigTypeName, items: parseItems(where, raw.items) };
}

/** Reads and validates Pulumi.yaml (or .yml) in `projectDir`. */
export function loadProject(projectDir: string): ProjectFile {
    const dir = path.resolve(projectDir);
    const file = findFile(dir, "Pulumi");
    if (!file) throw new UsageError(`--project: no Pulumi.yaml in '${dir}'; expected a Pulumi project directory`);
    const raw = readYaml(file);
    if (!isPlainObject(raw)) throw new UsageError(`${file}: expected a YAML mapping`);
    const name = raw.name;
    if (typeof name !== "string" || !/^[A-Za-z0-9_.-]+$/.test(name)) {
        throw new UsageError(`${file}: 'name' must be a non-empty project name of letters, digits, '-', '_' or '.'`);
    }
    const runtime = isPlainObject(raw.runtime) ? raw.runtime.name : raw.runtime;
    if (runtime !== "nodejs") {
        throw new UsageError(`${file}: runtime '${String(runtime)}' is not supported offline; expected 'nodejs'`);
    }
    const main = path.resolve(dir, typeof raw.main === "string" ? raw.main : ".");
    const runtimeOptions = isPlainObject(raw.runtime) && isPlainObject(raw.runtime.options) ? raw.runtime.options : {};
    for (const [k, t] of [["typescript", "boolean"], ["tsconfig", "string"], ["nodeargs", "string"]] as const) {
        if (runtimeOptions[k] !== undefined && typeof runtimeOptions[k] !== t) throw new UsageError(`${file}: runtime option '${k}' must be a ${t}`);
    }
    const stackConfigDir = path.resolve(dir, typeof raw.stackConfigDir === "string" ? raw.stackConfigDir : ".");

    const config: Record<string, ProjectConfigType> = {};
    const rawConfig = raw.config ?? {};
    if (!isPlainObject(rawConfig)) throw new UsageError(`${file}: 'config' must be a mapping of config keys`);
    for (const [key, entry] of Object.entries(rawConfig)) {
        const fq = qualify(name, key);
        const inProject = fq.startsWith(`${name}:`);
        const where = `${file}: config '${key}'`;
        // Shorthand: a bare value is a default for project keys and a value for other namespaces.
        const spec: Record<string, unknown> = isPlainObject(entry) ? entry : inProject ? { default: entry } : { value: entry };
        for (const attr of Object.keys(spec)) {
            if (!["type", "description", "items", "default", "value", "secret"].includes(attr)) {
                throw new UsageError(`${where}: unknown attribute '${attr}'; allowed: type, description, items, default, value, secret`);
            }
        }
        if (spec.default !== undefined && spec.value !== undefined) {
            throw new UsageError(`${where} cannot have both a 'default' and 'value' attribute`);
        }
        if (spec.type !== undefined && !CONFIG_TYPES.includes(spec.type as ConfigTypeName)) {
            throw new UsageError(`${where}: type '${String(spec.type)}' is not one of ${CONFIG_TYPES.join(", ")}`);
        }
        const t = spec.type as ConfigTypeName | undefined;
        const items = parseItems(where, spec.items);
        if (inProject) {
            if (t === "array" && !items) throw new UsageError(`${where} declares an array but does not specify the underlying type via the 'items' attribute`);
            if (t && spec.default !== undefined && !validateConfigValue(t, items, spec.default)) {
                throw new UsageError(`${where}: the default value is not of the expected type '${typeName(t, items)}'`);
            }
        } else {
            if (t) throw new UsageError(`${where} is not namespaced by the project and should not define a type`);
            if (spec.default !== undefined) throw new UsageError(`${where} is not namespaced by the project and should not define a default; use 'value'`);
            if (spec.value === undefined) throw new UsageError(`${where} is namespaced and must provide an attribute 'value'`);
        }
        config[fq] = {
            type: t,
            description: typeof spec.description === "string" ? spec.description : undefined,
            items,
            default: spec.default,
            value: spec.value,
            secret: spec.secret === true,
        };
    }
    return { name, main, runtimeOptions, projectDir: dir, stackConfigDir, config };
}

/** Stack names that have a Pulumi.<stack>.yaml, sorted. */
export function listStacks(project: ProjectFile): string[] {
    if (!fs.existsSync(project.stackConfigDir)) return [];
    return fs
        .readdirSync(project.stackConfigDir)
        .map((f) => /^Pulumi\.(.+)\.ya?ml$/.exec(f)?.[1])
        .filter((s): s is string => s !== undefined)
        .sort();
}

/**
 * A config value as the CLI holds it: YAML scalars become their text (so `count: 3` is the string "3" and
 * satisfies both 'string' and 'integer'), lists and mappings stay structured (the CLI keeps them as JSON).
 */
function normalizeValue(v: unknown): unknown {
    if (v === null || v === undefined) return "";
    if (typeof v === "number" || typeof v === "boolean") return String(v);
    return v;
}

/** How the CLI hands a value to the program: strings as they are, lists and mappings as JSON text. */
function toConfigString(v: unknown): string {
    return typeof v === "string" ? v : JSON.stringify(v);
}

/** Levenshtein distance, for "did you mean" on misspelt keys. */
function distance(a: string, b: string): number {
    let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
    for (let i = 1; i <= a.length; i++) {
        const cur = [i];
        for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
        prev = cur;
    }
    return prev[b.length];
}

/** The candidate within two edits (case-insensitive), as the CLI suggests attribute names. */
function closest(key: string, candidates: string[]): string | undefined {
    let best: string | undefined;
    let bestD = 3;
    for (const c of candidates) {
        const d = distance(key.toLowerCase(), c.toLowerCase());
        if (d < bestD) [best, bestD] = [c, d];
    }
    return best;
}

function describeValid(keys: string[]): string {
    return keys.length > 0 ? keys.join(", ") : "(none)";
}

export interface LoadStackOptions {
    readonly stack: string;
    readonly projectDir: string;
    /** Overrides `aws:region`. */
    readonly region?: string;
    readonly account?: string;
}

/** Reads the project and stack files, applies defaults and checks every key and type. Throws UsageError. */
export function loadStack(opts: LoadStackOptions): LoadedStack {
    const project = loadProject(opts.projectDir);
    const stacks = listStacks(project);
    if (!STACK_NAME_RE.test(opts.stack) || !stacks.includes(opts.stack)) {
        throw new UsageError(`unknown stack '${opts.stack}': no Pulumi.${opts.stack}.yaml in ${project.stackConfigDir}; valid stacks: ${describeValid(stacks)}`);
    }
    const accountId = opts.account ?? DEFAULT_ACCOUNT;
    if (!/^\d{12}$/.test(accountId)) {
        throw new UsageError(`--account: '${accountId}' is not an AWS account ID; expected 12 digits, e.g. ${DEFAULT_ACCOUNT}`);
    }
    if (opts.region !== undefined && !isRegion(opts.region)) {
        throw new UsageError(`--region: '${opts.region}' is not a region of a supported partition; expected e.g. us-east-1 (aws), cn-north-1 (aws-cn) or us-gov-west-1 (aws-us-gov)`);
    }

    const stackFile = findFile(project.stackConfigDir, `Pulumi.${opts.stack}`)!;
    const raw = readYaml(stackFile) ?? {};
    if (!isPlainObject(raw)) throw new UsageError(`${stackFile}: expected a YAML mapping`);
    if (raw.environment !== undefined) {
        throw new UsageError(`${stackFile}: 'environment' (Pulumi ESC) cannot be resolved offline; put the values under 'config'`);
    }
    const rawConfig = raw.config ?? {};
    if (!isPlainObject(rawConfig)) throw new UsageError(`${stackFile}: 'config' must be a mapping`);

    const stackValues = new Map<string, unknown>();
    for (const [key, v] of Object.entries(rawConfig)) {
        // Legacy spelling `ns:config:name` is the same key.
        const m = /^([^:]+):(?:config:)?(.+)$/.exec(key);
        if (!m) {
            throw new UsageError(`Stack '${opts.stack}': configuration key '${key}' must be of the form <namespace>:<name>, e.g. ${project.name}:${key}`);
        }
        const fq = `${m[1]}:${m[2]}`;
        if (isPlainObject(v) && Object.keys(v).length === 1 && typeof v.secure === "string") {
            throw new UsageError(`Stack '${opts.stack}': configuration key '${fq}' is encrypted ('secure'); secrets cannot be decrypted offline, use a plain value for offline runs`);
        }
        stackValues.set(fq, normalizeValue(v));
    }

    const declared = Object.keys(project.config).filter((k) => k.startsWith(`${project.name}:`)).sort();
    const unknown = [...stackValues.keys()].filter((k) => k.startsWith(`${project.name}:`) && !declared.includes(k)).sort();
    if (unknown.length > 0) {
        const guess = closest(unknown[0], declared);
        throw new UsageError(
            `Stack '${opts.stack}' sets configuration key '${unknown[0]}', which Pulumi.yaml does not declare` +
                `${guess ? ` (did you mean '${guess}'?)` : ""}; declared keys: ${describeValid(declared)}`,
        );
    }

    const missing: string[] = [];
    for (const key of Object.keys(project.config).sort()) {
        const spec = project.config[key];
        if (stackValues.has(key)) continue;
        const fallback = spec.value !== undefined ? spec.value : spec.default;
        if (fallback !== undefined) stackValues.set(key, normalizeValue(fallback));
        else if (key.startsWith(`${project.name}:`)) missing.push(key);
    }
    if (missing.length > 0) {
        const list = missing.map((k) => `'${k}'`).join(", ");
        throw new UsageError(`Stack '${opts.stack}' is missing configuration value${missing.length > 1 ? "s" : ""} ${list}; set ${missing.length > 1 ? "them" : "it"} in ${path.basename(stackFile)} (Pulumi.yaml gives no default)`);
    }

    for (const key of Object.keys(project.config).sort()) {
        const spec = project.config[key];
        if (!spec.type) continue;
        const v = stackValues.get(key);
        if (!validateConfigValue(spec.type, spec.items, v)) {
            throw new UsageError(`Stack '${opts.stack}' with configuration key '${key}' must be of type '${typeName(spec.type, spec.items)}'; got ${JSON.stringify(v)}`);
        }
    }

    if (opts.region !== undefined) stackValues.set("aws:region", opts.region);
    const region = stackValues.get("aws:region");
    if (typeof region !== "string") {
        throw new UsageError(`Stack '${opts.stack}': aws:region is not set; set it in ${path.basename(stackFile)} or pass --region`);
    }
    if (!isRegion(region)) {
        throw new UsageError(`Stack '${opts.stack}': aws:region '${region}' is not a region of a supported partition; expected e.g. us-east-1, cn-north-1 or us-gov-west-1`);
    }

    const config: Record<string, string> = {};
    for (const [k, v] of [...stackValues.entries()].sort(([a], [b]) => a.localeCompare(b))) config[k] = toConfigString(v);
    return { project, stack: opts.stack, region, partition: partitionOfRegion(region), accountId, config };
}
