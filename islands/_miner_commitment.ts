/**
 * The browser miner's GenTRX bucket commitment on subtensor: there only the
 * hotkey may publish its bucket's read key (taos.md §6.6; the validator
 * refuses a `{ gentrx: "commit" }` body), so before it goes live the tab
 * dials a subtensor node itself, reads the hotkey's commitment and, when it
 * differs, has the wallet extension sign `Commitments.set_commitment`
 * (engine/chain/bucket_commitment.ts decides; islands/_miner_chain.ts talks
 * to the node). Each step is reported as a line of text for the console.
 *
 * The console imports this module only when a commit runs, and the module
 * imports @polkadot/api and the wallet only then, so the /miner page's first
 * JavaScript carries none of it.
 *
 * @module
 */
import {
  commitBucket,
  type CommitmentChain,
  type CommitStep,
} from "@/engine/chain/bucket_commitment.ts";
import type { SendStep } from "@/islands/_miner_chain.ts";
import {
  chainNodeOf,
  type GenTrxPool,
  MAX_NETUID,
  NETUID_FIELD,
  NODE_FIELD,
} from "@/islands/_miner_gentrx_opt_in.tsx";
import type { GenTrxSettings } from "@/islands/_miner_settings.ts";
import { bucketReadKey } from "@/workers/miner/bucket_read_key.ts";
import type { GenTrxBucket } from "@/workers/miner/protocol.ts";

/** Characters of a block hash the status line shows. */
const SHORT_HASH_CHARS = 10;

/** What is committed where, and by whom. */
export interface ChainCommitTarget {
  /** The subtensor node the tab dials, ws:// or wss://. */
  nodeUrl: string;
  netuid: number;
  /** The hotkey (ss58) whose wallet signs. */
  hotkey: string;
  /**
   * The bucket's read key in any form (engine/gentrx/store/bucket_location.ts);
   * commitBucket commits it in its shortest (commitmentOf), as the headless
   * miner does.
   */
  readKey: string;
}

/** The commit as the console's status line shows it. */
export type CommitStatus =
  | { state: "idle" }
  | { state: "working" | "done" | "failed"; text: string };

/** A commitment chain the commit closes when done. */
export type ClosableCommitmentChain = CommitmentChain & { close(): Promise<void> };

/** Opens the chain for `target`, signing with its hotkey's wallet; `onSend` hears the extrinsic. */
export type OpenCommitmentChain = (
  target: ChainCommitTarget,
  onSend: (step: SendStep, detail?: string) => void,
) => Promise<ClosableCommitmentChain>;

/** The node URL from the settings field; throws naming the field. */
export function parseNodeUrl(text: string): string {
  const url = text.trim();
  if (!/^wss?:\/\/[^/\s]+/.test(url) || !URL.canParse(url)) {
    throw new RangeError(`Invalid ${NODE_FIELD} "${text}": must be a ws:// or wss:// URL`);
  }
  return url;
}

/** The netuid from the settings field; throws naming the field and the limit. */
export function parseNetuid(text: string): number {
  const netuid = Number(text.trim());
  if (text.trim() === "" || !Number.isInteger(netuid) || netuid < 0 || netuid > MAX_NETUID) {
    throw new RangeError(
      `Invalid ${NETUID_FIELD} "${text}": must be an integer from 0 to ${MAX_NETUID}`,
    );
  }
  return netuid;
}

/**
 * What the tab commits on subtensor and where: the console's node (else the
 * page's default), the page's netuid (else the console's), `bucket`'s read
 * key. Throws naming the settings field at fault.
 */
export function commitTarget(
  settings: GenTrxSettings,
  pool: GenTrxPool,
  hotkey: string,
  bucket: GenTrxBucket,
): ChainCommitTarget {
  return {
    nodeUrl: parseNodeUrl(chainNodeOf(settings, pool)),
    netuid: pool.netuid ?? parseNetuid(settings.netuid),
    hotkey,
    readKey: bucketReadKey(bucket),
  };
}

/**
 * Makes `target.readKey` the hotkey's commitment on `target.netuid`:
 * "unchanged" when it already is (nothing is signed or sent), "committed"
 * once a block includes it. `onStatus` hears every step; on failure it gets
 * the error's message as a "failed" status and the error is rethrown.
 */
export async function commitOnChain(
  target: ChainCommitTarget,
  onStatus: (status: CommitStatus) => void,
  open: OpenCommitmentChain = openWithWallet,
): Promise<"unchanged" | "committed"> {
  const { netuid } = target;
  let block = "";
  const working = (text: string) => onStatus({ state: "working", text });
  try {
    working(`Connecting to ${target.nodeUrl}`);
    const chain = await open(target, (step, detail) => {
      if (step === "in-block") block = detail ?? "";
      else working(SEND_STEPS[step]);
    });
    try {
      const outcome = await commitBucket(
        chain,
        target.hotkey,
        target.readKey,
        (step: CommitStep) => working(COMMIT_STEPS[step](netuid)),
      );
      onStatus({
        state: "done",
        text: outcome === "unchanged"
          ? `Already on chain: netuid ${netuid} holds this read key, nothing was sent`
          : `Committed on netuid ${netuid}` +
            (block ? ` in block ${block.slice(0, SHORT_HASH_CHARS)}…` : ""),
      });
      return outcome;
    } finally {
      await chain.close().catch(() => {});
    }
  } catch (error) {
    onStatus({ state: "failed", text: (error as Error).message });
    throw error;
  }
}

const COMMIT_STEPS: Record<CommitStep, (netuid: number) => string> = {
  registration: (netuid) => `Checking that the hotkey has a UID on netuid ${netuid}`,
  reading: (netuid) => `Reading the hotkey's commitment on netuid ${netuid}`,
  sending: () => "Sending the new read key",
};

const SEND_STEPS: Record<Exclude<SendStep, "in-block">, string> = {
  signing: "Waiting for the wallet to sign Commitments.set_commitment",
  submitted: "Submitted; waiting for a block to include it",
};

/** Dials the node with the hotkey's extension as the signer, loading both on first use. */
async function openWithWallet(
  target: ChainCommitTarget,
  onSend: (step: SendStep, detail?: string) => void,
): Promise<ClosableCommitmentChain> {
  const [{ connectSubtensorCommitments }, { walletSigner }] = await Promise.all([
    import("@/islands/_miner_chain.ts"),
    import("@/islands/_miner_wallet.ts"),
  ]);
  const signer = await walletSigner(target.hotkey);
  return connectSubtensorCommitments(target.nodeUrl, { netuid: target.netuid, signer, onSend });
}
