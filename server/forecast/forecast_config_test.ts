import { deepEqual, throws } from "node:assert/strict";
import { forecastSettings } from "@/server/forecast/forecast_config.ts";

const none = () => undefined;

Deno.test("forecast settings: defaults, flags over env, clear errors", () => {
  deepEqual(forecastSettings({}, none, 4), {
    books: [0],
    klineUrls: [],
    klineFile: undefined,
    cadenceSeconds: 1800,
    intervalSeconds: 300,
    horizon: 100,
    demoForecasters: 0,
    scoring: "skill",
  });
  const env = (name: string) =>
    ({ MARKETFORGE_FORECAST_BOOKS: "1,2", MARKETFORGE_FORECAST_HORIZON: "50" })[name];
  const settings = forecastSettings(
    { "forecast-books": "3", "forecast-kline-urls": "https://a.example, http://127.0.0.1:9" },
    env,
    4,
  );
  deepEqual(settings.books, [3]);
  deepEqual(settings.horizon, 50);
  deepEqual(settings.klineUrls, ["https://a.example", "http://127.0.0.1:9"]);
  deepEqual(forecastSettings({ "forecast-books": "none" }, none, 4).books, []);
  deepEqual(forecastSettings({ "forecast-scoring": "tsps" }, none, 4).scoring, "tsps");
  throws(
    () =>
      forecastSettings({}, (n) => (n === "MARKETFORGE_FORECAST_SCORING" ? "rmse" : undefined), 4),
    /MARKETFORGE_FORECAST_SCORING "rmse": must be one of skill, tsps/,
  );
  throws(
    () => forecastSettings({ "forecast-books": "4" }, none, 4),
    /--forecast-books "4": book ids must be integers from 0 to 3/,
  );
  throws(() => forecastSettings({ "forecast-kline-urls": "ftp://x" }, none, 4), /must be an http/);
  throws(
    () => forecastSettings({ "forecast-cadence-seconds": "450" }, none, 4),
    /--forecast-cadence-seconds 450: must be a multiple/,
  );
  throws(
    () => forecastSettings({}, (n) => (n === "MARKETFORGE_FORECAST_HORIZON" ? "1" : undefined), 4),
    /MARKETFORGE_FORECAST_HORIZON "1": must be an integer from 2 to 1000/,
  );
});
