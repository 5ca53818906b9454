/**
 * Scaffolding for policies that judge permission documents: one validation for the resource types
 * that carry documents (lib/validate.ts), parsing each document and collecting what preview leaves unknown.
 *
 * A check sees only the document and where it is (`DocumentContext`), so what it finds in a document
 * that came as JSON text (wholly known) is the same wherever that text appears: the findings are
 * remembered by text (with the place left open) and replayed for the next resource carrying it. Stacks
 * repeat documents a lot (one per queue or per node role, identical up to nothing or to a name).
 */
import { ReportViolation, ResourceValidation, ResourceValidationArgs } from "@pulumi/policy";
import { PolicyDocument } from "../shared/types";
import { parseDocument } from "./documents";
import { documentsOf, label, TYPES } from "./iam";
import { validateTypes } from "./validate";
import { isUnknown, PreviewGaps } from "./values";

/** What a check may look at: the document and where it is. Nothing else, so its findings depend on these alone. */
export interface DocumentContext {
    /** `aws:iam/rolePolicy:RolePolicy 'x' inline policy 'y'` */
    where: string;
    /** Shared with other policies (parsed once): read-only. */
    doc: PolicyDocument;
    report(message: string): void;
    gaps: { add(what: string): void };
}

export type DocumentCheck = (ctx: DocumentContext) => void | Promise<void>;

/** Called for a document that is not valid JSON or not a JSON object. */
export type InvalidDocument = (where: string, reason: string, report: ReportViolation) => void;

/** The resource types whose permission documents are judged (trust policies are not permission documents). */
export const DOCUMENT_TYPES = [TYPES.role, TYPES.rolePolicy, TYPES.policy, TYPES.userPolicy, TYPES.groupPolicy] as const;

/** Stands for `where` in remembered findings; a NUL never occurs in a resource label. */
const PLACE = "\u0000where\u0000";
const REMEMBERED_MAX = 512;

interface Findings {
    reports: string[];
    gaps: string[];
}

/** Runs `check` on each document, remembering findings by document text (one memory per check). */
function run(check: DocumentCheck, onInvalid?: InvalidDocument) {
    const remembered = new Map<string, Promise<Findings>>();

    const findingsOf = (text: string, doc: PolicyDocument): Promise<Findings> => {
        let f = remembered.get(text);
        if (!f) {
            const found: Findings = { reports: [], gaps: [] };
            f = Promise.resolve(check({ where: PLACE, doc, report: (m) => found.reports.push(m), gaps: { add: (g) => found.gaps.push(g) } })).then(() => found);
            if (remembered.size >= REMEMBERED_MAX) remembered.delete(remembered.keys().next().value as string);
            remembered.set(text, f);
            // A check that failed is not remembered (and its error reaches the caller).
            f.catch(() => remembered.delete(text));
        }
        return f;
    };

    return async (p: Record<string, unknown>, args: ResourceValidationArgs, report: ReportViolation): Promise<void> => {
        const where = label(args.type, args.name);
        const gaps = new PreviewGaps();
        const sources = documentsOf(args.type, p);
        if (isUnknown(sources)) {
            gaps.add(`the inline policies of ${where} are unknown during preview`);
        } else {
            for (const s of sources) {
                const parsed = parseDocument(s.value);
                const at = `${where} ${s.what}`;
                if (parsed.kind === "unknown") gaps.add(`the ${s.what} of ${where} is unknown during preview`);
                if (parsed.kind === "invalid") onInvalid?.(at, parsed.reason, report);
                if (parsed.kind !== "document") continue;
                if (typeof s.value === "string") {
                    const found = await findingsOf(s.value, parsed.doc);
                    for (const m of found.reports) report(m.split(PLACE).join(at));
                    for (const g of found.gaps) gaps.add(g.split(PLACE).join(at));
                } else {
                    await check({ where: at, doc: parsed.doc, report: (m) => report(m), gaps });
                }
            }
        }
        gaps.throwIfAny();
    };
}

/** One validation running `check` on every permission document of roles' inline policies, role/user/group policies and customer policies. */
export function forEveryDocument(check: DocumentCheck, onInvalid?: InvalidDocument): ResourceValidation {
    const v = run(check, onInvalid);
    return validateTypes(Object.fromEntries(DOCUMENT_TYPES.map((t) => [t, v])));
}
