/**
 * Web worker that trains GenTRX off the page's thread: it dispatches each
 * message to a `TrainerHost` (workers/train/trainer_host.ts); failures come
 * back as "error" messages (workers/protocol.ts serveMessages).
 *
 * @module
 */
import {
  type FromTrainer,
  PROTOCOL_VERSION,
  serveMessages,
  type ToTrainer,
} from "@/workers/protocol.ts";
import { TrainerHost } from "@/workers/train/trainer_host.ts";

/** The dedicated worker scope, with the transfer list the training messages use. */
interface TrainerScope {
  postMessage(message: FromTrainer, transfer?: Transferable[]): void;
  addEventListener(type: "message", listener: (event: MessageEvent<ToTrainer>) => void): void;
  close(): void;
}

const scope = self as unknown as TrainerScope;
const host = new TrainerHost((message, transfer = []) => scope.postMessage(message, transfer));

serveMessages(scope, PROTOCOL_VERSION, (message) => {
  switch (message.type) {
    case "start":
      return host.start(message);
    case "stop":
      return host.stop();
    case "checkpoint":
      return host.checkpoint();
    case "close":
      host.close();
      scope.close();
  }
});
