/**
 * Which AWS account a role lives in, so a customer policy of another account is refused: IAM attaches
 * only policies of the role's own account (or AWS's), and a `parallelcluster*` name in someone else's
 * account is no reason to trust it.
 *
 * Known from (first that answers): the role's own ARN, its permissions boundary's ARN, its provider
 * (`allowedAccountIds` with one entry, `assumeRole(s).roleArn`), the ARNs of the stack's own IAM
 * resources when they agree on one account. When none answers, the account is unknown and judged
 * conservatively (`judgeAccount`): a customer policy is refused when the ARNs in view name more than
 * one account, since the pack cannot tell which one is the stack's.
 */
import { parseArn } from "../shared/context";
import { isUnknown, str } from "./values";

/** The 12-digit account of an ARN, or undefined (AWS-managed `aws`, `*`, empty, not an ARN). */
export function accountOfArn(v: unknown): string | undefined {
    const s = str(v);
    if (typeof s !== "string") return undefined;
    const a = parseArn(s)?.account;
    return a && /^\d{12}$/.test(a) ? a : undefined;
}

function listish(v: unknown): unknown[] {
    if (isUnknown(v) || v === undefined || v === null) return [];
    if (typeof v === "string") {
        const t = v.trim();
        if (t.startsWith("[") || t.startsWith("{")) {
            try {
                return listish(JSON.parse(t));
            } catch {
                return [v];
            }
        }
        return [v];
    }
    return Array.isArray(v) ? v : [v];
}

/** The account a provider is pinned to or assumes a role in, when it says so unambiguously. */
export function providerAccount(props: Record<string, unknown> | undefined): string | undefined {
    if (!props) return undefined;
    const allowed = listish(props.allowedAccountIds).filter((x): x is string => typeof x === "string" && /^\d{12}$/.test(x));
    if (allowed.length === 1) return allowed[0];
    for (const key of ["assumeRole", "assumeRoles"]) {
        for (const e of listish(props[key])) {
            const a = e && typeof e === "object" ? accountOfArn((e as Record<string, unknown>).roleArn) : undefined;
            if (a) return a;
        }
    }
    return undefined;
}

/** The account a role shows on itself: its ARN, its boundary's ARN, its provider. */
export function roleAccount(props: Record<string, unknown>, provider?: Record<string, unknown>): string | undefined {
    return accountOfArn(props.arn) ?? accountOfArn(props.permissionsBoundary) ?? providerAccount(provider);
}

/** What is known about the account a policy is attached in. */
export interface AccountView {
    /** The role's (or stack's) account, when known. */
    own?: string;
    /** Accounts named by ARNs in view (the resource, or the stack). */
    seen: readonly string[];
}

/** Why a customer policy ARN of `account` is refused for a role in `view`, or undefined when its account is acceptable. */
export function judgeAccount(account: string, view: AccountView): string | undefined {
    if (view.own !== undefined) {
        return account === view.own ? undefined : `it is a customer policy of account ${account}, not of the role's account ${view.own}`;
    }
    const others = [...new Set(view.seen)].filter((a) => a !== account);
    if (others.length === 0) return undefined;
    return `it is a customer policy of account ${account}, the role's account is unknown, and the stack also names account(s) ${others.join(", ")}, ` +
        "so the pack cannot tell that the policy is the role's own (pin the provider with allowedAccountIds to say which account is yours)";
}
