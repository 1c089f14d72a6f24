import type { AppProps } from "@/server/fresh_lite/mod.ts";
import { ThemeScript } from "@/islands/_theme_script.tsx";

/** The HTML shell around every page. */
export default function App({ title, head, children }: AppProps) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{title}</title>
        <link rel="icon" href="data:," />
        {/* Before the stylesheet: an inline script after it would wait for it to load. */}
        <ThemeScript />
        {head}
        <link rel="stylesheet" href="/style.css" />
      </head>
      <body>
        {/* The first stop for Tab: past the header's links to the page itself (WCAG 2.4.1). */}
        <a class="skip-link" href="#main">Skip to content</a>
        <header class="site-header">
          <a class="brand" href="/">Marketforge</a>
          <span class="tagline">live simulated order books</span>
          <nav class="site-nav" aria-label="Main">
            <a href="/">Markets</a>
            <a href="/leaderboard">Leaderboard</a>
            <a href="/forecasts">Forecasts</a>
            <a href="/train">Train</a>
            <a href="/miner">Mine</a>
          </nav>
        </header>
        <main id="main" tabIndex={-1}>{children}</main>
      </body>
    </html>
  );
}
