/**
 * The Commitments pallet's `Data` as @polkadot/api takes and gives it
 * (shared/reference/chain.md §1.1): one `RawN` field of UTF-8 bytes, as the
 * Python SDK's `subtensor.commit` sends it. Browser-safe, for the validator
 * (server/chain/subtensor_chain.ts) and a browser miner committing with its
 * wallet (islands/_miner_chain.ts) alike.
 *
 * @module
 */
import { hexToU8a, u8aToHex } from "@polkadot/util";
import { ChainError } from "@/engine/chain/chain_error.ts";

/** The longest `RawN` variant of the Commitments pallet's `Data` (Raw0 … Raw128). */
export const MAX_RAW_COMMITMENT_BYTES = 128;

/** `CommitmentInfo { fields: BoundedVec<Data, 3> }` with one `RawN` field. */
export interface CommitmentInfo {
  fields: Record<string, `0x${string}`>[];
}

/**
 * `CommitmentInfo` for `Commitments.set_commitment(netuid, info)`: one `RawN`
 * field with the UTF-8 bytes of `data`. Throws a ChainError
 * (`CommitmentTooLarge`) over MAX_RAW_COMMITMENT_BYTES.
 *
 * ```ts
 * commitmentInfo("hello"); // { fields: [{ Raw5: "0x68656c6c6f" }] }
 * ```
 */
export function commitmentInfo(data: string): CommitmentInfo {
  const bytes = new TextEncoder().encode(data);
  if (bytes.length > MAX_RAW_COMMITMENT_BYTES) {
    throw new ChainError(
      "CommitmentTooLarge",
      `Cannot commit: ${bytes.length} bytes exceeds the limit of ${MAX_RAW_COMMITMENT_BYTES}`,
    );
  }
  return { fields: [{ [`Raw${bytes.length}`]: u8aToHex(bytes) }] };
}

/**
 * The string in a `CommitmentOf` registration's first field, from
 * @polkadot/api's JSON (`{ info: { fields: [{ raw5: "0x…" }] } }`), or null
 * when it holds no raw bytes.
 */
export function decodeCommitment(registration: unknown): string | null {
  const fields = (registration as { info?: { fields?: unknown } } | null)?.info?.fields;
  if (!Array.isArray(fields) || fields.length === 0) return null;
  const [variant, value] = Object.entries(fields[0] as Record<string, unknown>)[0] ?? [];
  if (!variant || !/^raw\d+$/i.test(variant) || typeof value !== "string") return null;
  return new TextDecoder().decode(hexToU8a(value));
}
