import { deepEqual, equal, ok, throws } from "node:assert/strict";
import { planRound, wireAssignment } from "@/server/gentrx/round_plan.ts";
import type { PageInfo } from "@/server/gentrx/training_data.ts";

const RULES = { pagesPerMiner: 3, heldOutPages: 2, roundMs: 1000 };

/** `perBook` consecutive pages of each book, page p of every book ending at (p + 1) × 10 ns. */
function pagesOf(books: number[], perBook: number): PageInfo[] {
  return books.flatMap((bookId) =>
    Array.from({ length: perBook }, (_, p) => ({
      key: `book-${bookId}/page-${p}`,
      bookId,
      startNs: p * 10,
      endNs: (p + 1) * 10,
    }))
  );
}

Deno.test("planRound gives each miner, in UID order, its own newest training pages, and scores on the newest held-out pages", () => {
  const pages = pagesOf([1, 2, 3, 4], 5);
  const { record, assignments } = planRound(pages, [3, 1, 3, 2], {
    round: 7,
    modelVersion: 4,
    openedAtMs: 500,
    rules: RULES,
  });
  deepEqual(assignments.map((a) => a.uid), [1, 2, 3]);
  deepEqual(record.uids, [1, 2, 3]);
  equal(record.deadlineMs, 1500);
  equal(record.scored, false);
  const held = new Set(record.heldOutBooks);
  equal(held.size, 1);
  deepEqual(
    record.heldOutPages,
    [4, 3].map((p) => `book-${record.heldOutBooks[0]}/page-${p}`),
  );
  const given = assignments.flatMap((a) => a.pages);
  equal(new Set(given).size, 9, "no page is given twice while there are enough");
  for (const a of assignments) {
    equal(a.state, "PENDING");
    equal(a.modelVersion, 4);
    equal(a.pages.length, 3);
    const mine = pages.filter((page) => a.pages.includes(page.key));
    ok(mine.every((page) => !held.has(page.bookId)), "miners train on training books only");
    equal(a.tsStartNs, Math.min(...mine.map((page) => page.startNs)));
    equal(a.tsEndNs, Math.max(...mine.map((page) => page.endNs)));
  }
  ok(
    assignments[0].pages.every((key) => key.endsWith("page-4")),
    "the first miner gets the newest",
  );
  deepEqual(Object.keys(wireAssignment(assignments[0])).sort(), [
    "modelVersion",
    "pages",
    "round",
    "tsEndNs",
    "tsStartNs",
    "uid",
  ]);
});

Deno.test("planRound shares pages in turn when there are too few, and refuses a round with no held-out book", () => {
  const { assignments } = planRound(pagesOf([1, 2], 2), [1, 2], {
    round: 0,
    modelVersion: 0,
    openedAtMs: 0,
    rules: RULES,
  });
  for (const a of assignments) equal(a.pages.length, 2);
  deepEqual([...assignments[0].pages].sort(), [...assignments[1].pages].sort());
  throws(
    () =>
      planRound(pagesOf([1], 5), [1], { round: 1, modelVersion: 0, openedAtMs: 0, rules: RULES }),
    {
      message:
        "Cannot open GenTRX round 1: 5 training and 0 held-out pages (need at least 1 of each)",
    },
  );
});
