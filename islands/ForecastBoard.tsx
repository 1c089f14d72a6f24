import { useSignal } from "@preact/signals";
import { useEffect } from "preact/hooks";
import type {
  ForecastBoardView,
  ForecastRequestView,
  ForecastStreamView,
} from "@/engine/forecast/forecast_view.ts";

/** How often the board refreshes from GET /api/forecasts, ms. */
const REFRESH_MS = 3000;
const WIDTH = 720;
const HEIGHT = 260;
const PADDING = 8;

export interface ForecastBoardProps {
  initial: ForecastBoardView;
}

const short = (hotkey: string) => `${hotkey.slice(0, 6)}…${hotkey.slice(-4)}`;
const colourOf = (uid: number) => `hsl(${(uid * 67) % 360} 70% 50%)`;
const fixed = (value: number | undefined, digits = 3) =>
  value === undefined ? "—" : (Number(value.toFixed(digits)) || 0).toFixed(digits);

/** The forecasts page: a fan chart per stream and the forecast ledger, refreshed in place. */
export default function ForecastBoard({ initial }: ForecastBoardProps) {
  const board = useSignal(initial);
  useEffect(() => {
    const timer = setInterval(async () => {
      const response = await fetch("/api/forecasts");
      if (response.ok) board.value = await response.json();
    }, REFRESH_MS);
    return () => clearInterval(timer);
  }, []);
  const { streams, leaderboard, horizon } = board.value;
  return (
    <div>
      <p class="feed-status" role="status">
        {streams.length} streams · {horizon} closes per forecast · {leaderboard.length} miners
      </p>
      {streams.map((stream) => <StreamPanel key={stream.id} stream={stream} />)}
      <h2>Forecast leaderboard</h2>
      <table class="books" aria-label="Forecast leaderboard">
        <thead>
          <tr>
            <th scope="col">UID</th>
            <th scope="col">Hotkey</th>
            <th scope="col">Ledger</th>
            <th scope="col">Last skill</th>
            <th scope="col">Requests</th>
          </tr>
        </thead>
        <tbody>
          {leaderboard.map((row) => (
            <tr key={row.hotkey}>
              <td>{row.uid}</td>
              <td title={row.hotkey}>{short(row.hotkey)}</td>
              <td>{fixed(row.value, 4)}</td>
              <td>{fixed(row.lastSkill)}</td>
              <td>{row.requests}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function StreamPanel({ stream }: { stream: ForecastStreamView }) {
  const chosen = useSignal<string | null>(null);
  const request = stream.requests.find((r) => r.id === chosen.value) ??
    stream.requests.find((r) => r.status === "scored") ?? stream.requests[0];
  return (
    <article class="forecast-stream" aria-label={`Stream ${stream.id}`}>
      <h2>{stream.id}</h2>
      {stream.requests.length > 0 && (
        <label>
          Request{" "}
          <select
            value={request?.id}
            onChange={(event) => chosen.value = (event.target as HTMLSelectElement).value}
          >
            {stream.requests.map((r) => (
              <option key={r.id} value={r.id} selected={r.id === request?.id}>
                {r.id} ({r.status})
              </option>
            ))}
          </select>
        </label>
      )}
      <FanChart stream={stream} request={request} />
      {request && <ScoreTable request={request} />}
    </article>
  );
}

/** History (grey), each miner's forecast from the origin (coloured), and what happened (black). */
function FanChart(
  { stream, request }: { stream: ForecastStreamView; request?: ForecastRequestView },
) {
  const series: {
    key: string;
    times: number[];
    values: number[];
    colour: string;
    width: number;
  }[] = [];
  series.push({
    key: "history",
    times: stream.closeTimes,
    values: stream.closes,
    colour: "#999",
    width: 1,
  });
  if (request) {
    const step = request.intervalMs;
    const ahead = Array.from(
      { length: request.horizon },
      (_, k) => request.origin + (k + 1) * step,
    );
    for (const line of request.forecasts) {
      if (line.predictions === null) continue;
      series.push({
        key: line.hotkey,
        times: [request.origin, ...ahead],
        values: [request.lastClose, ...line.predictions],
        colour: colourOf(line.uid),
        width: 1.5,
      });
    }
    if (request.actual) {
      series.push({
        key: "actual",
        times: [request.origin, ...ahead],
        values: [request.lastClose, ...request.actual],
        colour: "currentColor",
        width: 2.5,
      });
    }
  }
  const times = series.flatMap((s) => s.times);
  const values = series.flatMap((s) => s.values);
  if (times.length < 2) return <p>No candles yet.</p>;
  const [t0, t1] = [Math.min(...times), Math.max(...times)];
  const [v0, v1] = [Math.min(...values), Math.max(...values)];
  const x = (t: number) => PADDING + ((t - t0) / (t1 - t0 || 1)) * (WIDTH - 2 * PADDING);
  const y = (v: number) => HEIGHT - PADDING - ((v - v0) / (v1 - v0 || 1)) * (HEIGHT - 2 * PADDING);
  return (
    <svg
      class="forecast-fan"
      viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
      role="img"
      aria-label={`Forecast fan for ${stream.id}: ${v0.toFixed(2)} to ${v1.toFixed(2)}`}
    >
      {request && (
        <line
          x1={x(request.origin)}
          x2={x(request.origin)}
          y1={0}
          y2={HEIGHT}
          stroke="#bbb"
          stroke-dasharray="4 4"
        />
      )}
      {series.map((s) => (
        <polyline
          key={s.key}
          fill="none"
          stroke={s.colour}
          stroke-width={s.width}
          points={s.times.map((t, i) => `${x(t).toFixed(1)},${y(s.values[i]).toFixed(1)}`).join(
            " ",
          )}
        />
      ))}
    </svg>
  );
}

function ScoreTable({ request }: { request: ForecastRequestView }) {
  return (
    <table class="books" aria-label={`Forecasts of ${request.id}`}>
      <thead>
        <tr>
          <th scope="col">UID</th>
          <th scope="col">Hotkey</th>
          <th scope="col">Forecast</th>
          <th scope="col">Skill</th>
          <th scope="col">Share</th>
        </tr>
      </thead>
      <tbody>
        {request.forecasts.map((line) => (
          <tr key={line.hotkey}>
            <td>
              <span class="forecast-swatch" style={{ background: colourOf(line.uid) }} /> {line.uid}
            </td>
            <td title={line.hotkey}>{short(line.hotkey)}</td>
            <td>
              {line.reason}
              {line.copies ? ` (copy group of ${line.copies.length})` : ""}
            </td>
            <td>{fixed(line.skill)}</td>
            <td>{fixed(line.share)}</td>
          </tr>
        ))}
      </tbody>
      {request.status === "void" && <caption>Void: {request.voidReason}</caption>}
    </table>
  );
}
