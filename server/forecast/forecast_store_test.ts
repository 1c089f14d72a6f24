import { deepEqual, equal, rejects } from "node:assert/strict";
import {
  type ForecastRecord,
  pendingRequests,
  predictionsOf,
  pruneRequests,
  recentRequests,
  saveNewRequest,
  saveOutcome,
} from "@/server/forecast/forecast_store.ts";

const record = (origin: number): ForecastRecord => ({
  id: `s@${origin}`,
  stream: "s",
  origin,
  intervalMs: 1,
  horizon: 2,
  lastClose: 1,
  recentCloses: [1],
  asked: [{ hotkey: "a", uid: 1 }],
  status: "pending",
  askedAt: 0,
});

Deno.test("forecast store: requests, their backlog and pruning of settled ones", async () => {
  const kv = await Deno.openKv(":memory:");
  try {
    for (const origin of [30, 10, 20]) {
      await saveNewRequest(kv, record(origin), [
        { hotkey: "a", uid: 1, predictions: [1, 2], reason: "ok" },
      ]);
    }
    await rejects(
      saveNewRequest(kv, record(10), []),
      /Cannot save forecast request s@10: it exists/,
    );
    deepEqual((await pendingRequests(kv)).map((r) => r.origin), [10, 20, 30]);
    await saveOutcome(kv, { ...record(10), status: "scored", actual: [1, 1] }, []);
    await saveOutcome(kv, { ...record(20), status: "void" }, []);
    deepEqual((await pendingRequests(kv)).map((r) => r.origin), [30]);
    equal(await pruneRequests(kv, "s", 1), 2);
    deepEqual((await recentRequests(kv, "s", 10)).map((r) => r.origin), [30]);
    equal((await predictionsOf(kv, "s@10")).length, 0);
    equal((await predictionsOf(kv, "s@30")).length, 1);
    equal(await pruneRequests(kv, "s", 0), 0, "a pending request is never pruned");
  } finally {
    kv.close();
  }
});
