/**
 * The theme choice, applied before the page paints: an inline script that
 * copies the visitor's saved choice (islands/ThemeToggle.tsx) onto
 * `<html data-theme>`. Without a saved choice the CSS follows
 * prefers-color-scheme.
 *
 * @module
 */

/** localStorage key of the saved theme, "dark" or "light". */
export const THEME_STORAGE_KEY = "marketforge-theme";
/** Event ThemeToggle fires on `document` after switching, for canvas charts to repaint. */
export const THEME_CHANGE_EVENT = "marketforge-theme";

const SCRIPT = `try{var t=localStorage.getItem(${JSON.stringify(THEME_STORAGE_KEY)});` +
  `if(t==="dark"||t==="light")document.documentElement.dataset.theme=t}catch(e){}`;

export function ThemeScript() {
  return <script dangerouslySetInnerHTML={{ __html: SCRIPT }} />;
}
