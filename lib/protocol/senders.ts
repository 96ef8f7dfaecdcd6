/**
 * Who may send what. Every runtime message reaches every extension context, and a content
 * script in a page tab (the isolated world the scanner runs in) can send any of them: each
 * handler checks the sender first. Pure functions of the sender and the extension's base URL
 * (`runtime.getURL('/')`); the wiring is in entrypoints/ and ./guard.ts.
 */

/** The parts of runtime.MessageSender these rules read. */
export interface Sender {
  id?: string;
  url?: string;
}

/** The service worker's script and the offscreen document, relative to the extension's base. */
const BACKGROUND_SCRIPT = 'background.js';
const OFFSCREEN_DOCUMENT = 'offscreen.html';

/** The sender's path inside the extension ("popup.html"), or undefined when outside it. */
function path(sender: Sender, base: string): string | undefined {
  if (!sender.url || !sender.url.startsWith(base)) return undefined;
  return sender.url.slice(base.length).split(/[?#]/)[0];
}

/** One of the extension's own pages (popup, options): not a content script, not a site. */
export function isExtensionPage(sender: Sender, base: string, id: string): boolean {
  const p = path(sender, base);
  return sender.id === id && p !== undefined && p !== OFFSCREEN_DOCUMENT && p !== BACKGROUND_SCRIPT;
}

/** The offscreen document (the engine's host in Chrome). */
export function isOffscreenDocument(sender: Sender, base: string, id: string): boolean {
  return sender.id === id && path(sender, base) === OFFSCREEN_DOCUMENT;
}

/** The service worker (Chrome's background). */
export function isServiceWorker(sender: Sender, base: string, id: string): boolean {
  return sender.id === id && path(sender, base) === BACKGROUND_SCRIPT;
}

/**
 * A result URL the engine minted: `blob:` of the extension's own origin. Anything else (an http
 * URL, another origin's blob) would make the downloads API fetch it as the "joined file".
 */
export function isOwnBlobUrl(url: string, base: string): boolean {
  // The base is "chrome-extension://ID/" (or moz-extension://UUID/): its origin plus "/".
  return base.endsWith('/') && url.startsWith(`blob:${base}`) && url.length > base.length + 5;
}
