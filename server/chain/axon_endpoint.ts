/**
 * A validator's gateway URL to and from the fields of subtensor's
 * `serve_axon` / `Axons` storage (shared/reference/chain.md §1.2, §1.6): the
 * address as a u128 with its type (4 or 6) and the port. The chain keeps no
 * scheme or path, so a served endpoint is read back as
 * `ws://<ip>:<port>/api/miner/ws`, the miner gateway's route.
 *
 * The chain refuses 0, exactly 127.0.0.1, IPv4 values at or above 2^32 − 1,
 * `::1` and the all-ones IPv6 address; local tests serve 127.0.0.2, which
 * still reaches loopback on Linux.
 *
 * @example
 * ```ts
 * endpointToAxon("ws://127.0.0.2:8000/api/miner/ws");
 * // { ip: 0x7f000002n, ipType: 4, port: 8000 }
 * axonToEndpoint({ ip: 0x7f000002n, ipType: 4, port: 8000 });
 * // "ws://127.0.0.2:8000/api/miner/ws"
 * ```
 *
 * @module
 */
import { ChainError } from "@/engine/chain/chain_error.ts";

/** The miner gateway's WebSocket route (server/gateway, routes/api/miner/ws). */
export const GATEWAY_PATH = "/api/miner/ws";

export interface AxonAddress {
  /** IPv4 in the low 32 bits, or the 128-bit IPv6 address. */
  ip: bigint;
  ipType: 4 | 6;
  port: number;
}

const IPV4_LOOPBACK = 0x7f00_0001n;
const IPV4_LIMIT = 0xffff_ffffn;
const IPV6_ALL_ONES = (1n << 128n) - 1n;

/** The address and port of `endpoint`; throws a ChainError the chain would also raise. */
export function endpointToAxon(endpoint: string): AxonAddress {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw new ChainError("InvalidIpAddress", `Cannot serve "${endpoint}": not a URL`);
  }
  const port = Number(
    url.port || (url.protocol === "wss:" || url.protocol === "https:" ? 443 : 80),
  );
  if (!Number.isInteger(port) || port <= 0 || port > 0xffff) {
    throw new ChainError("InvalidPort", `Cannot serve "${endpoint}": port must be 1 to 65535`);
  }
  const host = url.hostname;
  const ipType = host.startsWith("[") ? 6 : 4;
  const ip = ipType === 6 ? parseIpv6(host.slice(1, -1)) : parseIpv4(host);
  if (ip === null) {
    throw new ChainError(
      "InvalidIpAddress",
      `Cannot serve "${endpoint}": the host must be an IP address (the chain stores no names)`,
    );
  }
  const refused = ipType === 4
    ? ip === 0n || ip === IPV4_LOOPBACK || ip >= IPV4_LIMIT
    : ip === 0n || ip === 1n || ip === IPV6_ALL_ONES;
  if (refused) {
    throw new ChainError(
      "InvalidIpAddress",
      `Cannot serve "${endpoint}": subtensor refuses ${host}` +
        (ip === IPV4_LOOPBACK ? " (serve 127.0.0.2 for a local test)" : ""),
    );
  }
  return { ip, ipType, port };
}

/** The gateway URL a served axon points at. */
export function axonToEndpoint(axon: AxonAddress): string {
  const host = axon.ipType === 6 ? `[${formatIpv6(axon.ip)}]` : formatIpv4(axon.ip);
  return `ws://${host}:${axon.port}${GATEWAY_PATH}`;
}

/** Dotted IPv4 to its 32-bit value, or null. */
export function parseIpv4(text: string): bigint | null {
  const parts = text.split(".");
  if (parts.length !== 4 || parts.some((part) => !/^\d{1,3}$/.test(part) || Number(part) > 255)) {
    return null;
  }
  return parts.reduce((value, part) => (value << 8n) | BigInt(part), 0n);
}

/** IPv6 text (hex groups, `::` allowed; no zone, no dotted tail) to its value, or null. */
export function parseIpv6(text: string): bigint | null {
  const halves = text.split("::");
  if (halves.length > 2) return null;
  const groups = (half: string) => half === "" ? [] : half.split(":");
  const head = groups(halves[0]);
  const tail = halves.length === 2 ? groups(halves[1]) : [];
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return null;
  const all = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill("0"), ...tail];
  if (all.some((group) => !/^[0-9a-fA-F]{1,4}$/.test(group))) return null;
  return all.reduce((value, group) => (value << 16n) | BigInt(`0x${group}`), 0n);
}

function formatIpv4(ip: bigint): string {
  return [24n, 16n, 8n, 0n].map((shift) => (ip >> shift) & 0xffn).join(".");
}

/** RFC 5952 text: lower-case, leading zeros dropped, the longest zero run (≥ 2) as `::`. */
function formatIpv6(ip: bigint): string {
  const groups = Array.from(
    { length: 8 },
    (_, i) => Number((ip >> BigInt(112 - 16 * i)) & 0xffffn),
  );
  let bestStart = -1;
  let bestLength = 1;
  for (let start = 0; start < 8;) {
    let end = start;
    while (end < 8 && groups[end] === 0) end++;
    if (end - start > bestLength) [bestStart, bestLength] = [start, end - start];
    start = end === start ? start + 1 : end;
  }
  const hex = groups.map((group) => group.toString(16));
  if (bestStart < 0) return hex.join(":");
  return `${hex.slice(0, bestStart).join(":")}::${hex.slice(bestStart + bestLength).join(":")}`;
}
