/**
 * The live ladder of one book, for the islands that draw it (BookLadder,
 * DepthChart): the ladder the server rendered until the feed's
 * `book:<id>:ladder` channel sends a newer one. One hook so both islands
 * follow the channel the same way (and islands/_live_feed.ts shares the one
 * subscription between them).
 *
 * @module
 */
import { type ReadonlySignal, useSignal } from "@preact/signals";
import { useEffect } from "preact/hooks";
import type { LadderData } from "@/engine/market_data/book_market_data.ts";
import { followChannel } from "@/islands/_live_feed.ts";

/** `initial`, then each ladder the feed sends for its book. */
export function useLiveLadder(initial: LadderData): ReadonlySignal<LadderData> {
  const ladder = useSignal(initial);
  useEffect(
    () =>
      followChannel(`book:${initial.bookId}:ladder`, (message) => {
        if (message.type === "ladder") ladder.value = message.ladder;
      }),
    [initial.bookId],
  );
  return ladder;
}
