/**
 * The tab's own connection to a subtensor node, to make its GenTRX bucket
 * read key its hotkey's commitment (engine/chain/bucket_commitment.ts): the
 * hotkey's UID and `Commitments.CommitmentOf` are read with @polkadot/api,
 * and `Commitments.set_commitment` is signed by the wallet extension that
 * holds the hotkey (its injected `Signer`, shared/reference/chain.md §4).
 *
 * @polkadot/api is about 350 KB gzipped (chain.md §5), so the console loads
 * this module with a dynamic import, only when it commits on subtensor.
 *
 * @module
 */
import { ApiPromise, WsProvider } from "@polkadot/api";
import type { Signer } from "@polkadot/api/types";
import { ChainError } from "@/engine/chain/chain_error.ts";
import { withDeadline } from "@/engine/deadline.ts";
import type { CommitmentChain } from "@/engine/chain/bucket_commitment.ts";
import {
  type CommitmentInfo,
  commitmentInfo,
  decodeCommitment,
} from "@/engine/chain/commitment_data.ts";
import { SUBTENSOR_SIGNED_EXTENSIONS } from "@/engine/chain/subtensor_extensions.ts";

/** How long to wait for the block that includes the commitment: 10 blocks of 12 s. */
export const INCLUSION_TIMEOUT_MS = 120_000;
/** How long the first connection to the node may take before the commit gives up, ms. */
export const CONNECT_TIMEOUT_MS = 30_000;
/** Wait before @polkadot/api reconnects a dropped node connection, ms (its default). */
const RECONNECT_MS = 2_500;
/** What the refusals say the tab was doing. */
const ACTION = "Cannot commit the bucket read key";

/** Where the extrinsic stands once the chain's reads are done. */
export type SendStep = "signing" | "submitted" | "in-block";

/** A storage value as @polkadot/api returns it. */
interface StoredValue {
  toJSON(): unknown;
}

/** An extrinsic status update (@polkadot/api's ISubmittableResult, as far as it is read here). */
export interface SendResult {
  status: { type: string; value: { toString(): string } };
  dispatchError?: { isModule: boolean; asModule: unknown; type: string; toString(): string };
}

/** An extrinsic to sign and send (@polkadot/api's SubmittableExtrinsic). */
export interface Signable {
  signAndSend(
    address: string,
    options: { signer: Signer },
    statusCb: (result: SendResult) => void,
  ): Promise<() => void>;
}

/**
 * The part of @polkadot/api's ApiPromise a commitment uses, so tests can
 * stand in for the node at this seam.
 */
export interface CommitmentApi {
  /** `query.subtensorModule.uids(netuid, hotkey)`, `query.commitments.commitmentOf(…)`. */
  query: Record<string, Record<string, (...keys: (string | number)[]) => Promise<StoredValue>>>;
  /** `tx.commitments.setCommitment(netuid, info)`. */
  tx: Record<string, Record<string, (...args: [number, CommitmentInfo]) => Signable>>;
  registry: {
    findMetaError(error: never): { section: string; name: string; docs: string[] };
  };
  disconnect(): Promise<void>;
}

export interface SubtensorCommitmentsOptions {
  netuid: number;
  /** The wallet extension's signer for the hotkey (`web3FromAddress(hotkey).signer`). */
  signer: Signer;
  /** Hears the extrinsic's steps: waiting for the wallet, in the pool, in a block. */
  onSend?: (step: SendStep, detail?: string) => void;
  inclusionTimeoutMs?: number;
}

/** `Commitments.set_commitment(netuid, info)` with `info` from commitmentInfo (at most 128 bytes). */
export function setCommitmentCall(api: CommitmentApi, netuid: number, data: string) {
  return api.tx.commitments.setCommitment(netuid, commitmentInfo(data));
}

/** One subnet's commitments over `api`, signed by the wallet's signer. */
export class SubtensorCommitments implements CommitmentChain {
  readonly netuid: number;
  readonly #api: CommitmentApi;
  readonly #signer: Signer;
  readonly #onSend: (step: SendStep, detail?: string) => void;
  readonly #timeoutMs: number;

  constructor(api: CommitmentApi, options: SubtensorCommitmentsOptions) {
    this.#api = api;
    this.netuid = options.netuid;
    this.#signer = options.signer;
    this.#onSend = options.onSend ?? (() => {});
    this.#timeoutMs = options.inclusionTimeoutMs ?? INCLUSION_TIMEOUT_MS;
  }

