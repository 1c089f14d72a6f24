import { deepEqual, equal } from "node:assert/strict";
import { type Assignment, type RoundRecord, RoundStore } from "@/server/gentrx/round_store.ts";
import { latestScores, scoresReply } from "@/server/gentrx/scores_reply.ts";

function roundRecord(round: number, scored: boolean): RoundRecord {
  return {
    round,
    modelVersion: 2,
    openedAtMs: 0,
    deadlineMs: 1000,
    trainingBooks: [1, 2],
    heldOutBooks: [3],
    heldOutPages: ["held"],
    uids: [1, 2],
    scored,
  };
}

function scoredAssignment(round: number, uid: number, accepted: boolean): Assignment {
  return {
    round,
    uid,
    modelVersion: 2,
    pages: ["own"],
    tsStartNs: 0,
    tsEndNs: 1,
    state: "SCORED",
    score: {
      score: accepted ? 0.5 : 0,
      scoreOwn: accepted ? 0.75 : 0,
      scoreHeld: accepted ? 0.5 : 0,
      overfitting: false,
      accepted,
      ...(accepted ? {} : { reason: "no gradient by the deadline" }),
      normalised: accepted ? 1 : 0,
      ema: accepted ? 0.1 : 0,
      gradNorm: accepted ? 3 : 0,
    },
  };
}

Deno.test("scoresReply speaks τaos's snake_case, counts the accepted, and says what the round did to the model", () => {
  const record = {
    ...roundRecord(4, true),
    outcome: { applied: true, versionAfter: 3, heldLossBefore: 2.5, heldLossAfter: 2.25 },
  };
  const reply = scoresReply(record, [scoredAssignment(4, 1, true), scoredAssignment(4, 2, false)]);
  deepEqual(reply, {
    round: 4,
    model_version: 3,
    scores: {
      1: {
        score: 0.5,
        score_own: 0.75,
        score_held: 0.5,
        overfitting: false,
        accepted: true,
        normalised: 1,
        ema: 0.1,
        grad_norm: 3,
      },
      2: {
        score: 0,
        score_own: 0,
        score_held: 0,
        overfitting: false,
        accepted: false,
        reason: "no gradient by the deadline",
        normalised: 0,
        ema: 0,
        grad_norm: 0,
      },
    },
    n_scored: 2,
    n_accepted: 1,
    n_rejected: 1,
    applied: true,
    held_loss_before: 2.5,
    held_loss_after: 2.25,
  });
  const kept = scoresReply(
    { ...record, outcome: { ...record.outcome, applied: false, versionAfter: 2, reason: "why" } },
    [],
  );
  equal(kept.model_version, 2);
  equal(kept.reason, "why");
  equal(kept.n_scored, 0);
});

Deno.test("latestScores answers with the newest scored round after since_round, passing over one still open", async () => {
  const kv = await Deno.openKv(":memory:");
  try {
    const rounds = new RoundStore(kv);
    equal(await latestScores(rounds, -1), null);
    await rounds.openRound(roundRecord(1, false), []);
    await rounds.finishRound(roundRecord(1, false), [scoredAssignment(1, 1, true)], new Map(), {
      version: 2,
    });
    await rounds.openRound(roundRecord(2, false), []);
    const reply = await latestScores(rounds, -1);
    equal(reply?.round, 1);
    equal(reply?.applied, false);
    equal(reply?.held_loss_before, NaN);
    equal(await latestScores(rounds, 0).then((r) => r?.round), 1);
    equal(await latestScores(rounds, 1), null);
  } finally {
    kv.close();
  }
});
