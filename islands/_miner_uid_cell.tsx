/**
 * A miner's row header in the islands' miner tables (leaderboard, validator
 * dashboard, connected miners): its UID, linked to its public page. The
 * link is named "Miner 3", not "3", so a screen reader's list of links (or
 * a jump to the row header) says what the number is without the column's
 * header; sighted users see the bare number under the UID heading.
 *
 * @module
 */

export function MinerUidCell({ uid }: { uid: number }) {
  return (
    <th scope="row">
      <a href={`/miners/${uid}`}>
        <span class="sr-only">Miner</span> {uid}
      </a>
    </th>
  );
}
