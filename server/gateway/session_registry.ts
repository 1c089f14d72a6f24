/**
 * The validator side of miner authentication: one-time challenges, session
 * grants checked against the metagraph, and signed, strictly sequenced
 * response frames (engine/auth/session_grant.ts explains the scheme).
 *
 * Checks run cheapest first and the signature last, and a challenge is
 * spent by any attempt, so a client cannot grind one challenge.
 *
 * @module
 */
import { type FrameKey, frameKey, isFrameSigned } from "@/server/gateway/frame_verifier.ts";
import {
  isGrantSignedByHotkey,
  newChallenge,
  type SessionGrant,
} from "@/engine/auth/session_grant.ts";

/** Why an authentication step was refused; stable codes for logs and clients. */
export type AuthFailure =
  | "malformed_grant"
  | "wrong_validator"
  | "unknown_challenge"
  | "expired_challenge"
  | "session_too_long"
  | "unknown_hotkey"
  | "bad_grant_signature"
  | "session_expired"
  | "replayed_sequence"
  | "bad_frame_signature"
  | "too_many_challenges";

export class AuthError extends Error {
  readonly reason: AuthFailure;

  constructor(reason: AuthFailure, message: string) {
    super(message);
    this.name = "AuthError";
    this.reason = reason;
  }
}

export interface Challenge {
  challenge: string;
  validator: string;
  /** Unix ms after which the challenge is void. */
  expiresAt: number;
}

export interface Session {
  hotkey: string;
  uid: number;
  /** The session key that signs its frames. */
  publicKey: FrameKey;
  expiresAt: number;
  /** Highest sequence number accepted so far (-1 before the first). */
  lastSequence: number;
}

export interface SessionRegistryOptions {
  /** This validator's hotkey (ss58): grants for another validator are refused. */
  validatorHotkey: string;
  /** UID of a registered hotkey, or undefined. */
  uidOf: (hotkey: string) => Promise<number | undefined>;
  now?: () => number;
  /** How long a challenge stays valid; default 30 s. */
  challengeTtlMs?: number;
  /** Longest session a grant may ask for; default 24 h. */
  maxSessionMs?: number;
  /** Outstanding challenges before new ones are refused; default 10,000. */
  maxOutstandingChallenges?: number;
}

export class SessionRegistry {
  readonly #options: Required<SessionRegistryOptions>;
  /** Outstanding challenges → expiry (Map keeps issue order, oldest first). */
  readonly #challenges = new Map<string, number>();

  constructor(options: SessionRegistryOptions) {
    this.#options = {
      now: () => Date.now(),
      challengeTtlMs: 30_000,
      maxSessionMs: 24 * 60 * 60 * 1000,
      maxOutstandingChallenges: 10_000,
      ...options,
    };
  }

  /** Issues a one-time challenge for a new connection. */
  issueChallenge(): Challenge {
    const now = this.#options.now();
    for (const [challenge, expiresAt] of this.#challenges) {
      if (expiresAt > now) break;
      this.#challenges.delete(challenge);
    }
    if (this.#challenges.size >= this.#options.maxOutstandingChallenges) {
      throw new AuthError(
        "too_many_challenges",
        `Cannot issue a challenge: ${this.#challenges.size} are outstanding (limit ${this.#options.maxOutstandingChallenges})`,
      );
    }
    const challenge = newChallenge();
    const expiresAt = now + this.#options.challengeTtlMs;
    this.#challenges.set(challenge, expiresAt);
    return { challenge, validator: this.#options.validatorHotkey, expiresAt };
  }

  /** Checks a signed grant and opens its session; throws AuthError. */
  async open(grant: SessionGrant, signature: Uint8Array): Promise<Session> {
    const now = this.#options.now();
    const challengeExpiry = this.#challenges.get(grant.challenge);
    this.#challenges.delete(grant.challenge);
    if (grant.validator !== this.#options.validatorHotkey) {
      throw new AuthError(
        "wrong_validator",
        `Cannot open session: grant is for validator "${grant.validator}", this is "${this.#options.validatorHotkey}"`,
      );
    }
    if (challengeExpiry === undefined) {
      throw new AuthError(
        "unknown_challenge",
        "Cannot open session: challenge was not issued or is already used",
      );
    }
    if (challengeExpiry <= now) {
      throw new AuthError("expired_challenge", "Cannot open session: challenge expired");
    }
    if (!Number.isSafeInteger(grant.expiresAt) || grant.expiresAt <= now) {
      throw new AuthError(
        "session_expired",
        `Cannot open session: expiry ${grant.expiresAt} is not in the future`,
      );
    }
    if (grant.expiresAt - now > this.#options.maxSessionMs) {
      throw new AuthError(
        "session_too_long",
        `Cannot open session: it would last ${
          grant.expiresAt - now
        } ms (limit ${this.#options.maxSessionMs} ms)`,
      );
    }
    let publicKey: FrameKey;
    try {
      publicKey = frameKey(grant.sessionKey);
    } catch (error) {
      throw new AuthError("malformed_grant", `Cannot open session: ${(error as Error).message}`);
    }
    const uid = await this.#options.uidOf(grant.hotkey);
    if (uid === undefined) {
      throw new AuthError(
        "unknown_hotkey",
        `Cannot open session: hotkey "${grant.hotkey}" is not registered`,
      );
    }
    if (!await isGrantSignedByHotkey(grant, signature)) {
      throw new AuthError(
        "bad_grant_signature",
        `Cannot open session: grant is not signed by "${grant.hotkey}"`,
      );
    }
    return { hotkey: grant.hotkey, uid, publicKey, expiresAt: grant.expiresAt, lastSequence: -1 };
  }

  /**
   * Accepts one signed frame of `session`: it must be unexpired, carry a
   * sequence number above every earlier one, and verify under the session
   * key. Advances the session's sequence on success; throws AuthError.
   */
  accept(session: Session, sequence: number, body: Uint8Array, signature: Uint8Array): void {
    if (session.expiresAt <= this.#options.now()) {
      throw new AuthError("session_expired", `Cannot accept frame ${sequence}: session expired`);
    }
    if (!Number.isSafeInteger(sequence) || sequence <= session.lastSequence) {
      throw new AuthError(
        "replayed_sequence",
        `Cannot accept frame ${sequence}: sequence must exceed ${session.lastSequence}`,
      );
    }
    if (!isFrameSigned(session.publicKey, sequence, body, signature)) {
      throw new AuthError("bad_frame_signature", `Cannot accept frame ${sequence}: bad signature`);
    }
    session.lastSequence = sequence;
  }
}
