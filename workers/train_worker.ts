/**
 * Web worker that trains GenTRX off the page's thread: it dispatches each
 * message to a `TrainerHost` (workers/train/trainer_host.ts) and reports any
 * failure as an "error" message naming what went wrong.
 *
 * @module
 */
import { type FromTrainer, PROTOCOL_VERSION, type ToTrainer } from "@/workers/protocol.ts";
import { TrainerHost } from "@/workers/train/trainer_host.ts";

/** The dedicated worker scope, with the transfer list the training messages use. */
interface TrainerScope {
  postMessage(message: FromTrainer, transfer?: Transferable[]): void;
  addEventListener(type: "message", listener: (event: MessageEvent<ToTrainer>) => void): void;
  close(): void;
}

const scope = self as unknown as TrainerScope;
const host = new TrainerHost((message, transfer = []) => scope.postMessage(message, transfer));

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
      host.start(data).catch(reportError);
      break;
    case "stop":
      host.stop();
      break;
    case "checkpoint":
      host.checkpoint().catch(reportError);
      break;
    case "close":
      host.close();
      scope.close();
      break;
  }
});
