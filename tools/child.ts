/**
 * Child process of `runStack`: receives one ChildRequest over IPC, runs that stack in this process and sends
 * back one ChildResponse. Run only by tools/engine.ts (forked with the tsx loader).
 */
import { UsageError } from "./config";
import { ChildRequest, ChildResponse, runStackInProcess } from "./engine";

function reply(msg: ChildResponse): void {
    // Exit only once the message is flushed; the SDK may leave handles open.
    process.send!(msg, () => process.exit(0));
}

if (!process.send) {
    console.error("tools/child.ts is started by tools/engine.ts (runStack), not directly");
    process.exit(2);
}

process.once("message", (raw) => {
    const req = raw as ChildRequest;
    runStackInProcess(req.loaded, { preview: req.preview }).then(
        (run) => reply({ ok: true, run }),
        (e: unknown) => reply({ ok: false, kind: e instanceof UsageError ? "usage" : "program", message: e instanceof Error ? e.message : String(e) }),
    );
});
