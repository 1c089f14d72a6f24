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

/** The tab's bucket (its write key signs uploads and never leaves the tab) and the opt-in. */
export interface GenTrxSettings extends GenTrxBucket {
  enabled: boolean;
}

export const GENTRX_OFF: GenTrxSettings = {
  enabled: false,
  endpoint: "",
  bucket: "",
  region: "auto",
  accessKeyId: "",
  secretAccessKey: "",
  readAccessKeyId: "",
  readSecretAccessKey: "",
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

/** The saved settings, or undefined on a first visit (or when IndexedDB is unavailable). */
export async function loadSettings(): Promise<MinerSettings | undefined> {
  try {
    const db = await database();
    try {
      return await db.get(STORE, KEY) as MinerSettings | undefined;
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
