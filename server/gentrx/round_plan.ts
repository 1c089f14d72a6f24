/**
 * What a new GenTRX round is made of (taos.md §6.3): the books split into
 * training and held-out for this round, the newest forward pages of the
 * held-out books to score on, and each miner's `pagesPerMiner` newest
 * training pages — handed out to the miners in turn, so their pages differ
 * while there are enough. Pure: the GradientServer stores the plan.
 *
 * @module
 */
import type { GenTrxAssignment } from "@/engine/gentrx/store/miner_work.ts";
import type { ResolvedGradientServerOptions } from "@/server/gentrx/gradient_server_options.ts";
import { heldOutSplit } from "@/server/gentrx/held_out.ts";
import type { Assignment, RoundRecord } from "@/server/gentrx/round_store.ts";
import type { PageInfo } from "@/server/gentrx/training_data.ts";

/** A round to open: its record and its PENDING assignments, by UID. */
export interface RoundPlan {
  record: RoundRecord;
  assignments: Assignment[];
}

/** What a plan depends on besides the pages and the miners. */
export interface RoundPlanContext {
  round: number;
  /** The model version the miners train from. */
  modelVersion: number;
  openedAtMs: number;
  rules: Pick<ResolvedGradientServerOptions, "pagesPerMiner" | "heldOutPages" | "roundMs">;
}

/**
 * Plans `context.round` over the stored `pages` for `uids` (deduplicated,
 * ascending). Throws a RangeError when there is not at least one training
 * and one held-out page.
 */
export function planRound(
  pages: PageInfo[],
  uids: readonly number[],
  context: RoundPlanContext,
): RoundPlan {
  const { round, modelVersion, openedAtMs, rules } = context;
  const split = heldOutSplit([...new Set(pages.map((page) => page.bookId))], round);
  const held = new Set(split.heldOut);
  const newest = (list: PageInfo[]) =>
    list.sort((a, b) => b.endNs - a.endNs || (a.key < b.key ? -1 : 1));
  const training = newest(pages.filter((page) => !held.has(page.bookId)));
  const heldOut = newest(pages.filter((page) => held.has(page.bookId))).slice(
    0,
    rules.heldOutPages,
  );
  if (training.length === 0 || heldOut.length === 0) {
    throw new RangeError(
      `Cannot open GenTRX round ${round}: ${training.length} training and ${heldOut.length} held-out pages (need at least 1 of each)`,
    );
  }
  const per = rules.pagesPerMiner;
  const assignments: Assignment[] = [...new Set(uids)].sort((a, b) => a - b).map((uid, i) => {
    const mine = Array.from(
      { length: Math.min(per, training.length) },
      (_, k) => training[(i * per + k) % training.length],
    );
    return {
      round,
      uid,
      modelVersion,
      pages: mine.map((page) => page.key),
      tsStartNs: Math.min(...mine.map((page) => page.startNs)),
      tsEndNs: Math.max(...mine.map((page) => page.endNs)),
      state: "PENDING",
    };
  });
  const record: RoundRecord = {
    round,
    modelVersion,
    openedAtMs,
    deadlineMs: openedAtMs + rules.roundMs,
    trainingBooks: split.training,
    heldOutBooks: split.heldOut,
    heldOutPages: heldOut.map((page) => page.key),
    uids: assignments.map((a) => a.uid),
    scored: false,
  };
  return { record, assignments };
}

/** What a miner is told of its assignment: no state, no scores. */
export function wireAssignment(a: Assignment): GenTrxAssignment {
  return {
    round: a.round,
    uid: a.uid,
    modelVersion: a.modelVersion,
    pages: a.pages,
    tsStartNs: a.tsStartNs,
    tsEndNs: a.tsEndNs,
  };
}
