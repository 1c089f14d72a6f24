import { equal, ok } from "node:assert/strict";
import { encodeDelta } from "@/engine/gentrx/compression/delta_codec.ts";
import { gradientKey } from "@/engine/gentrx/store/data_keys.ts";
import {
  fillPages,
  SCOPE,
  tinyDelta,
  tinyServer,
  withBucket,
} from "@/server/gentrx/_gradient_server_fixture.ts";
import { GradientServer } from "@/server/gentrx/gradient_server.ts";

Deno.test("GradientServer refuses malformed, oversized and wrong-version uploads before scoring them, and keeps the model", async () => {
  await withBucket(async (root, kv) => {
    const { store, data } = await fillPages(root);
    let now = 0;
    const server = await GradientServer.open({
      ...tinyServer(kv, store, data),
      now: () => now,
    });
    await server.openRound(1, [1, 2, 3, 4]);
    await store.put(gradientKey(SCOPE, 4, 1), encodeDelta(tinyDelta(0), { modelVersion: 5 }));
    await store.put(gradientKey(SCOPE, 1, 1), new TextEncoder().encode("not a delta"));
    await store.put(gradientKey(SCOPE, 2, 1), new Uint8Array(20_000_001));
    equal(await server.collect(1), 3);
    now = 1001;
    const reply = (await server.poll(1))!;
    ok(reply.scores[1].reason?.startsWith("rejected upload: Cannot decode weight delta"));
    equal(reply.scores[2].reason, "rejected upload: file is 20000001 bytes, limit 20000000");
    equal(reply.scores[3].reason, "not delivered in time: the miner was not connected");
    ok(
      /rejected upload: .*version/i.test(reply.scores[4].reason ?? ""),
      String(reply.scores[4].reason),
    );
    equal(reply.n_accepted, 0);
    equal(reply.applied, false);
    equal(reply.reason, "no upload was accepted");
    equal(server.modelVersion, 0);
    equal(await server.poll(1), null); // scored once
  });
});

Deno.test("GradientServer takes a session upload only as announced, and times out PENDING and DELIVERED to MISSED", async () => {
  await withBucket(async (root, kv) => {
    const { store, data } = await fillPages(root);
    let now = 0;
    const server = await GradientServer.open({
      ...tinyServer(kv, store, data),
      deliveryMs: 100,
      now: () => now,
    });
    await server.openRound(1, [1, 2, 3]);
    ok(await server.delivered(1, 1));
    ok(await server.delivered(1, 2));
    const key = gradientKey(SCOPE, 1, 1);
    const bytes = encodeDelta(tinyDelta(0), { modelVersion: 0 });
    const refused = async (call: Promise<void>, pattern: RegExp) => {
      const message = await call.then(() => "taken", (error) => error.message);
      ok(pattern.test(message), message);
    };
    await refused(server.uploaded(1, 1, key, bytes.byteLength), /is not in folder/);
    await store.put(key, bytes);
    await refused(server.uploaded(1, 1, gradientKey(SCOPE, 2, 1), 10), /key ".*" is not ".*"/);
    await refused(server.uploaded(1, 1, key, 10), /is \d+ bytes, the miner said 10/);
    await refused(server.uploaded(1, 3, gradientKey(SCOPE, 3, 1), 10), /the assignment is PENDING/);
    await refused(server.uploaded(2, 1, key, bytes.byteLength), /no such assignment/);
    await server.uploaded(1, 1, key, bytes.byteLength);
    equal((await server.rounds.assignment(1, 1))?.state, "GRADIENT_IN");
    now = 101; // past the delivery timeout: the undelivered one is missed
    equal(await server.expire(1), 1);
    equal((await server.rounds.assignment(1, 3))?.state, "MISSED");
    equal((await server.rounds.assignment(1, 2))?.state, "DELIVERED");
    equal(await server.ready(1), false);
    now = 1001; // past the deadline: the silent one is missed, and the round is ready
    equal(await server.expire(1), 1);
    await refused(server.uploaded(1, 2, gradientKey(SCOPE, 2, 1), 10), /the assignment is MISSED/);
    const reply = (await server.poll(1, { collect: false }))!;
    equal(reply.scores[2].reason, "no gradient by the deadline");
    equal(reply.scores[3].reason, "not delivered in time: the miner was not connected");
    equal(reply.scores[2].score, 0);
    const states = (await server.rounds.assignments(1)).map((a) => a.state);
    equal(states.join(), "SCORED,MISSED,MISSED");
  });
});
