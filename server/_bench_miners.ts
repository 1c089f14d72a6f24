/**
 * The miners of validator_bench.ts, run as their own process so they do not
 * share the validator's event loop: `--count` miners with dev hotkeys
 * `//bench/<i>` connect to `--url`, and each answers every state update at
 * once with two resting limit orders far from the touch on book 0 (so the
 * validator filters, maps and submits real instructions, but no miner think
 * time is measured). Prints `ready` once every miner has a session.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { encode } from "@msgpack/msgpack";
import { Keyring } from "@polkadot/keyring";
import { stringToU8a } from "@polkadot/util";
import { cryptoWaitReady } from "@polkadot/util-crypto";
import { MinerClient } from "@/engine/gateway/miner_client.ts";

/** Connections opened at once while ramping up. */
const CONNECT_BATCH = 32;

/** The dev hotkey of bench miner `index`. */
export function benchKeyUri(index: number): string {
  return `//bench/${index}`;
}

if (import.meta.main) {
  const { values } = parseArgs({
    args: Deno.args,
    options: { url: { type: "string" }, count: { type: "string" } },
  });
  await cryptoWaitReady();
  const keyring = new Keyring({ type: "sr25519" });
  const count = Number(values.count);
  const clients: MinerClient[] = [];
  for (let start = 0; start < count; start += CONNECT_BATCH) {
    const batch = Array.from({ length: Math.min(CONNECT_BATCH, count - start) }, (_, i) => {
      const pair = keyring.addFromUri(benchKeyUri(start + i));
      let client: MinerClient | null = null;
      return MinerClient.connect({
        url: values.url!,
        hotkey: pair.address,
        signGrant: (message) => Promise.resolve(pair.sign(stringToU8a(message))),
        onState: (step) => {
          if (client === null) return;
          const response = {
            agent_id: client.uid,
            step,
            instructions: [0, 1].map((direction) => ({
              type: "PLACE_ORDER_LIMIT",
              bookId: 0,
              direction,
              price: direction === 0 ? 150 : 450,
              volume: 0.25,
              postOnly: true,
            })),
          };
          client.send(encode(response)).catch(() => {});
        },
      }).then((connected) => client = connected);
    });
    clients.push(...await Promise.all(batch));
  }
  console.log("ready");
}
