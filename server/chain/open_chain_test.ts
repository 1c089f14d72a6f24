import { equal, rejects } from "node:assert/strict";
import { Keyring } from "@polkadot/keyring";
import { cryptoWaitReady } from "@polkadot/util-crypto";
import { openChain } from "@/server/chain/open_chain.ts";
import { freeLoopbackPort } from "@/server/chain/chopsticks.ts";

Deno.test("the local network registers the validator first, so it holds UID 0", async () => {
  await cryptoWaitReady();
  const validator = new Keyring({ type: "sr25519" }).addFromUri("//Alice");
  const kv = await Deno.openKv(":memory:");
  try {
    const chain = await openChain({ kind: "local" }, { kv, validator });
    equal(chain.kind, "local");
    equal(await chain.uidOf(validator.address), 0);
    equal((await chain.metagraph())[0].validatorPermit, true);
  } finally {
    kv.close();
  }
});

Deno.test("a subtensor URL where no node listens fails naming the URL", async () => {
  await cryptoWaitReady();
  const validator = new Keyring({ type: "sr25519" }).addFromUri("//Alice");
  const kv = await Deno.openKv(":memory:");
  const url = `ws://127.0.0.1:${freeLoopbackPort()}`;
  try {
    await rejects(openChain({ kind: "subtensor", url, netuid: 1 }, { kv, validator }), {
      rule: "ConnectionFailed",
      message: new RegExp(`^Cannot connect to subtensor at "${url}": `),
    });
  } finally {
    kv.close();
  }
});
