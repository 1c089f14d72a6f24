/**
 * Which chain a process talks to, as the validator's and the miner's
 * `--chain` / `--netuid` flags give it: the local network (the validator's
 * Deno KV, the default) or a subtensor node and the subnet on it.
 *
 * @module
 */

/** The local network (Deno KV), or a subtensor node and the subnet on it. */
export type ChainSetting =
  | { kind: "local" }
  | { kind: "subtensor"; url: string; netuid: number };

/**
 * The setting from a `--chain` flag (else `fromEnv`, named
 * MARKETFORGE_CHAIN in errors): "local" or a ws:// or wss:// URL, which
 * needs a netuid. Throws a RangeError naming the flag.
 */
export function chainSetting(
  flag: string | undefined,
  fromEnv: string | undefined,
  netuid: () => number | undefined,
): ChainSetting {
  const value = flag ?? fromEnv ?? "local";
  if (value === "local") return { kind: "local" };
  const source = flag === undefined ? "MARKETFORGE_CHAIN" : "--chain";
  if (!/^wss?:\/\/[^/\s]+/.test(value) || !URL.canParse(value)) {
    throw new RangeError(`Invalid ${source} "${value}": must be "local" or a ws:// or wss:// URL`);
  }
  const subnet = netuid();
  if (subnet === undefined) {
    throw new RangeError(`Missing --netuid: a subtensor chain (${source} "${value}") needs one`);
  }
  return { kind: "subtensor", url: value, netuid: subnet };
}
