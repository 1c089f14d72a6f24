import { deepEqual } from "node:assert/strict";
import { serveMessages, type WorkerError } from "@/workers/protocol.ts";

type In = { v: 1; type: "ok" } | { v: 1; type: "throw" } | { v: 1; type: "reject" };

/** An in-process stand-in for a dedicated worker's scope (no Worker needed to test dispatch). */
function scopeStandIn() {
  const posted: WorkerError<1>[] = [];
  let listener: ((event: MessageEvent<In>) => void) | undefined;
  return {
    posted,
    send: (data: unknown) => listener!(new MessageEvent("message", { data: data as In })),
    scope: {
      postMessage: (message: WorkerError<1>) => posted.push(message),
      addEventListener: (_: "message", l: (event: MessageEvent<In>) => void) => listener = l,
    },
  };
}

Deno.test("serveMessages dispatches its version and answers a wrong one or a failure with an error (scope stand-in)", async () => {
  const { posted, send, scope } = scopeStandIn();
  const handled: string[] = [];
  serveMessages(scope, 1, (message) => {
    handled.push(message.type);
    if (message.type === "throw") throw new Error("thrown");
    if (message.type === "reject") return Promise.reject(new Error("rejected"));
  });
  send({ v: 1, type: "ok" });
  send({ v: 2, type: "ok" });
  send(null);
  send({ v: 1, type: "throw" });
  send({ v: 1, type: "reject" });
  await new Promise((resolve) => setTimeout(resolve, 0));
  deepEqual(handled, ["ok", "throw", "reject"]);
  deepEqual(posted.map((message) => message.message), [
    "Cannot read message: protocol version 2, expected 1",
    "Cannot read message: protocol version undefined, expected 1",
    "thrown",
    "rejected",
  ]);
});
