/**
 * The held-out split of books for a round (taos.md §6.3: 10% of books,
 * rotating, disjoint from the training books, seed 42). The books are put in
 * one seeded order once; round r holds out the window of that order that
 * starts at r × count, so every book is held out in turn and any two
 * validators with the same books agree.
 *
 * @module
 */
import { SeededRandom } from "@/engine/seeded_random.ts";

/** τaos's held-out fraction and seed. */
export const HELD_OUT_FRACTION = 0.1;
export const HELD_OUT_SEED = 42;

export interface BookSplit {
  training: number[];
  heldOut: number[];
}

export function heldOutSplit(
  bookIds: readonly number[],
  round: number,
  fraction = HELD_OUT_FRACTION,
  seed = HELD_OUT_SEED,
): BookSplit {
  if (!(fraction > 0 && fraction < 1)) {
    throw new RangeError(`Invalid held-out fraction ${fraction}: expected a value in (0, 1)`);
  }
  if (!(Number.isSafeInteger(round) && round >= 0)) {
    throw new RangeError(`Invalid round ${round}: expected a non-negative integer`);
  }
  const books = [...new Set(bookIds)].sort((a, b) => a - b);
  if (books.length < 2) return { training: books, heldOut: [] };
  const random = new SeededRandom(seed);
  for (let i = books.length - 1; i > 0; i--) {
    const j = random.integer(0, i + 1);
    [books[i], books[j]] = [books[j], books[i]];
  }
  const count = Math.max(1, Math.min(books.length - 1, Math.round(books.length * fraction)));
  const start = (round * count) % books.length;
  const heldOut = Array.from({ length: count }, (_, k) => books[(start + k) % books.length]);
  const held = new Set(heldOut);
  return {
    training: books.filter((book) => !held.has(book)).sort((a, b) => a - b),
    heldOut: heldOut.sort((a, b) => a - b),
  };
}
