/**
 * The subtensor node a validator may suggest to browser miners on /miner
 * (BrowserMiner's `chainNode`), where a tab commits its GenTRX read key:
 * the validator's own node only when a browser elsewhere can dial it — a
 * wss:// URL (an https page may not open ws://) on a host that is not
 * loopback or private. A validator on `ws://127.0.0.1:9944` suggests
 * nothing, so the tab's own field, else Bittensor's public node, applies.
 *
 * ```ts
 * publicChainNode("wss://entrypoint-finney.opentensor.ai:443"); // that URL
 * publicChainNode("ws://127.0.0.1:9944"); // undefined
 * ```
 *
 * @module
 */
import { isInternalHost } from "@/server/internal_host.ts";

/** `nodeUrl` when a remote browser can dial it, else undefined. */
export function publicChainNode(nodeUrl: string | undefined): string | undefined {
  if (nodeUrl === undefined || !URL.canParse(nodeUrl)) return undefined;
  const url = new URL(nodeUrl);
  const host = url.hostname.replace(/^\[|\]$/g, "").toLowerCase();
  return url.protocol === "wss:" && !isInternalHost(host) ? nodeUrl : undefined;
}
