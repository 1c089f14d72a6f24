import { equal } from "node:assert/strict";
import type { ApiPromise } from "@polkadot/api";
import { FINNEY_GENESIS_HASH, SubtensorChain } from "@/server/chain/subtensor_chain.ts";

/**
 * The part of an ApiPromise that SubtensorChain's head tracking touches: a
 * genesis hash, a new-heads subscription the test feeds, and a header read
 * that never answers (a node that has stopped responding).
 */
function stubApi(genesisHash: string) {
  let onHead: (header: { number: { toNumber(): number } }) => void = () => {};
  let headerReads = 0;
  const api = {
    genesisHash: { toHex: () => genesisHash },
    rpc: {
      chain: {
        subscribeNewHeads: (callback: typeof onHead) => {
          onHead = callback;
          return Promise.resolve(() => {});
        },
        getHeader: () => {
          headerReads++;
          return new Promise(() => {});
        },
      },
    },
  };
  return {
    api: api as unknown as ApiPromise,
    head: (block: number) => onHead({ number: { toNumber: () => block } }),
    headerReads: () => headerReads,
  };
}

async function openChain(genesisHash: string) {
  const stub = stubApi(genesisHash);
  const kv = await Deno.openKv(":memory:");
  const chain = new SubtensorChain(stub.api, { netuid: 3, signers: [], kv });
  return { ...stub, kv, chain };
}

Deno.test("SubtensorChain.bestBlock: the newest head from its subscription, read from memory, so a node that stops answering never stalls a reader", async () => {
  const { chain, kv, head, headerReads } = await openChain("0x01");
  try {
    await Promise.resolve(); // the subscription is set up
    equal(chain.bestBlock(), null); // no head yet
    head(1_024);
    equal(chain.bestBlock(), 1_024);
    head(1_025);
    equal(chain.bestBlock(), 1_025);
    // The node stops answering: no more heads, requests hang; bestBlock still answers.
    for (let step = 0; step < 100; step++) equal(chain.bestBlock(), 1_025);
    equal(headerReads(), 0);
  } finally {
    kv.close();
  }
});

Deno.test("SubtensorChain.network: finney (by its genesis hash) is mainnet, any other subtensor chain testnet", async () => {
  for (
    const [genesisHash, network] of [[FINNEY_GENESIS_HASH, "mainnet"], ["0x1234", "testnet"]]
  ) {
    const { chain, kv } = await openChain(genesisHash);
    equal(chain.network, network);
    kv.close();
  }
});
