/**
 * The miner console's settings in IndexedDB (through `idb`), so a reload
 * picks up the agent, its parameters, the hotkey and whether it was mining.
 *
 * @module
 */
import { openDB } from "idb";
import type { GenTrxBucket } from "@/workers/miner/protocol.ts";

export interface MinerSettings {
  /** The example the source started from, or "custom" once edited. */
  agentId: string;
  source: string;
  /** `key=value` lines (engine/browser_miner/agent_params.ts). */
  params: string;
  seed: number;
  /** Offline run length, simulated seconds. */
  offlineSteps: number;
  /** The chosen hotkey account (ss58), once a wallet is connected. */
  hotkey: string | null;
  /** The forecast agent answering the forecast pool while live, or "off". */
  forecasterId: string;
  /** Mining live when the page was left: a reload resumes the session. */
  live: boolean;
  /** The GenTRX training pool opt-in and the tab's bucket (the keys stay in this IndexedDB). */
  gentrx: GenTrxSettings;
}

/**
 * The tab's bucket (its write key signs uploads and never leaves the tab),
 * the opt-in, and where the read key is committed on subtensor.
 */
export interface GenTrxSettings extends GenTrxBucket {
  enabled: boolean;
  /**
   * The subtensor node the tab commits the read key through (ws:// or
   * wss://); empty for the page's default (islands/_miner_commitment.ts).
   */
  chainNode: string;
  /** The subnet to commit on, when the validator's page does not say; empty until set. */
  netuid: string;
}

export const GENTRX_OFF: GenTrxSettings = {
  enabled: false,
  endpoint: "",
  bucket: "",
  region: "",
  accessKeyId: "",
  secretAccessKey: "",
  readAccessKeyId: "",
  readSecretAccessKey: "",
  chainNode: "",
  netuid: "",
};

const DB_NAME = "marketforge-miner";
const STORE = "settings";
const KEY = "console";

function database() {
  return openDB(DB_NAME, 1, {
    upgrade(db) {
      db.createObjectStore(STORE);
    },
  });
}

/**
 * The saved settings, or undefined on a first visit (or when IndexedDB is
 * unavailable). GenTRX fields added since they were saved get their defaults.
 */
export async function loadSettings(): Promise<MinerSettings | undefined> {
  try {
    const db = await database();
    try {
      const saved = await db.get(STORE, KEY) as MinerSettings | undefined;
      return saved && { ...saved, gentrx: { ...GENTRX_OFF, ...saved.gentrx } };
    } finally {
      db.close();
    }
  } catch {
    return undefined;
  }
}

export async function saveSettings(settings: MinerSettings): Promise<void> {
  const db = await database();
  try {
    await db.put(STORE, settings, KEY);
  } finally {
    db.close();
  }
}
