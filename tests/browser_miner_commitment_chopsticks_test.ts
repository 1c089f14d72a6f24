/**
 * The browser miner's chain module (islands/_miner_chain.ts) against a real
 * subtensor runtime under chopsticks (shared/reference/chain.md §3): a
 * hotkey of the dev subnet commits its GenTRX bucket read key with
 * `Commitments.set_commitment`, signed through a `Signer` that does what the
 * polkadot{.js} extension does with `signPayload` (the payload rebuilt from
 * the chain's registry and signed with the account's key, chain.md §4), and
 * a second commit of the same key sends nothing.
 *
 * The runtime comes from the raw chain spec at $SUBTENSOR_CHAIN_SPEC (the
 * README's "Chain setup" says how to get one); without it the test is
 * reported as ignored. Everything listens on 127.0.0.1.
 *
 * @module
 */
import { equal } from "node:assert/strict";
import type { Signer, SignerResult } from "@polkadot/api/types";
import type { SignerPayloadJSON } from "@polkadot/types/types";
import { commitBucket } from "@/engine/chain/bucket_commitment.ts";
import { startChopsticks } from "@/server/chain/chopsticks.ts";
import { createDevSubnet } from "@/server/chain/dev_subnet.ts";
import { connectSubtensor } from "@/server/chain/subtensor_chain.ts";
import { connectSubtensorCommitments, type SendStep } from "@/islands/_miner_chain.ts";

const specPath = Deno.env.get("SUBTENSOR_CHAIN_SPEC");

Deno.test({
  name: "the browser miner's chain module commits a read key on subtensor under chopsticks, " +
    "signed as an extension signs payloads (needs SUBTENSOR_CHAIN_SPEC, a raw chain spec)",
  ignore: !specPath,
  // chopsticks keeps workers and timers of its own until close().
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const chopsticks = await startChopsticks(specPath!);
    const api = await connectSubtensor(chopsticks.url);
    try {
      const { netuid, neurons } = await createDevSubnet(api, chopsticks.url, { tempo: 3 });
      const dave = neurons[3];
      let signedPayloads = 0;
      const signer: Signer = {
        signPayload(payload: SignerPayloadJSON): Promise<SignerResult> {
          signedPayloads++;
          equal(payload.address, dave.address);
          const extrinsicPayload = api.registry.createType("ExtrinsicPayload", payload, {
            version: payload.version,
          });
          return Promise.resolve({ id: signedPayloads, ...extrinsicPayload.sign(dave) });
        },
      };
      const steps: SendStep[] = [];
      const chain = await connectSubtensorCommitments(chopsticks.url, {
        netuid,
        signer,
        onSend: (step) => steps.push(step),
      });
      try {
        const readKey = "http://127.0.0.2:9000/dave-gentrx READ SECRET";
        equal(await chain.uidOf(dave.address), 3);
        equal(await commitBucket(chain, dave.address, readKey), "committed");
        equal(steps.join(" "), "signing submitted in-block");
        equal(await chain.commitment(dave.address), readKey);
        // Read first: the same key again asks the wallet for nothing.
        equal(await commitBucket(chain, dave.address, readKey), "unchanged");
        equal(signedPayloads, 1);
      } finally {
        await chain.close();
      }
    } finally {
      await api.disconnect();
      await chopsticks.close();
    }
  },
});
