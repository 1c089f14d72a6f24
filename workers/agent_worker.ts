/**
 * Web worker that runs a miner's agent off the page's thread, offline
 * against the WebAssembly market or live through the validator's gateway:
 * it dispatches each message to an `AgentHost` (workers/miner/agent_host.ts);
 * failures come back as "error" messages (workers/protocol.ts serveMessages).
 *
 * @module
 */
import { AgentHost } from "@/workers/miner/agent_host.ts";
import {
  type FromAgentWorker,
  PROTOCOL_VERSION,
  type ToAgentWorker,
} from "@/workers/miner/protocol.ts";
import { serveMessages, type WorkerScope } from "@/workers/protocol.ts";

const scope = self as unknown as WorkerScope<ToAgentWorker, FromAgentWorker>;
const host = new AgentHost((message) => scope.postMessage(message));

serveMessages(scope, PROTOCOL_VERSION, (message) => {
  switch (message.type) {
    case "start":
      return host.start(message.run);
    case "signature":
      return host.signature(message.id, message.signature, message.error);
    case "stop":
      return host.stop();
  }
});
