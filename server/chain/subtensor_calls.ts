/**
 * The arguments of the subtensor calls a validator sends, as plain values in
 * the order of the call's fields (shared/reference/chain.md §1.1), checked
 * before anything is signed. The commitment `Data` codec and the transaction
 * extensions a browser miner needs too live in engine/chain/
 * (commitment_data.ts, subtensor_extensions.ts).
 *
 * @module
 */
import { ChainError } from "@/engine/chain/chain_error.ts";
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
