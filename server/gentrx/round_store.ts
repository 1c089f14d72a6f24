/**
 * Deno KV schema of GenTRX rounds (one file per entity, STYLE.md): the
 * round, each miner's assignment and its state, the per-UID EMA and the
 * published model head. A round and its assignments are written in one
 * atomic commit, and every state change is one commit, so a validator that
 * dies mid-round resumes it exactly where it was.
 *
 * @module
 */
import type { GenTrxAssignment } from "@/engine/gentrx/store/miner_work.ts";

/**
 * τaos's assignment states (§6.3), without the proxy-only DATA_READY, plus
 * MISSED: terminal, scored 0 — never delivered in time (PENDING), or no
 * upload by the deadline (DELIVERED).
 */
export type AssignmentState = "PENDING" | "DELIVERED" | "GRADIENT_IN" | "SCORED" | "MISSED";

export interface MinerScore {
  score: number;
  scoreOwn: number;
  scoreHeld: number;
  overfitting: boolean;
  accepted: boolean;
  /** Why the upload earned nothing, when it did not. */
  reason?: string;
  normalised: number;
  ema: number;
  gradNorm: number;
}

/** An assignment as the validator keeps it: what the miner was told, and how it went. */
export interface Assignment extends GenTrxAssignment {
  state: AssignmentState;
  deliveredAtMs?: number;
  gradientAtMs?: number;
  /** Why a MISSED assignment missed. */
  missedReason?: string;
  score?: MinerScore;
}

export interface RoundRecord {
  round: number;
  modelVersion: number;
  openedAtMs: number;
  /** Gradients after this are late and score 0; the round closes here at the latest. */
  deadlineMs: number;
  trainingBooks: number[];
  heldOutBooks: number[];
  /** Forward held-out pages the uploads are scored on. */
  heldOutPages: string[];
  uids: number[];
  scored: boolean;
  /** Set when scored: the proposal was applied (new version) or not, and why not. */
  outcome?: {
    applied: boolean;
    versionAfter: number;
    heldLossBefore: number;
    heldLossAfter: number;
    /** Why nothing was applied: no accepted upload, a rollback, an abandoned round. */
    reason?: string;
  };
}

export interface ModelHead {
  version: number;
}

const ROOT = "gentrx";

export class RoundStore {
  readonly #kv: Deno.Kv;

  constructor(kv: Deno.Kv) {
    this.#kv = kv;
  }

  /** Writes a new round and its PENDING assignments in one commit; false if it exists. */
  async openRound(record: RoundRecord, assignments: Assignment[]): Promise<boolean> {
    const key = [ROOT, "round", record.round];
    const op = this.#kv.atomic().check({ key, versionstamp: null }).set(key, record)
      .set([ROOT, "latest_round"], record.round);
    for (const assignment of assignments) {
      op.set([ROOT, "assignment", record.round, assignment.uid], assignment);
    }
    return (await op.commit()).ok;
  }

  async round(round: number): Promise<RoundRecord | null> {
    return (await this.#kv.get<RoundRecord>([ROOT, "round", round])).value;
  }

  async latestRound(): Promise<RoundRecord | null> {
    const latest = (await this.#kv.get<number>([ROOT, "latest_round"])).value;
    return latest === null ? null : await this.round(latest);
  }

  async assignments(round: number): Promise<Assignment[]> {
    const list: Assignment[] = [];
    for await (const entry of this.#kv.list<Assignment>({ prefix: [ROOT, "assignment", round] })) {
      list.push(entry.value);
    }
    return list.sort((a, b) => a.uid - b.uid);
  }

  async assignment(round: number, uid: number): Promise<Assignment | null> {
    return (await this.#kv.get<Assignment>([ROOT, "assignment", round, uid])).value;
  }

  /** Moves one assignment `from` → `to` state, merging `changes`; false if it was not in `from`. */
  async transition(
    round: number,
    uid: number,
    from: AssignmentState,
    changes: Partial<Assignment> & { state: AssignmentState },
  ): Promise<boolean> {
    const key = [ROOT, "assignment", round, uid];
    const current = await this.#kv.get<Assignment>(key);
    if (current.value === null || current.value.state !== from) return false;
    return (await this.#kv.atomic().check(current).set(key, { ...current.value, ...changes })
      .commit()).ok;
  }

  /** Records a round's scores, the EMAs and the model head in one commit. */
  async finishRound(
    record: RoundRecord,
    scored: Assignment[],
    emas: ReadonlyMap<number, number>,
    head: ModelHead,
  ): Promise<void> {
    const op = this.#kv.atomic().set([ROOT, "round", record.round], { ...record, scored: true });
    for (const assignment of scored) {
      op.set([ROOT, "assignment", record.round, assignment.uid], assignment);
    }
    for (const [uid, ema] of emas) op.set([ROOT, "ema", uid], ema);
    op.set([ROOT, "head"], head);
    const result = await op.commit();
    if (!result.ok) throw new Error(`Cannot finish GenTRX round ${record.round}: commit failed`);
  }

  async emas(): Promise<Map<number, number>> {
    const emas = new Map<number, number>();
    for await (const entry of this.#kv.list<number>({ prefix: [ROOT, "ema"] })) {
      emas.set(entry.key[2] as number, entry.value);
    }
    return emas;
  }

  async head(): Promise<ModelHead | null> {
    return (await this.#kv.get<ModelHead>([ROOT, "head"])).value;
  }

  async setHead(head: ModelHead): Promise<void> {
    await this.#kv.set([ROOT, "head"], head);
  }
}
