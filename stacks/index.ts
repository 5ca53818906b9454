/** The deploy program: one environment per stack, chosen by the stack name. */
import * as pulumi from "@pulumi/pulumi";
import { readConfig } from "./config";
import { dev } from "./dev";
import { prod } from "./prod";
import { staging } from "./staging";

const programs: Record<string, typeof dev | typeof staging | typeof prod> = { dev, staging, prod };

export = async () => {
    const stack = pulumi.getStack();
    const program = programs[stack];
    if (!program) throw new Error(`stack: '${stack}' has no program; allowed: ${Object.keys(programs).join(", ")}`);
    return program(await readConfig());
};
