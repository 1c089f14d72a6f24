import { deepEqual, equal } from "node:assert/strict";
import { PROTOCOL_VERSION } from "@/engine/gateway/frames.ts";
import { GenTrxTracker } from "@/workers/miner/gentrx_tracker.ts";

Deno.test("GenTrxTracker follows a round: its losses, the upload and the receipts", () => {
  const tracker = new GenTrxTracker();
  equal(tracker.figures().state, "waiting");
  tracker.receipt({
    t: "gentrx_receipt",
    v: PROTOCOL_VERSION,
    kind: "join",
    ok: true,
    message: "joined",
  });
  tracker.state(3, "training");
  tracker.backend("cpu");
  tracker.loss(3, 2.5);
  tracker.loss(3, 2.25);
  tracker.loss(2, 9); // an older round's step is not this round's curve
  tracker.state(3, "uploaded", "512 bytes");
  const figures = tracker.figures();
  equal(figures.joined, true);
  equal(figures.backend, "cpu");
  deepEqual(figures.losses, [2.5, 2.25]);
  equal(figures.uploads, 1);
  equal(figures.detail, "512 bytes");
  tracker.state(4, "loading");
  deepEqual(tracker.figures().losses, [], "a new round starts a new curve");
  tracker.receipt({
    t: "gentrx_receipt",
    v: PROTOCOL_VERSION,
    kind: "uploaded",
    round: 3,
    ok: false,
    message: "late",
  });
  deepEqual(tracker.figures().receipts.at(-1), {
    kind: "uploaded",
    round: 3,
    ok: false,
    message: "late",
  });
});
