import { equal } from "node:assert/strict";
import { publicChainNode } from "@/server/chain/public_chain_node.ts";

Deno.test("publicChainNode: a wss:// node on a public host is suggested; loopback, private and ws:// nodes are not", () => {
  for (
    const url of [
      "wss://entrypoint-finney.opentensor.ai:443",
      "wss://test.finney.opentensor.ai:443/",
      "wss://203.0.113.7:9944",
    ]
  ) {
    equal(publicChainNode(url), url);
  }
  for (
    const url of [
      undefined,
      "ws://127.0.0.1:9944",
      "ws://node.example:9944",
      "wss://localhost:9944",
      "wss://127.0.0.1:9944",
      "wss://[::1]:9944",
      "wss://10.0.0.5:9944",
      "wss://192.168.1.2:9944",
      "not a url",
    ]
  ) {
    equal(publicChainNode(url), undefined, String(url));
  }
});
