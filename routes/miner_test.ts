import { equal } from "node:assert/strict";
import { TAOS_BOOK_CONFIG } from "@/engine/book_records.ts";
import type { AppContext, Services } from "@/server/web_context.ts";
import { load } from "@/routes/miner.tsx";

/** The /miner page's data over a validator on subtensor whose node is `nodeUrl`. */
function minerPageOn(nodeUrl: string) {
  const services = {
    gateway: { miners: [] },
    chain: { kind: "subtensor", network: "testnet", netuid: 3, nodeUrl },
    market: { bookConfigs: [TAOS_BOOK_CONFIG] },
    gentrxBucket: "s3",
  } as unknown as Services;
  return load({
    req: { url: "https://validator.example/miner" },
    var: { services },
  } as unknown as AppContext);
}

Deno.test("/miner tells the tab the validator's netuid, and its node only when a remote browser can dial it", () => {
  const publicNode = minerPageOn("wss://entrypoint-finney.opentensor.ai:443");
  equal(publicNode.chain, "subtensor");
  equal(publicNode.netuid, 3);
  equal(publicNode.chainNode, "wss://entrypoint-finney.opentensor.ai:443");
  // A node on the validator's machine: the tab's own field, else Bittensor's public node.
  const loopbackNode = minerPageOn("ws://127.0.0.1:9944");
  equal(loopbackNode.netuid, 3);
  equal(loopbackNode.chainNode, undefined);
});
