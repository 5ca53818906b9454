/**
 * Policy documents as the engine sends them: Pulumi serialises `policy` as a JSON string, but a
 * document may also arrive as an object, and during preview either may be (or contain) unknowns.
 */
import { PolicyDocument, PolicyStatement, asList } from "../shared/types";
import { isUnknown } from "./values";

export type ParsedDocument =
    | { kind: "document"; doc: PolicyDocument; /** as parsed, for sizing */ raw: object; /** true when some value inside is unknown */ partial: boolean }
    | { kind: "unknown" }
    | { kind: "absent" }
    | { kind: "invalid"; reason: string };

function containsUnknown(v: unknown): boolean {
    if (isUnknown(v)) return true;
    if (v && typeof v === "object") return Object.values(v).some(containsUnknown);
    return false;
}

// The same document string reaches several policies (and several resources: trust policies repeat):
// parse it once. Parsed documents are shared, so nothing may modify them. First in, first out.
const parsed = new Map<string, ParsedDocument>();
const PARSED_MAX = 512;

/**
 * Parses a document value (JSON string or object); `Statement` is always a list afterwards. The
 * result of a string is cached and shared between callers: treat it as read-only.
 */
export function parseDocument(v: unknown): ParsedDocument {
    if (typeof v !== "string") return parse(v);
    let d = parsed.get(v);
    if (!d) {
        d = parse(v);
        if (parsed.size >= PARSED_MAX) parsed.delete(parsed.keys().next().value as string);
        parsed.set(v, d);
    }
    return d;
}

function parse(v: unknown): ParsedDocument {
    if (isUnknown(v)) return { kind: "unknown" };
    if (v === undefined || v === null || v === "") return { kind: "absent" };
    let obj: unknown = v;
    if (typeof v === "string") {
        try {
            obj = JSON.parse(v);
        } catch (e) {
            return { kind: "invalid", reason: `not valid JSON (${(e as Error).message})` };
        }
    }
    if (!obj || typeof obj !== "object" || Array.isArray(obj)) return { kind: "invalid", reason: "not a JSON object" };
    const raw = obj as Record<string, unknown>;
    if (isUnknown(raw.Statement)) return { kind: "unknown" };
    const statements = asList(raw.Statement as PolicyStatement | PolicyStatement[] | undefined);
    if (statements.some((s) => !s || typeof s !== "object" || Array.isArray(s))) return { kind: "invalid", reason: "a Statement entry is not an object" };
    const doc = { ...raw, Statement: statements } as PolicyDocument;
    return { kind: "document", doc, raw, partial: containsUnknown(statements) };
}

/** Statement label for messages: its Sid, else its position. */
export function statementLabel(s: PolicyStatement, i: number): string {
    return s.Sid ? `statement '${s.Sid}'` : `statement #${i + 1}`;
}
