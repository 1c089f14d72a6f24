/**
 * Web worker that runs a miner's agent off the page's thread, offline
 * against the WebAssembly market or live through the validator's gateway:
 * it dispatches each message to an `AgentHost` (workers/miner/agent_host.ts)
 * and reports any failure as an "error" message naming what went wrong.
 *
 * @module
 */
import { AgentHost } from "@/workers/miner/agent_host.ts";
import {
  type FromAgentWorker,
  PROTOCOL_VERSION,
  type ToAgentWorker,
} from "@/workers/miner/protocol.ts";
import type { WorkerScope } from "@/workers/protocol.ts";

const scope = self as unknown as WorkerScope<ToAgentWorker, FromAgentWorker>;
const host = new AgentHost((message) => scope.postMessage(message));

function reportError(error: unknown): void {
  const message = error instanceof Error ? error.message : String(error);
  scope.postMessage({ v: PROTOCOL_VERSION, type: "error", message });
}

scope.addEventListener("message", ({ data }) => {
  if (data?.v !== PROTOCOL_VERSION) {
    reportError(`Cannot read message: protocol version ${data?.v}, expected ${PROTOCOL_VERSION}`);
    return;
  }
  switch (data.type) {
    case "start":
      host.start(data.run).catch(reportError);
      break;
    case "signature":
      host.signature(data.id, data.signature, data.error);
      break;
    case "stop":
      host.stop();
      break;
  }
});
