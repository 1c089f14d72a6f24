import { deepEqual } from "node:assert/strict";
import {
  deletePendingReveal,
  listPendingReveals,
  type PendingReveal,
  savePendingReveal,
} from "@/server/chain/pending_reveals.ts";

const reveal = (hash: string, commitBlock: number): PendingReveal => ({
  hash,
  uids: [1, 2],
  values: [65535, 1],
  salt: [3, 4],
  versionKey: 1000n,
  commitBlock,
});

Deno.test("pending reveals survive in KV per netuid and hotkey, oldest commit first", async () => {
  const kv = await Deno.openKv(":memory:");
  try {
    await savePendingReveal(kv, 1, "5Validator", reveal("0xbb", 20));
    await savePendingReveal(kv, 1, "5Validator", reveal("0xaa", 30));
    await savePendingReveal(kv, 1, "5Validator", reveal("0xcc", 10));
    await savePendingReveal(kv, 2, "5Validator", reveal("0xdd", 5));
    deepEqual((await listPendingReveals(kv, 1, "5Validator")).map((r) => r.hash), [
      "0xcc",
      "0xbb",
      "0xaa",
    ]);
    deepEqual(await listPendingReveals(kv, 1, "5Other"), []);
    await deletePendingReveal(kv, 1, "5Validator", "0xbb");
    deepEqual(await listPendingReveals(kv, 1, "5Validator"), [
      reveal("0xcc", 10),
      reveal("0xaa", 30),
    ]);
  } finally {
    kv.close();
  }
});
