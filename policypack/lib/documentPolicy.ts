/**
 * Scaffolding for policies that judge permission documents: one validation per resource type that
 * carries documents, parsing each document and collecting what preview leaves unknown.
 */
import * as aws from "@pulumi/aws";
import { ReportViolation, ResourceValidation, ResourceValidationArgs, validateResourceOfType } from "@pulumi/policy";
import { PolicyDocument } from "../../components/policies/types";
import { parseDocument } from "./documents";
import { documentsOf, label } from "./iam";
import { isUnknown, plainProps, PreviewGaps } from "./values";

export interface DocumentContext {
    /** `aws:iam/rolePolicy:RolePolicy 'x' inline policy 'y'` */
    where: string;
    doc: PolicyDocument;
    args: ResourceValidationArgs;
    report: ReportViolation;
    gaps: PreviewGaps;
}

export type DocumentCheck = (ctx: DocumentContext) => void | Promise<void>;

/** Called for a document that is not valid JSON or not a JSON object. */
export type InvalidDocument = (where: string, reason: string, report: ReportViolation) => void;

function run(check: DocumentCheck, onInvalid?: InvalidDocument): (props: unknown, args: ResourceValidationArgs, report: ReportViolation) => Promise<void> {
    return async (props, args, report) => {
        const p = plainProps(props);
        const where = label(args.type, args.name);
        const gaps = new PreviewGaps();
        const sources = documentsOf(args.type, p);
        if (isUnknown(sources)) {
            gaps.add(`the inline policies of ${where} are unknown during preview`);
        } else {
            for (const s of sources) {
                const parsed = parseDocument(s.value);
                if (parsed.kind === "unknown") gaps.add(`the ${s.what} of ${where} is unknown during preview`);
                if (parsed.kind === "invalid") onInvalid?.(`${where} ${s.what}`, parsed.reason, report);
                if (parsed.kind === "document") await check({ where: `${where} ${s.what}`, doc: parsed.doc, args, report, gaps });
            }
        }
        gaps.throwIfAny();
    };
}

/** Validations running `check` on every permission document of roles' inline policies, role/user/group policies and customer policies. */
export function forEveryDocument(check: DocumentCheck, onInvalid?: InvalidDocument): ResourceValidation[] {
    const v = run(check, onInvalid);
    return [
        validateResourceOfType(aws.iam.Role, v),
        validateResourceOfType(aws.iam.RolePolicy, v),
        validateResourceOfType(aws.iam.Policy, v),
        validateResourceOfType(aws.iam.UserPolicy, v),
        validateResourceOfType(aws.iam.GroupPolicy, v),
    ];
}
