/**
 * The arguments of the subtensor calls a validator sends, as plain values in
 * the order of the call's fields (shared/reference/chain.md §1.1), checked
 * before anything is signed; the commitment `Data` codec; and the transaction
 * extensions @polkadot/api must be told about (§1.8).
 *
 * @module
 */
import { hexToU8a, u8aToHex } from "@polkadot/util";
import { ChainError } from "@/server/chain/chain_client.ts";
import type { AxonAddress } from "@/server/chain/axon_endpoint.ts";

/** `set_weights(netuid, dests, weights, version_key)`, SubtensorModule call 0. */
export type SetWeightsArgs = [
  netuid: number,
  dests: number[],
  weights: number[],
  versionKey: bigint,
];
/** `commit_weights(netuid, commit_hash)`, call 96. */
export type CommitWeightsArgs = [netuid: number, commitHash: `0x${string}`];
/** `reveal_weights(netuid, uids, values, salt, version_key)`, call 97. */
export type RevealWeightsArgs = [
  netuid: number,
  uids: number[],
  values: number[],
  salt: number[],
  versionKey: bigint,
];
/**
 * `serve_axon(netuid, version, ip, port, ip_type, protocol, placeholder1,
 * placeholder2)`, call 4.
 */
export type ServeAxonArgs = [
  netuid: number,
  version: number,
  ip: bigint,
  port: number,
  ipType: number,
  protocol: number,
  placeholder1: number,
  placeholder2: number,
];

/** `protocol` the Python SDK sends in serve_axon (chain.md §1.6). */
export const AXON_PROTOCOL = 4;
/** The longest `RawN` variant of the Commitments pallet's `Data` (Raw0 … Raw128). */
export const MAX_RAW_COMMITMENT_BYTES = 128;
const U16_MAX = 0xffff;

/** Checks what subtensor's internal_set_weights checks without storage (§1.4, rules 2, 10). */
export function setWeightsArgs(
  netuid: number,
  uids: readonly number[],
  weights: readonly number[],
  versionKey: bigint,
): SetWeightsArgs {
  checkWeights("set weights", netuid, uids, weights);
  return [netuid, [...uids], [...weights], versionKey];
}

export function commitWeightsArgs(netuid: number, commitHash: `0x${string}`): CommitWeightsArgs {
  checkNetuid("commit weights", netuid);
  if (!/^0x[0-9a-f]{64}$/i.test(commitHash)) {
    throw new RangeError(`Invalid commit hash "${commitHash}": must be 32 bytes of 0x-hex`);
  }
  return [netuid, commitHash];
}

export function revealWeightsArgs(
  netuid: number,
  uids: readonly number[],
  values: readonly number[],
  salt: readonly number[],
  versionKey: bigint,
): RevealWeightsArgs {
  checkWeights("reveal weights", netuid, uids, values);
  return [netuid, [...uids], [...values], [...salt], versionKey];
}

/** serve_axon's arguments for `axon` (see axon_endpoint.ts), as the Python SDK fills them. */
export function serveAxonArgs(netuid: number, version: number, axon: AxonAddress): ServeAxonArgs {
  checkNetuid("serve", netuid);
  return [netuid, version, axon.ip, axon.port, axon.ipType, AXON_PROTOCOL, 0, 0];
}

/**
 * `CommitmentInfo` for `Commitments.set_commitment`: one `RawN` field with
 * the UTF-8 bytes, as the Python SDK's `subtensor.commit` sends it (§1.1).
 */
export function commitmentInfo(data: string): { fields: Record<string, `0x${string}`>[] } {
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

/**
 * Transaction extensions of subtensor runtimes that @polkadot/api 16.5 does
 * not know (§1.8). Unknown extensions are treated as empty, which is right
 * for all but `ChargeTransactionPaymentWrapper` (spec 425): it wraps
 * `ChargeTransactionPayment`, so the extrinsic must carry a compact tip, or
 * the signature and the extrinsic are wrong. The empty ones are declared so
 * the choice is explicit and the registry does not warn.
 */
export const SUBTENSOR_SIGNED_EXTENSIONS = {
  ChargeTransactionPaymentWrapper: { extrinsic: { tip: "Compact<Balance>" }, payload: {} },
  SudoTransactionExtension: { extrinsic: {}, payload: {} },
  CheckShieldedTxValidity: { extrinsic: {}, payload: {} },
  SubtensorTransactionExtension: { extrinsic: {}, payload: {} },
  DrandPriority: { extrinsic: {}, payload: {} },
  // Older runtimes (spec 185 … 2xx).
  SubtensorSignedExtension: { extrinsic: {}, payload: {} },
  CommitmentsSignedExtension: { extrinsic: {}, payload: {} },
} as const;

function checkNetuid(action: string, netuid: number): void {
  if (!Number.isInteger(netuid) || netuid < 0 || netuid > U16_MAX) {
    throw new RangeError(`Cannot ${action}: netuid ${netuid} is not a u16`);
  }
  if (netuid === 0 && action.endsWith("weights")) {
    throw new ChainError("CanNotSetRootNetworkWeights", `Cannot ${action} on the root network`);
  }
}

function checkWeights(
  action: string,
  netuid: number,
  uids: readonly number[],
  values: readonly number[],
): void {
  checkNetuid(action, netuid);
  if (uids.length !== values.length) {
    throw new ChainError(
      "WeightVecNotEqualSize",
      `Cannot ${action}: ${uids.length} uids, ${values.length} weights`,
    );
  }
  const notU16 = [...uids, ...values].find((v) => !Number.isInteger(v) || v < 0 || v > U16_MAX);
  if (notU16 !== undefined) {
    throw new RangeError(`Cannot ${action}: ${notU16} is not a u16`);
  }
  if (new Set(uids).size !== uids.length) {
    throw new ChainError("DuplicateUids", `Cannot ${action}: uids repeat`);
  }
}
