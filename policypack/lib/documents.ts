/**
 * Policy documents as the engine sends them: Pulumi serialises `policy` as a JSON string, but a
 * document may also arrive as an object, and during preview either may be (or contain) unknowns.
 */
import { PolicyDocument, PolicyStatement, asList } from "../../components/policies/types";
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

/** Parses a document value (JSON string or object); `Statement` is always a list afterwards. */
export function parseDocument(v: unknown): ParsedDocument {
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
