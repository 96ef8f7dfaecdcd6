import { describe, expect, it } from 'vitest';
import {
  FetchFailedError,
  FetchRefusedError,
  PrivateNetworkError,
  TooLargeError,
} from '@/lib/core/errors';
import { fetchGated, fetchGatedText, openGated, type GateOptions } from '@/lib/fetch/gate';

/**
 * The fetch gate (issue 18, defects 3 and 4) with a fake fetch: what it asks the network for,
 * and when it stops. Short budgets stand in for the real ones; every wait is for an outcome.
 */

const PUBLIC = 'https://public.example/';
const GRANTED = ['https://public.example/*', 'https://cdn.example/*', 'http://localhost./*'];

interface Call {
  url: string;
  init: RequestInit;
}

/** A fake fetch answering from `routes` by URL, recording every request it was asked for. */
function fakeFetch(routes: Record<string, () => Response>) {
  const calls: Call[] = [];
  const fn = (async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const url = String(input);
    calls.push({ url, init });
    const route = routes[url];
    if (!route) throw new TypeError('Failed to fetch');
    return route();
  }) as typeof fetch;
  return { fn, calls };
}

const redirect =
  (location: string, status = 302) =>
  () =>
    new Response(null, { status, headers: { location } });

/** A body that yields `chunk` every `everyMs` forever, counting what was pulled. */
function drip(chunk: Uint8Array, everyMs: number, pulled = { n: 0 }) {
  return new ReadableStream<Uint8Array>({
    async pull(c) {
      pulled.n++;
      await new Promise((r) => setTimeout(r, everyMs));
      c.enqueue(chunk);
    },
  });
}

const opts = (o: Partial<GateOptions> & { fetch: typeof fetch }): GateOptions => ({
  kind: 'feed',
  granted: GRANTED,
  pageUrl: 'https://public.example/page',
  ...o,
});

describe('fetch gate: sizes', () => {
  it('a feed announcing 100 MB is refused before a byte of it is read, naming its host', async () => {
    const pulled = { n: 0 };
    const { fn } = fakeFetch({
      [`${PUBLIC}feed.xml`]: () =>
        new Response(drip(new Uint8Array(1024), 1, pulled), {
          headers: { 'content-length': String(100 * 1024 * 1024) },
        }),
    });
    const err = await fetchGatedText(`${PUBLIC}feed.xml`, opts({ fetch: fn })).catch((e) => e);
    expect(err).toBeInstanceOf(TooLargeError);
    expect(err.message).toBe('The feed on public.example is too large to read.');
    // A ReadableStream pulls once to fill its queue on creation; the gate asked for nothing more.
    expect(pulled.n).toBeLessThanOrEqual(1);
  });

  it('a body without a length stops at the limit, not after the whole of it', async () => {
    const pulled = { n: 0 };
    const { fn } = fakeFetch({
      [`${PUBLIC}art.jpg`]: () => new Response(drip(new Uint8Array(64 * 1024), 0, pulled)),
    });
    const err = await fetchGated(
      `${PUBLIC}art.jpg`,
      opts({ kind: 'artwork', fetch: fn, budget: { limitBytes: 1024 * 1024 } }),
    ).catch((e) => e);
    expect(err).toBeInstanceOf(TooLargeError);
    expect(err.message).toMatch(
      /^The server at public\.example sent 1\.\d+ MB, over the 1\.0 MB Seam reads/,
    );
    // 1 MB is 16 chunks of 64 KB: the 17th is over, and no more than a few are queued beyond.
    expect(pulled.n).toBeLessThan(20);
  });

  it('reads a body within its limit whole, decoding its charset', async () => {
    const { fn, calls } = fakeFetch({
      [`${PUBLIC}feed.xml`]: () =>
        new Response(new TextEncoder().encode('<rss>caf\u00e9</rss>'), {
          headers: { 'content-type': 'application/rss+xml; charset=utf-8' },
        }),
    });
    const got = await fetchGatedText(`${PUBLIC}feed.xml`, opts({ fetch: fn }));
    expect(got).toEqual({ url: `${PUBLIC}feed.xml`, text: '<rss>caf\u00e9</rss>' });
    expect(calls[0]!.init).toMatchObject({
      credentials: 'omit',
      redirect: 'manual',
      referrerPolicy: 'no-referrer',
    });
  });

  it('a status other than 2xx is an error naming the host', async () => {
    const { fn } = fakeFetch({
      [`${PUBLIC}c.json`]: () => new Response('no', { status: 404, statusText: 'Not Found' }),
    });
    await expect(
      fetchGated(`${PUBLIC}c.json`, opts({ kind: 'chapters', fetch: fn })),
    ).rejects.toThrow('The server (public.example) answered 404 Not Found.');
  });
});