  async uidOf(hotkey: string): Promise<number | undefined> {
    const uid = (await this.#api.query.subtensorModule.uids(this.netuid, hotkey)).toJSON();
    return typeof uid === "number" ? uid : undefined;
  }

  async commitment(hotkey: string): Promise<string | null> {
    const registration = await this.#api.query.commitments.commitmentOf(this.netuid, hotkey);
    return decodeCommitment(registration.toJSON());
  }

  /**
   * Asks the wallet to sign `set_commitment`, submits it and resolves once
   * a block includes it; rejects with a ChainError naming subtensor's error
   * when the wallet declines, the pool refuses it or the runtime fails it.
   */
  setCommitment(hotkey: string, data: string): Promise<void> {
    const tx = setCommitmentCall(this.#api, this.netuid, data);
    const { promise, resolve, reject } = Promise.withResolvers<void>();
    let settled = false;
    let unsubscribe: (() => void) | undefined;
    const finish = (error?: ChainError) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      unsubscribe?.();
      if (error) reject(error);
      else resolve();
    };
    const timer = setTimeout(() => {
      finish(new ChainError("Timeout", `${ACTION}: not in a block after ${this.#timeoutMs} ms`));
    }, this.#timeoutMs);
    this.#onSend("signing");
    tx.signAndSend(hotkey, { signer: this.#signer }, ({ status, dispatchError }) => {
      if (settled) return; // e.g. Finalized after InBlock
      if (status.type === "InBlock" || status.type === "Finalized") {
        if (dispatchError) {
          finish(this.#dispatchFailure(dispatchError));
          return;
        }
        this.#onSend("in-block", status.value.toString());
        finish();
      } else if (["Invalid", "Dropped", "Usurped"].includes(status.type)) {
        finish(
          new ChainError(status.type, `${ACTION}: the transaction pool reports ${status.type}`),
        );
      }
    }).then((stop) => {
      unsubscribe = stop;
      if (settled) stop();
      else this.#onSend("submitted");
    }).catch((error: Error) => finish(refusal(error.message)));
    return promise;
  }

  close(): Promise<void> {
    return this.#api.disconnect();
  }

  /** `Commitments.CommitmentSetRateLimitExceeded (docs)` for a pallet error, else its variant. */
  #dispatchFailure(error: NonNullable<SendResult["dispatchError"]>): ChainError {
    if (error.isModule) {
      try {
        const { section, name, docs } = this.#api.registry.findMetaError(error.asModule as never);
        const said = docs.join(" ").trim();
        return new ChainError(
          name,
          `${ACTION}: ${section.charAt(0).toUpperCase()}${section.slice(1)}.${name}` +
            (said ? ` (${said})` : ""),
        );
      } catch {
        // An error the metadata does not name: say what the chain sent.
      }
    }
    return new ChainError(error.type, `${ACTION}: ${error.type} (${error.toString()})`);
  }
}

/**
 * A refusal before the chain saw the extrinsic: the wallet's (polkadot{.js}
 * rejects with "Cancelled") or the node's RPC error (`1010: Invalid
 * Transaction: …`).
 */
function refusal(message: string): ChainError {
  if (/cancel|reject|denied/i.test(message)) {
    return new ChainError("WalletDeclined", `${ACTION}: the wallet did not sign it (${message})`);
  }
  return new ChainError("InvalidTransaction", `${ACTION}: the node refused it (${message})`);
}

/**
 * Connects to the subtensor node at `url`; throws a ChainError naming the
 * URL when no node answers there within CONNECT_TIMEOUT_MS.
 */
export async function connectSubtensorCommitments(
  url: string,
  options: SubtensorCommitmentsOptions,
): Promise<SubtensorCommitments> {
  const provider = new WsProvider(url, RECONNECT_MS);
  const failed = (detail: string) =>
    new ChainError("ConnectionFailed", `Cannot connect to subtensor at "${url}": ${detail}`);
  try {
    const api = await withDeadline(
      ApiPromise.create({
        provider,
        signedExtensions: SUBTENSOR_SIGNED_EXTENSIONS,
        noInitWarn: true,
        throwOnConnect: true,
      }),
      CONNECT_TIMEOUT_MS,
      () => failed(`no answer within ${CONNECT_TIMEOUT_MS / 1000} s`),
    );
    return new SubtensorCommitments(api, options);
  } catch (error) {
    await provider.disconnect().catch(() => {});
    throw error instanceof ChainError ? error : failed((error as Error).message);
  }
}
