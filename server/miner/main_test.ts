import { deepEqual, throws } from "node:assert/strict";
import { minerChain } from "@/server/miner/main.ts";

Deno.test("minerChain: local by default; --chain with a subtensor URL needs --netuid 1 to 65535", () => {
  deepEqual(minerChain(undefined, undefined), { kind: "local" });
  deepEqual(minerChain("ws://127.0.0.1:9944", "3"), {
    kind: "subtensor",
    url: "ws://127.0.0.1:9944",
    netuid: 3,
  });
  throws(() => minerChain("ws://127.0.0.1:9944", undefined), {
    message: 'Missing --netuid: a subtensor chain (--chain "ws://127.0.0.1:9944") needs one',
  });
  throws(() => minerChain("ws://127.0.0.1:9944", "0"), {
    message: 'Invalid --netuid "0": must be an integer from 1 to 65535',
  });
  throws(() => minerChain("127.0.0.1:9944", "3"), {
    message: 'Invalid --chain "127.0.0.1:9944": must be "local" or a ws:// or wss:// URL',
  });
});