describe('fetch gate: time', () => {
  it('a feed dripping a byte at a time ends with an error naming its host', async () => {
    const { fn } = fakeFetch({
      [`${PUBLIC}feed.xml`]: () => new Response(drip(new Uint8Array(1), 20)),
    });
    const err = await fetchGatedText(
      `${PUBLIC}feed.xml`,
      opts({ fetch: fn, budget: { slowWindowMs: 400, minBytesPerSec: 100 } }),
    ).catch((e) => e);
    expect(err).toBeInstanceOf(FetchFailedError);
    expect(err.message).toMatch(/^The download from public\.example was too slow \(under 100 B/);
  });

  it('a body that stops sending is a stall', async () => {
    const { fn } = fakeFetch({
      [`${PUBLIC}feed.xml`]: () =>
        new Response(new ReadableStream({ pull: () => new Promise(() => {}) })),
    });
    const err = await fetchGatedText(
      `${PUBLIC}feed.xml`,
      opts({ fetch: fn, budget: { stallMs: 200 } }),
    ).catch((e) => e);
    expect(err).toBeInstanceOf(FetchFailedError);
    expect(err.message).toBe('The download from public.example stalled for 0.2 s.');
  });

  it('a fast body that never ends meets the deadline', async () => {
    const { fn } = fakeFetch({
      [`${PUBLIC}feed.xml`]: () => new Response(drip(new Uint8Array(10), 5)),
    });
    const err = await fetchGatedText(
      `${PUBLIC}feed.xml`,
      opts({ fetch: fn, budget: { deadlineMs: 300, minBytesPerSec: 1 } }),
    ).catch((e) => e);
    expect(err).toBeInstanceOf(FetchFailedError);
    expect(err.message).toBe(
      'The download from public.example did not finish within 0.3 s, so Seam stopped it.',
    );
  });

  it('no headers within the connect budget is a timeout', async () => {
    const fn = ((_u: RequestInfo | URL, init?: RequestInit) =>
      new Promise((_r, reject) =>
        init?.signal?.addEventListener('abort', () => reject(new DOMException('x', 'AbortError'))),
      )) as typeof fetch;
    await expect(
      fetchGated(`${PUBLIC}feed.xml`, opts({ fetch: fn, budget: { connectMs: 100 } })),
    ).rejects.toThrow('public.example did not answer within 0.1 s.');
  });

  it("the caller's Cancel ends it as an abort, not as a site's fault", async () => {
    const { fn } = fakeFetch({
      [`${PUBLIC}feed.xml`]: () => new Response(drip(new Uint8Array(1), 20)),
    });
    const cancel = new AbortController();
    const pending = fetchGated(`${PUBLIC}feed.xml`, opts({ fetch: fn, signal: cancel.signal }));
    setTimeout(() => cancel.abort(), 50);
    const err = await pending.catch((e) => e);
    expect(err.name).toBe('AbortError');
  });
});

describe('fetch gate: every hop checked before it is requested', () => {
  it.each([
    ['127.0.0.2', 'http://127.0.0.2/x.mp3', '127.0.0.2'],
    ['localhost. (granted, but private)', 'http://localhost.:8080/x.mp3', 'localhost.:8080'],
    ['an IPv4-mapped loopback', 'http://[::ffff:7f00:1]/x.mp3', '[::ffff:7f00:1]'],
    ['a NAT64 loopback', 'http://[64:ff9b::7f00:1]/x.mp3', '[64:ff9b::7f00:1]'],
    ['198.18.0.0/15', 'http://198.18.0.7/x.mp3', '198.18.0.7'],
    ['printer.local.', 'http://printer.local./x.mp3', 'printer.local.'],
  ])('a redirect to %s is refused without a request to it', async (_l, target, host) => {
    const { fn, calls } = fakeFetch({ [`${PUBLIC}a.mp3`]: redirect(target) });
    const err = await openGated(`${PUBLIC}a.mp3`, opts({ kind: 'audio', fetch: fn })).catch(
      (e) => e,
    );
    expect(err).toBeInstanceOf(PrivateNetworkError);
    expect(err.message).toBe(
      `The link redirected to ${host}, a private-network address, which Seam does not download from for a public page.`,
    );
    expect(calls.map((c) => c.url)).toEqual([`${PUBLIC}a.mp3`]);
  });

  it('a link to a private address from a public page is not requested at all', async () => {
    const { fn, calls } = fakeFetch({});
    const err = await openGated('http://localhost./a.mp3', opts({ fetch: fn })).catch((e) => e);
    expect(err).toBeInstanceOf(PrivateNetworkError);
    expect(calls).toEqual([]);
  });

  it('a redirect to a site not granted is refused without a request to it', async () => {
    const { fn, calls } = fakeFetch({
      [`${PUBLIC}a.mp3`]: redirect('https://elsewhere.example/a.mp3'),
    });
    const err = await openGated(`${PUBLIC}a.mp3`, opts({ fetch: fn })).catch((e) => e);
    expect(err).toBeInstanceOf(FetchRefusedError);
    expect(err.message).toMatch(
      /^The link redirected to elsewhere\.example, a site Seam has no access to/,
    );
    expect(calls).toHaveLength(1);
  });

  it('a relative redirect to a granted site is followed, and the final URL reported', async () => {
    const { fn, calls } = fakeFetch({
      [`${PUBLIC}a.mp3`]: redirect('https://cdn.example/b.mp3', 301),
      'https://cdn.example/b.mp3': redirect('/c.mp3', 307),
      'https://cdn.example/c.mp3': () => new Response('ID3'),
    });
    const res = await openGated(`${PUBLIC}a.mp3`, opts({ kind: 'audio', fetch: fn }));
    expect(res.url).toBe('https://cdn.example/c.mp3');
    expect(calls.map((c) => c.url)).toHaveLength(3);
    for (const c of calls)
      expect(c.init).toMatchObject({ redirect: 'manual', credentials: 'omit' });
    res.cancel();
  });

  it('a redirect the browser hides (opaque) is refused, naming the host', async () => {
    const opaque = { type: 'opaqueredirect', status: 0, headers: new Headers(), body: null };
    const { fn, calls } = fakeFetch({ [`${PUBLIC}a.mp3`]: () => opaque as unknown as Response });
    const err = await openGated(`${PUBLIC}a.mp3`, opts({ fetch: fn })).catch((e) => e);
    expect(err).toBeInstanceOf(FetchFailedError);
    expect(err.message).toMatch(/^The server at public\.example sent the download on elsewhere/);
    expect(calls).toHaveLength(1);
  });

  it('a redirect loop stops after five hops', async () => {
    const { fn, calls } = fakeFetch({
      [`${PUBLIC}a`]: redirect(`${PUBLIC}b`),
      [`${PUBLIC}b`]: redirect(`${PUBLIC}a`),
    });
    await expect(openGated(`${PUBLIC}a`, opts({ fetch: fn }))).rejects.toThrow(
      'The server at public.example redirected more than 5 times, so Seam stopped following.',
    );
    expect(calls).toHaveLength(6);
  });

  it('a private page may fetch from its own network', async () => {
    const { fn } = fakeFetch({ 'http://nas.local/a.mp3': () => new Response('x') });
    const res = await openGated(
      'http://nas.local/a.mp3',
      opts({ fetch: fn, granted: ['http://nas.local/*'], pageUrl: 'http://nas.local/' }),
    );
    expect(res.status).toBe(200);
    res.cancel();
  });
});
