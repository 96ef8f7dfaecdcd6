import { describe, expect, it } from 'vitest';
import {
  isExtensionPage,
  isOffscreenDocument,
  isOwnBlobUrl,
  isServiceWorker,
} from '@/lib/protocol/senders';

const ID = 'abcdefghijklmnopabcdefghijklmnop';
const BASE = `chrome-extension://${ID}/`;
const senders = {
  popup: { id: ID, url: `${BASE}popup.html?tab=3` },
  options: { id: ID, url: `${BASE}options.html` },
  offscreen: { id: ID, url: `${BASE}offscreen.html` },
  worker: { id: ID, url: `${BASE}background.js` },
  // Seam's own content script (the scanner) runs in the page: its url is the page's.
  contentScript: { id: ID, url: 'http://127.0.0.1:8080/lectures.html' },
  otherExtension: { id: 'zzzz', url: 'chrome-extension://zzzz/popup.html' },
  lookalike: { id: ID, url: `chrome-extension://${ID}.evil.example/popup.html` },
  noUrl: { id: ID },
};

describe('who may send what', () => {
  it.each([
    ['popup', true, false, false],
    ['options', true, false, false],
    ['offscreen', false, true, false],
    ['worker', false, false, true],
    ['contentScript', false, false, false],
    ['otherExtension', false, false, false],
    ['lookalike', false, false, false],
    ['noUrl', false, false, false],
  ] as const)('%s: page %s, engine %s, background %s', (name, page, engine, bg) => {
    const s = senders[name];
    expect(isExtensionPage(s, BASE, ID)).toBe(page);
    expect(isOffscreenDocument(s, BASE, ID)).toBe(engine);
    expect(isServiceWorker(s, BASE, ID)).toBe(bg);
  });

  it.each([
    [`blob:chrome-extension://${ID}/5e1b6a44-0d0f-4a4e-9d0b-1c2d3e4f5a6b`, true],
    ['http://127.0.0.1:8080/secret.mp3', false],
    ['https://example.org/x.mp3', false],
    ['blob:https://example.org/5e1b6a44-0d0f-4a4e-9d0b-1c2d3e4f5a6b', false],
    [`blob:chrome-extension://${ID}.evil/x`, false],
    ['data:audio/mpeg;base64,AAAA', false],
  ])('a result URL %s is Seam’s own: %s', (url, own) => {
    expect(isOwnBlobUrl(url, BASE)).toBe(own);
  });
});
