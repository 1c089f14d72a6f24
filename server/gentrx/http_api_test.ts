import { equal, ok, throws } from "node:assert/strict";
import { encode } from "@msgpack/msgpack";
import {
  folderBucket,
  TINY_BATCH,
  tinyModelOptions,
  withBucket,
} from "@/server/gentrx/_gradient_server_fixture.ts";
import { GradientServer } from "@/server/gentrx/gradient_server.ts";
import { gentrxApp, serveGentrx } from "@/server/gentrx/http_api.ts";
import { syntheticTick } from "@/server/gentrx/_synthetic_tick.ts";

Deno.test("the /gentrx HTTP surface: state, round, data-status, scores, health, version, metrics, API key", async () => {
  await withBucket(async (root, kv) => {
    const { store, data } = folderBucket(root);
    // τaos's default round rules and the wall clock: tinyServer's 1 s rounds are not needed here.
    const server = await GradientServer.open({
      ...tinyModelOptions(kv, store, data),
      ...TINY_BATCH,
    });
    const app = gentrxApp({ server, data, apiKey: "k3y" });
    const call = (path: string, init: RequestInit = {}) =>
      app.request(path, { ...init, headers: { "x-api-key": "k3y", ...init.headers } });

    equal((await app.request("/health")).status, 401);
    equal((await call("/health")).status, 200);
    for (let step = 1; step <= 12; step++) {
      const reply = await call("/state", {
        method: "POST",
        body: encode(syntheticTick(step, "http")),
      });
      equal((await reply.json()).status, "accepted");
    }
    equal(
      (await (await call("/state", { method: "POST", body: encode(syntheticTick(12, "http")) }))
        .json()).status,
      "duplicate",
    );
    const bad = await call("/state", { method: "POST", body: new Uint8Array([0xc1]) });
    equal(bad.status, 400);
    ok((await bad.json()).error.startsWith("Invalid GenTRX tick"));

    const status = await (await call("/data-status")).json();
    equal(status.max_ts, 12e9);
    equal(status.version, 0);
    ok(status.books[0].parquets.length >= 2 && status.books[1].parquets.length >= 2);

    equal((await call("/scores")).status, 204);
    const opened = await call("/round", {
      method: "POST",
      body: JSON.stringify({ round: 1, uids: [5, 6] }),
      headers: { "content-type": "application/json" },
    });
    const { assignments } = await opened.json();
    equal(assignments.length, 2);
    equal(assignments[0].modelVersion, 0);
    const round = await (await call("/round?round=1")).json();
    equal(round.assignments[1].state, "PENDING");
    equal(round.heldOutBooks.length, 1);
    equal((await call("/round?round=x")).status, 400);
    equal((await call("/round?round=9")).status, 404);
    const badRound = await call("/round", {
      method: "POST",
      body: JSON.stringify({ round: 0, uids: [] }),
    });
    equal(badRound.status, 400);

    equal((await (await call("/version")).json()).model_version, 0);
    const metrics = await (await call("/metrics")).text();
    ok(metrics.includes("gentrx_round 1\n") && metrics.includes("gentrx_pages_flushed_total"));
    throws(
      () => serveGentrx({ server, data, hostname: "0.0.0.0", port: 0 }),
      /an API key \(GENTRX_API_KEY\) is required off loopback/,
    );
  });
});
