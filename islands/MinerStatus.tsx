import { useSignal } from "@preact/signals";
import { useEffect } from "preact/hooks";
import { MinerUidCell } from "@/islands/_miner_uid_cell.tsx";

/** How often the list refreshes from GET /api/miners, ms. */
const REFRESH_MS = 3000;

/** A connected miner as GET /api/miners lists it (server/gateway/gateway.ts). */
export interface ConnectedMinerFigures {
  uid: number;
  hotkey: string;
  acceptedFrames: number;
  refusedFrames: number;
}

export interface MinerStatusProps {
  initial: ConnectedMinerFigures[];
}

/** The miners connected to this validator right now, refreshed in place. */
export default function MinerStatus({ initial }: MinerStatusProps) {
  const miners = useSignal(initial);
  useEffect(() => {
    const timer = setInterval(async () => {
      try {
        const response = await fetch("/api/miners");
        if (response.ok) miners.value = await response.json();
      } catch {
        // The validator is restarting or gone; keep the last list.
      }
    }, REFRESH_MS);
    return () => clearInterval(timer);
  }, []);
  const sorted = miners.value.toSorted((a, b) => a.uid - b.uid);
  return (
    <div class="table-scroll">
      <table class="markets miners" aria-label="Connected miners">
        <thead>
          <tr>
            <th scope="col">UID</th>
            <th scope="col" class="text">Hotkey</th>
            <th scope="col">Answers accepted</th>
            <th scope="col">Refused</th>
          </tr>
        </thead>
        <tbody>
          {sorted.length === 0
            ? (
              <tr>
                <td colSpan={4} class="empty muted">No miner is connected right now.</td>
              </tr>
            )
            : sorted.map((miner) => (
              <tr key={miner.uid}>
                <MinerUidCell uid={miner.uid} />
                <td class="text hotkey" title={miner.hotkey}>
                  {`${miner.hotkey.slice(0, 6)}…${miner.hotkey.slice(-4)}`}
                </td>
                <td class="num">{miner.acceptedFrames.toLocaleString("en-US")}</td>
                <td class="num">{miner.refusedFrames.toLocaleString("en-US")}</td>
              </tr>
            ))}
        </tbody>
      </table>
    </div>
  );
}
