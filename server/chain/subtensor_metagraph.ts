/**
 * The metagraph of one subnet from `SubtensorModule` storage
 * (shared/reference/chain.md §1.2): `Keys` for hotkeys by UID, `Axons` for
 * served endpoints, `ValidatorPermit`, `LastUpdate`, `BlockAtRegistration`
 * and stake (`TotalHotkeyAlpha` on dynamic-TAO runtimes, `TotalHotkeyStake`
 * before). A handful of reads per sync, whatever the subnet's size.
 *
 * @module
 */
import type { ApiDecoration } from "@polkadot/api/types";
import type { Codec } from "@polkadot/types/types";
import type { Neuron } from "@/server/chain/chain_client.ts";
import { axonToEndpoint } from "@/server/chain/axon_endpoint.ts";

/** rao per TAO (and per alpha). */
const RAO_PER_UNIT = 1e9;

/** Every neuron of `netuid`, by UID, read at the block `api` is decorated for. */
export async function readMetagraph(
  api: ApiDecoration<"promise">,
  netuid: number,
): Promise<Neuron[]> {
  const q = api.query.subtensorModule;
  const [size, keys, axons, permits, lastUpdate, registrations] = await Promise.all([
    q.subnetworkN(netuid),
    q.keys.entries(netuid),
    q.axons.entries(netuid),
    q.validatorPermit(netuid),
    q.lastUpdate(netuid),
    q.blockAtRegistration.entries(netuid),
  ]);
  const hotkeys = new Array<string>(Number(size.toString())).fill("");
  for (const [key, value] of keys) hotkeys[Number(key.args[1].toString())] = value.toString();
  const endpoints = new Map<string, string>();
  for (const [key, value] of axons) {
    const axon = value.toJSON() as { ip: number | string; port: number; ipType: number } | null;
    if (!axon || BigInt(axon.ip) === 0n || (axon.ipType !== 4 && axon.ipType !== 6)) continue;
    endpoints.set(
      key.args[1].toString(),
      axonToEndpoint({ ip: BigInt(axon.ip), ipType: axon.ipType, port: axon.port }),
    );
  }
  const registeredAt = new Map<number, number>();
  for (const [key, value] of registrations) {
    registeredAt.set(Number(key.args[1].toString()), Number(value.toString()));
  }
  const permit = (permits.toJSON() ?? []) as boolean[];
  const updated = numbers(lastUpdate.toJSON());
  const stakes = await readStakes(api, netuid, hotkeys);
  return hotkeys.map((hotkey, uid) => ({
    uid,
    hotkey,
    registeredAt: registeredAt.get(uid) ?? 0,
    validatorPermit: permit[uid] ?? false,
    endpoint: endpoints.get(hotkey) ?? null,
    stake: stakes[uid],
    lastUpdate: updated[uid] ?? 0,
  }));
}

/** Stake per hotkey in whole units: alpha on `netuid`, or TAO on older runtimes. */
async function readStakes(
  api: ApiDecoration<"promise">,
  netuid: number,
  hotkeys: readonly string[],
): Promise<number[]> {
  const q = api.query.subtensorModule;
  let values: Codec[];
  if (q.totalHotkeyAlpha) {
    values = await q.totalHotkeyAlpha.multi(hotkeys.map((hotkey) => [hotkey, netuid]));
  } else if (q.totalHotkeyStake) {
    values = await q.totalHotkeyStake.multi([...hotkeys]);
  } else {
    return hotkeys.map(() => 0);
  }
  return values.map((value) => Number(value.toString()) / RAO_PER_UNIT);
}

/** A Vec<u64> / Vec<u16> from JSON (numbers, or hex strings past 2^52) as numbers. */
export function numbers(json: unknown): number[] {
  return Array.isArray(json) ? json.map((value) => Number(BigInt(value as string | number))) : [];
}
